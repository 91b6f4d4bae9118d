/**
 * Linear-time scanners that reproduce the text helpers of Taurus's
 * `evalvalidator.py` (finding `{references}`, telling quoted text, removing
 * quoted text) without their quadratic or endless corner cases.
 *
 * @module
 */

/** A reference found in a text: the position of its `{` and the text between its braces. */
export interface RefToken {
  /** Index of the opening `{` in the scanned text. */
  readonly start: number;
  /** Index just past the closing `}`. */
  readonly end: number;
  /** The text between the outermost braces (may hold nested references). */
  readonly text: string;
}

/**
 * The outermost `{...}` groups of `text`, like Taurus's
 * `_findAllTokensBetweenChars(text, '{', '}')`, or null when the braces are
 * not properly nested (Taurus then raises or loops forever) or nest deeper
 * than `maxDepth`. Quotes are not considered here.
 */
export function findBraceGroups(text: string, maxDepth = Number.POSITIVE_INFINITY): RefToken[] | null {
  const tokens: RefToken[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      if (depth === 0) open = i;
      if (++depth > maxDepth) return null;
    } else if (c === 0x7d /* } */) {
      if (depth === 0) return null;
      depth--;
      if (depth === 0) tokens.push({ start: open, end: i + 1, text: text.slice(open + 1, i) });
    }
  }
  return depth === 0 ? tokens : null;
}

/** The deepest nesting of braces in `text` (0 when it has none). */
export function maxBraceDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d) depth--;
  }
  return max;
}

/**
 * Counts of `"` and `'` before each index of `text`, for Taurus's `_isQuoted`
 * test in constant time per query.
 */
export class QuoteCounts {
  readonly #double: Uint32Array;
  readonly #single: Uint32Array;

  constructor(text: string) {
    this.#double = new Uint32Array(text.length + 1);
    this.#single = new Uint32Array(text.length + 1);
    let d = 0;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) d++;
      else if (c === 0x27) s++;
      this.#double[i + 1] = d;
      this.#single[i + 1] = s;
    }
  }

  /**
   * Taurus's `_isQuoted`: whether the span `[start, end)` lies in a quoted
   * region, i.e. an odd number of `"` or of `'` precedes or follows it.
   */
  isQuoted(start: number, end: number): boolean {
    const n = this.#double.length - 1;
    const dBefore = this.#double[start]!;
    const sBefore = this.#single[start]!;
    const dAfter = this.#double[n]! - this.#double[end]!;
    const sAfter = this.#single[n]! - this.#single[end]!;
    return dBefore % 2 === 1 || dAfter % 2 === 1 || sBefore % 2 === 1 || sAfter % 2 === 1;
  }
}

/**
 * The references of an expression, like Taurus's `getRefs(expr, ign_quoted)`:
 * the outermost brace groups, without those in a quoted region when
 * `ignoreQuoted` is true. Null when the braces are not properly nested.
 */
export function findRefs(text: string, ignoreQuoted: boolean): RefToken[] | null {
  const groups = findBraceGroups(text);
  if (groups === null || !ignoreQuoted || groups.length === 0) return groups;
  if (!text.includes('"') && !text.includes("'")) return groups;
  const quotes = new QuoteCounts(text);
  return groups.filter((t) => !quotes.isQuoted(t.start, t.end));
}

/**
 * Removes quoted text as Python's `re.sub('(".*?"|\'.*?\')', '', text)` does:
 * a quote opens a region closed by the next same quote on the same line.
 */
export function removeQuotedText(text: string): string {
  // Linear: a failed search for a closing quote stops at a newline (or the end) that holds no
  // quote of that kind before it, so each character is scanned at most once per quote kind.
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === c || d === 0x0a) break;
        j++;
      }
      if (j < text.length && text.charCodeAt(j) === c) {
        out += text.slice(from, i);
        from = j + 1;
        i = j + 1;
        continue;
      }
    }
    i++;
  }
  return out + text.slice(from);
}

const PY_WORD = /^[\p{L}\p{N}_]$/u;

/** Whether the code point `cp` is a word character of Python's `re` (`\w` on str patterns). */
export function isPyWordCodePoint(cp: number): boolean {
  if (cp < 0x80) {
    return (
      (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f
    );
  }
  return PY_WORD.test(String.fromCodePoint(cp));
}

/** The index just past the run of Python word characters starting at `i` (equal to `i` when none). */
export function scanPyWord(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const cp = text.codePointAt(j)!;
    if (!isPyWordCodePoint(cp)) break;
    j += cp > 0xffff ? 2 : 1;
  }
  return j;
}

/** Whether Python's `$` matches at `i`: at the end, or before a newline that ends the text. */
export function pyEndAt(text: string, i: number): boolean {
  return i === text.length || (i === text.length - 1 && text.charCodeAt(i) === 0x0a);
}

/** A set of ASCII characters, tested with one indexed load per character. */
export type CharClass = Uint8Array;

/** Whether the UTF-16 code `c` (NaN past the end of a text) is in `chars`. */
export function inCharClass(chars: CharClass, c: number): boolean {
  return c < 0x80 && chars[c] === 1;
}

/** The index just past the run starting at `i` of characters not in `stops`. */
export function scanUntil(text: string, i: number, stops: CharClass): number {
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c < 0x80 && stops[c] === 1) break;
  }
  return j;
}

/** The class of the ASCII characters of `chars` (a non-ASCII character is a programming error). */
export function charSet(chars: string): CharClass {
  const table = new Uint8Array(0x80);
  for (let k = 0; k < chars.length; k++) {
    const c = chars.charCodeAt(k);
    if (c >= 0x80)
      throw new RangeError(`charSet takes ASCII characters only, not ${JSON.stringify(chars[k])}`);
    table[c] = 1;
  }
  return table;
}

/** Taurus's `PY_VAR` key (ASCII identifier): the index past it, or `i` when none starts there. */
export function scanPyVar(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const isStart = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  if (!isStart) return i;
  let j = i + 1;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if ((d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x5a) || (d >= 0x61 && d <= 0x7a) || d === 0x5f) j++;
    else break;
  }
  return j;
}
