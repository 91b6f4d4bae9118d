/**
 * The reductions of eval expressions' arrays: the sum, the mean and the
 * largest or smallest of all the leaves of a (nested) array, each in one
 * loop metered by the sandbox's time budget. Numbers take a plain loop;
 * quantities go through mathjs one leaf at a time, each step counted, and
 * absolute temperatures are refused where pint refuses them.
 *
 * @module
 */
import type { Unit } from 'mathjs';
import { elementsOf, flatten } from './arrays.js';
import { expressionFault } from './errors.js';
import { type Meter, SLOW_LEAF } from './meter.js';
import { isUnit, kindOf, type RuntimeContext } from './runtime-context.js';
import { createUnitArrayOps } from './unit-arrays.js';
import { firstLeaf, isAbsoluteTemperature, type UnitOperations } from './unit-operations.js';

/**
 * The sum of the numbers of a (nested) array, left to right (as a loop over
 * its flattened leaves adds them), or undefined when a leaf is not a number.
 */
function sumNumbers(x: unknown, meter: Meter): number | undefined {
  if (typeof x === 'number') return x;
  if (!Array.isArray(x)) return undefined;
  let s = 0;
  const walk = (v: unknown[]): boolean => {
    for (let i = 0; i < v.length; i++) {
      const y = v[i];
      if (typeof y === 'number') s += y;
      else if (!Array.isArray(y) || !walk(y)) return false;
    }
    meter.tick(v.length);
    return true;
  };
  return walk(x) ? s : undefined;
}

/** The reductions of one sandbox: `units` are its unit operations. */
export interface Reductions {
  /** The sum of the leaves of `x` (`fn` names the function in messages). */
  total(x: unknown, fn: string): unknown;
  /** The largest (`max`) or smallest (`min`) of all the leaves of `args`. */
  extreme(args: unknown[], fn: 'min' | 'max'): unknown;
  /** The mean of the leaves of `x`. */
  mean(x: unknown, fn: string): unknown;
}

/** Builds the reductions of one sandbox. */
export function createReductions(ctx: RuntimeContext, units: UnitOperations): Reductions {
  const m = ctx.math;
  const meter = ctx.meter;
  const unitArrays = createUnitArrayOps(meter);
  /**
   * The sum of the leaves: numbers in one loop; anything else added one leaf
   * at a time with mathjs's `add`, as its `sum` does, each addition counted.
   */
  const total = (x: unknown, fn: string): unknown => {
    const plain = sumNumbers(x, meter);
    if (plain !== undefined) return plain;
    const inOneUnit = unitArrays.sum(x);
    if (inOneUnit !== undefined) return inOneUnit;
    const leaves = flatten(x, meter);
    if (leaves.length === 0) return 0;
    // a sum of absolute temperatures is ambiguous (pint refuses it); their mean is not
    if (leaves.length > 1) units.refuseAbsolute(fn, leaves[0], leaves[1]);
    try {
      let acc = leaves[0];
      for (let i = 1; i < leaves.length; i++) {
        acc = m.add(acc as never, leaves[i] as never);
        meter.tick(SLOW_LEAF);
      }
      return typeof acc === 'string' ? m.number(acc) : acc;
    } catch (err) {
      return expressionFault(`${fn}(): ${(err as Error).message}`);
    }
  };
  /**
   * The largest (`max`) or smallest (`min`) of all the leaves of `args`, in
   * one loop (mathjs's `max(...leaves)` spread them as arguments, and 50,000
   * or more overflowed the stack). Numbers and booleans compare as numbers
   * and a NaN wins, as in mathjs and numpy; quantities compare through
   * mathjs, which raises for incompatible units.
   */
  const extreme = (args: unknown[], fn: 'min' | 'max'): unknown => {
    const leaves = flatten(args, meter);
    if (leaves.length === 0) expressionFault(`${fn}() of an empty array`);
    const sign = fn === 'max' ? 1 : -1;
    const compareUnits = (x: Unit, y: Unit): boolean =>
      units.compare(fn === 'max' ? 'larger' : 'smaller', x, y) as boolean;
    let best = leaves[0];
    let bestIsUnit = isUnit(best);
    if (!bestIsUnit && typeof best !== 'number' && typeof best !== 'boolean') {
      expressionFault(`${fn}() expects numbers or quantities, got ${kindOf(best)}`);
    }
    for (let i = 1; i < leaves.length; i++) {
      if (typeof best === 'number' && Number.isNaN(best)) return best;
      const x = leaves[i];
      const xIsUnit = isUnit(x);
      if (xIsUnit !== bestIsUnit || (!xIsUnit && typeof x !== 'number' && typeof x !== 'boolean')) {
        expressionFault(`${fn}() cannot compare ${kindOf(best)} with ${kindOf(x)}`);
      }
      if (xIsUnit) meter.tick(SLOW_LEAF);
      if (
        xIsUnit
          ? compareUnits(x as Unit, best as Unit)
          : Number.isNaN(x) || sign * (Number(x) - Number(best)) > 0
      ) {
        best = x;
        bestIsUnit = xIsUnit;
      }
    }
    return best;
  };
  /** The mean of the leaves; of absolute temperatures (which cannot be summed), in the first one's units. */
  const mean = (x: unknown, fn: string): unknown => {
    const n = elementsOf(x);
    if (n === 0) expressionFault(`${fn}() of an empty array`);
    const first = firstLeaf(x);
    if (isAbsoluteTemperature(first)) return units.meanOfTemperatures(flatten(x, meter), fn);
    return m.divide(total(x, fn) as never, n) as unknown;
  };
  return { total, extreme, mean };
}
