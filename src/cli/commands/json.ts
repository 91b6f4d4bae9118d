/**
 * Values as JSON for `--json` output.
 *
 * @module
 */
import { Quantity } from '../../units/quantity.js';

/** A reading's value as plain JSON: quantities by their magnitude, bytes as arrays, bigints as strings. */
export function jsonValue(v: unknown): unknown {
  if (Quantity.isQuantity(v)) return v.magnitude;
  if (v instanceof Uint8Array) return Array.from(v);
  if (typeof v === 'bigint') return String(v);
  return v;
}
