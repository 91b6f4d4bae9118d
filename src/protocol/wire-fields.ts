/**
 * The fields every received message is read with, both ways: its JSON, a
 * subscription id, a request id. Each check fails with a
 * {@link ProtocolError} naming the field. Browser-safe.
 *
 * @module
 */

import { ProtocolError } from './errors.js';
import type { RequestId } from './requests.js';

/** The JSON value of a received message's text; a {@link ProtocolError} when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`The message is not JSON: ${(e as Error).message}`, { path: '' });
  }
}

/** Whether `x` is a subscription id: a safe integer ≥ 0. */
export function isSid(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** The `sid` of a received message; a {@link ProtocolError} when it is not a subscription id. */
export function sidOf(o: Record<string, unknown>): number {
  if (!isSid(o.sid))
    throw new ProtocolError('sid must be a subscription id (a safe integer ≥ 0)', { path: 'sid' });
  return o.sid;
}

/** The request id of a received message, or `undefined` when it has none that is valid. */
export function readId(o: Record<string, unknown>): RequestId | undefined {
  const id = o.id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  if (typeof id === 'string' && id.length > 0 && id.length <= 128) return id;
  return undefined;
}
