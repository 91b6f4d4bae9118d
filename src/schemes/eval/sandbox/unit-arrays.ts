/**
 * Arrays of quantities at about the cost of arrays of numbers. An array of
 * quantities inside the sandbox is an array of mathjs Units; built
 * one by one (a `clone()` each) and combined by mathjs's typed functions, a
 * million of them cost seconds. Here the elements of an array in one unit
 * share one prototype: each is `Object.create(proto)` with its own `value`
 * (the normalized value, as in any Unit), so building one costs an object
 * with one field, and every mathjs method still works on it. Arrays whose
 * elements share their unit (the same `units` list, without an offset: absolute
 * temperatures follow pint's rules elsewhere) are *homogeneous*, and
 * the operators below work on them with numbers: the unit of the result is
 * computed once, by mathjs on the first elements, and each element's value
 * is what mathjs computes for it (`x.value + y.value` for an addition,
 * `x.value * y` for a product...). Anything else (mixed units, offsets,
 * values other than numbers) falls back to mathjs, element by element.
 *
 * @module
 */
import type { Unit } from 'mathjs';
import { zipWith } from './arrays.js';
import type { Meter } from './meter.js';
import { isUnit } from './runtime-context.js';

type U = Unit & {
  value: number;
  dimensions: number[];
  fixPrefix: boolean;
  skipAutomaticSimplification: boolean;
  _isDerived(): boolean;
  _denormalize(value: number, prefixValue?: unknown): number;
};

/** A unit of `proto`'s units with value `value` (normalized), sharing `proto`'s fields. */
export function unitLeaf(proto: Unit, value: number): Unit {
  const u = Object.create(proto) as U;
  u.value = value;
  return u;
}

/**
 * The first element of `v` when `v` is a non-empty array whose leaves are all
 * units sharing one `units` list and holding numbers, else undefined.
 */
export function homogeneousUnit(v: unknown): Unit | undefined {
  if (!Array.isArray(v)) return undefined;
  let first: U | undefined;
  let ok = true;
  const walk = (x: unknown[]): void => {
    for (let i = 0; i < x.length && ok; i++) {
      const y = x[i] as U;
      if (Array.isArray(y)) walk(y);
      else if (first === undefined) {
        if (isUnit(y) && typeof y.value === 'number') first = y;
        else ok = false;
      } else if (
        typeof y !== 'object' ||
        y === null ||
        y.units !== first.units ||
        typeof y.value !== 'number'
      )
        ok = false;
    }
  };
  walk(v);
  return ok && first !== undefined && !hasOffset(first) ? first : undefined;
}

/**
 * Whether a unit has a part with an offset (an absolute temperature): those
 * follow pint's rules (unit-operations.ts), never the number paths here.
 */
function hasOffset(u: Unit): boolean {
  for (const part of u.units) if ((part.unit as { offset?: number }).offset !== 0) return true;
  return false;
}

/** What one side of an operation is: numbers (an array or one), one unit, a homogeneous array of units. */
type Side = { kind: 'number' } | { kind: 'unit'; unit: U };

function sideOf(v: unknown): Side | undefined {
  if (typeof v === 'number') return { kind: 'number' };
  if (isUnit(v)) {
    return typeof (v as U).value === 'number' && !hasOffset(v) ? { kind: 'unit', unit: v as U } : undefined;
  }
  if (!Array.isArray(v)) return undefined;
  const u = homogeneousUnit(v);
  if (u !== undefined) return { kind: 'unit', unit: u as U };
  return allNumbers(v) ? { kind: 'number' } : undefined;
}

function allNumbers(v: unknown[]): boolean {
  for (const x of v) if (Array.isArray(x) ? !allNumbers(x) : typeof x !== 'number') return false;
  return true;
}

const numericValue = (x: unknown): number => (typeof x === 'number' ? x : (x as U).value);

/**
 * The operations on homogeneous arrays of units: each returns undefined when
 * its operands are not of the kinds it handles (the caller then goes to
 * mathjs), else the result, built with numbers.
 */
export function createUnitArrayOps(meter: Meter) {
  /** Combines `a` and `b` element-wise into units of `proto` with values `f(x, y)`. */
  const zipInto = (a: unknown, b: unknown, proto: Unit, f: (x: number, y: number) => number) =>
    zipWith(a, b, (x, y) => unitLeaf(proto, f(numericValue(x), numericValue(y))), meter, 4);

  return {
    /** `a + b` or `a - b` of units of one base (mathjs: x's units, values added, `fixPrefix` off). */
    addOrSubtract(a: unknown, b: unknown, sign: 1 | -1): unknown {
      if (!Array.isArray(a) && !Array.isArray(b)) return undefined;
      const sa = sideOf(a);
      const sb = sideOf(b);
      if (sa?.kind !== 'unit' || sb?.kind !== 'unit' || !sa.unit.equalBase(sb.unit)) return undefined;
      const proto = sa.unit.clone() as U;
      proto.fixPrefix = false;
      return sign === 1 ? zipInto(a, b, proto, (x, y) => x + y) : zipInto(a, b, proto, (x, y) => x - y);
    },

    /**
     * `a * b` or `a / b` (element-wise) where one side holds units: the unit
     * of the result is mathjs's product (or quotient) of the first elements;
     * each value is the product (quotient) of the two values, as mathjs's
     * `multiply` and `divide` compute it.
     */
    multiplyOrDivide(
      a: unknown,
      b: unknown,
      op: 'multiply' | 'divide',
      mathOp: (x: Unit | number, y: Unit | number) => unknown,
    ): unknown {
      if (!Array.isArray(a) && !Array.isArray(b)) return undefined;
      const sa = sideOf(a);
      const sb = sideOf(b);
      if (sa === undefined || sb === undefined) return undefined;
      if (sa.kind === 'number' && sb.kind === 'number') return undefined;
      const fa = sa.kind === 'unit' ? sa.unit : firstLeaf(a);
      const fb = sb.kind === 'unit' ? sb.unit : firstLeaf(b);
      if (fa === undefined || fb === undefined) return undefined;
      const proto = mathOp(fa as Unit | number, fb as Unit | number);
      if (!isUnit(proto)) return undefined;
      return op === 'multiply'
        ? zipInto(a, b, proto, (x, y) => x * y)
        : zipInto(a, b, proto, (x, y) => x / y);
    },

    /** The sum of a homogeneous array (mathjs: the first element's units, values added in order). */
    sum(x: unknown): Unit | undefined {
      const u = homogeneousUnit(x) as U | undefined;
      if (u === undefined) return undefined;
      let s = Number.NaN;
      let n = 0;
      const walk = (v: unknown[]): void => {
        for (let i = 0; i < v.length; i++) {
          const y = v[i];
          if (Array.isArray(y)) walk(y);
          else {
            s = n === 0 ? (y as U).value : s + (y as U).value;
            n++;
          }
        }
        meter.tick(v.length);
      };
      walk(x as unknown[]);
      if (n === 1) return u;
      const res = u.clone() as U;
      res.value = s;
      res.fixPrefix = false;
      return res;
    },
  };
}

/**
 * The numbers of a homogeneous array of units in `units` (what
 * `toNumeric(units)` gives each element; `''`: the normalized values, as a
 * dimensionless result gives them), or undefined when `x` is not
 * homogeneous or a conversion would move values (an offset unit converted
 * to another).
 */
export function homogeneousMagnitudes(x: unknown, units: string): unknown {
  const u = homogeneousUnit(x) as U | undefined;
  if (u === undefined) return undefined;
  if (units === '') return mapNumbers(x, (v) => v);
  const target = u.to(units) as U;
  const parts = u.units;
  const keeps =
    u._isDerived() ||
    parts.length === 0 ||
    target.units.length === 0 ||
    parts[0]!.unit.offset === target.units[0]!.unit.offset;
  if (!keeps) return undefined;
  const prefix = (target.units[0]?.prefix as { value?: unknown } | undefined)?.value;
  if (target._isDerived() || target.units.length === 0) return mapNumbers(x, (v) => target._denormalize(v));
  return mapNumbers(x, (v) => target._denormalize(v, prefix));
}

/** Maps the values of the units of a nested array. */
function mapNumbers(x: unknown, f: (v: number) => number): unknown {
  const arr = x as unknown[];
  const out = new Array<unknown>(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const y = arr[i];
    out[i] = Array.isArray(y) ? mapNumbers(y, f) : f((y as U).value);
  }
  return out;
}

function firstLeaf(v: unknown): unknown {
  let x = v;
  while (Array.isArray(x)) x = x[0];
  return x;
}

/** The operations of {@link createUnitArrayOps}. */
export type UnitArrayOps = ReturnType<typeof createUnitArrayOps>;
