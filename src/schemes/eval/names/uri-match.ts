/**
 * Linear-time matchers that give the same matches and groups as Taurus's
 * eval name patterns (strict and non-strict, per element type) including
 * Python's backtracking order and its `$` (which also matches before a final
 * newline). They work on a name with an explicit scheme; for attributes, on
 * the name with its references already replaced by placeholders.
 *
 * @module
 */
import { type EvaluatorMatch, matchEvaluatorName } from './evaluator-name.js';
import { charSet, inCharClass, pyEndAt, scanPyVar, scanUntil } from './scan.js';

/** Named groups of a match (absent groups are undefined). */
export type RawGroups = Record<string, string | undefined>;

const AUTHORITY = '//localhost';
const AFTER_AUTHORITY = charSet('/#?');
const EXPR_STOPS = charSet('@?#');
const FRAGMENT_STOPS = charSet('# ');
const VALUE_STOPS = charSet('?#=;');
const OLD_STOPS = charSet('?#;');
const CFGKEY_STOPS = charSet('#?');

/** `eval:` then the optional authority; returns where the path starts, or -1 when it cannot match. */
function strictPrefix(s: string): { p: number; authority: string | undefined } | null {
  if (!s.startsWith('eval:')) return null;
  let p = 5;
  let authority: string | undefined;
  if (s.startsWith('//', p)) {
    // Without the authority the path would start with '//', which the pattern forbids.
    if (!s.startsWith(AUTHORITY, p)) return null;
    const a = p + AUTHORITY.length;
    if (!(pyEndAt(s, a) || inCharClass(AFTER_AUTHORITY, s.charCodeAt(a)))) return null;
    authority = AUTHORITY;
    p = a;
    if (s.startsWith('//', p)) return null;
  }
  return { p, authority };
}

/** `eval://` or `evaluation://`; returns the index after it and the scheme written. */
function nonStrictPrefix(s: string): { p: number; scheme: string } | null {
  if (s.startsWith('eval://')) return { p: 7, scheme: 'eval' };
  if (s.startsWith('evaluation://')) return { p: 13, scheme: 'evaluation' };
  return null;
}

/** The strict authority pattern `eval://localhost`. */
export function matchStrictAuthority(s: string): RawGroups | null {
  if (s === 'eval://localhost' || s === 'eval://localhost\n') {
    return { scheme: 'eval', authority: AUTHORITY, path: undefined, query: undefined, fragment: undefined };
  }
  return null;
}

/** The non-strict authority pattern `eval://db=<name>`. */
export function matchNonStrictAuthority(s: string): RawGroups | null {
  const pre = nonStrictPrefix(s);
  if (pre === null || !s.startsWith('db=', pre.p)) return null;
  const v = scanUntil(s, pre.p + 3, OLD_STOPS);
  if (v === pre.p + 3 || !pyEndAt(s, v)) return null;
  return { scheme: pre.scheme, dbname: s.slice(pre.p + 3, v) };
}

/** The strict device pattern `eval:[//localhost][/]@<evaluator>`. */
export function matchStrictDevice(s: string): RawGroups | null {
  const pre = strictPrefix(s);
  if (pre === null) return null;
  const pathStart = pre.p;
  const at = s.charCodeAt(pathStart) === 0x2f ? pathStart + 1 : pathStart;
  if (s.charCodeAt(at) !== 0x40 /* @ */) return null;
  const ev = matchEvaluatorName(s, at + 1, (i) => pyEndAt(s, i));
  if (ev === null) return null;
  const { end, ...evGroups } = ev;
  return {
    scheme: 'eval',
    authority: pre.authority,
    path: s.slice(pathStart, end),
    devname: s.slice(at, end),
    ...evGroups,
    query: undefined,
    fragment: undefined,
  };
}

/** The non-strict device pattern `eval://[db=<db>;]dev=<evaluator>[?<subst>]`. */
export function matchNonStrictDevice(s: string): RawGroups | null {
  const pre = nonStrictPrefix(s);
  if (pre === null) return null;
  let p = pre.p;
  let dbname: string | undefined;
  if (s.startsWith('db=', p)) {
    const v = scanUntil(s, p + 3, OLD_STOPS);
    if (v > p + 3 && s.charCodeAt(v) === 0x3b) {
      dbname = s.slice(p + 3, v);
      p = v + 1;
    }
  }
  if (!s.startsWith('dev=', p)) return null;
  const devStart = p + 4;
  // What may follow: the end, or '?' + a substitution text holding no '#' or '?' (not 'configuration=').
  let lastHashOrQuery = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x23 || c === 0x3f) {
      lastHashOrQuery = i;
      break;
    }
  }
  const follows = (i: number): boolean =>
    pyEndAt(s, i) ||
    (s.charCodeAt(i) === 0x3f && lastHashOrQuery === i && !s.startsWith('configuration=', i + 1));
  const ev = matchEvaluatorName(s, devStart, follows);
  if (ev === null) return null;
  const { end, ...evGroups } = ev;
  const hasSubst = s.charCodeAt(end) === 0x3f;
  return {
    scheme: pre.scheme,
    _dbname: dbname,
    _old_devname: s.slice(devStart, end),
    ...evGroups,
    _subst: hasSubst ? s.slice(end + 1) : undefined,
  };
}

/** The attribute name part (`[k=v;]*expr[#fragment]`) starting at `q`, matched up to the end. */
interface AttrNameMatch {
  readonly end: number;
  readonly attrname: string;
  readonly _subst: string | undefined;
  readonly _expr: string;
  readonly fragment: string | undefined;
}

/** Matches `(?P<_subst>(k=v;)+)?(?P<_expr>[^@?#]+)(#(?P<fragment>[^# ]*))?$` at `q`, with Python's backtracking. */
export function matchAttrName(s: string, q: number): AttrNameMatch | null {
  let lastItem = -1; // start index of the last k=v; item (the only one backtracking gives back)
  let r = q;
  for (;;) {
    const k = scanPyVar(s, r);
    if (k === r || s.charCodeAt(k) !== 0x3d) break;
    const v = scanUntil(s, k + 1, VALUE_STOPS);
    if (v === k + 1 || s.charCodeAt(v) !== 0x3b) break;
    lastItem = r;
    r = v + 1;
  }
  const stop = scanUntil(s, r, EXPR_STOPS);
  // The suffix after the expression: the end, or '#' and a fragment without '#' or ' '.
  let fragment: string | undefined;
  if (stop === s.length) {
    fragment = undefined;
  } else if (s.charCodeAt(stop) === 0x23) {
    const f = scanUntil(s, stop + 1, FRAGMENT_STOPS);
    if (f !== s.length) return null;
    fragment = s.slice(stop + 1, f);
  } else {
    return null;
  }
  let exprStart = r;
  if (stop === r) {
    // Empty expression: Python backtracks to one substitution fewer, whose text then is the expression.
    if (lastItem < 0 || s.slice(lastItem, r).includes('@')) return null;
    exprStart = lastItem;
  }
  return {
    end: stop,
    attrname: s.slice(q, stop),
    _subst: exprStart > q ? s.slice(q, exprStart) : undefined,
    _expr: s.slice(exprStart, stop),
    fragment,
  };
}

/** The strict attribute pattern `eval:[//localhost][/][@<evaluator>/][k=v;]*expr[#fragment]`. */
export function matchStrictAttribute(s: string): RawGroups | null {
  const pre = strictPrefix(s);
  if (pre === null) return null;
  const pathStart = pre.p;
  // Python's order of attempts: after a leading '/', with then without an evaluator; then the '/' as text.
  const slash = s.charCodeAt(pathStart) === 0x2f;
  const at = slash ? pathStart + 1 : pathStart;
  const attempts = slash ? 3 : 2;
  for (let k = 0; k < attempts; k++) {
    const withDevice = k === 0;
    const from = k === 2 ? pathStart : at;
    let attr: AttrNameMatch | null = null;
    let ev: EvaluatorMatch | null = null;
    if (withDevice) {
      if (s.charCodeAt(from) !== 0x40) continue;
      ev = matchEvaluatorName(s, from + 1, (i) => {
        if (s.charCodeAt(i) !== 0x2f) return false;
        attr = matchAttrName(s, i + 1);
        return attr !== null;
      });
      if (ev === null) continue;
    } else {
      attr = matchAttrName(s, from);
    }
    const a = attr as AttrNameMatch | null;
    if (a === null) continue;
    // an object literal with every key (no spread: V8 copies spreads followed by more keys slowly)
    return {
      scheme: 'eval',
      authority: pre.authority,
      path: s.slice(pathStart, a.end),
      devname: ev === null ? undefined : s.slice(from, ev.end),
      _evalname: ev?._evalname,
      _evaldotname: ev?._evaldotname,
      _evalinstname: ev?._evalinstname,
      _evalmodname: ev?._evalmodname,
      _evalclassname: ev?._evalclassname,
      _evalclassparenths: ev?._evalclassparenths,
      attrname: a.attrname,
      _subst: a._subst,
      _expr: a._expr,
      query: undefined,
      fragment: a.fragment,
      cfgkey: a.fragment,
    };
  }
  return null;
}

/** One `k=v` of a non-strict substitution query at `i`; returns the index past it, or -1. */
function matchKeyValue(s: string, i: number): number {
  const k = scanPyVar(s, i);
  if (k === i || s.charCodeAt(k) !== 0x3d) return -1;
  const v = scanUntil(s, k + 1, VALUE_STOPS);
  return v === k + 1 ? -1 : v;
}

/** `?configuration[=<cfgkey>]` at `i` up to the end, or null. */
function matchConfigQuery(s: string, i: number): { query: string; cfgkey: string | undefined } | null {
  if (s.charCodeAt(i) !== 0x3f || !s.startsWith('configuration', i + 1)) return null;
  const c = i + 14;
  if (s.charCodeAt(c) === 0x3d) {
    const f = scanUntil(s, c + 1, CFGKEY_STOPS);
    if (f === s.length) return { query: s.slice(i + 1, f), cfgkey: s.slice(c + 1, f) };
  }
  if (pyEndAt(s, c)) return { query: 'configuration', cfgkey: undefined };
  return null;
}

/** The non-strict attribute pattern `eval://[db=<db>;][dev=<dev>;]expr[?k=v;...][?configuration[=key]]`. */
export function matchNonStrictAttribute(s: string): RawGroups | null {
  const pre = nonStrictPrefix(s);
  if (pre === null) return null;
  let p = pre.p;
  let dbname: string | undefined;
  let oldDev: string | undefined;
  if (s.startsWith('db=', p)) {
    const v = scanUntil(s, p + 3, OLD_STOPS);
    if (v > p + 3 && s.charCodeAt(v) === 0x3b) {
      dbname = s.slice(p + 3, v);
      p = v + 1;
    }
  }
  if (s.startsWith('dev=', p)) {
    const v = scanUntil(s, p + 4, OLD_STOPS);
    if (v > p + 4 && s.charCodeAt(v) === 0x3b) {
      oldDev = s.slice(p + 4, v);
      p = v + 1;
    }
  }
  const e = scanUntil(s, p, OLD_STOPS);
  if (e === p) return null;
  const groups: RawGroups = {
    scheme: pre.scheme,
    _dbname: dbname,
    _old_devname: oldDev,
    _expr: s.slice(p, e),
    _substquery: undefined,
    _subst: undefined,
    query: undefined,
    fragment: undefined,
    cfgkey: undefined,
  };
  if (pyEndAt(s, e)) return groups;
  if (s.charCodeAt(e) !== 0x3f) return null;
  if (!s.startsWith('configuration=', e + 1)) {
    let r = matchKeyValue(s, e + 1);
    if (r >= 0) {
      for (;;) {
        if (s.charCodeAt(r) !== 0x3b) break;
        const n = matchKeyValue(s, r + 1);
        if (n < 0) break;
        r = n;
      }
      const subst = s.slice(e + 1, r);
      if (pyEndAt(s, r)) return { ...groups, _substquery: subst, _subst: subst };
      const cfg = matchConfigQuery(s, r);
      if (cfg !== null) {
        return {
          ...groups,
          _substquery: subst,
          _subst: subst,
          query: cfg.query,
          fragment: cfg.cfgkey,
          cfgkey: cfg.cfgkey,
        };
      }
    }
  }
  const cfg = matchConfigQuery(s, e);
  if (cfg === null) return null;
  return { ...groups, query: cfg.query, fragment: cfg.cfgkey, cfgkey: cfg.cfgkey };
}
