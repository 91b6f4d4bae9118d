/**
 * Reads a unit expression into a flat list of named factors with powers,
 * with pint's grammar: `*`, `/` (left to right: `a/b*c` is `(a/b)*c`), a
 * space multiplies, `**` or `^` raise, parentheses group, Unicode
 * superscripts raise (`m²`, `s⁻¹`), `·` multiplies, `1/s` has a number.
 * Also read, as js-quantities wrote them: a power right after a name
 * (`m2`, `s-2`, `kg*m2/s2`). One pass, no backtracking: linear in the
 * length of the text whatever it holds (unit texts come from Redis, URIs,
 * clients); nesting is bounded, and a second power on one factor is refused
 * (it would cost a pass over the group again).
 *
 * @module
 */

/** One factor of a unit expression: a name (or a number, in `1/s`) raised to a power. */
export interface UnitTerm {
  /** The unit name as written (`mm`, `µm`, `Ω`, `degC`), or a number (`1` in `1/s`). */
  readonly name: string | number;
  /** The power: `-2` for `s` in `m/s^2`. */
  power: number;
}

/** Deepest nesting of parentheses read. */
const MAX_DEPTH = 16;

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const POWER = /\s*([-+]?(?:\d+\.?\d*|\.\d+))/y;
const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A character of a unit name: ASCII letters, `_`, `%`, and any non-ASCII character that is not an operator or superscript. */
function isNameChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 37 ||
    (c >= 128 &&
      ch !== '·' &&
      ch !== '⋅' &&
      ch !== '⁻' &&
      ch !== '¹' &&
      SUPERSCRIPTS.indexOf(ch) < 0 &&
      c !== 0xb2 &&
      c !== 0xb3)
  );
}

/** One level of parentheses. */
interface Frame {
  /** Where the last factor read at this level starts in the terms (-1: none, an operator is pending). */
  last: number;
  /** Whether that factor has been raised already. */
  raised: boolean;
  /** The pending operator: 1 multiplies, -1 divides. */
  sign: number;
  /** Where this group starts in the terms. */
  readonly start: number;
}

/**
 * The factors of `text` with their powers (`kg*m/s^2` → kg¹ m¹ s⁻²), or
 * undefined when `text` is not a unit expression. Says nothing about
 * whether the names are units. Never throws.
 */
export function parseUnitTerms(text: string): UnitTerm[] | undefined {
  const terms: UnitTerm[] = [];
  const stack: Frame[] = [{ last: -1, raised: false, sign: 1, start: 0 }];
  let top = stack[0]!;
  const flush = (): void => {
    if (top.sign < 0) for (let k = top.last; k < terms.length; k++) terms[k]!.power = -terms[k]!.power;
    top.last = -1;
  };
  const operand = (): void => {
    if (top.last >= 0) {
      flush(); // two factors side by side: a product
      top.sign = 1;
    }
    top.last = terms.length;
    top.raised = false;
  };
  const raise = (p: number): boolean => {
    if (top.last < 0 || top.raised || !Number.isFinite(p)) return false;
    for (let k = top.last; k < terms.length; k++) terms[k]!.power *= p;
    top.raised = true;
    return true;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const ch = text[i]!;
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
    } else if (ch === '*' && text[i + 1] === '*') {
      POWER.lastIndex = i + 2;
      const m = POWER.exec(text);
      if (m === null || !raise(Number(m[1]))) return undefined;
      i = POWER.lastIndex;
    } else if (ch === '^') {
      POWER.lastIndex = i + 1;
      const m = POWER.exec(text);
      if (m === null || !raise(Number(m[1]))) return undefined;
      i = POWER.lastIndex;
    } else if (ch === '*' || ch === '/' || ch === '·' || ch === '⋅') {
      if (top.last < 0) return undefined;
      flush();
      top.sign = ch === '/' ? -1 : 1;
      i++;
    } else if (ch === '⁻' || SUPERSCRIPTS.indexOf(ch) >= 0) {
      let j = ch === '⁻' ? i + 1 : i;
      let p = 0;
      let digits = 0;
      for (; j < n; j++, digits++) {
        const d = SUPERSCRIPTS.indexOf(text[j]!);
        if (d < 0) break;
        p = p * 10 + d;
      }
      if (digits === 0 || !raise(ch === '⁻' ? -p : p)) return undefined;
      i = j;
    } else if (ch === '(') {
      if (stack.length >= MAX_DEPTH) return undefined;
      operand();
      top = { last: -1, raised: false, sign: 1, start: terms.length };
      stack.push(top);
      i++;
    } else if (ch === ')') {
      if (stack.length === 1 || top.last < 0) return undefined;
      flush();
      stack.pop();
      const inner = top;
      top = stack[stack.length - 1]!;
      top.last = inner.start;
      top.raised = false;
      i++;
    } else if (isDigit(c) || ch === '.') {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m === null) return undefined;
      operand();
      terms.push({ name: Number(m[0]), power: 1 });
      i = NUMBER.lastIndex;
    } else if (isNameChar(ch)) {
      let j = i + 1;
      let letters = j; // end of the name without trailing digits
      while (j < n && (isNameChar(text[j]!) || isDigit(text.charCodeAt(j)))) {
        j++;
        if (!isDigit(text.charCodeAt(j - 1))) letters = j;
      }
      operand();
      terms.push({ name: text.slice(i, letters), power: 1 });
      if (letters < j) {
        raise(Number(text.slice(letters, j))); // m2: js-quantities' power
      } else if (text[j] === '-' && isDigit(text.charCodeAt(j + 1))) {
        let k = j + 1;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
        raise(-Number(text.slice(j + 1, k))); // s-2
        j = k;
      }
      i = j;
    } else {
      return undefined;
    }
  }
  if (stack.length !== 1 || top.last < 0) return undefined;
  flush();
  return terms;
}
