/**
 * How operators treat quantities beyond what mathjs does by itself:
 *
 * - an operation on incompatible units fails with a message naming both
 *   units (`cannot add "m" and "s"`), not mathjs's "Units do not match";
 * - absolute temperatures (`degC`, `degF`: offset units) follow pint's rules,
 *   as Taurus does: two of them compare by their kelvins; subtracting two
 *   gives a difference (`delta_degC`); a difference added to one gives an
 *   absolute temperature; adding two, multiplying, dividing or raising one
 *   to a power is ambiguous and refused; `abs()` and `-` act on the
 *   magnitude (`abs(Q(-1,"degC"))` is `1 degC`). mathjs 15 keeps offsets out
 *   of a unit's value, so its own comparisons and sums ignore them.
 *
 * @module
 */
import type { Unit } from 'mathjs';
import { someLeaf, zipWith } from './arrays.js';
import { expressionFault } from './errors.js';
import { isUnit, kindOf, type RuntimeContext } from './runtime-context.js';

/** mathjs's messages for operands whose units (or kinds) do not fit together. */
const MISMATCH = /Units do not match|Cannot compare units|Unexpected type of argument/;

/** The mathjs difference unit of each absolute temperature unit with an offset. */
const DELTA_OF: Readonly<Record<string, string>> = {
  degC: 'deltadegC',
  celsius: 'deltadegC',
  degF: 'deltadegF',
  fahrenheit: 'deltadegF',
};

/** The parts of a mathjs Unit the rules read. */
type Parts = ReadonlyArray<{
  readonly unit: { readonly name: string; readonly offset: number };
  readonly prefix: { readonly name?: string };
  readonly power: number;
}>;

function partsOf(u: Unit): Parts {
  return u.units as unknown as Parts;
}

/** The first leaf of a (nested) array, or the value itself. */
export function firstLeaf(x: unknown): unknown {
  let v = x;
  while (Array.isArray(v) && v.length > 0) v = v[0];
  return v;
}

/** An absolute temperature with an offset: one part, power 1, `degC` or `degF` (pint's non-multiplicative units). */
export function isAbsoluteTemperature(x: unknown): boolean {
  if (!isUnit(x)) return false;
  const parts = partsOf(x);
  return parts.length === 1 && parts[0]!.power === 1 && parts[0]!.unit.offset !== 0;
}

/** A quantity with a temperature difference among its units (pint's `delta_` units). */
function hasDelta(x: unknown): boolean {
  return isUnit(x) && partsOf(x).some((p) => p.unit.name.startsWith('deltadeg'));
}

/**
 * Whether a leaf has a unit with an offset (degC, degF) or a temperature
 * difference among its parts: the cheap per-leaf test that decides whether
 * pint's rules apply (a compound with degC passes it too; the rules then
 * leave it to mathjs, as before).
 */
function isSpecial(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const parts = (x as { units?: unknown }).units;
  if (!Array.isArray(parts)) return false;
  for (let i = 0; i < parts.length; i++) {
    const u = (parts[i] as Parts[number]).unit;
    if (u.offset !== 0 || u.name.startsWith('deltadeg')) return true;
  }
  return false;
}

/** Unit-aware helpers of one sandbox's operators and functions. */
export interface UnitOperations {
  /**
   * Runs `op` (a mathjs operation on `a` and `b`); when it fails because the
   * units do not fit, fails instead with an expression fault naming both
   * operands' units and the operation (`verb`: "add", "compare"...).
   */
  guard<T>(verb: string, a: unknown, b: unknown, op: () => T): T;
  /** `"m"`, `a dimensionless quantity`, `a plain number`... (for messages). */
  describe(x: unknown): string;
  /** Whether `a` or `b` holds an absolute temperature or a temperature difference (pint's rules apply). */
  involvesTemperature(a: unknown, b?: unknown): boolean;
  /** `a + b` or `a - b` by pint's rules for offset units (element-wise; shapes checked by the caller). */
  addSub(op: 'add' | 'subtract', a: unknown, b: unknown): unknown;
  /** Refuses an operation that pint finds ambiguous for an absolute temperature (`*`, `/`, `**`, `%`, `sqrt`). */
  refuseAbsolute(verb: string, a: unknown, b?: unknown): void;
  /** A comparison by kelvins (element-wise) when an absolute temperature is involved. */
  compare(
    fn: 'equal' | 'unequal' | 'smaller' | 'larger' | 'smallerEq' | 'largerEq',
    a: unknown,
    b: unknown,
  ): unknown;
  /** `abs()` of one quantity: of its magnitude, in its own units (also for `degC`). */
  abs(u: Unit): unknown;
  /** The mean of the leaves, all absolute temperatures: in the first one's units. */
  meanOfTemperatures(leaves: readonly unknown[], fn: string): unknown;
}

/** Builds the unit helpers of one sandbox. */
export function createUnitOperations(ctx: RuntimeContext): UnitOperations {
  const m = ctx.math;
  const describe = (x: unknown): string => {
    const leaf = firstLeaf(x);
    if (isUnit(leaf)) {
      const units = ctx.bridge.tkUnits(leaf);
      return units === '' ? 'a dimensionless quantity' : JSON.stringify(units);
    }
    const kind = kindOf(leaf);
    return kind === 'number' || kind === 'boolean' ? 'a plain number' : `a ${kind}`;
  };
  const guard = <T>(verb: string, a: unknown, b: unknown, op: () => T): T => {
    try {
      return op();
    } catch (err) {
      if (
        err instanceof Error &&
        MISMATCH.test(err.message) &&
        (isUnit(firstLeaf(a)) || isUnit(firstLeaf(b)))
      ) {
        return expressionFault(`cannot ${verb} ${describe(a)} and ${describe(b)}: incompatible units`);
      }
      throw err;
    }
  };
  /** The mathjs name (with prefix) of a one-part unit. */
  const nameOf = (u: Unit): string => {
    const p = partsOf(u)[0]!;
    return `${p.prefix.name ?? ''}${p.unit.name}`;
  };
  /** The magnitude of `u` in its own units. */
  const own = (u: Unit): number => u.toNumeric() as number;
  /** The magnitude of `u` in the mathjs units `name`. */
  const inUnits = (u: Unit, name: string): number => (m.to(u, name) as Unit).toNumeric() as number;
  const deltaOf = (u: Unit, verb: string, other: unknown): string => {
    return DELTA_OF[partsOf(u)[0]!.unit.name] ?? ambiguous(verb, u, other);
  };
  const ambiguous = (verb: string, a: unknown, b: unknown): never =>
    expressionFault(
      `cannot ${verb} ${describe(a)} and ${describe(b)}: the operation is ambiguous with an absolute temperature (an offset unit, as in pint); convert to K first, or use a difference (delta_degC, delta_degF)`,
    );
  const sameKind = (verb: string, a: Unit, b: unknown): Unit => {
    if (!isUnit(b) || !a.equalBase(b)) {
      return expressionFault(`cannot ${verb} ${describe(a)} and ${describe(b)}: incompatible units`);
    }
    return b;
  };

  /** pint's Quantity._add_sub for two scalars, one of them an absolute temperature or a difference. */
  const addSubScalar = (op: 'add' | 'subtract', x: unknown, y: unknown): unknown => {
    if (!isUnit(x)) {
      if (!isUnit(y)) return guard(op, x, y, () => m[op](x as never, y as never));
      return expressionFault(`cannot ${op} ${describe(x)} and ${describe(y)}: incompatible units`);
    }
    const a = x;
    const b = sameKind(op, a, y);
    const f = op === 'add' ? (p: number, q: number) => p + q : (p: number, q: number) => p - q;
    const aAbs = isAbsoluteTemperature(a);
    const bAbs = isAbsoluteTemperature(b);
    if (!aAbs && !bAbs) {
      // multiplicative units: when only `a` is a difference, `b` gives the result's units
      if (hasDelta(a) && !hasDelta(b)) return m[op](m.to(a, b.formatUnits()) as never, b as never);
      return m[op](a as never, b as never);
    }
    if (op === 'subtract' && aAbs && !hasDelta(b)) {
      return m.unit(f(own(a), inUnits(b, nameOf(a))), deltaOf(a, op, b));
    }
    if (op === 'subtract' && bAbs && !hasDelta(a)) {
      const units = a.formatUnits();
      return m.unit(f(own(a), inUnits(b, units)), units);
    }
    if (aAbs && hasDelta(b)) return m.unit(f(own(a), inUnits(b, deltaOf(a, op, b))), nameOf(a));
    if (bAbs && hasDelta(a)) return m.unit(f(inUnits(a, deltaOf(b, op, a)), own(b)), nameOf(b));
    return ambiguous(op, a, b);
  };

  /** Kelvins of a temperature (absolute ones with their offset). */
  const kelvins = (u: Unit): number => inUnits(u, 'K');
  /** Exact comparisons of kelvins, as Python (pint) compares them. */
  const COMPARE: Record<string, (p: number, q: number) => boolean> = {
    equal: (p, q) => p === q,
    unequal: (p, q) => p !== q,
    smaller: (p, q) => p < q,
    larger: (p, q) => p > q,
    smallerEq: (p, q) => p <= q,
    largerEq: (p, q) => p >= q,
  };

  return {
    guard,
    describe,
    involvesTemperature(a: unknown, b?: unknown): boolean {
      if (!isUnit(firstLeaf(a)) && !isUnit(firstLeaf(b))) return false;
      return someLeaf(a, isSpecial) || (b !== undefined && someLeaf(b, isSpecial));
    },
    addSub(op, a, b) {
      return zipWith(a, b, (x, y) => addSubScalar(op, x, y), ctx.meter);
    },
    refuseAbsolute(verb, a, b) {
      if (someLeaf(a, isAbsoluteTemperature) || (b !== undefined && someLeaf(b, isAbsoluteTemperature))) {
        ambiguous(verb, a, b);
      }
    },
    compare(fn, a, b) {
      return zipWith(
        a,
        b,
        (x, y) => {
          if (!isAbsoluteTemperature(x) && !isAbsoluteTemperature(y)) {
            return guard('compare', x, y, () => m[fn](x as never, y as never));
          }
          if (!isUnit(x) || !isUnit(y) || !x.equalBase(y)) {
            return expressionFault(`cannot compare ${describe(x)} and ${describe(y)}: incompatible units`);
          }
          return COMPARE[fn]!(kelvins(x), kelvins(y));
        },
        ctx.meter,
      );
    },
    abs(u) {
      if (!isAbsoluteTemperature(u)) return m.abs(u);
      const r = u.clone() as Unit & { value: number };
      r.value = Math.abs(r.value);
      return r;
    },
    meanOfTemperatures(leaves, fn) {
      const first = leaves[0] as Unit;
      const name = nameOf(first);
      let total = 0;
      for (const x of leaves) total += inUnits(sameKind(fn, first, x), name);
      return m.unit(total / leaves.length, name);
    },
  };
}
