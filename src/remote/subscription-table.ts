/**
 * A client's subscriptions, by sid: they outlive the connection (every live
 * one is sent again after each welcome), and what is to be sent to the
 * gateway is gathered here until the client flushes it in one batch.
 * Browser-safe.
 *
 * @module
 */

import type { ConnectionState } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import { TkError } from '../errors/tk-error.js';
import type { SubscribeItem } from '../protocol/requests.js';
import type { MetaMessage } from '../protocol/server-messages.js';
import { splitSubscribeItems } from '../protocol/subscribe-batches.js';

/** What a subscription receives. */
export interface SubscriptionHandler {
  /** Metadata (whole first, then changes). */
  meta(message: MetaMessage): void;
  /** The connection state of the attribute's backend, as the gateway sees it. */
  conn(state: ConnectionState): void;
  /** A reading. */
  value(reading: Reading): void;
  /** The gateway refused the subscription (invalid name, forbidden, limit). */
  refused(error: TkError): void;
  /** The link to the gateway is being (re)established: nothing is known yet. */
  connecting(): void;
  /** The link to the gateway is down: whatever was known is no longer current. */
  lost(error: TkError): void;
}

interface Sub {
  readonly sid: number;
  readonly name: string;
  readonly maxRate: number | undefined;
  readonly handler: SubscriptionHandler;
}

/** The live subscriptions of one client, and the subscribe and unsubscribe requests not sent yet. */
export class SubscriptionTable {
  readonly #subs = new Map<number, Sub>();
  /** sids to send in the next subscribe batch, and to end in the next unsubscribe. */
  readonly #toSubscribe = new Set<number>();
  readonly #toUnsubscribe = new Set<number>();
  #nextSid = 1;

  /** Live subscriptions. */
  get size(): number {
    return this.#subs.size;
  }

  /** Whether subscribe or unsubscribe requests wait to be sent. */
  get hasQueued(): boolean {
    return this.#toSubscribe.size > 0 || this.#toUnsubscribe.size > 0;
  }

  /** Adds a subscription (not queued for sending); returns its sid. */
  add(name: string, handler: SubscriptionHandler, maxRate: number | undefined): number {
    const sid = this.#nextSid++;
    this.#subs.set(sid, { sid, name, maxRate, handler });
    return sid;
  }

  /** The handler of `sid`, if it is live. */
  handler(sid: number): SubscriptionHandler | undefined {
    return this.#subs.get(sid)?.handler;
  }

  /** Every live handler (a copy: a handler may end subscriptions). */
  handlers(): SubscriptionHandler[] {
    return [...this.#subs.values()].map((s) => s.handler);
  }

  /** Queues `sid` for the next subscribe batch. */
  queueSubscribe(sid: number): void {
    this.#toSubscribe.add(sid);
  }

  /**
   * Ends `sid`. Returns true when the gateway was told of it, so it must be
   * told of the end too (see {@link SubscriptionTable.queueUnsubscribe}).
   */
  remove(sid: number): boolean {
    if (!this.#subs.delete(sid)) return false;
    return !this.#toSubscribe.delete(sid); // never sent
  }

  /** Queues `sid` for the next unsubscribe request. */
  queueUnsubscribe(sid: number): void {
    this.#toUnsubscribe.add(sid);
  }

  /** After a welcome: every live subscription again (the gateway keeps nothing of a previous connection). */
  queueAll(): void {
    for (const s of this.#subs.values()) this.#toSubscribe.add(s.sid);
    this.#toUnsubscribe.clear();
  }

  /** Forgets the queued requests (the link is lost). */
  clearQueued(): void {
    this.#toSubscribe.clear();
    this.#toUnsubscribe.clear();
  }

  /** The queued unsubscriptions, now dequeued. */
  takeUnsubscribes(): number[] {
    const sids = [...this.#toUnsubscribe];
    this.#toUnsubscribe.clear();
    return sids;
  }

  /**
   * The queued subscriptions, now dequeued, in batches of messages under
   * `maxPayload` bytes; each one's handler hears `connecting`, and a name too
   * long for any message is refused with `LIMIT_EXCEEDED`.
   */
  takeSubscribeBatches(maxPayload: number): readonly (readonly SubscribeItem[])[] {
    const items = this.#takeSubscribes();
    if (items.length === 0) return [];
    const { batches, tooLarge } = splitSubscribeItems(items, maxPayload);
    for (const it of tooLarge) {
      this.handler(it.sid)?.refused(
        new TkError(
          'LIMIT_EXCEEDED',
          `Cannot subscribe to a name of ${it.name.length} characters: the gateway takes messages of at most ${maxPayload} bytes`,
          { details: { name: it.name.slice(0, 200) } },
        ),
      );
    }
    return batches;
  }

  #takeSubscribes(): SubscribeItem[] {
    const items: SubscribeItem[] = [];
    for (const sid of this.#toSubscribe) {
      const s = this.#subs.get(sid);
      if (s === undefined) continue;
      items.push(s.maxRate === undefined ? { sid, name: s.name } : { sid, name: s.name, maxRate: s.maxRate });
      s.handler.connecting();
    }
    this.#toSubscribe.clear();
    return items;
  }

  /** Forgets every subscription (the client is closed). */
  clear(): void {
    this.#subs.clear();
  }
}
