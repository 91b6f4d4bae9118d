/**
 * Parsing command-line text into OLDB values and limits.
 *
 * @module
 */
import type { OldbLimits, OldbMetadata, OldbType, OldbValue } from '../../oldb-store/types.js';
import { checkValue, isArrayType } from '../../oldb-store/values.js';
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

function numberIn(path: string, text: string, units: string | undefined): number {
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
  if (q.units === '') return q.magnitude;
  if (!units)
    throw new UsageError(
      `Invalid value ${JSON.stringify(text)} for ${path}: the datapoint has no units; give a plain number`,
    );
  if (!q.isCompatible(units)) {
    throw new UsageError(
      `Invalid value ${JSON.stringify(text)} for ${path}: ${q.units} cannot be converted to ${units}`,
    );
  }
  return q.to(units).magnitude;
}

/** The value of `type` that `text` stands for; numbers may carry units convertible to the datapoint's. */
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
    return checkValue(path, type, value);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
