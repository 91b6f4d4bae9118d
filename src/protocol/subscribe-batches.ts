/**
 * Splitting subscriptions into subscribe requests that each fit in the
 * gateway's `maxPayload`, counted in UTF-8 bytes. Browser-safe.
 *
 * @module
 */

import type { SubscribeItem } from './requests.js';

/** Subscribe batches that each fit in `maxPayload` bytes, and the items too large to be sent at all. */
export interface SubscribeBatches {
  /** The items, in order, in batches of at most `maxPayload` bytes once encoded (with an id of up to 20 characters). */
  readonly batches: readonly (readonly SubscribeItem[])[];
  /** Items whose request alone exceeds `maxPayload` (a name far too long): not sent. */
  readonly tooLarge: readonly SubscribeItem[];
}

const SUBSCRIBE_OVERHEAD = utf8Length('{"type":"subscribe","id":"12345678901234567890","items":[]}');

/** Splits subscribe items into requests under `maxPayload` bytes: a batch of any size can be sent. */
export function splitSubscribeItems(items: readonly SubscribeItem[], maxPayload: number): SubscribeBatches {
  const batches: SubscribeItem[][] = [];
  const tooLarge: SubscribeItem[] = [];
  let current: SubscribeItem[] = [];
  let size = SUBSCRIBE_OVERHEAD;
  for (const it of items) {
    const n = utf8Length(JSON.stringify(it)) + 1; // the comma
    if (SUBSCRIBE_OVERHEAD + n > maxPayload) {
      tooLarge.push(it);
      continue;
    }
    if (size + n > maxPayload) {
      batches.push(current);
      current = [];
      size = SUBSCRIBE_OVERHEAD;
    }
    current.push(it);
    size += n;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}

/** The UTF-8 byte length of `s` (what `maxPayload` counts). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
