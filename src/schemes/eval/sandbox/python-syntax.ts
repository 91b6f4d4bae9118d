/**
 * Python spellings in eval expressions, rewritten into mathjs syntax before
 * parsing, outside quoted text only:
 *
 * - `**` is power, element-wise as in numpy (mathjs `.^`);
 * - `^` is refused: it is XOR in Python (and in Taurus) but power in mathjs,
 *   so an expression using it would silently mean different things;
 * - Python slices `a[:3]`, `a[1:]`, `a[::2]` get explicit `None` bounds
 *   (mathjs would fill in 1-based defaults).
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
  const n = expression.length;
  while (i < n) {
    const c = expression[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && expression[j] !== c) j += expression[j] === '\\' ? 2 : 1;
      if (j >= n) expressionFault(`unterminated text starting at character ${i + 1}`);
      out += expression.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(expression[j]!)) j++;
      out += expression.slice(i, j);
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expression[i + 1] ?? ''))) {
      const m = NUMBER.exec(expression.slice(i, i + 400));
      const text = m?.[0] ?? c;
      const isFloat = !/^0[xXbBoO]/.test(text) && /[.eE]/.test(text);
      literals.push({ value: Number(text), isFloat });
      out += text;
      i += text.length;
      continue;
    }
    if (c === '*' && expression[i + 1] === '*') {
      out += ' .^ ';
      i += 2;
      continue;
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
      const prev = out.trimEnd().at(-1);
      if (prev === '[' || prev === ',' || prev === ':') out += 'None';
      out += ':';
      const next = expression.slice(i + 1).trimStart()[0];
      if (next === ']' || next === ',' || next === ':') out += 'None';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return { text: out, literals };
}
