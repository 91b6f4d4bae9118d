/**
 * Nested-array helpers of the sandbox: shapes, element counts, numpy-style
 * broadcasting and element-wise maps, each bounded by the sandbox limits;
 * every loop over elements reports its work to the evaluation's meter (its
 * time budget).
 *
 * @module
 */

import { expressionFault, limitFault } from './errors.js';
import type { Meter } from './meter.js';
import { isPacked } from './packed.js';

/**
 * Long rows report their work every `ROW_STEP + 1` elements (so a row of a
 * million costly elements is stopped within it, not after it).
 */
export const ROW_STEP = 4095;

/** The shape of a (nested) array, taken along first elements; `[]` for a scalar. */
export function shapeOf(v: unknown): number[] {
  const shape: number[] = [];
  let x = v;
  while (Array.isArray(x)) {
    shape.push(x.length);
    if (x.length === 0) break;
    x = x[0];
  }
  return shape;
}

/**
 * The shape of a (nested) array when it is rectangular (every row of a level
 * has the same length and every leaf is at the same depth), else null. Unlike
 * {@link shapeOf}, it reads every element: it is how arrays from outside the
 * sandbox (inputs, evaluator symbols) are checked once, so that inside it the
 * shape along first elements is the true shape and element counts taken
 * from it are exact.
 */
export function rectangularShape(v: unknown): number[] | null {
  const shape = shapeOf(v);
  return fits(v, shape, 0) ? shape : null;
}

function fits(v: unknown, shape: readonly number[], dim: number): boolean {
  if (dim === shape.length) return !Array.isArray(v);
  if (!Array.isArray(v) || v.length !== shape[dim]) return false;
  for (const x of v) if (!fits(x, shape, dim + 1)) return false;
  return true;
}

/** The number of elements of a value: 1 for a scalar, the product of the shape for a (rectangular) array. */
export function elementsOf(v: unknown): number {
  return Array.isArray(v) ? sizeOf(shapeOf(v)) : isPacked(v) ? v.length : 1;
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws a limit fault when `count` elements (or characters: `noun`) exceed `max`. */
export function checkElements(count: number, max: number, what: string, noun = 'elements'): void {
  if (!(count <= max)) {
    limitFault(
      `${what} would have ${Number.isFinite(count) ? count : 'too many'} ${noun} (the limit is ${max})`,
    );
  }
}

/** The numpy broadcast shape of two shapes, or null when they are incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Checks that combining `a` and `b` element-wise stays within `max` elements. */
export function checkBroadcast(a: unknown, b: unknown, max: number, what: string): void {
  if (!Array.isArray(a) && !Array.isArray(b)) return;
  const shape = broadcastShape(shapeOf(a), shapeOf(b));
  if (shape === null) {
    expressionFault(
      `${what}: the shapes [${shapeOf(a).join(', ')}] and [${shapeOf(b).join(', ')}] cannot be broadcast together`,
    );
  }
  checkElements(sizeOf(shape), max, `the result of ${what}`);
}

function rankOf(v: unknown): number {
  let r = 0;
  let x = v;
  while (Array.isArray(x)) {
    r++;
    x = x[0];
  }
  return r;
}

/** Applies `f` element-wise to two values with numpy broadcasting (sizes checked by the caller). */
export function zipWith(
  a: unknown,
  b: unknown,
  f: (x: unknown, y: unknown) => unknown,
  meter: Meter,
  weight = 1,
): unknown {
  const rank = Math.max(rankOf(a), rankOf(b));
  return zipRank(a, b, f, rank, meter, weight);
}

function zipRank(
  a: unknown,
  b: unknown,
  f: (x: unknown, y: unknown) => unknown,
  rank: number,
  meter: Meter,
  weight: number,
): unknown {
  if (rank === 0) return f(a, b);
  const ra = rankOf(a);
  const rb = rankOf(b);
  const aa = ra === rank ? (a as unknown[]) : undefined;
  const bb = rb === rank ? (b as unknown[]) : undefined;
  const n = Math.max(
    aa === undefined || aa.length === 1 ? 1 : aa.length,
    bb === undefined || bb.length === 1 ? 1 : bb.length,
  );
  const out = new Array<unknown>(n);
  if (rank === 1) {
    // the innermost rows, in one loop
    for (let i = 0; i < n; i++) {
      const x = aa === undefined ? a : aa.length === 1 ? aa[0] : aa[i];
      const y = bb === undefined ? b : bb.length === 1 ? bb[0] : bb[i];
      out[i] = f(x, y);
      if ((i & ROW_STEP) === ROW_STEP) meter.tick((ROW_STEP + 1) * weight);
    }
    meter.tick((n & ROW_STEP) * weight);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const x = aa === undefined ? a : aa.length === 1 ? aa[0] : aa[i];
    const y = bb === undefined ? b : bb.length === 1 ? bb[0] : bb[i];
    out[i] = zipRank(x, y, f, rank - 1, meter, weight);
  }
  return out;
}

/** Applies `f` to every leaf of a (nested) array, or to a scalar (`weight`: units of work per leaf). */
export function mapLeaves(v: unknown, f: (x: unknown) => unknown, meter: Meter, weight = 1): unknown {
  if (!Array.isArray(v)) return f(v);
  const n = v.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    out[i] = Array.isArray(x) ? mapLeaves(x, f, meter, weight) : f(x);
    if ((i & ROW_STEP) === ROW_STEP) meter.tick((ROW_STEP + 1) * weight);
  }
  meter.tick((n & ROW_STEP) * weight);
  return out;
}

/** The leaves of a (nested) array in order. */
export function flatten(v: unknown, meter: Meter): unknown[] {
  if (!Array.isArray(v)) return [v];
  const out: unknown[] = [];
  const walk = (x: unknown[]): void => {
    for (let i = 0; i < x.length; i++) {
      const y = x[i];
      if (Array.isArray(y)) walk(y);
      else out.push(y);
    }
    meter.tick(x.length);
  };
  walk(v);
  return out;
}

/** Whether any leaf satisfies `p`. */
export function someLeaf(v: unknown, p: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return p(v);
  for (const x of v) if (someLeaf(x, p)) return true;
  return false;
}

/** Builds a nested array of `shape` filled by `fill` (size checked by the caller). */
export function filled(shape: readonly number[], fill: () => unknown, meter: Meter, dim = 0): unknown {
  if (dim === shape.length) return fill();
  const n = shape[dim]!;
  const out = new Array<unknown>(n);
  if (dim === shape.length - 1) {
    for (let i = 0; i < n; i++) {
      out[i] = fill();
      if ((i & ROW_STEP) === ROW_STEP) meter.tick(ROW_STEP + 1);
    }
    meter.tick(n & ROW_STEP);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = filled(shape, fill, meter, dim + 1);
  meter.tick(n);
  return out;
}
