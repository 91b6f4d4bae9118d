/**
 * The arithmetic and comparison operators compiled code computes in place
 * for two numbers, as the guarded operator's own number path does
 * (`operators.ts`): anything else (arrays, quantities, texts, a division by
 * zero) is left to the guarded operator.
 *
 * @module
 */
import type { RuntimeFunction } from './runtime-context.js';

/** Operators computed in place for two numbers; codes of the switch below. */
export const NUMBER_BINARY: Readonly<Record<string, number>> = {
  tk_add: 1,
  tk_sub: 2,
  tk_mul: 3,
  tk_div: 4,
  tk_floordiv: 5,
  tk_mod: 6,
  tk_pow: 7,
  tk_eq: 8,
  tk_ne: 9,
  tk_lt: 10,
  tk_gt: 11,
  tk_le: 12,
  tk_ge: 13,
};

/**
 * The result of binary operator `code` for two numbers, or `undefined` when
 * the guarded operator must decide (a division or modulo by zero, zero to a
 * negative power: it raises the error).
 */
export function numberBinary(code: number, x: number, y: number): number | boolean | undefined {
  switch (code) {
    case 1:
      return x + y;
    case 2:
      return x - y;
    case 3:
      return x * y;
    case 4:
      return y === 0 ? undefined : x / y;
    case 5:
      return y === 0 ? undefined : Math.floor(x / y);
    case 6:
      return y === 0 ? undefined : x - y * Math.floor(x / y);
    case 7:
      return x === 0 && y < 0 ? undefined : x ** y;
    case 8:
      return x === y;
    case 9:
      return x !== y;
    case 10:
      return x < y;
    case 11:
      return x > y;
    case 12:
      return x <= y;
    case 13:
      return x >= y;
    default:
      return undefined;
  }
}

/** `fn(x, y)`, computed in place for two numbers when `code` says how. */
export function apply(fn: RuntimeFunction, code: number | undefined, x: unknown, y: unknown): unknown {
  if (code !== undefined && typeof x === 'number' && typeof y === 'number') {
    const r = numberBinary(code, x, y);
    if (r !== undefined) return r;
  }
  return fn(x, y);
}

/** The code of operator `name` in {@link numberBinary}, or `undefined` when it is not computed in place. */
export function numberCode(name: string): number | undefined {
  return Object.hasOwn(NUMBER_BINARY, name) ? NUMBER_BINARY[name] : undefined;
}
