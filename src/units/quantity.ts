/**
 * The one unit-carrying value type of tk-core: a magnitude (a number or a
 * nested array of numbers) with units. Unit arithmetic is done by
 * js-quantities; units it does not know (`counts`, `ADU`, ...) are kept as
 * opaque labels: they display, they compare equal to themselves, and they
 * never throw on the display path. Temperatures follow Taurus (pint):
 * `degC`, `°C` are absolute temperatures, `delta_degC` a difference
 * (temperature.ts).
 *
 * @module
 */
import Qty from 'js-quantities';
import { TkError } from '../errors/tk-error.js';
import {
  arrayLimit,
  formatMagnitude,
  INSPECT_CUSTOM,
  type InspectOptions,
  stylize,
} from '../util/inspect.js';
import {
  jsqCompoundSpelling,
  type TemperatureUnit,
  temperatureConverter,
  temperatureUnit,
} from './temperature.js';

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
  /** js-quantities' parse of `1 <units>`, or null when the units are an opaque label. */
  readonly qty: Qty | null;
  /** The temperature unit, when the units are one (`degC`, `K`, `delta_degF`...): converted as pint does. */
  readonly temperature: TemperatureUnit | undefined;
}

const UNIT_CACHE_LIMIT = 2048;

/**
 * Longest unit text handed to a unit parser (js-quantities, mathjs). Longer
 * texts are opaque labels here and refused inside eval expressions, so no
 * third-party parser ever sees more than this many characters, whatever an
 * OLDB client or a URI sends (their parsers backtrack on some long inputs).
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
    let qty: Qty | null = null;
    const temperature = temperatureUnit(units);
    if (units !== '' && units.length <= MAX_UNIT_TEXT && temperature === undefined) {
      try {
        // a temperature inside a compound unit (degC/s) is a difference, as in pint
        qty = Qty.parse(`1 ${jsqCompoundSpelling(units)}`);
        // js-quantities accepts a leading number inside the unit text ("1 2 m"); refuse such labels.
        if (qty !== null && qty.scalar !== 1) qty = null;
      } catch {
        qty = null;
      }
    }
    info = { qty, temperature };
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

/** Whether js-quantities understands `units` (otherwise they are an opaque label). */
export function isKnownUnit(units: string): boolean {
  if (units === '') return true;
  const info = unitInfo(units);
  return info.qty !== null || info.temperature !== undefined;
}

/** Whether values in `from` can be converted to `to`. Identical strings are always compatible. */
export function areUnitsCompatible(from: string, to: string): boolean {
  if (from === to) return true;
  const ia = unitInfo(from);
  const ib = unitInfo(to);
  if (ia.temperature !== undefined || ib.temperature !== undefined) {
    return ia.temperature !== undefined && ib.temperature !== undefined;
  }
  const a = ia.qty;
  const b = ib.qty;
  if (from === '' || to === '') {
    // a dimensionless value is compatible with dimensionless-kind units (e.g. "%" or "ppm" are not; "" only with "")
    const other = from === '' ? b : a;
    return other?.isUnitless() === true;
  }
  return a !== null && b !== null && a.isCompatible(b);
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
    const tFrom = unitInfo(from).temperature;
    const tTo = unitInfo(to).temperature;
    if (from === to || from === '' || to === '') fn = (v) => v;
    else if (tFrom !== undefined && tTo !== undefined) fn = temperatureConverter(tFrom, tTo);
    else fn = Qty.swiftConverter(unitInfo(from).qty!.units(), unitInfo(to).qty!.units());
    if (converterCache.size >= UNIT_CACHE_LIMIT) converterCache.clear();
    converterCache.set(key, fn);
  }
  return fn;
}

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

  /** Whether the units are known to js-quantities (otherwise an opaque label). */
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
