/**
 * The evaluator part of eval device names (`@name`, `@mod.Class`,
 * `@c=mod.sub.Class("a/b", q=())`), matched the way Taurus's
 * `_evaluatorname` pattern matches it, in linear time.
 *
 * @module
 */
import { charSet, scanPyWord, scanUntil } from './scan.js';

/** The groups Taurus gives an evaluator name (without its `@`). */
export interface EvaluatorMatch {
  /** Index just past the evaluator name. */
  readonly end: number;
  /** The name when it is a plain one (`foo` in `@foo`). */
  readonly _evalname: string | undefined;
  /** The name when it is dotted (`c=mod.Class()` in `@c=mod.Class()`). */
  readonly _evaldotname: string | undefined;
  /** Instance name of a dotted evaluator (`c` in `c=mod.Class()`). */
  readonly _evalinstname: string | undefined;
  /** Module path of a dotted evaluator (`mod.sub`). */
  readonly _evalmodname: string | undefined;
  /** Class (or `*`) of a dotted evaluator. */
  readonly _evalclassname: string | undefined;
  /** Constructor arguments of a dotted evaluator, parentheses included. */
  readonly _evalclassparenths: string | undefined;
}

/** What may follow an evaluator name at index `i` for the whole name to match. */
export type FollowCheck = (i: number) => boolean;

const PLAIN_STOPS = charSet('/?#:.=');

/**
 * Matches an evaluator name starting at `start` (just after `@`), trying a
 * plain name first, then a dotted one, as Taurus's alternation does;
 * `follows(end)` says whether the rest of the URI matches after it.
 */
export function matchEvaluatorName(text: string, start: number, follows: FollowCheck): EvaluatorMatch | null {
  const plainEnd = scanUntil(text, start, PLAIN_STOPS);
  if (plainEnd > start && follows(plainEnd)) {
    return {
      end: plainEnd,
      _evalname: text.slice(start, plainEnd),
      _evaldotname: undefined,
      _evalinstname: undefined,
      _evalmodname: undefined,
      _evalclassname: undefined,
      _evalclassparenths: undefined,
    };
  }
  return matchDottedName(text, start, follows);
}

function matchDottedName(text: string, start: number, follows: FollowCheck): EvaluatorMatch | null {
  let p = start;
  let instname: string | undefined;
  const w = scanPyWord(text, p);
  if (w > p && text.charCodeAt(w) === 0x3d /* = */) {
    instname = text.slice(p, w);
    p = w + 1;
  }
  // (\w+\.)*\w+\.(\w+|\*): at least two dot-separated components, the last one may be '*'.
  const modStart = p;
  let end = scanPyWord(text, p);
  if (end === p) return null;
  let lastStart = p;
  let components = 1;
  while (text.charCodeAt(end) === 0x2e /* . */) {
    const next = end + 1;
    if (text.charCodeAt(next) === 0x2a /* * */) {
      lastStart = next;
      end = next + 1;
      components++;
      break;
    }
    const wEnd = scanPyWord(text, next);
    if (wEnd === next) return null; // a dangling '.' can never be followed by what the pattern needs
    lastStart = next;
    end = wEnd;
    components++;
  }
  if (components < 2) return null;
  const base = {
    _evalname: undefined,
    _evalinstname: instname,
    _evalmodname: text.slice(modStart, lastStart - 1),
    _evalclassname: text.slice(lastStart, end),
  };
  if (text.charCodeAt(end) === 0x28 /* ( */) {
    const close = matchParenths(text, end, follows);
    if (close < 0) return null;
    return {
      ...base,
      end: close,
      _evaldotname: text.slice(start, close),
      _evalclassparenths: text.slice(end, close),
    };
  }
  if (!follows(end)) return null;
  return { ...base, end, _evaldotname: text.slice(start, end), _evalclassparenths: undefined };
}

/**
 * Taurus's lazy `\(("[^"]*"|'[^']*'|[^'"/])*?\)`: the first `)` outside
 * quotes after which the rest matches; an unquoted `/` or an unclosed quote
 * ends the search. Returns the index past the `)`, or -1.
 */
function matchParenths(text: string, open: number, follows: FollowCheck): number {
  let k = open + 1;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 0x29 /* ) */ && follows(k + 1)) return k + 1;
    if (c === 0x22 || c === 0x27) {
      const close = text.indexOf(c === 0x22 ? '"' : "'", k + 1);
      if (close < 0) return -1;
      k = close + 1;
    } else if (c === 0x2f /* / */) {
      return -1;
    } else {
      k++;
    }
  }
  return -1;
}
