/**
 * Limits logic shared by both stores and the `cii.oldb` scheme: whether a
 * value lies beyond a datapoint's alarm or warning limits, and whether it
 * lies within its range.
 *
 * A numeric value is beyond `[low, high]` when it is strictly below `low` or
 * strictly above `high` (a value equal to a limit is within); `null` means no
 * limit on that side; NaN is never beyond a limit. For arrays, the worst
 * element counts. Non-numeric values are never beyond limits.
 *
 * @module
 */
import type { OldbLimits, OldbMetadata, OldbValue } from './types.js';

/** Where a value lies with respect to a datapoint's limits, from best to worst. */
export type LimitState = 'normal' | 'warning' | 'alarm';

/** Whether the number `x` lies strictly outside `limits`. */
export function isBeyond(x: number, limits: OldbLimits | undefined): boolean {
  if (limits === undefined) return false;
  const [low, high] = limits;
  return (low !== null && x < low) || (high !== null && x > high);
}

function anyBeyond(value: OldbValue, limits: OldbLimits | undefined): boolean {
  if (limits === undefined) return false;
  if (typeof value === 'number') return isBeyond(value, limits);
  if (Array.isArray(value)) {
    for (const x of value) if (typeof x === 'number' && isBeyond(x, limits)) return true;
  }
  return false;
}

/** The limit state of `value` under the alarm and warning limits of `metadata`. */
export function limitState(value: OldbValue, metadata: OldbMetadata): LimitState {
  if (anyBeyond(value, metadata.alarms)) return 'alarm';
  if (anyBeyond(value, metadata.warnings)) return 'warning';
  return 'normal';
}

/** The first number of `value` outside `range`, with its index (undefined for a scalar), or null when all are within. */
export function findOutOfRange(
  value: OldbValue,
  range: OldbLimits | undefined,
): {
  /** The first number outside the range. */
  readonly value: number;
  /** Its index in an array value (undefined for a scalar). */
  readonly index: number | undefined;
} | null {
  if (range === undefined) return null;
  if (typeof value === 'number') return isBeyond(value, range) ? { value, index: undefined } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const x = value[i];
      if (typeof x === 'number' && isBeyond(x, range)) return { value: x, index: i };
    }
  }
  return null;
}
