/**
 * The runtime functions that work on packed arrays of quantities
 * ({@link PackedUnits}) with numbers: `+`, `-`, `*`, `/`, the comparisons,
 * `sum`, `mean`, `max`, `min`, `.to()` and `.magnitude`. Each computes the
 * unit of its result once, with mathjs, from the first elements, and each
 * value as mathjs computes it from the elements' values (a sum of the
 * normalized values, a product, a comparison with mathjs's tolerances, one
 * offset added by a conversion between absolute temperatures), in one loop
 * over numbers. What it does not handle (absolute temperatures and their
 * differences, which follow pint's rules; mixed units; arrays of other
 * shapes) it hands to the function it replaces, the packed arrays unpacked
 * into mathjs Units. Every other runtime function receives packed arrays
 * unpacked, so none of them needs to know about them.
 *
 * @module
 */
import type { Unit } from 'mathjs';
import { numberOps } from './elementwise.js';
import { expressionFault } from './errors.js';
import type { Meter } from './meter.js';
import { isPacked, PackedUnits } from './packed.js';
import { isUnit, type RuntimeContext, type RuntimeFunction } from './runtime-context.js';
import { unitLeaf } from './unit-arrays.js';

type U = Unit & {
  value: number;
  fixPrefix: boolean;
  _isDerived(): boolean;
  _normalize(x: number): number;
  _denormalize(x: number): number;
};

/** Elements between two reports to the meter. */
const CHUNK = 4096;

/** The mathjs Units of a packed array, one per element, sharing its unit (what unit-arrays.ts builds). */
export function unpack(p: PackedUnits, meter: Meter): Unit[] {
  const { proto, data, scale } = p;
  const n = data.length;
  const out = new Array<Unit>(n);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    for (let i = start; i < end; i++) out[i] = unitLeaf(proto, data[i]! * scale);
    meter.tick(4 * (end - start));
  }
  return out;
}

/** Whether a unit has an absolute temperature or a temperature difference among its parts (pint's rules). */
function isSpecial(u: Unit): boolean {
  for (const part of u.units) {
    const unit = part.unit as { offset?: number; name: string };
    if (unit.offset !== 0 || unit.name.startsWith('deltadeg')) return true;
  }
  return false;
}

/** One operand of a packed operation: values `data[i * stride] * scale`, and its first element. */
interface Side {
  readonly data: readonly number[];
  readonly scale: number;
  /** 1 for an array, 0 for a scalar (its one value repeated). */
  readonly stride: 0 | 1;
  readonly first: unknown;
  readonly isUnit: boolean;
}

function sideOf(v: unknown): Side | undefined {
  if (typeof v === 'number') return { data: [v], scale: 1, stride: 0, first: v, isUnit: false };
  if (isPacked(v)) {
    if (v.length === 0 || isSpecial(v.proto)) return undefined;
    return {
      data: v.data,
      scale: v.scale,
      stride: 1,
      first: unitLeaf(v.proto, v.valueAt(0)),
      isUnit: true,
    };
  }
  if (isUnit(v) && typeof v.value === 'number' && !isSpecial(v))
    return { data: [v.value], scale: 1, stride: 0, first: v, isUnit: true };
  return undefined;
}

/** The length of a result of `a` and `b` (at least one packed), or -1 when they do not broadcast. */
function lengthOf(a: Side, b: Side): number {
  if (a.stride === 1 && b.stride === 1) return a.data.length === b.data.length ? a.data.length : -1;
  return a.stride === 1 ? a.data.length : b.data.length;
}

const ADD = 0;
const SUBTRACT = 1;
const MULTIPLY = 2;
const DIVIDE = 3;

/** The values `op(a[i], b[i])` of two sides, in loops over numbers reported to `meter`. */
function combine(op: number, a: Side, b: Side, n: number, meter: Meter): number[] {
  const out = new Array<number>(n);
  const { data: ad, scale: as, stride: ai } = a;
  const { data: bd, scale: bs, stride: bi } = b;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    if (op === ADD) for (let i = start; i < end; i++) out[i] = ad[i * ai]! * as + bd[i * bi]! * bs;
    else if (op === SUBTRACT) for (let i = start; i < end; i++) out[i] = ad[i * ai]! * as - bd[i * bi]! * bs;
    else if (op === MULTIPLY)
      for (let i = start; i < end; i++) out[i] = ad[i * ai]! * as * (bd[i * bi]! * bs);
    else for (let i = start; i < end; i++) out[i] = (ad[i * ai]! * as) / (bd[i * bi]! * bs);
    meter.tick(end - start);
  }
  return out;
}

/** Replaces the functions of `runtime` that handle packed arrays, and unpacks them for every other one. */
export function installPackedOps(runtime: Record<string, RuntimeFunction>, ctx: RuntimeContext): void {
  const m = ctx.math;
  const meter = ctx.meter;
  const numbers = numberOps(m);
  const open = (v: unknown): unknown => (isPacked(v) ? unpack(v, meter) : v);
  const original = { ...runtime };

  /** `f` with packed arguments unpacked (without copying the arguments when none is packed). */
  const unpacking = (f: RuntimeFunction): RuntimeFunction =>
    function (this: unknown) {
      // biome-ignore lint/complexity/noArguments: apply(arguments) is what engines pass on without a copy
      const args = arguments;
      for (let k = 0; k < args.length; k++) {
        if (isPacked(args[k])) return f(...Array.prototype.map.call(args, open));
      }
      return f.apply(this, args as unknown as unknown[]);
    };
  for (const name of Object.keys(runtime)) runtime[name] = unpacking(original[name]!);

  /** A binary operator: `fast` on packed operands it handles, else the original on unpacked ones. */
  const binary = (name: string, fast: (a: unknown, b: unknown) => unknown): void => {
    const f = original[name]!;
    runtime[name] = (a: unknown, b: unknown) => {
      if (!isPacked(a) && !isPacked(b)) return f(a, b);
      const r = fast(a, b);
      return r !== undefined ? r : f(open(a), open(b));
    };
  };

  const addOrSubtract = (op: number) => (a: unknown, b: unknown) => {
    const sa = sideOf(a);
    const sb = sideOf(b);
    if (sa === undefined || sb === undefined || !sa.isUnit || !sb.isUnit) return undefined;
    if (!(sa.first as Unit).equalBase(sb.first as Unit)) return undefined;
    const n = lengthOf(sa, sb);
    if (n < 0) return undefined;
    // mathjs: a copy of x's unit, values added, prefix free
    const proto = (sa.first as Unit).clone() as U;
    proto.fixPrefix = false;
    return new PackedUnits(proto, combine(op, sa, sb, n, meter), 1);
  };
  const multiplyOrDivide =
    (op: number, mathOp: (x: never, y: never) => unknown) => (a: unknown, b: unknown) => {
      const sa = sideOf(a);
      const sb = sideOf(b);
      if (sa === undefined || sb === undefined) return undefined;
      const n = lengthOf(sa, sb);
      if (n < 0) return undefined;
      if (op === DIVIDE) {
        for (let i = 0; i < sb.data.length; i++)
          if (sb.data[i]! * sb.scale === 0) expressionFault('division by zero');
      }
      const proto = mathOp(sa.first as never, sb.first as never);
      if (!isUnit(proto)) return undefined;
      return new PackedUnits(proto, combine(op, sa, sb, n, meter), 1);
    };
  binary('tk_add', addOrSubtract(ADD));
  binary('tk_sub', addOrSubtract(SUBTRACT));
  binary('tk_mul', multiplyOrDivide(MULTIPLY, m.dotMultiply as never));
  binary('tk_div', multiplyOrDivide(DIVIDE, m.dotDivide as never));

  const comparison = (test: (x: number, y: number) => number | boolean) => (a: unknown, b: unknown) => {
    const sa = sideOf(a);
    const sb = sideOf(b);
    if (sa === undefined || sb === undefined || !sa.isUnit || !sb.isUnit) return undefined;
    if (!(sa.first as Unit).equalBase(sb.first as Unit)) return undefined;
    const n = lengthOf(sa, sb);
    if (n < 0) return undefined;
    const out = new Array<boolean>(n);
    const { data: ad, scale: as, stride: ai } = sa;
    const { data: bd, scale: bs, stride: bi } = sb;
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      for (let i = start; i < end; i++) out[i] = test(ad[i * ai]! * as, bd[i * bi]! * bs) as boolean;
      meter.tick(end - start);
    }
    return out;
  };
  binary('tk_lt', comparison(numbers.smaller!));
  binary('tk_gt', comparison(numbers.larger!));
  binary('tk_le', comparison(numbers.smallerEq!));
  binary('tk_ge', comparison(numbers.largerEq!));
  binary('tk_eq', comparison(numbers.equal!));
  binary('tk_ne', comparison(numbers.unequal!));

  /** A function of one packed array: `fast` when it handles it, else the original on the unpacked array. */
  const reduction = (names: readonly string[], fast: (p: PackedUnits) => unknown): void => {
    for (const name of names) {
      const f = original[name];
      if (f === undefined) continue;
      const unpacked = unpacking(f);
      runtime[name] = function (this: unknown) {
        // biome-ignore lint/complexity/noArguments: passed on without a copy
        const args = arguments;
        const x = args[0];
        if (args.length === 1 && isPacked(x) && x.length > 0 && !isSpecial(x.proto)) {
          const r = fast(x);
          if (r !== undefined) return r;
        }
        return unpacked.apply(this, args as unknown as unknown[]);
      };
    }
  };
  /** mathjs's sum of the elements: the first one's unit, values added in order, prefix free. */
  const sum = (p: PackedUnits): Unit => {
    const { data, scale } = p;
    const n = data.length;
    const first = unitLeaf(p.proto, data[0]! * scale);
    if (n === 1) return first;
    let s = data[0]! * scale;
    for (let start = 1; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      for (let i = start; i < end; i++) s += data[i]! * scale;
      meter.tick(end - start);
    }
    const res = first.clone() as U;
    res.value = s;
    res.fixPrefix = false;
    return res;
  };
  reduction(['tk_fn_sum', 'tk_method_sum'], sum);
  reduction(['tk_fn_mean', 'tk_fn_average', 'tk_method_mean'], (p) => m.divide(sum(p) as never, p.length));
  const extreme = (test: (x: number, y: number) => number | boolean) => (p: PackedUnits) => {
    const { data, scale } = p;
    let best = 0;
    let bestValue = data[0]! * scale;
    for (let start = 1; start < data.length; start += CHUNK) {
      const end = Math.min(data.length, start + CHUNK);
      for (let i = start; i < end; i++) {
        const v = data[i]! * scale;
        if (test(v, bestValue)) {
          best = i;
          bestValue = v;
        }
      }
      meter.tick(end - start);
    }
    return unitLeaf(p.proto, data[best]! * scale);
  };
  reduction(['tk_fn_max', 'tk_method_max'], extreme(numbers.larger!));
  reduction(['tk_fn_min', 'tk_method_min'], extreme(numbers.smaller!));

  // x.to(units): the unit converted once; the values kept, or moved by one offset (absolute temperatures)
  const to = original.tk_method_to!;
  runtime.tk_method_to = (x: unknown, units: unknown) => {
    if (!isPacked(x) || x.length === 0 || typeof units !== 'string') return to(open(x), units);
    const target = ctx.bridge.mathUnits(units.trim());
    const first = unitLeaf(x.proto, x.valueAt(0)) as U;
    const converted = m.to(first as never, target as never) as unknown as U;
    if (
      first._isDerived() ||
      first.units.length === 0 ||
      converted.units.length === 0 ||
      first.units[0]!.unit.offset === converted.units[0]!.unit.offset
    ) {
      return new PackedUnits(converted, x.data, x.scale);
    }
    // as mathjs's Unit.to: one offset added to each value; mathjs computes it (with fractions) for 0
    const delta = (m.to(unitLeaf(x.proto, 0) as never, target as never) as unknown as U).value;
    const { data, scale } = x;
    const out = new Array<number>(data.length);
    for (let start = 0; start < data.length; start += CHUNK) {
      const end = Math.min(data.length, start + CHUNK);
      for (let i = start; i < end; i++) out[i] = data[i]! * scale + delta;
      meter.tick(end - start);
    }
    return new PackedUnits(converted, out, 1);
  };

  const prop = original.tk_prop!;
  runtime.tk_prop = (x: unknown, name: string) => {
    if (isPacked(x) && (name === 'magnitude' || name === 'm')) {
      const first = unitLeaf(x.proto, x.valueAt(0));
      const mags = packedMagnitudes(x, ctx.bridge.simplify(first).formatUnits(), meter);
      if (mags !== undefined) return mags;
    }
    return prop(open(x), name);
  };
}

/**
 * The numbers of a packed array in `units` (what `toNumeric(units)` gives
 * each element; `''`: the normalized values), or undefined when a
 * conversion would move values (absolute temperatures: the caller unpacks).
 */
export function packedMagnitudes(p: PackedUnits, units: string, meter: Meter): number[] | undefined {
  const { data, scale } = p;
  const n = data.length;
  if (n === 0) return [];
  if (isSpecialOffset(p.proto)) return undefined;
  let divisor = 1;
  let target: U | undefined;
  if (units !== '') {
    target = unitLeaf(p.proto, data[0]! * scale).to(units) as U;
    if (target.units.length === 0) target = undefined;
    else if (target.units.length === 1) {
      // _denormalize(v) divides by what _normalize(1) multiplies by
      divisor = target._normalize(1);
      target = undefined;
    }
  }
  if (target === undefined && divisor === 1 && scale === 1) return data as number[];
  const out = new Array<number>(n);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    if (target !== undefined)
      for (let i = start; i < end; i++) out[i] = target._denormalize(data[i]! * scale);
    else for (let i = start; i < end; i++) out[i] = (data[i]! * scale) / divisor;
    meter.tick((target !== undefined ? 16 : 1) * (end - start));
  }
  return out;
}

/** Whether a unit's first part has an offset (an absolute temperature): its conversions move values. */
function isSpecialOffset(u: Unit): boolean {
  for (const part of u.units) if ((part.unit as { offset?: number }).offset !== 0) return true;
  return false;
}
