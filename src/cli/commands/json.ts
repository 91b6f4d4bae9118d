/**
 * Values as JSON for `--json` output.
 *
 * @module
 */
import { Quantity } from '../../units/quantity.js';
import { formatTime } from '../format.js';

/** A reading's value as plain JSON: quantities by their magnitude, bytes as arrays, bigints as strings. */
export function jsonValue(v: unknown): unknown {
  if (Quantity.isQuantity(v)) return v.magnitude;
  if (v instanceof Uint8Array) return Array.from(v);
  if (typeof v === 'bigint') return String(v);
  return v;
}

/** Keys whose number values are times in ms since the epoch. */
const TIME_KEYS: ReadonlySet<string> = new Set(['time', 'timestamp']);

/**
 * The JSON text every `--json` output prints: times (`time`, `timestamp`)
 * as ISO text, as `tk read --json` gives them, never as epoch milliseconds.
 * `indent` 0 gives one line (JSON Lines).
 */
export function jsonText(v: unknown, indent = 2): string {
  return JSON.stringify(
    v,
    (key, x: unknown) =>
      TIME_KEYS.has(key) && typeof x === 'number' && Number.isFinite(x) ? formatTime(x) : x,
    indent === 0 ? undefined : indent,
  );
}
