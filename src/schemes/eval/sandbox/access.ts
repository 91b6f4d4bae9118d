/**
 * Indexing, slicing, properties and methods of eval expressions, with
 * Python's meaning: indexes count from 0, negative indexes count from the
 * end, slices `start:stop:step` exclude `stop`.
 *
 * @module
 */
import { checkElements, shapeOf, sizeOf } from './arrays.js';
import { expressionFault } from './errors.js';
import { isUnit, kindOf, type RuntimeContext, type RuntimeFunction } from './runtime-context.js';
import { homogeneousMagnitudes } from './unit-arrays.js';

/** A Python slice, only ever built by the sandbox inside an index. */
export class Slice {
  constructor(
    /** First index, or null. */
    readonly start: number | null,
    /** End index (excluded), or null. */
    readonly stop: number | null,
    /** Step, or null for 1. */
    readonly step: number | null,
  ) {
    Object.freeze(this);
  }
}

function bound(x: unknown, what: string): number | null {
  if (x === null || x === undefined) return null;
  if (typeof x !== 'number' || !Number.isInteger(x))
    expressionFault(`slice ${what} must be an integer, got ${String(x)}`);
  return x;
}

function sliceIndices(s: Slice, length: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) expressionFault('slice step cannot be zero');
  const norm = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const w = v < 0 ? v + length : v;
    return Math.min(Math.max(w, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const a = norm(s.start, 0, 0, length);
    const b = norm(s.stop, length, 0, length);
    for (let i = a; i < b; i += step) out.push(i);
  } else {
    const a = norm(s.start, length - 1, -1, length - 1);
    const b = norm(s.stop, -1, -1, length - 1);
    for (let i = a; i > b; i += step) out.push(i);
  }
  return out;
}

function indexInto(value: unknown, specs: readonly unknown[], k: number): unknown {
  if (k === specs.length) return value;
  const spec = specs[k];
  const isText = typeof value === 'string';
  if (!Array.isArray(value) && !isText) expressionFault(`cannot index ${kindOf(value)} (too many indexes?)`);
  const items = isText ? [...(value as string)] : (value as unknown[]);
  if (spec instanceof Slice) {
    const picked = sliceIndices(spec, items.length).map((i) => indexInto(items[i], specs, k + 1));
    return isText ? picked.join('') : picked;
  }
  if (typeof spec !== 'number' || !Number.isInteger(spec)) {
    return expressionFault(`indexes must be integers, got ${String(spec)}`);
  }
  const i = spec < 0 ? spec + items.length : spec;
  if (i < 0 || i >= items.length) expressionFault(`index ${spec} is out of range for length ${items.length}`);
  return indexInto(items[i], specs, k + 1);
}

/**
 * `x.T`: the rows of a 2-D array as columns. Every row must be as long as the
 * first (the result is sized from it), and the result is counted against
 * `maxElements` before it is built.
 */
function transpose(x: unknown, maxElements: number): unknown {
  const shape = shapeOf(x);
  if (shape.length < 2) return x;
  if (shape.length > 2) expressionFault('.T is only available for 1-D and 2-D arrays');
  const rows = x as unknown[][];
  const width = shape[1]!;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!Array.isArray(r) || r.length !== width) {
      expressionFault(
        `.T needs rows of one length (row 1 has ${width} elements, row ${i + 1} ${Array.isArray(r) ? r.length : 'is not an array'})`,
      );
    }
  }
  checkElements(rows.length * width, maxElements, 'the transpose');
  const out = new Array<unknown[]>(width);
  for (let j = 0; j < width; j++) {
    const col = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) col[i] = rows[i]![j];
    out[j] = col;
  }
  return out;
}

/** Builds the index, slice, property and method functions of one sandbox. */
export function createAccessors(
  ctx: RuntimeContext,
  functions: Record<string, RuntimeFunction>,
): Record<string, RuntimeFunction> {
  const m = ctx.math;
  const magnitude = (x: unknown): unknown => {
    if (isUnit(x)) return ctx.bridge.toQuantity(x).magnitude;
    if (Array.isArray(x) && x.length > 0 && isUnit(x[0])) {
      const units = ctx.bridge.simplify(x[0]).formatUnits();
      const fast = homogeneousMagnitudes(x, units);
      if (fast !== undefined) return fast;
      if (units === '') return (x as unknown[]).map((u) => (isUnit(u) ? magnitude(u) : u));
      return (x as unknown[]).map((u) => (isUnit(u) ? u.toNumeric(units) : magnitude(u)));
    }
    return x;
  };
  return {
    tk_slice: (start: unknown, stop: unknown, step: unknown) =>
      new Slice(bound(start, 'start'), bound(stop, 'stop'), bound(step, 'step')),
    tk_index: (value: unknown, ...specs: unknown[]) => indexInto(value, specs, 0),
    tk_prop: (x: unknown, prop: string) => {
      switch (prop) {
        case 'magnitude':
        case 'm':
          return magnitude(x);
        case 'units': {
          const u = isUnit(x) ? x : Array.isArray(x) && isUnit(x[0]) ? x[0] : undefined;
          return u === undefined ? '' : ctx.bridge.tkUnits(ctx.bridge.simplify(u));
        }
        case 'shape':
          return shapeOf(x);
        case 'size':
          return sizeOf(shapeOf(x));
        case 'ndim':
          return shapeOf(x).length;
        case 'T':
          return transpose(x, ctx.limits.maxElements);
        default:
          return expressionFault(`the property .${prop} is not allowed`);
      }
    },
    tk_method_to: (x: unknown, units: unknown) => {
      if (typeof units !== 'string')
        expressionFault(`.to() expects the units as a text, got ${kindOf(units)}`);
      const target = ctx.bridge.mathUnits(units.trim());
      const conv = (u: unknown): unknown => {
        if (!isUnit(u))
          expressionFault(`.to(${JSON.stringify(units)}) needs a quantity with units, got ${kindOf(u)}`);
        return m.to(u, target);
      };
      return Array.isArray(x) ? x.map(conv) : conv(x);
    },
    tk_method_sum: (x: unknown) => functions.sum!(x),
    tk_method_mean: (x: unknown) => functions.mean!(x),
    tk_method_min: (x: unknown) => functions.min!(x),
    tk_method_max: (x: unknown) => functions.max!(x),
  };
}
