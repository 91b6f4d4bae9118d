/**
 * The validity of the most common eval attribute names, told in one scan
 * without building Taurus's groups: `eval:[k=v;]*expression` where, outside
 * references, nothing is `@`, `?` or `#`, the text after `eval:` does not
 * start with `/` or `@`, and no quote appears anywhere. For such a name the
 * strict pattern decides alone (the non-strict one needs `eval://`), every
 * reference lies in the attribute name and none is quoted, so the full
 * analysis ({@link analyzeEvalAttributeName}) would find:
 *
 * - no match when the braces are not properly nested or nest deeper than
 *   {@link MAX_REFERENCE_DEPTH};
 * - the substitutions `k=v;` taken greedily (a value runs to the next `=` or
 *   `;` outside references; a reference is one atom, as its placeholder is),
 *   then the expression; an empty expression gives the last substitution
 *   back as the expression;
 * - no match when the expression holds a `;` outside references;
 * - else a strict match whose references are the brace groups.
 *
 * A property test checks these answers against the full analysis.
 *
 * @module
 */
import { MAX_REFERENCE_DEPTH } from './attribute-groups.js';
import { scanPyVar } from './scan.js';

const NO_REFS: readonly string[] = Object.freeze([]);

/** What the scan of a valid plain name finds (its attribute name is the text after `eval:`). */
export interface PlainAttributeName {
  /** The references, as written (Taurus's `_evalrefs`); not validated here. */
  readonly refs: readonly string[];
  /** Where the expression starts (after the substitutions). */
  readonly exprStart: number;
}

/**
 * The analysis of `name` when it is a valid plain eval attribute name
 * (syntax only: the references themselves are not validated here), null
 * when it is an invalid one, undefined when it is not of the plain form
 * (the full analysis answers then).
 */
export function plainAttributeName(name: string): PlainAttributeName | null | undefined {
  const n = name.length;
  if (n <= 5 || !name.startsWith('eval:')) return undefined;
  const first = name.charCodeAt(5);
  if (first === 0x2f /* / */ || first === 0x40 /* @ */) return undefined;
  // the braces, and the characters that leave the name to the full analysis
  let refs: string[] | undefined;
  let depth = 0;
  let open = -1;
  for (let i = 5; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x7b /* { */) {
      if (depth === 0) open = i;
      if (++depth > MAX_REFERENCE_DEPTH) return null;
    } else if (c === 0x7d /* } */) {
      if (depth === 0) return null;
      if (--depth === 0) (refs ??= []).push(name.slice(open + 1, i));
    } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      return undefined;
    } else if (depth === 0 && (c === 0x40 /* @ */ || c === 0x3f /* ? */ || c === 0x23) /* # */) {
      return undefined;
    }
  }
  if (depth !== 0) return null;
  // the substitutions, greedily
  let r = 5;
  let lastItem = -1;
  for (;;) {
    const k = scanPyVar(name, r);
    if (k === r || name.charCodeAt(k) !== 0x3d /* = */) break;
    const v = skipToValueEnd(name, k + 1);
    if (v === k + 1 || name.charCodeAt(v) !== 0x3b /* ; */) break;
    lastItem = r;
    r = v + 1;
  }
  let exprStart = r;
  if (r === n) {
    if (lastItem < 0) return null;
    exprStart = lastItem; // Python backtracks: the last substitution is the expression
  }
  // a ';' of the expression outside references: not a name (Taurus refuses it)
  depth = 0;
  for (let i = exprStart; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x7b) depth++;
    else if (c === 0x7d) depth--;
    else if (depth === 0 && c === 0x3b) return null;
  }
  return { refs: refs ?? NO_REFS, exprStart };
}

/** The index of the first `=` or `;` at or after `i` outside references (the length when none). */
function skipToValueEnd(name: string, i: number): number {
  let depth = 0;
  let j = i;
  for (; j < name.length; j++) {
    const c = name.charCodeAt(j);
    if (c === 0x7b) depth++;
    else if (c === 0x7d) depth--;
    else if (depth === 0 && (c === 0x3d || c === 0x3b)) break;
  }
  return j;
}
