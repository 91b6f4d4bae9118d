/**
 * Readings: one immutable object per update, carrying the read value, the
 * set-point, the time, the quality and the error, if any.
 *
 * @module
 */
import type { TkError } from '../errors/tk-error.js';
import { type Magnitude, Quantity } from '../units/quantity.js';
import { DataFormat, DataType, Quality } from './enums.js';
import { ReadingObject } from './reading-object.js';

/**
 * One update of an attribute. Immutable: all subscribers of an attribute
 * share one reading object per update, so a reading (and its Quantity) must
 * never be changed; copy it (`{ ...reading, rvalue }`) instead. The types
 * say so (readonly fields); readings are not frozen at run time, because
 * `Object.freeze` costs about as much as the rest of building a reading on
 * the update path (the manager option `freezeReadings` freezes them, for
 * tests).
 *
 * `T` is the type of the values (see `AttributeModel`): `Reading<Quantity>`
 * from an `Attribute<Quantity>`. The readings the core builds print
 * readably: `String(reading)` gives `12.5 mm (VALID)` and Node's
 * `util.inspect` (so `console.log`) gives
 * `Reading { rvalue: Quantity<12.5 mm>, quality: VALID, time: 2026-12-07T14:00:00.000Z }`.
 */
export interface Reading<T = unknown> {
  /** The read value: a {@link Quantity} for numbers (dimensionless when there are no units), else the value. */
  readonly rvalue: T;
  /** The last written (set-point) value, when the backend has one. */
  readonly wvalue?: T | undefined;
  /** Time of the value, in milliseconds since the epoch. */
  readonly time: number;
  /** Taurus quality. INVALID when `error` is set. */
  readonly quality: Quality;
  /** Why the value could not be had; the stream goes on. */
  readonly error?: TkError | undefined;
}

/** What a scheme pushes: a value with optional time, quality and set-point. The core builds the {@link Reading}. */
export interface ReadingInit<T = unknown> {
  /** The value: numbers, arrays of numbers, Quantities, strings, booleans, bytes, objects. */
  readonly rvalue: T;
  /** The set-point, if any. */
  readonly wvalue?: T | undefined;
  /** Time of the value (ms since the epoch); the manager's clock when absent. */
  readonly time?: number | undefined;
  /** Quality; VALID when absent (INVALID when `error` is set). */
  readonly quality?: Quality | undefined;
  /** An error: the reading is then INVALID. */
  readonly error?: TkError | undefined;
}

/** Builds a {@link Reading}, normalizing numbers to Quantities in `units`. */
export function createReading<T>(init: ReadingInit<T>, now: number, units?: string): Reading {
  const r = new ReadingObject(
    normalizeValue(init.rvalue, units),
    init.time ?? now,
    init.error !== undefined ? Quality.INVALID : (init.quality ?? Quality.VALID),
  );
  if (init.wvalue !== undefined) r.wvalue = normalizeValue(init.wvalue, units);
  if (init.error !== undefined) r.error = init.error;
  return r;
}

/** A reading with no value and an error: quality INVALID. */
export function errorReading(error: TkError, now: number, previous?: Reading): Reading {
  const r = new ReadingObject<unknown>(previous?.rvalue ?? null, now, Quality.INVALID);
  r.error = error;
  return r;
}

function isNumericArray(v: unknown): v is Magnitude {
  if (!Array.isArray(v)) return false;
  if (v.length === 0) return false;
  const first = v[0];
  if (typeof first === 'number') {
    for (const x of v) if (typeof x !== 'number') return false;
    return true;
  }
  for (const x of v) if (!isNumericArray(x)) return false;
  return true;
}

/** Numbers and numeric arrays become Quantities in `units`; typed arrays become plain arrays; the rest is unchanged. */
export function normalizeValue(value: unknown, units = ''): unknown {
  if (typeof value === 'number') return new Quantity(value, units);
  if (Quantity.isQuantity(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof Uint8Array) && !(value instanceof DataView)) {
    return new Quantity(Array.from(value as unknown as ArrayLike<number>), units);
  }
  if (isNumericArray(value)) return new Quantity(value, units);
  return value;
}

function depth(v: unknown): number {
  let d = 0;
  let x = v;
  while (Array.isArray(x)) {
    d++;
    x = x[0];
  }
  return d;
}

/** The Taurus data type of a value: numbers are Integer when every element is an integer, else Float. */
export function dataTypeOf(value: unknown): DataType {
  const v = Quantity.isQuantity(value) ? value.magnitude : value;
  let leaf: unknown = v;
  while (Array.isArray(leaf) && leaf.length > 0) leaf = leaf[0];
  if (typeof leaf === 'number') return allIntegers(v as Magnitude) ? DataType.Integer : DataType.Float;
  if (typeof leaf === 'bigint') return DataType.Integer;
  if (typeof leaf === 'string') return DataType.String;
  if (typeof leaf === 'boolean') return DataType.Boolean;
  if (leaf instanceof Uint8Array) return DataType.Bytes;
  return DataType.Object;
}

function allIntegers(m: Magnitude): boolean {
  return typeof m === 'number' ? Number.isInteger(m) : m.every(allIntegers);
}

/** The Taurus data format (scalar, spectrum, image) of a value. */
export function dataFormatOf(value: unknown): DataFormat {
  const v = Quantity.isQuantity(value) ? value.magnitude : value;
  const d = depth(v);
  return d === 0 ? DataFormat.Scalar : d === 1 ? DataFormat.Spectrum : DataFormat.Image;
}
