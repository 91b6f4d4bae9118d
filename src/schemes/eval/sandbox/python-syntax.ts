/**
 * Python spellings in eval expressions, rewritten into mathjs syntax before
 * parsing, outside quoted text only:
 *
 * - `**` is power, element-wise as in numpy (mathjs `.^`);
 * - `^` is refused: it is XOR in Python (and in Taurus) but power in mathjs,
 *   so an expression using it would silently mean different things;
 * - `?` is refused: mathjs's `c ? a : b` is not Python, and no eval URI can
 *   hold it (`?` starts the query); the conditional is `a if c else b`;
 * - `//` is floor division (mathjs `./`, which the sandbox maps to floor
 *   division; a `./` written in an expression is refused, it is not Python);
 * - Python slices `a[:3]`, `a[1:]`, `a[::2]` get explicit `None` bounds
 *   (mathjs would fill in 1-based defaults);
 * - Python's conditional expression `a if c else b` becomes
 *   `((c) ? (a) : (b))`: it binds loosest, within its bracket and between
 *   commas (and slice colons), and chains to the right
 *   (`a if c else b if d else e`).
 *
 * The scan also records the numeric literals, so the data type can follow
 * Python (`2.0` is a float, `2` an integer).
 *
 * @module
 */
import { expressionFault, limitFault } from './errors.js';

/** A numeric literal of the expression: its value and whether Python reads it as a float. */
export interface NumericLiteral {
  /** The value. */
  readonly value: number;
  /** True for `2.0`, `1e3`, `.5`; false for `2`, `0x1F`. */
  readonly isFloat: boolean;
}

/** The result of {@link toMathjsSyntax}. */
export interface RewrittenExpression {
  /** Text for the mathjs parser. */
  readonly text: string;
  /** Numeric literals in source order. */
  readonly literals: readonly NumericLiteral[];
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/;

/**
 * Rewrites Python spellings into mathjs syntax. Throws an expression fault
 * for `^` and unterminated quotes, a limit fault for brackets nested deeper
 * than `maxDepth`.
 */
export function toMathjsSyntax(expression: string, maxDepth: number): RewrittenExpression {
  let out = '';
  const literals: NumericLiteral[] = [];
  let depth = 0;
  let i = 0;
  /** The last character written to `out` that is not white space. */
  let last = '';
  const n = expression.length;
  while (i < n) {
    const c = expression[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && expression[j] !== c) j += expression[j] === '\\' ? 2 : 1;
      if (j >= n) expressionFault(`unterminated text starting at character ${i + 1}`);
      out += expression.slice(i, j + 1);
      last = c;
      i = j + 1;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(expression[j]!)) j++;
      out += expression.slice(i, j);
      last = expression[j - 1]!;
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expression[i + 1] ?? ''))) {
      const m = NUMBER.exec(expression.slice(i, i + 400));
      const text = m?.[0] ?? c;
      const isFloat = !/^0[xXbBoO]/.test(text) && /[.eE]/.test(text);
      literals.push({ value: Number(text), isFloat });
      // `1./2` is 1.0 divided by 2 in Python; mathjs would read `./` as one operator
      out += text.endsWith('.') ? `${text} ` : text;
      last = text[text.length - 1]!;
      i += text.length;
      continue;
    }
    if (c === '*' && expression[i + 1] === '*') {
      out += ' .^ ';
      last = '^';
      i += 2;
      continue;
    }
    if (c === '/' && expression[i + 1] === '/') {
      out += ' ./ ';
      last = '/';
      i += 2;
      continue;
    }
    if (c === '.' && expression[i + 1] === '/') {
      expressionFault('"./" is not allowed: write / for division or // for floor division');
    }
    if (c === '?') {
      expressionFault(
        '"?" is not allowed: write a if condition else b (Python\'s conditional; in a URI, "?" would start the query)',
      );
    }
    if (c === '^') {
      expressionFault(
        '"^" is not allowed: it is XOR in Python and Taurus but power in mathjs; write ** for power',
      );
    }
    if (c === '(' || c === '[') {
      depth++;
      if (depth > maxDepth) limitFault(`brackets are nested more than ${maxDepth} deep`);
    } else if (c === ')' || c === ']') {
      depth--;
    }
    if (c === ':') {
      // (the characters around are found without copying or reading `out`, a rope V8 would flatten
      // at each read: an expression of many colons stays linear)
      if (last === '[' || last === ',' || last === ':') out += 'None';
      out += ':';
      last = ':';
      const next = expression[firstNonSpace(expression, i + 1)];
      if (next === ']' || next === ',' || next === ':') {
        out += 'None';
        last = 'e';
      }
      i++;
      continue;
    }
    out += c;
    if (!isSpace(c)) last = c;
    i++;
  }
  return { text: rewriteConditionals(out), literals };
}

const isSpace = (c: string): boolean => c.trim() === '';

/** Index of the first character of `text` from `from` that is not white space (`text.length` when none). */
function firstNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text[i]!)) i++;
  return i;
}

/** Whether `text[i..]` starts the word `word` (not part of a longer identifier). */
function wordAt(text: string, i: number, word: string): boolean {
  if (!text.startsWith(word, i)) return false;
  const before = text[i - 1];
  const after = text[i + word.length];
  return (
    (before === undefined || !IDENT_PART.test(before)) && (after === undefined || !IDENT_PART.test(after))
  );
}

/**
 * Rewrites Python's `a if c else b` into `((c) ? (a) : (b))` in mathjs text
 * (quotes already checked): each bracket group is split at its top-level
 * commas (and colons inside square brackets); in each part, the first
 * top-level `if` splits the value from the rest, whose first top-level
 * `else` ends the condition; the alternative may chain.
 */
function rewriteConditionals(text: string): string {
  if (!/\b(?:if|else)\b/.test(text)) return text;
  let i = 0;
  /** Rewrites from `i` up to the closing bracket `close` (or the end); leaves `i` at it. */
  const group = (close: string | undefined): string => {
    const parts: string[] = [];
    const separators: string[] = [];
    let part = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
        part += text.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') {
        i++;
        const inner = group(c === '(' ? ')' : c === '[' ? ']' : '}');
        part += c + inner + (text[i] ?? '');
        i++;
        continue;
      }
      if (c === close) break;
      if (c === ',' || (c === ':' && close === ']')) {
        parts.push(part);
        separators.push(c);
        part = '';
        i++;
        continue;
      }
      part += c;
      i++;
    }
    parts.push(part);
    return parts.map((p, k) => conditional(p) + (separators[k] ?? '')).join('');
  };
  return group(undefined);
}

/**
 * `a if c else b` in a part without top-level commas (brackets already
 * rewritten); other parts unchanged. One scan finds the top-level `if` and
 * `else` words; `v0 if c0 else v1 if c1 else v2` becomes
 * `((c0) ? (v0) : ((c1) ? (v1) : (v2)))`, built from the inside out.
 */
function conditional(part: string): string {
  const words = topLevelWords(part);
  if (words.length === 0) return part;
  const segments: string[] = [];
  let from = 0;
  for (let k = 0; k < words.length; k++) {
    const { at, word } = words[k]!;
    if (word !== (k % 2 === 0 ? 'if' : 'else')) {
      expressionFault(
        word === 'if'
          ? '"if" inside a condition: write a if condition else b'
          : '"else" without "if": write a if condition else b',
      );
    }
    segments.push(part.slice(from, at));
    from = at + word.length;
  }
  segments.push(part.slice(from));
  if (words.length % 2 === 1) expressionFault('"if" without "else": write a if condition else b');
  if (segments[0]!.trim() === '')
    expressionFault('"if" needs a value before it: write a if condition else b');
  // segments: v0, c0, v1, c1, ..., vn
  let out = segments[segments.length - 1]!;
  for (let k = segments.length - 3; k >= 0; k -= 2)
    out = `((${segments[k + 1]}) ? (${segments[k]}) : (${out}))`;
  return out;
}

/** The `if` and `else` words outside brackets and quotes in `part`, in order. */
function topLevelWords(part: string): { at: number; word: 'if' | 'else' }[] {
  const out: { at: number; word: 'if' | 'else' }[] = [];
  let depth = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < part.length && part[j] !== c) j += part[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === 'i' || c === 'e')) {
      const word = wordAt(part, i, 'if') ? 'if' : wordAt(part, i, 'else') ? 'else' : undefined;
      if (word !== undefined) {
        out.push({ at: i, word });
        i += word.length - 1;
      }
    }
  }
  return out;
}
