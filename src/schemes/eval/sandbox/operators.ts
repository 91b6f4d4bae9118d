/**
 * The operators of eval expressions, as guarded functions: numbers take a
 * fast path; arrays are checked against the size limit before mathjs
 * combines them (element-wise, as numpy does: `*` and `/` are element-wise,
 * `**` is element-wise power); a division or modulo by zero is an error
 * rather than an infinity.
 *
 * @module
 */
import { checkBroadcast, checkElements, elementsOf, mapLeaves, shapeOf, someLeaf } from './arrays.js';
import { elementwise, numberOps } from './elementwise.js';
import { expressionFault } from './errors.js';
import { SLOW_LEAF } from './meter.js';
import { isUnit, kindOf, type RuntimeContext, type RuntimeFunction } from './runtime-context.js';
import { createUnitArrayOps } from './unit-arrays.js';
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

/**
 * An array literal's value: its items, counted against `maxElements`, and
 * refused when they differ in shape (a ragged array: numpy refuses them too).
 * Every array inside the sandbox is rectangular, so the shape read along
 * first elements, which sizes every result, is the true shape.
 */
function arrayLiteral(items: unknown[], maxElements: number): unknown[] {
  if (items.length === 0) return items;
  const first = shapeOf(items[0]);
  checkElements(elementsOf(items[0]) * items.length, maxElements, 'an array literal');
  for (let k = 1; k < items.length; k++) {
    const shape = shapeOf(items[k]);
    if (shape.length !== first.length || shape.some((d, i) => d !== first[i])) {
      expressionFault(
        `an array literal's items must all have the same shape (item 1 has [${first.join(', ')}], item ${k + 1} has [${shape.join(', ')}]): ragged arrays are not allowed`,
      );
    }
  }
  return items;
}

/** How each mathjs function treats absolute temperatures: pint's rule for sums and comparisons, or a refusal. */
const TEMPERATURE_RULES: Readonly<
  Record<
    string,
    'add' | 'subtract' | 'refuse' | 'equal' | 'unequal' | 'smaller' | 'larger' | 'smallerEq' | 'largerEq'
  >
> = {
  add: 'add',
  subtract: 'subtract',
  equal: 'equal',
  unequal: 'unequal',
  smaller: 'smaller',
  larger: 'larger',
  smallerEq: 'smallerEq',
  largerEq: 'largerEq',
  dotMultiply: 'refuse',
  dotDivide: 'refuse',
  dotPow: 'refuse',
  mod: 'refuse',
};

/** The verbs of refused operations, for messages. */
const REFUSED_VERBS: Readonly<Record<string, string>> = {
  dotMultiply: 'multiply',
  dotDivide: 'divide',
  dotPow: 'take the power of',
  mod: 'take the modulo of',
};

/** Builds the guarded operator functions of one sandbox. */
export function createOperators(ctx: RuntimeContext): Record<string, RuntimeFunction> {
  const m = ctx.math;
  const ops: Record<string, RuntimeFunction> = {};
  const max = ctx.limits.maxElements;
  const meter = ctx.meter;
  const numbers = numberOps(m);
  const units = createUnitOperations(ctx);
  /**
   * mathjs function `name` on scalars, element-wise in counted loops on
   * arrays; with a `verb`, a unit mismatch fails naming both units.
   */
  const unitArrays = createUnitArrayOps(meter);
  const each = (name: string, what: string, verb?: string, arrays?: (a: unknown, b: unknown) => unknown) => {
    const f = elementwise(ctx, numbers, name, what, arrays);
    const g = verb === undefined ? f : (a: unknown, b: unknown) => units.guard(verb, a, b, () => f(a, b));
    // absolute temperatures and differences follow pint's rules (unit-operations.ts)
    const rule = TEMPERATURE_RULES[name];
    if (rule === undefined) return g;
    return (a: unknown, b: unknown): unknown => {
      if (!units.involvesTemperature(a, b)) return g(a, b);
      checkBroadcast(a, b, max, what);
      if (rule === 'add' || rule === 'subtract') return units.addSub(rule, a, b);
      if (rule === 'refuse') {
        units.refuseAbsolute(REFUSED_VERBS[name]!, a, b);
        return g(a, b);
      }
      return units.compare(rule, a, b);
    };
  };
  const binary =
    (fast: (a: number, b: number) => unknown, slow: (a: unknown, b: unknown) => unknown) =>
    (a: unknown, b: unknown): unknown => {
      if (typeof a === 'number' && typeof b === 'number') return fast(a, b);
      return slow(a, b);
    };
  const add = each('add', 'addition', 'add', (a, b) => unitArrays.addOrSubtract(a, b, 1));
  const dotMultiply = each('dotMultiply', 'multiplication', undefined, (a, b) =>
    unitArrays.multiplyOrDivide(a, b, 'multiply', (x, y) => m.dotMultiply(x as never, y as never)),
  );
  const dotDivide = each('dotDivide', 'division', undefined, (a, b) =>
    unitArrays.multiplyOrDivide(a, b, 'divide', (x, y) => m.dotDivide(x as never, y as never)),
  );
  const dotDivideFloor = each('dotDivide', 'floor division');
  const mod = each('mod', 'modulo', 'take the modulo of');
  const dotPow = each('dotPow', 'power');
  const equal = each('equal', 'comparison', 'compare');
  const unequal = each('unequal', 'comparison', 'compare');
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
  /** A mathjs function of one scalar, counted. */
  const slowUnary = (f: (x: never) => unknown, x: unknown): unknown => {
    meter.tick(SLOW_LEAF);
    return f(x as never);
  };
  const noZero = (b: unknown, what: string): void => {
    if (someLeaf(b, isZero)) expressionFault(`${what} by zero`);
  };
  return Object.assign(ops, {
    tk_add: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') {
        checkElements(a.length + b.length, max, 'the joined text', 'characters');
        return a + b;
      }
      return add(a, b);
    },
    tk_sub: binary(
      (a, b) => a - b,
      each('subtract', 'subtraction', 'subtract', (a, b) => unitArrays.addOrSubtract(a, b, -1)),
    ),
    tk_mul: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      if (typeof a === 'string') return repeat(a, b, max);
      if (typeof b === 'string') return repeat(b, a, max);
      return dotMultiply(a, b);
    },
    tk_div: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) expressionFault('division by zero');
        return a / b;
      }
      noZero(b, 'division');
      return dotDivide(a, b);
    },
    tk_floordiv: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) expressionFault('floor division by zero');
        return Math.floor(a / b);
      }
      noZero(b, 'floor division');
      return mapLeaves(dotDivideFloor(a, b), floorLeaf, meter);
    },
    tk_mod: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (b === 0) expressionFault('modulo by zero');
        return a - b * Math.floor(a / b);
      }
      noZero(b, 'modulo');
      return mod(a, b);
    },
    tk_pow: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') {
        if (a === 0 && b < 0) expressionFault('zero raised to a negative power (division by zero)');
        return a ** b;
      }
      return dotPow(a, b);
    },
    // an array literal (the sandbox's ArrayNode)
    tk_array: (...items: unknown[]) => arrayLiteral(items, max),
    // a chained comparison evaluated at once (the compiler evaluates it lazily: compiler.ts)
    tk_compare: (fns: readonly string[], ...params: unknown[]) => {
      let result: unknown = true;
      for (let k = 0; k < fns.length; k++) {
        const r = ops[fns[k]!]!(params[k], params[k + 1]);
        result = k === 0 ? r : ops.tk_and!(result, r);
      }
      return result;
    },
    tk_neg: (a: unknown) =>
      typeof a === 'number'
        ? -a
        : Array.isArray(a)
          ? mapLeaves(a, (x) => (typeof x === 'number' ? -x : slowUnary(m.unaryMinus, x)), meter)
          : m.unaryMinus(a as never),
    tk_pos: (a: unknown) =>
      typeof a === 'number'
        ? a
        : Array.isArray(a)
          ? mapLeaves(a, (x) => slowUnary(m.unaryPlus, x), meter)
          : m.unaryPlus(a as never),
    tk_eq: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a === b;
      if (typeof a === 'string' || typeof b === 'string') return a === b;
      return equal(a, b);
    },
    tk_ne: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a !== b;
      if (typeof a === 'string' || typeof b === 'string') return a !== b;
      return unequal(a, b);
    },
    tk_lt: binary((a, b) => a < b, each('smaller', 'comparison', 'compare')),
    tk_gt: binary((a, b) => a > b, each('larger', 'comparison', 'compare')),
    tk_le: binary((a, b) => a <= b, each('smallerEq', 'comparison', 'compare')),
    tk_ge: binary((a, b) => a >= b, each('largerEq', 'comparison', 'compare')),
    tk_and: binary((a, b) => a !== 0 && b !== 0, each('and', 'and')),
    tk_or: binary((a, b) => a !== 0 || b !== 0, each('or', 'or')),
    tk_xor: binary((a, b) => (a !== 0) !== (b !== 0), each('xor', 'xor')),
    tk_not: (a: unknown) =>
      typeof a === 'boolean'
        ? !a
        : typeof a === 'number'
          ? a === 0
          : Array.isArray(a)
            ? mapLeaves(a, (x) => (typeof x === 'number' ? !x : slowUnary(m.not, x)), meter)
            : m.not(a as never),
    tk_bitand: binary((a, b) => m.bitAnd(a, b), each('bitAnd', 'bitwise and')),
    tk_bitor: binary((a, b) => m.bitOr(a, b), each('bitOr', 'bitwise or')),
    tk_bitnot: (a: unknown) =>
      Array.isArray(a) ? mapLeaves(a, (x) => slowUnary(m.bitNot, x), meter) : m.bitNot(a as never),
    tk_lshift: binary((a, b) => m.leftShift(a, b), each('leftShift', 'left shift')),
    tk_rshift: binary((a, b) => m.rightArithShift(a, b), each('rightArithShift', 'right shift')),
  });
}
