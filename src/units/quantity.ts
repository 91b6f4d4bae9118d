/**
 * The one unit-carrying value type of tk-core: a magnitude (a number or a
 * nested array of numbers) with units. Units are read by tk-core's own
 * engine after pint, the units library of Taurus (unit-registry.ts: the
 * names, symbols and factors of unit-table.ts, SI prefixes, products,
 * quotients and powers); units it does not know (`counts`, `ADU`, ...) are kept as
 * opaque labels: they display, they compare equal to themselves, and they
 * never throw on the display path. Temperatures follow Taurus (pint):
 * `degC`, `°C` are absolute temperatures, `delta_degC` a difference
 * (temperature.ts).
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import {
  arrayLimit,
  formatMagnitude,
  INSPECT_CUSTOM,
  type InspectOptions,
  stylize,
} from '../util/inspect.js';
import { factorOf, isDimensionless, KELVIN, sameDimension, scaler, type UnitMeaning } from './dimension.js';
import { type TemperatureUnit, temperatureConverter, temperatureUnit } from './temperature.js';
import { expressionMeaning } from './unit-registry.js';

/** A number or a (nested) array of numbers. */
export type Magnitude = number | readonly Magnitude[];

/** The JSON form of a {@link Quantity}. */
export interface QuantityJSON<M extends Magnitude = Magnitude> {
  /** The magnitude. */
  magnitude: M;
  /** The units (`''` when dimensionless). */
  units: string;
}

/** What tk-core knows about a unit string. */
interface UnitInfo {
  /** What the units mean, or null when they are an opaque label. */
  readonly meaning: UnitMeaning | null;
  /** The temperature unit, when the units are one (`degC`, `K`, `delta_degF`...): converted as pint does. */
  readonly temperature: TemperatureUnit | undefined;
}

const UNIT_CACHE_LIMIT = 2048;

/**
 * Longest unit text handed to a unit parser (tk-core's, mathjs's). Longer
 * texts are opaque labels here and refused inside eval expressions, so no
 * parser ever sees more than this many characters, whatever an OLDB client
 * or a URI sends (mathjs's backtracks on some long inputs; tk-core's is
 * linear, and the bound keeps its caches small).
 */
export const MAX_UNIT_TEXT = 256;

/** A number at the start of a text: `12`, `-1.5`, `.5`, `3e-2` (no `$` anchor: linear). */
const NUMBER_PREFIX = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;

/** `text`, cut to an excerpt when long (for error details). */
function clip(text: string): string {
  return text.length <= EXCERPT ? text : `${text.slice(0, EXCERPT)}…`;
}

/** Characters of outside text quoted in a message. */
const EXCERPT = 60;

/** `"abc"`, or `"abc…" (100002 characters)` for a long text. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, EXCERPT))}… (${text.length} characters)`;
}
const unitCache = new Map<string, UnitInfo>();
const converterCache = new Map<string, (value: number) => number>();

function unitInfo(units: string): UnitInfo {
  let info = unitCache.get(units);
  if (info === undefined) {
    let temperature = temperatureUnit(units);
    // a temperature inside a compound unit (degC/s) is a difference, as in pint (unit-registry.ts)
    const meaning =
      units !== '' && units.length <= MAX_UNIT_TEXT && temperature === undefined
        ? (expressionMeaning(units) ?? null)
        : null;
    // kelvins however written (nK, kiloK, K*m/m) convert to and from degC as K does
    if (meaning?.d.every((x, i) => x === (i === KELVIN ? 1 : 0)))
      temperature = { scale: factorOf(meaning), offset: 0, delta: false, name: units };
    info = { meaning, temperature };
    if (unitCache.size >= UNIT_CACHE_LIMIT) unitCache.clear();
    unitCache.set(units, info);
  }
  return info;
}

/** Error raised when units are incompatible or unknown for a conversion. */
export class UnitError extends TkError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UNIT_MISMATCH', message, { details });
  }
}

/** Whether tk-core understands `units` (otherwise they are an opaque label). */
export function isKnownUnit(units: string): boolean {
  if (units === '') return true;
  const info = unitInfo(units);
  return info.meaning !== null || info.temperature !== undefined;
}

/**
 * Whether values in `from` can be converted to `to`: the same dimensions,
 * as pint decides (`''` goes with any dimensionless unit: `%`, `rad`,
 * `m/km`). Identical strings are always compatible; opaque labels only with
 * themselves.
 */
export function areUnitsCompatible(from: string, to: string): boolean {
  if (from === to) return true;
  const ia = unitInfo(from);
  const ib = unitInfo(to);
  if (ia.temperature !== undefined || ib.temperature !== undefined) {
    return ia.temperature !== undefined && ib.temperature !== undefined;
  }
  const a = ia.meaning;
  const b = ib.meaning;
  if (from === '' || to === '') {
    // a plain number goes with dimensionless units (%, rad, ppm), as in pint
    const other = from === '' ? b : a;
    return other !== null && isDimensionless(other);
  }
  return a !== null && b !== null && sameDimension(a, b);
}

function converter(from: string, to: string): (value: number) => number {
  const key = `${from}\u0000${to}`;
  let fn = converterCache.get(key);
  if (fn === undefined) {
    if (!areUnitsCompatible(from, to)) {
      throw new UnitError(
        `Cannot convert from ${from === '' ? 'a dimensionless value' : excerpt(from)} to ${to === '' ? 'a dimensionless value' : excerpt(to)}: the units are not compatible`,
        { from: clip(from), to: clip(to) },
      );
    }
    const a = unitInfo(from);
    const b = unitInfo(to);
    if (from === to) fn = (v) => v;
    else if (a.temperature !== undefined && b.temperature !== undefined)
      fn = temperatureConverter(a.temperature, b.temperature);
    else fn = scaler(a.meaning ?? ONE, b.meaning ?? ONE);
    if (converterCache.size >= UNIT_CACHE_LIMIT) converterCache.clear();
    converterCache.set(key, fn);
  }
  return fn;
}

/** The meaning of `''`: a plain number. */
const ONE: UnitMeaning = { f: 1, e: 0, d: [0, 0, 0, 0, 0, 0, 0] };

function mapMagnitude(m: Magnitude, fn: (v: number) => number): Magnitude {
  return typeof m === 'number' ? fn(m) : m.map((x) => mapMagnitude(x, fn));
}

/**
 * An immutable magnitude with units.
 *
 * @example
 * ```ts
 * const q = Quantity.parse('12.5 mm');
 * q.to('m').magnitude; // 0.0125
 * String(Quantity.of(3, 'counts')); // "3 counts" (an opaque label)
 * ```
 */
export class Quantity<M extends Magnitude = Magnitude> {
  /** The number (or nested array of numbers). */
  readonly magnitude: M;
  /** The units, as given; `''` means dimensionless. */
  readonly units: string;

  /**
   * Prefer {@link Quantity.of}. Quantities are immutable by type (readonly
   * fields); they are not frozen at run time, because freezing costs more than
   * the rest of a reading's construction on the update path.
   */
  constructor(magnitude: M, units = '') {
    this.magnitude = magnitude;
    this.units = units === '' || !hasOuterSpace(units) ? units : units.trim();
  }

  /** A quantity of `magnitude` in `units` (dimensionless by default). */
  static of<M extends Magnitude>(magnitude: M, units = ''): Quantity<M> {
    return new Quantity(magnitude, units);
  }

  /**
   * Parses `"12.5 mm"`, `"12.5mm"`, `"-3e-2 V"` or a bare number. Throws a
   * {@link UnitError} naming the input when it is not a number with optional units.
   */
  static parse(text: string): Quantity<number> {
    // linear whatever the text: a number anchored at the start (no backtracking across the rest),
    // then the rest trimmed (a lazy group before trailing spaces was quadratic in the spaces)
    const body = text.trim();
    const m = NUMBER_PREFIX.exec(body);
    if (m === null) {
      throw new UnitError(
        `Cannot read ${excerpt(text)} as a quantity: expected a number optionally followed by units, e.g. "12.5 mm"`,
        { input: clip(text) },
      );
    }
    return new Quantity(Number(m[0]), body.slice(m[0].length).trim());
  }

  /** Whether `value` is a {@link Quantity} (of this build or another copy of tk-core). */
  static isQuantity(value: unknown): value is Quantity {
    return (
      value instanceof Quantity ||
      (typeof value === 'object' &&
        value !== null &&
        (value as { [QUANTITY_BRAND]?: unknown })[QUANTITY_BRAND] === true)
    );
  }

  /** True when the quantity has no units. */
  get isDimensionless(): boolean {
    return this.units === '';
  }

  /** Whether the units are known to tk-core (otherwise an opaque label). */
  get hasKnownUnits(): boolean {
    return isKnownUnit(this.units);
  }

  /** Whether this quantity can be converted to `units`. */
  isCompatible(units: string): boolean {
    return areUnitsCompatible(this.units, units.trim());
  }

  /** The same quantity in other units. Throws {@link UnitError} when incompatible. */
  to(units: string): Quantity<M> {
    const target = units.trim();
    if (target === this.units) return this;
    const fn = converter(this.units, target);
    return new Quantity(mapMagnitude(this.magnitude, fn) as M, target);
  }

  /** Equal magnitudes and identical units. */
  equals(other: Quantity): boolean {
    return this.units === other.units && sameMagnitude(this.magnitude, other.magnitude);
  }

  /** `"12.5 mm"`, or `"12.5"` when dimensionless. */
  toString(): string {
    const m = formatMagnitude(this.magnitude);
    return this.units === '' ? m : `${m} ${this.units}`;
  }

  /**
   * How Node's `util.inspect` and `console.log` show it: `Quantity<12.5 mm>`,
   * `Quantity<[1, 2, 3] V>`, `Quantity<0.5>` when dimensionless; arrays
   * longer than the `maxArrayLength` option (100 by default) are cut.
   */
  [INSPECT_CUSTOM](_depth?: number, options?: InspectOptions): string {
    const m = formatMagnitude(this.magnitude, arrayLimit(options));
    return `Quantity<${stylize(options, this.units === '' ? m : `${m} ${this.units}`, 'number')}>`;
  }

  /** `{ magnitude, units }`. */
  toJSON(): QuantityJSON<M> {
    return { magnitude: this.magnitude, units: this.units };
  }

  /** The magnitude when the quantity is used as a number. */
  valueOf(): M {
    return this.magnitude;
  }
}

const QUANTITY_BRAND = Symbol.for('tk-core.Quantity');
Object.defineProperty(Quantity.prototype, QUANTITY_BRAND, { value: true });

function hasOuterSpace(s: string): boolean {
  return s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32;
}

/** Structural equality of two magnitudes (NaN equals NaN). */
export function sameMagnitude(a: Magnitude, b: Magnitude): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) || a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameMagnitude(a[i]!, b[i]!)) return false;
  return true;
}
