/**
 * Helpers shared by the attribute's display and error paths.
 *
 * @module
 */
import { type TkError, TkError as TkErrorClass, toError } from '../errors/tk-error.js';
import { Quality } from './enums.js';
import type { Reading } from './reading.js';

/** Wraps anything thrown by a backend into a TkError naming the attribute. */
export function asTkError(err: unknown, name: string): TkError {
  if (err instanceof TkErrorClass) return err;
  const e = toError(err);
  return new TkErrorClass('BACKEND_UNAVAILABLE', `${name}: ${e.message}`, { cause: e, details: { name } });
}

/** A short display of a value: strings quoted, long arrays and texts cut. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v) && v.length > 8)
    return `[${v.slice(0, 8).map(formatValue).join(', ')}, ...] (${v.length})`;
  const s = String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Whether a reading is INVALID. */
export function isInvalid(r: Reading): boolean {
  return r.quality === Quality.INVALID;
}
