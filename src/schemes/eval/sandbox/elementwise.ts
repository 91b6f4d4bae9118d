/**
 * Element-wise operators on arrays, in the sandbox's own loops (counted by
 * the meter, so an evaluation can be stopped between rows) instead of
 * mathjs's matrix functions (which run to the end once called): each pair of
 * elements is combined by the same mathjs function on the two scalars, so
 * results are those mathjs gives on the arrays, and two numbers take a path
 * computing exactly what mathjs's `number, number` signature computes
 * (`nearlyEqual` with the instance's tolerances for comparisons), without
 * its dispatch.
 *
 * @module
 */
import type { MathJsInstance } from 'mathjs';
import { checkBroadcast, zipWith } from './arrays.js';
import { SLOW_LEAF } from './meter.js';
import type { RuntimeContext } from './runtime-context.js';

/** mathjs's `nearlyEqual` for numbers (utils/number.js), with the tolerances of its config. */
export function nearlyEqual(a: number, b: number, relTol: number, absTol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(relTol * Math.max(Math.abs(a), Math.abs(b)), absTol);
}

/** The operators with a number path, by the mathjs function they stand for. */
export type NumberOp = (x: number, y: number) => number | boolean;

/** The number paths of the mathjs functions that have one (`mathjs name` → what its `number, number` signature computes). */
export function numberOps(math: MathJsInstance): Readonly<Record<string, NumberOp>> {
  const config = (math.config as unknown as () => { relTol?: number; absTol?: number; epsilon?: number })();
  const rel = config.relTol ?? config.epsilon ?? 1e-12;
  const abs = config.absTol ?? 1e-15;
  const eq = (x: number, y: number) => nearlyEqual(x, y, rel, abs);
  return {
    add: (x, y) => x + y,
    subtract: (x, y) => x - y,
    dotMultiply: (x, y) => x * y,
    dotDivide: (x, y) => x / y,
    equal: eq,
    unequal: (x, y) => !eq(x, y),
    smaller: (x, y) => x < y && !eq(x, y),
    larger: (x, y) => x > y && !eq(x, y),
    smallerEq: (x, y) => x <= y || eq(x, y),
    largerEq: (x, y) => x >= y || eq(x, y),
    and: (x, y) => !!(x && y),
    or: (x, y) => !!(x || y),
    xor: (x, y) => !!x !== !!y,
  };
}

/**
 * The element-wise operator for mathjs function `name` (`what` names it in
 * messages): scalars go to mathjs as before; arrays are checked against the
 * element limit, then combined pair by pair in counted loops.
 */
export function elementwise(
  ctx: RuntimeContext,
  ops: Readonly<Record<string, NumberOp>>,
  name: string,
  what: string,
  /** A faster path for arrays (e.g. of quantities in one unit), or undefined when it does not apply. */
  arrays?: (a: unknown, b: unknown) => unknown,
): (a: unknown, b: unknown) => unknown {
  const m = ctx.math as unknown as Record<string, (x: unknown, y: unknown) => unknown>;
  const f = m[name]!;
  const meter = ctx.meter;
  const max = ctx.limits.maxElements;
  const fast = Object.hasOwn(ops, name) ? ops[name] : undefined;
  const slow = (x: unknown, y: unknown): unknown => {
    meter.tick(SLOW_LEAF);
    return f(x, y);
  };
  const leaf =
    fast === undefined
      ? slow
      : (x: unknown, y: unknown): unknown =>
          typeof x === 'number' && typeof y === 'number' ? fast(x, y) : slow(x, y);
  return (a, b) => {
    checkBroadcast(a, b, max, what);
    if (!Array.isArray(a) && !Array.isArray(b)) return f(a, b);
    if (arrays !== undefined) {
      const r = arrays(a, b);
      if (r !== undefined) return r;
    }
    return zipWith(a, b, leaf, meter);
  };
}
