/**
 * What a unit means: a scale factor to SI base units and a dimension vector,
 * pint's model (`(1 * unit).to_base_units()` and its dimensionality). The
 * factor is kept as `f * 10^e` so SI prefixes scale by exact powers of ten
 * (`12.5 mm` is `0.0125 m`, not `0.012500000000000001 m`).
 *
 * @module
 */

/** Exponents of the seven SI base dimensions: length, mass, time, current, temperature, substance, luminosity. */
export type Dimension = readonly number[];

/** The meaning of a unit: `1 unit = f * 10^e` SI base units of dimension `d`. */
export interface UnitMeaning {
  /** The factor's significand (the part that is not a power of ten). */
  readonly f: number;
  /** The factor's decimal exponent (an integer when the unit is written with integer powers). */
  readonly e: number;
  /** The dimension vector. */
  readonly d: Dimension;
}

/** Index of temperature in a {@link Dimension}. */
export const KELVIN = 4;

/** The meaning of a pure number `f * 10^e` (dimensionless). */
export function scalarMeaning(f: number, e = 0): UnitMeaning {
  return { f, e, d: [0, 0, 0, 0, 0, 0, 0] };
}

/** `a * b^p`: the meaning of a product with `b` raised to `p` (negative `p` divides). */
export function combine(a: UnitMeaning, b: UnitMeaning, p: number): UnitMeaning {
  let f = b.f ** p;
  let e = b.e * p;
  if (!Number.isInteger(e)) {
    f *= 10 ** e;
    e = 0;
  }
  return { f: a.f * f, e: a.e + e, d: a.d.map((x, i) => x + p * b.d[i]!) };
}

/** Whether two meanings have the same dimensions (pint's compatibility). */
export function sameDimension(a: UnitMeaning, b: UnitMeaning): boolean {
  return a.d.every((x, i) => x === b.d[i]);
}

/** Whether a meaning has no dimension (`rad`, `%`, `m/km`). */
export function isDimensionless(a: UnitMeaning): boolean {
  return a.d.every((x) => x === 0);
}

/** The factor of a meaning as one number (SI base units per unit). */
export function factorOf(a: UnitMeaning): number {
  return a.e === 0 ? a.f : a.e > 0 ? a.f * Number(`1e${a.e}`) : a.f / Number(`1e${-a.e}`);
}

/**
 * Multiplies values in unit `from` into unit `to` (same dimension): one
 * multiplication, or one division by an exact power of ten for the prefixes.
 */
export function scaler(from: UnitMeaning, to: UnitMeaning): (value: number) => number {
  const r = from.f / to.f;
  const k = from.e - to.e;
  if (!Number.isInteger(k)) {
    const m = r * 10 ** k;
    return (v) => v * m;
  }
  const p = Number(`1e${Math.abs(k)}`);
  if (r === 1) return k >= 0 ? (v) => v * p : (v) => v / p;
  return k >= 0 ? (v) => v * r * p : (v) => (v * r) / p;
}
