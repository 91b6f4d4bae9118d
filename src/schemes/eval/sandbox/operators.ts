/**
 * The operators of eval expressions, as guarded functions: numbers take a
 * fast path; arrays are checked against the size limit before mathjs
 * combines them (element-wise, as numpy does: `*` and `/` are element-wise,
 * `**` is element-wise power); a division or modulo by zero is an error
 * rather than an infinity.
 *
 * @module
 */
import { checkBroadcast, checkElements, someLeaf } from './arrays.js';
import { expressionFault } from './errors.js';
import { isUnit, kindOf, type RuntimeContext, type RuntimeFunction } from './runtime-context.js';
import { createUnitOperations } from './unit-operations.js';

/** mathjs operator function names → the sandbox's guarded operator names. */
export const OPERATOR_FUNCTIONS: Readonly<Record<string, string>> = {
  add: 'tk_add',
  subtract: 'tk_sub',
  multiply: 'tk_mul',
  dotMultiply: 'tk_mul',
  divide: 'tk_div',
  // `//` (floor division) is rewritten to mathjs's `./` (a `./` written by a user is refused)
  dotDivide: 'tk_floordiv',
  dotPow: 'tk_pow',
  mod: 'tk_mod',
  unaryMinus: 'tk_neg',
  unaryPlus: 'tk_pos',
  equal: 'tk_eq',
  unequal: 'tk_ne',
  smaller: 'tk_lt',
  larger: 'tk_gt',
  smallerEq: 'tk_le',
  largerEq: 'tk_ge',
  and: 'tk_and',
  or: 'tk_or',
  not: 'tk_not',
  xor: 'tk_xor',
  bitAnd: 'tk_bitand',
  bitOr: 'tk_bitor',
  bitNot: 'tk_bitnot',
  leftShift: 'tk_lshift',
  rightArithShift: 'tk_rshift',
};

function mapLeaves(v: unknown, f: (x: unknown) => unknown): unknown {
  return Array.isArray(v) ? v.map((x) => mapLeaves(x, f)) : f(v);
}

function isZero(x: unknown): boolean {
  if (typeof x === 'number') return x === 0;
  if (typeof x === 'boolean') return !x;
  if (isUnit(x)) return x.value === 0;
  return false;
}

/**
 * Python's repetition of a text (`"ab"*3` and `3*"ab"` are `"ababab"`; a count
 * of zero or less gives `""`), the length counted against `maxElements`
 * before the text is built.
 */
function repeat(text: string, count: unknown, maxElements: number): string {
  const n = typeof count === 'boolean' ? Number(count) : count;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    return expressionFault(
      `a text can only be repeated a whole number of times ("ab"*3), not ${kindOf(count) === 'number' ? String(count) : `by ${kindOf(count)}`}`,
    );
  }
  if (n <= 0 || text.length === 0) return '';
  checkElements(text.length * n, maxElements, `the text repeated ${n} times`, 'characters');
  return text.repeat(n);
}

/** Builds the guarded operator functions of one sandbox. */
export function createOperators(ctx: RuntimeContext): Record<string, RuntimeFunction> {
  const m = ctx.math;
  const ops: Record<string, RuntimeFunction> = {};
  const max = ctx.limits.maxElements;
  const units = createUnitOperations(ctx);
  const binary =
    (what: string, fast: (a: number, b: number) => unknown, slow: (a: unknown, b: unknown) => unknown) =>
    (a: unknown, b: unknown): unknown => {
      if (typeof a === 'number' && typeof b === 'number') return fast(a, b);
      checkBroadcast(a, b, max, what);
      return slow(a, b);
    };
  /** Python's floor of a quotient; a quotient of compatible quantities is a plain number (`7 m // 2 mm` is 3500). */
  const floorLeaf = (v: unknown): unknown => {
    if (typeof v === 'number') return Math.floor(v);
    if (isUnit(v)) {
      const dims = (v as unknown as { dimensions: number[] }).dimensions;
      if (dims.every((d) => d === 0)) return Math.floor(v.value as number);
      return expressionFault(`floor division of incompatible quantities (${v.formatUnits()})`);
    }
    return m.floor(v as never);
  };
  const noZero = (b: unknown, what: string): void => {
    if (someLeaf(b, isZero)) expressionFault(`${what} by zero`);
  };
  return Object.assign(ops, {
    tk_add: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      checkBroadcast(a, b, max, 'addition');
      return units.guard('add', a, b, () => m.add(a as never, b as never));
    },
    tk_sub: binary(
      'subtraction',
      (a, b) => a - b,
      (a, b) => units.guard('subtract', a, b, () => m.subtract(a as never, b as never)),
    ),
    tk_mul: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      if (typeof a === 'string') return repeat(a, b, max);
      if (typeof b === 'string') return repeat(b, a, max);
      checkBroadcast(a, b, max, 'multiplication');
      return m.dotMultiply(a as never, b as never);
    },
    tk_div: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) expressionFault('division by zero');
        return a / b;
      }
      noZero(b, 'division');
      checkBroadcast(a, b, max, 'division');
      return m.dotDivide(a as never, b as never);
    },
    tk_floordiv: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) expressionFault('floor division by zero');
        return Math.floor(a / b);
      }
      noZero(b, 'floor division');
      checkBroadcast(a, b, max, 'floor division');
      return mapLeaves(m.dotDivide(a as never, b as never), floorLeaf);
    },
    tk_mod: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) expressionFault('modulo by zero');
        return a - b * Math.floor(a / b);
      }
      noZero(b, 'modulo');
      checkBroadcast(a, b, max, 'modulo');
      return units.guard('take the modulo of', a, b, () => m.mod(a as never, b as never));
    },
    tk_pow: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (a === 0 && b < 0) expressionFault('zero raised to a negative power (division by zero)');
        return a ** b;
      }
      checkBroadcast(a, b, max, 'power');
      return m.dotPow(a as never, b as never);
    },
    // an array literal (the sandbox's ArrayNode)
    tk_array: (...items: unknown[]) => items,
    // a chained comparison evaluated at once (the compiler evaluates it lazily: compiler.ts)
    tk_compare: (fns: readonly string[], ...params: unknown[]) => {
      let result: unknown = true;
      for (let k = 0; k < fns.length; k++) {
        const r = ops[fns[k]!]!(params[k], params[k + 1]);
        result = k === 0 ? r : ops.tk_and!(result, r);
      }
      return result;
    },
    tk_neg: (a: unknown) => (typeof a === 'number' ? -a : m.unaryMinus(a as never)),
    tk_pos: (a: unknown) => (typeof a === 'number' ? a : m.unaryPlus(a as never)),
    tk_eq: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a === b;
      if (typeof a === 'string' || typeof b === 'string') return a === b;
      checkBroadcast(a, b, max, 'comparison');
      return units.guard('compare', a, b, () => m.equal(a as never, b as never));
    },
    tk_ne: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a !== b;
      if (typeof a === 'string' || typeof b === 'string') return a !== b;
      checkBroadcast(a, b, max, 'comparison');
      return units.guard('compare', a, b, () => m.unequal(a as never, b as never));
    },
    tk_lt: binary(
      'comparison',
      (a, b) => a < b,
      (a, b) => units.guard('compare', a, b, () => m.smaller(a as never, b as never)),
    ),
    tk_gt: binary(
      'comparison',
      (a, b) => a > b,
      (a, b) => units.guard('compare', a, b, () => m.larger(a as never, b as never)),
    ),
    tk_le: binary(
      'comparison',
      (a, b) => a <= b,
      (a, b) => units.guard('compare', a, b, () => m.smallerEq(a as never, b as never)),
    ),
    tk_ge: binary(
      'comparison',
      (a, b) => a >= b,
      (a, b) => units.guard('compare', a, b, () => m.largerEq(a as never, b as never)),
    ),
    tk_and: binary(
      'and',
      (a, b) => a !== 0 && b !== 0,
      (a, b) => m.and(a as never, b as never),
    ),
    tk_or: binary(
      'or',
      (a, b) => a !== 0 || b !== 0,
      (a, b) => m.or(a as never, b as never),
    ),
    tk_xor: binary(
      'xor',
      (a, b) => (a !== 0) !== (b !== 0),
      (a, b) => m.xor(a as never, b as never),
    ),
    tk_not: (a: unknown) =>
      typeof a === 'boolean' ? !a : typeof a === 'number' ? a === 0 : m.not(a as never),
    tk_bitand: binary(
      'bitwise and',
      (a, b) => m.bitAnd(a, b),
      (a, b) => m.bitAnd(a as never, b as never),
    ),
    tk_bitor: binary(
      'bitwise or',
      (a, b) => m.bitOr(a, b),
      (a, b) => m.bitOr(a as never, b as never),
    ),
    tk_bitnot: (a: unknown) => m.bitNot(a as never),
    tk_lshift: binary(
      'left shift',
      (a, b) => m.leftShift(a, b),
      (a, b) => m.leftShift(a as never, b as never),
    ),
    tk_rshift: binary(
      'right shift',
      (a, b) => m.rightArithShift(a, b),
      (a, b) => m.rightArithShift(a as never, b as never),
    ),
  });
}
