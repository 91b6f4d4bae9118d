/**
 * Equality of readings, used to tell a change from a periodic repeat.
 *
 * @module
 */

import type { Reading } from '../core/reading.js';
import { Quantity, sameMagnitude } from '../units/quantity.js';

/** Structural equality of two values as readings carry them. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Quantity.isQuantity(a) && Quantity.isQuantity(b)) {
    return a.units === b.units && sameMagnitude(a.magnitude, b.magnitude);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return false;
}

/** Same value, set-point, quality and error (time is not compared). */
export function sameReading(a: Reading, b: Reading): boolean {
  return (
    a.quality === b.quality &&
    a.error?.message === b.error?.message &&
    sameValue(a.rvalue, b.rvalue) &&
    sameValue(a.wvalue, b.wvalue)
  );
}
