/**
 * One client's subscription to one attribute: the latest metadata patch,
 * connection state and value waiting to be sent (never more), and its
 * `maxRate` throttle.
 *
 * @module
 */
import type { ConnectionState } from '../core/enums.js';
import { encodeConn, encodeMeta, encodeValueMessage } from '../protocol/server-messages.js';
import type { Json } from '../protocol/values.js';
import type { TimerHandle } from '../util/clock.js';
import type { ModelNames } from '../validators/name-validator.js';
import type { AttributeHub } from './hub.js';
import type { Coalescing, Outbox } from './outbox.js';
import type { GatewayCounters } from './stats.js';

/** What a subscription needs from its connection. */
export interface SubscriptionHost {
  readonly outbox: Outbox;
  readonly counters: GatewayCounters;
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

/** A client's subscription. */
export class Subscription implements Coalescing {
  readonly sid: number;
  readonly hub: AttributeHub;
  readonly #host: SubscriptionHost;
  /** Minimum time between two value messages, in ms (0: no throttle). */
  readonly #interval: number;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #meta: { [key: string]: Json } | undefined;
  #names: ModelNames | undefined;
  #state: ConnectionState | undefined;
  #value: string | undefined;
  #timer: TimerHandle | undefined;
  #ended = false;

  constructor(sid: number, hub: AttributeHub, host: SubscriptionHost, maxRate: number | undefined) {
    this.sid = sid;
    this.hub = hub;
    this.#host = host;
    this.#interval = maxRate === undefined ? 0 : 1000 / maxRate;
  }

  /** Metadata: whole (with names) the first time, then patches, merged while waiting. */
  pushMeta(config: { [key: string]: Json }, names?: ModelNames): void {
    if (this.#ended) return;
    if (names !== undefined) {
      this.#names = names;
      this.#meta = { ...config };
    } else {
      this.#meta = this.#meta === undefined ? { ...config } : Object.assign(this.#meta, config);
    }
    this.#host.outbox.offer(this);
  }

  /** The connection state (the latest one waits). */
  pushState(state: ConnectionState): void {
    if (this.#ended) return;
    this.#state = state;
    this.#host.outbox.offer(this);
  }

  /** A reading's JSON text (the latest one waits; one it replaces is counted as coalesced). */
  pushValue(readingText: string): void {
    if (this.#ended) return;
    if (this.#value !== undefined) this.#host.counters.updatesCoalesced++;
    this.#value = readingText;
    if (this.#timer === undefined) this.#host.outbox.offer(this);
  }

  /** @internal called by the outbox when it writes. */
  drainInto(out: string[], now: number): number {
    if (this.#meta !== undefined) {
      out.push(encodeMeta(this.sid, this.#meta, this.#names));
      this.#meta = undefined;
      this.#names = undefined;
    }
    if (this.#state !== undefined) {
      out.push(encodeConn(this.sid, this.#state));
      this.#state = undefined;
    }
    if (this.#value === undefined || this.#timer !== undefined) return 0;
    const due = this.#lastSentAt + this.#interval;
    if (now < due) {
      this.#timer = this.#host.setTimeout(this.#onDue, due - now);
      return 0;
    }
    out.push(encodeValueMessage(this.sid, this.#value));
    this.#value = undefined;
    this.#lastSentAt = now;
    return 1;
  }

  readonly #onDue = (): void => {
    this.#timer = undefined;
    if (!this.#ended && this.#value !== undefined) this.#host.outbox.offer(this);
  };

  /** Ends the subscription: nothing more is sent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#host.outbox.forget(this);
    this.hub.remove(this);
  }
}
