/**
 * The declared table of fragments. A fragment is resolved by looking its
 * name up here (plus the fragments a scheme adds), then applying safe steps
 * (`.magnitude`, `.units`, indices and slices): never by evaluating text, so
 * `#constructor` or `#__proto__` are errors, not doors.
 *
 * @module
 */

import type { Limits } from '../core/config.js';
import type { DataFormat, DataType, Quality } from '../core/enums.js';
import type { FragmentGetter, FragmentView } from '../core/fragment-view.js';
import { dataFormatOf, dataTypeOf } from '../core/reading.js';
import { type Magnitude, Quantity } from '../units/quantity.js';

/** The standard fragments and the type of their values. */
export interface StandardFragments {
  /** The simple name. */
  name: string;
  /** The full name. */
  fullname: string;
  /** The normal name. */
  normalname: string;
  /** The label. */
  label: string;
  /** The description. */
  description: string;
  /** Whether the attribute can be written. */
  writable: boolean;
  /** The value type. */
  type: DataType | undefined;
  /** The value shape (scalar, spectrum, image). */
  data_format: DataFormat | undefined;
  /** The configured units. */
  units: string;
  /** The display range. */
  range: Limits;
  /** The alarm limits. */
  alarms: Limits;
  /** The warning limits. */
  warnings: Limits;
  /** The alarm limits (the seed document's spelling). */
  alarm: Limits;
  /** The warning limits (the seed document's spelling). */
  warning: Limits;
  /** A display format hint. */
  format: string | undefined;
  /** The read value (undefined when the reading is an error). */
  rvalue: unknown;
  /** The set-point. */
  wvalue: unknown;
  /** Time of the latest reading (ms since the epoch). */
  time: number | undefined;
  /** Quality of the latest reading. */
  quality: Quality | undefined;
  /** Message of the latest reading's error. */
  error: string | undefined;
  /** Units of the read value. */
  'rvalue.units': string | undefined;
  /** Magnitude of the read value. */
  'rvalue.magnitude': Magnitude | undefined;
  /** Quality of the latest reading. */
  'rvalue.quality': Quality | undefined;
  /** Time of the latest reading. */
  'rvalue.timestamp': number | undefined;
  /** Units of the set-point. */
  'wvalue.units': string | undefined;
  /** Magnitude of the set-point. */
  'wvalue.magnitude': Magnitude | undefined;
}

/** Name of a standard fragment. */
export type StandardFragmentName = keyof StandardFragments;

const unitsOf = (v: unknown) => (Quantity.isQuantity(v) ? v.units : undefined);
const magnitudeOf = (v: unknown) => (Quantity.isQuantity(v) ? v.magnitude : undefined);
const readValue = (view: FragmentView) => (view.reading?.error ? undefined : view.reading?.rvalue);

/** The standard fragment table. */
export const STANDARD_FRAGMENTS: Readonly<Record<StandardFragmentName, FragmentGetter>> = Object.freeze({
  name: (v) => v.names.simpleName,
  fullname: (v) => v.names.fullName,
  normalname: (v) => v.names.normalName,
  label: (v) => v.config.label,
  description: (v) => v.config.description,
  writable: (v) => v.config.writable,
  type: (v) => v.config.type ?? (readValue(v) !== undefined ? dataTypeOf(readValue(v)) : undefined),
  data_format: (v) =>
    v.config.dataFormat ?? (readValue(v) !== undefined ? dataFormatOf(readValue(v)) : undefined),
  units: (v) => v.config.units,
  range: (v) => v.config.range,
  alarms: (v) => v.config.alarms,
  warnings: (v) => v.config.warnings,
  alarm: (v) => v.config.alarms,
  warning: (v) => v.config.warnings,
  format: (v) => v.config.format,
  rvalue: (v) => readValue(v),
  wvalue: (v) => v.reading?.wvalue,
  time: (v) => v.reading?.time,
  quality: (v) => v.reading?.quality,
  error: (v) => v.reading?.error?.message,
  'rvalue.units': (v) => unitsOf(readValue(v)) ?? (readValue(v) !== undefined ? undefined : v.config.units),
  'rvalue.magnitude': (v) => magnitudeOf(readValue(v)),
  'rvalue.quality': (v) => v.reading?.quality,
  'rvalue.timestamp': (v) => v.reading?.time,
  'wvalue.units': (v) => unitsOf(v.reading?.wvalue),
  'wvalue.magnitude': (v) => magnitudeOf(v.reading?.wvalue),
});

/**
 * Fragments answered without a read once the attribute is open: its names and
 * the descriptive metadata every scheme sets when it opens a source.
 */
export const READING_FREE_FRAGMENTS: ReadonlySet<string> = new Set([
  'name',
  'fullname',
  'normalname',
  'label',
  'description',
]);
