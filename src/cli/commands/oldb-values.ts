/**
 * Parsing command-line text into OLDB values and limits.
 *
 * @module
 */

import { WriteError } from '../../errors/tk-error.js';
import type { OldbLimits, OldbMetadata, OldbType, OldbValue } from '../../oldb-store/types.js';
import { isArrayType } from '../../oldb-store/values.js';
import { toStoredValue } from '../../schemes/oldb/write-value.js';
import { Quantity } from '../../units/quantity.js';
import { UsageError } from '../exit-codes.js';

/** Parses `low,high` (either side may be empty: `,100`). */
export function parseLimits(text: string, option: string): OldbLimits {
  const parts = text.split(',');
  const side = (t: string | undefined): number | null => {
    if (t === undefined || t.trim() === '') return null;
    const n = Number(t);
    if (!Number.isFinite(n))
      throw new UsageError(
        `Invalid ${option} ${JSON.stringify(text)}: expected low,high numbers such as 0,100 or ,100`,
      );
    return n;
  };
  if (parts.length !== 2)
    throw new UsageError(
      `Invalid ${option} ${JSON.stringify(text)}: expected low,high such as 0,100 or ,100`,
    );
  const limits: OldbLimits = [side(parts[0]), side(parts[1])];
  if (limits[0] !== null && limits[1] !== null && limits[0] > limits[1]) {
    throw new UsageError(`Invalid ${option} ${JSON.stringify(text)}: the low limit is above the high one`);
  }
  return limits;
}

/**
 * The text of a number as the datapoint is written: a plain number (in the
 * datapoint's units), or a Quantity its units are converted from (by
 * `toStoredValue`, the scheme's conversion).
 */
function numberIn(path: string, text: string, units: string | undefined): number | Quantity<number> {
  const plain = Number(text);
  if (text.trim() !== '' && Number.isFinite(plain)) return plain;
  let q: Quantity<number>;
  try {
    q = Quantity.parse(text);
  } catch {
    throw new UsageError(
      `Invalid value ${JSON.stringify(text)} for ${path}: expected a number${units ? ` in ${units} or compatible units, such as "12 ${units}"` : ''}`,
    );
  }
  return q.units === '' ? q.magnitude : q;
}

/**
 * The value of `type` that `text` stands for; numbers may carry units
 * convertible to the datapoint's. The text is read here (a JSON array, true
 * or false, a number with optional units); the value is converted and checked
 * by the scheme's `toStoredValue` (the range is not enforced: `tk oldb`
 * edits the store as it is).
 */
export function parseOldbValue(
  path: string,
  type: OldbType,
  metadata: OldbMetadata,
  text: string,
): OldbValue {
  let value: unknown;
  if (isArrayType(type)) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new UsageError(
        `Invalid value ${JSON.stringify(text)} for ${path}: it is ${type}, write a JSON array such as '[1, 2, 3]'`,
      );
    }
  } else if (type === 'double' || type === 'integer') value = numberIn(path, text, metadata.units);
  else if (type === 'boolean') {
    const t = text.trim().toLowerCase();
    if (t !== 'true' && t !== 'false')
      throw new UsageError(
        `Invalid value ${JSON.stringify(text)} for ${path}: it is boolean, write true or false`,
      );
    value = t === 'true';
  } else value = text;
  try {
    return toStoredValue(path, type, metadata, value, { range: false });
  } catch (e) {
    if (e instanceof WriteError && e.code === 'UNIT_MISMATCH' && Quantity.isQuantity(value)) {
      const units = metadata.units;
      throw new UsageError(
        `Invalid value ${JSON.stringify(text)} for ${path}: ${units ? `${value.units} cannot be converted to ${units}` : 'the datapoint has no units; give a plain number'}`,
      );
    }
    throw new UsageError((e as Error).message);
  }
}
