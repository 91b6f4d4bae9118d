/**
 * From OLDB datapoints to tk-core attributes: qualities, configuration and readings.
 *
 * Quality: the worst of the OLDB quality and the limit state wins —
 * BAD → INVALID; beyond the alarm limits → ALARM; SUSPECT or beyond the
 * warning limits → WARNING; otherwise VALID.
 *
 * @module
 */

import { DataFormat, DataType, Quality } from '../../core/enums.js';
import type { ReadingInit } from '../../core/reading.js';
import { type LimitState, limitState } from '../../oldb-store/limits.js';
import {
  OLDB_METADATA_FIELDS,
  type OldbLimits,
  type OldbMetadata,
  type OldbQuality,
  type OldbSample,
  type OldbType,
} from '../../oldb-store/types.js';
import { elementType, isArrayType, isNumericType } from '../../oldb-store/values.js';
import { Quantity } from '../../units/quantity.js';
import type { AttributeConfig, Limits } from '../contract.js';

/**
 * The Taurus quality of an OLDB quality under a limit state (`'normal'`, the
 * default, for the OLDB quality alone: OK → VALID, SUSPECT → WARNING,
 * BAD → INVALID). The one mapping: the scheme's readings and `tk oldb`'s
 * colours both use it.
 */
export function taurusQuality(quality: OldbQuality, state: LimitState = 'normal'): Quality {
  if (quality === 'BAD') return Quality.INVALID;
  if (state === 'alarm') return Quality.ALARM;
  if (quality === 'SUSPECT' || state === 'warning') return Quality.WARNING;
  return Quality.VALID;
}

const DATA_TYPES: Record<string, DataType> = {
  double: DataType.Float,
  integer: DataType.Integer,
  boolean: DataType.Boolean,
  string: DataType.String,
};

function limits(l: OldbLimits | undefined): Limits {
  return [l?.[0] ?? undefined, l?.[1] ?? undefined];
}

/** The `extra` of each OLDB type: one frozen object per type, shared (a cold panel builds none per datapoint). */
const EXTRAS = new Map<OldbType, Readonly<{ oldbType: OldbType }>>();

function extraOf(type: OldbType): Readonly<{ oldbType: OldbType }> {
  let extra = EXTRAS.get(type);
  if (extra === undefined) {
    extra = Object.freeze({ oldbType: type });
    if (EXTRAS.size < 64) EXTRAS.set(type, extra); // the types are a small known set; bounded all the same
  }
  return extra;
}

/** The attribute configuration of a datapoint. */
export function configOf(type: OldbType, md: OldbMetadata, simpleName: string): Partial<AttributeConfig> {
  return {
    label: md.label ?? simpleName,
    description: md.description ?? '',
    writable: md.writable ?? true,
    type: DATA_TYPES[elementType(type)],
    dataFormat: isArrayType(type) ? DataFormat.Spectrum : DataFormat.Scalar,
    units: isNumericType(type) ? (md.units ?? '') : '',
    range: limits(md.range),
    alarms: limits(md.alarms),
    warnings: limits(md.warnings),
    format: md.format,
    extra: extraOf(type),
  };
}

/** The reading of a sample: numbers become Quantities in the datapoint's units. */
export function readingOf(type: OldbType, md: OldbMetadata, sample: OldbSample): ReadingInit {
  const rvalue = isNumericType(type)
    ? Quantity.of(sample.value as number | number[], md.units ?? '')
    : sample.value;
  return {
    rvalue,
    time: sample.timestamp,
    quality: taurusQuality(sample.quality, limitState(sample.value, md)),
  };
}

/** Whether two metadata objects say the same (limits compared by their numbers). */
export function sameMetadata(a: OldbMetadata, b: OldbMetadata): boolean {
  if (a === b) return true;
  for (const f of OLDB_METADATA_FIELDS) {
    const x = a[f];
    const y = b[f];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}
