/**
 * Change notifications as they travel on a datapoint's channel, and the
 * check of their shape. Any client of the server can `PUBLISH` on a
 * channel, so a message is untrusted: {@link parseNotification} returns
 * either a notification of the documented shape (docs/oldb.md) or the kind
 * of problem it has, never throws, and never recurses.
 *
 * The value of a `v` message is checked later, against the datapoint's
 * declared type, by the watch registry (which knows the type).
 *
 * @module
 */
import type { OldbMetadata, OldbQuality, OldbType } from './types.js';
import { decodeMetadataObject, isOldbQuality, isOldbType } from './values.js';

/** A change notification as published by a store (the JSON of a Redis message, or the embedded store's object). */
export type RawNotification =
  | {
      /** Kind: a value. */
      readonly k: 'v';
      /** Change counter. */
      readonly s: number;
      /** Time (ms since the epoch). */
      readonly t: number;
      /** OLDB quality. */
      readonly q: OldbQuality;
      /** The value, not yet checked against the datapoint's type. */
      readonly v: unknown;
    }
  | {
      /** Kind: metadata. */
      readonly k: 'm';
      /** Change counter. */
      readonly s: number;
      /** The whole metadata. */
      readonly m: OldbMetadata;
    }
  | {
      /** Kind: a (re)declaration. */
      readonly k: 'd';
      /** Change counter. */
      readonly s: number;
      /** The declared type. */
      readonly type: OldbType;
      /** Time of the initial value. */
      readonly t: number;
      /** Quality of the initial value. */
      readonly q: OldbQuality;
      /** The initial value, not yet checked against `type`. */
      readonly v: unknown;
      /** The metadata. */
      readonly m: OldbMetadata;
    }
  | {
      /** Kind: removed. */
      readonly k: 'x';
      /** Change counter. */
      readonly s: number;
    };

/**
 * Parses the text of a message and checks its shape. Returns the
 * notification, or a short description of the problem, one of a fixed set
 * (it never quotes the message, so it can serve as the kind of problem).
 */
export function parseNotification(text: string): RawNotification | string {
  let n: unknown;
  try {
    n = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof n !== 'object' || n === null || Array.isArray(n)) return 'not a JSON object';
  const o = n as Record<string, unknown>;
  const k = o.k;
  if (k !== 'v' && k !== 'm' && k !== 'd' && k !== 'x') return 'k is not one of "v", "m", "d", "x"';
  const s = o.s;
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0)
    return `"${k}" message without a change counter s`;
  if (k === 'x') return o as RawNotification;
  if (k === 'm') {
    const m = decodeMetadataObject(o.m);
    return m === undefined ? '"m" message without valid metadata m' : { k, s, m };
  }
  const t = o.t;
  if (typeof t !== 'number' || !Number.isFinite(t)) return `"${k}" message without a timestamp t`;
  if (!isOldbQuality(o.q)) return `"${k}" message without a quality q`;
  if (o.v === undefined) return `"${k}" message without a value v`;
  if (k === 'v') return o as RawNotification;
  if (!isOldbType(o.type)) return '"d" message without a valid type';
  const m = decodeMetadataObject(o.m);
  if (m === undefined) return '"d" message without valid metadata m';
  return { k, s, type: o.type, t, q: o.q, v: o.v, m };
}
