/**
 * What a chart can draw of a reading's value: a number for a trend, an array
 * of numbers for a plot, both in the units the curve started with. Booleans
 * draw as 0 and 1 (as Taurus's trends do). Anything else is a problem that
 * names what the value is and what would be drawable.
 *
 * @module
 */
import { Quantity } from '../../units/quantity.js';

/** A value that cannot be drawn, and why (`problem`), or undefined when it can. */
export interface Drawable<T> {
  /** The drawable value (numbers in `units`), when there is one. */
  readonly value: T | undefined;
  /** Units of the value (`''` for none). */
  readonly units: string;
  /** Why the value cannot be drawn. */
  readonly problem: string | undefined;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'no value';
  if (Array.isArray(v)) return Array.isArray(v[0]) ? 'an image (a 2-D array)' : 'an array';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'string') return 'text';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function inUnits(
  q: Quantity,
  units: string | undefined,
): { magnitude: unknown; units: string; problem?: string } {
  if (units === undefined || q.units === units) return { magnitude: q.magnitude, units: q.units };
  try {
    return { magnitude: q.to(units).magnitude, units };
  } catch {
    return {
      magnitude: undefined,
      units,
      problem: `its units changed from ${units === '' ? 'none' : `"${units}"`} to ${q.units === '' ? 'none' : `"${q.units}"`}, which do not convert: start a new chart`,
    };
  }
}

/**
 * The number a trend draws for `value`: a Quantity's magnitude (converted
 * to `units` when given), a number, or a boolean as 0/1.
 */
export function scalarOf(value: unknown, units?: string): Drawable<number> {
  let v = value;
  let u = units ?? '';
  if (Quantity.isQuantity(v)) {
    const c = inUnits(v, units);
    if (c.problem !== undefined) return { value: undefined, units: c.units, problem: c.problem };
    v = c.magnitude;
    u = c.units;
  }
  if (typeof v === 'number') return { value: v, units: u, problem: undefined };
  if (typeof v === 'boolean') return { value: v ? 1 : 0, units: u, problem: undefined };
  return {
    value: undefined,
    units: u,
    problem: `the value is ${kindOf(v)}, not a number: a trend draws numbers and booleans${Array.isArray(v) ? ' (use a plot for arrays)' : ''}`,
  };
}

/** What {@link arrayInto} copied. */
export interface ArrayCopy {
  /** Values copied into the target. */
  readonly count: number;
  /** Length of the array given (more than `count` when it did not fit). */
  readonly total: number;
  /** Units of the values copied. */
  readonly units: string;
  /** Why nothing was copied, or undefined. */
  readonly problem: string | undefined;
}

/**
 * The numbers a plot draws for `value` (a 1-D array of numbers or booleans,
 * possibly a Quantity), copied into `into` from index 0; returns how many
 * were copied, or a problem (then nothing was copied). Copies at most
 * `into.length` values.
 */
export function arrayInto(value: unknown, into: Float64Array, units?: string): ArrayCopy {
  let v = value;
  let u = units ?? '';
  if (Quantity.isQuantity(v)) {
    const c = inUnits(v, units);
    if (c.problem !== undefined) return { count: 0, total: 0, units: c.units, problem: c.problem };
    v = c.magnitude;
    u = c.units;
  }
  const isTyped = ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof Uint8Array);
  if (!Array.isArray(v) && !isTyped) {
    return {
      count: 0,
      total: 0,
      units: u,
      problem: `the value is ${kindOf(v)}, not an array of numbers: a plot draws 1-D arrays (use a trend for numbers)`,
    };
  }
  const a = v as ArrayLike<unknown>;
  const n = Math.min(a.length, into.length);
  // checked before anything is copied: a refused array leaves `into` as it was
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (typeof x !== 'number' && typeof x !== 'boolean') {
      return {
        count: 0,
        total: a.length,
        units: u,
        problem: `element ${i} of the array is ${kindOf(x)}: a plot draws 1-D arrays of numbers${Array.isArray(x) ? ' (an image is not a plot)' : ''}`,
      };
    }
  }
  for (let i = 0; i < n; i++) {
    const x = a[i];
    into[i] = typeof x === 'number' ? x : x ? 1 : 0;
  }
  return { count: n, total: a.length, units: u, problem: undefined };
}
