/**
 * The groups of an eval attribute name, computed as Taurus's
 * `EvaluationAttributeNameValidator.getUriGroups` computes them: references
 * are replaced by placeholders before matching (so their text cannot break
 * the pattern), the name gets the `eval:` scheme when it has none, the strict
 * then the non-strict pattern is tried, placeholders are put back, and an
 * expression holding a `;` outside quotes and references is refused.
 *
 * @module
 */
import { explicitScheme } from '../../../validators/name-validator.js';
import { DEFAULT_AUTHORITY, DEFAULT_EVALUATOR } from './constants.js';
import { findBraceGroups, findRefs, type RefToken, removeQuotedText } from './scan.js';
import { matchNonStrictAttribute, matchStrictAttribute, type RawGroups } from './uri-match.js';

/**
 * Deepest nesting of braces accepted in an eval name. Each level of
 * references is validated again through the resolver, so the work grows with
 * depth times length; Taurus has no limit (it recurses until Python's stack
 * overflows).
 */
export const MAX_REFERENCE_DEPTH = 8;

/** The analysis of an eval attribute name. */
export interface EvalAttributeAnalysis {
  /** Taurus's groups (without `_evalrefs`), references put back. */
  readonly groups: RawGroups;
  /** True when the strict pattern matched. */
  readonly strict: boolean;
  /** Taurus's `_evalrefs`: the outermost references of `attrname` that are not quoted. */
  readonly refs: readonly string[];
}

/** Replaces each outermost `{...}` of `name` by Taurus's placeholder `{__EVALREF_<i>__}`. */
function mangle(name: string, tokens: readonly RefToken[]): string {
  if (tokens.length === 0) return name;
  let out = '';
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    out += `${name.slice(from, t.start)}{__EVALREF_${i}__}`;
    from = t.end;
  }
  return out + name.slice(from);
}

const PLACEHOLDER_START = '{__EVALREF_';

/** Puts the references back: each `{__EVALREF_<i>__}` of `value` becomes `{<text of token i>}`. */
function unmangle(value: string, tokens: readonly RefToken[]): string {
  let at = value.indexOf(PLACEHOLDER_START);
  if (at < 0) return value;
  let out = '';
  let from = 0;
  while (at >= 0) {
    let i = at + PLACEHOLDER_START.length;
    let n = 0;
    const digits = i;
    for (let c = value.charCodeAt(i); c >= 0x30 && c <= 0x39; c = value.charCodeAt(++i))
      n = n * 10 + (c - 0x30);
    const t = i > digits && value.startsWith('__}', i) ? tokens[n] : undefined;
    if (t !== undefined) {
      out += `${value.slice(from, at)}{${t.text}}`;
      from = i + 3;
    }
    at = value.indexOf(PLACEHOLDER_START, t === undefined ? at + 1 : from);
  }
  return out + value.slice(from);
}

/** Python's `s.rstrip(';')`. */
function trimTrailingSemicolons(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x3b) end--;
  return s.slice(0, end);
}

/**
 * Whether `expr` holds a `;` once quoted text and the text of its references
 * are removed; null when the braces left after removing quoted text are not
 * properly nested (Taurus then raises).
 */
function hasBareSemicolon(expr: string): boolean | null {
  // without quotes, the braces of `expr` (whole references put back) are nested: only a ';' can count
  if (!expr.includes(';') && !expr.includes('"') && !expr.includes("'")) return false;
  const sanitized = removeQuotedText(expr);
  const refs = findBraceGroups(sanitized);
  if (refs === null) return null;
  let from = 0;
  for (const t of refs) {
    if (sanitized.slice(from, t.start + 1).includes(';')) return true;
    from = t.end - 1;
  }
  return sanitized.slice(from).includes(';');
}

const NO_REFS: readonly string[] = Object.freeze([]);

const hasQuote = (s: string): boolean => s.includes('"') || s.includes("'");
const hasBrace = (s: string | undefined): boolean => s?.includes('{') === true;

/** The attribute name (`k=v;...;expr`) of an old-syntax match. */
function oldAttrname(raw: RawGroups): string {
  const subst = raw._subst ?? '';
  const expr = raw._expr ?? '';
  return subst === '' ? expr : `${trimTrailingSemicolons(subst)};${expr}`;
}

/**
 * Whether the full name of an old-syntax match (`eval://localhost/@<dev>/<attrname>`, references
 * still mangled) is a strict name of the same evaluator and attribute name. Taurus accepts old names
 * whose full name is not (`eval://localhost/@foo`, an expression `localhost/@foo`; an evaluator
 * `dev==m.C`): the full name is then read in the old syntax again and grows at each round, or is
 * invalid. tk-core refuses such names (docs/eval-names.md): a full name always names what it was made from.
 */
function hasStrictFullName(raw: RawGroups): boolean {
  const devname = raw._old_devname === undefined ? DEFAULT_EVALUATOR : `@${raw._old_devname}`;
  const attrname = oldAttrname(raw);
  const back = matchStrictAttribute(`eval:${DEFAULT_AUTHORITY}/${devname}/${attrname}`);
  return back !== null && (back.devname ?? DEFAULT_EVALUATOR) === devname && back.attrname === attrname;
}

/**
 * Analyzes an eval attribute name like Taurus's `getUriGroups` (with
 * `strict` false, names only valid in the non-strict, pre-URI syntax are
 * accepted too). Null when the name is not an eval attribute name.
 */
export function analyzeEvalAttributeName(name: string, strict: boolean): EvalAttributeAnalysis | null {
  const tokens = findBraceGroups(name, MAX_REFERENCE_DEPTH);
  if (tokens === null) return null;
  let mangled = mangle(name, tokens);
  if (!mangled.startsWith('eval:') && explicitScheme(mangled) === undefined) mangled = `eval:${mangled}`;
  let raw = matchStrictAttribute(mangled);
  const isStrict = raw !== null;
  if (raw === null && !strict) {
    raw = matchNonStrictAttribute(mangled);
    if (raw !== null && !hasStrictFullName(raw)) return null;
  }
  if (raw === null) return null;
  // the matchers return a fresh object: put the references back in place (same keys, same shape)
  const groups: RawGroups = raw;
  if (tokens.length > 0) {
    // several groups often hold the same text (path, attrname, _expr): put references back once per text
    let lastIn: string | undefined;
    let lastOut: string | undefined;
    for (const k in groups) {
      const v = groups[k];
      if (v === undefined) continue;
      if (v !== lastIn) {
        lastIn = v;
        lastOut = unmangle(v, tokens);
      }
      groups[k] = lastOut;
    }
  }
  if (!isStrict) {
    groups.attrname = oldAttrname(groups);
    const old = groups._old_devname;
    groups.devname = old === undefined ? undefined : `@${old}`;
  }
  const bare = hasBareSemicolon(groups._expr ?? '');
  if (bare !== false) return null;
  if (tokens.length === 0) return { groups, strict: isStrict, refs: NO_REFS };
  const attrname = groups.attrname ?? '';
  if (isStrict && !hasQuote(attrname) && !hasBrace(groups.devname) && !hasBrace(groups.fragment)) {
    // every reference of the name lies in the attribute name, and none is quoted: they are the tokens
    return { groups, strict: true, refs: tokens.map((t) => t.text) };
  }
  const refs = findRefs(attrname, true);
  if (refs === null) return null;
  return { groups, strict: isStrict, refs: refs.map((r) => r.text) };
}
