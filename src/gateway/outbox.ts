/**
 * What a gateway has to send to one client, bounded. Replies queue in order
 * (up to a bound); each subscription keeps only its latest metadata patch,
 * connection state and value. Everything waiting goes out in one frame per
 * event-loop turn, and nothing goes out while the client's socket holds more
 * than the high-water mark: then the subscriptions coalesce to their latest
 * value until the socket drains. A slow client costs memory bounded by its
 * subscriptions, and never delays another client.
 *
 * @module
 */
import type { WebSocket } from 'ws';
import { encodeFrame } from '../protocol/server-messages.js';
import type { GatewayCounters } from './stats.js';

/** A source of messages that keeps only its latest state (a subscription). */
export interface Coalescing {
  /** Appends what is due now to `out` (JSON texts); returns how many of them are value updates. */
  drainInto(out: string[], now: number): number;
}

/** The largest frame the outbox builds before writing it (a frame can still hold one larger message). */
const FRAME_BYTES = 64 * 1024;

/** The queue of one connection. */
export class Outbox {
  readonly #ws: WebSocket;
  readonly #highWaterMark: number;
  readonly #lowWaterMark: number;
  readonly #maxReplies: number;
  readonly #counters: GatewayCounters;
  readonly #now: () => number;
  readonly #onOverflow: () => void;
  #replies: string[] = [];
  #dirty = new Set<Coalescing>();
  #scheduled = false;
  #blocked = false;
  #closed = false;

  constructor(
    ws: WebSocket,
    options: {
      highWaterMark: number;
      maxReplies: number;
      counters: GatewayCounters;
      now: () => number;
      onOverflow: () => void;
    },
  ) {
    this.#ws = ws;
    this.#highWaterMark = options.highWaterMark;
    this.#lowWaterMark = options.highWaterMark / 2;
    this.#maxReplies = options.maxReplies;
    this.#counters = options.counters;
    this.#now = options.now;
    this.#onOverflow = options.onOverflow;
  }

  /** Whether the socket is backed up (updates are being coalesced). */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Replies waiting. */
  get queuedReplies(): number {
    return this.#replies.length;
  }

  /** Subscriptions with something waiting. */
  get queuedSubscriptions(): number {
    return this.#dirty.size;
  }

  /** Queues a reply (never dropped; past the bound, the connection is closed). */
  reply(text: string): void {
    if (this.#closed) return;
    this.#replies.push(text);
    if (this.#replies.length > this.#maxReplies) {
      this.#closed = true;
      this.#onOverflow();
      return;
    }
    this.#schedule();
  }

  /** Marks a subscription as having something to send. */
  offer(source: Coalescing): void {
    if (this.#closed) return;
    this.#dirty.add(source);
    this.#schedule();
  }

  /** Forgets a subscription (unsubscribed). */
  forget(source: Coalescing): void {
    this.#dirty.delete(source);
  }

  /** Drops everything; nothing more is sent. */
  close(): void {
    this.#closed = true;
    this.#replies = [];
    this.#dirty.clear();
  }

  #schedule(): void {
    if (this.#scheduled || this.#blocked) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#closed || this.#blocked) return;
    const parts: string[] = [];
    let size = 0;
    let updates = 0;
    const replies = this.#replies;
    let taken = 0;
    while (taken < replies.length) {
      const r = replies[taken++]!;
      parts.push(r);
      size += r.length;
      if (size >= FRAME_BYTES) {
        const ok = this.#write(parts, 0);
        parts.length = 0;
        size = 0;
        if (!ok) break;
      }
    }
    this.#replies = taken === replies.length ? [] : replies.slice(taken);
    if (this.#blocked) return;
    const now = this.#now();
    for (const s of this.#dirty) {
      this.#dirty.delete(s);
      const before = parts.length;
      updates += s.drainInto(parts, now);
      for (let k = before; k < parts.length; k++) size += parts[k]!.length;
      if (size >= FRAME_BYTES) {
        const ok = this.#write(parts, updates);
        parts.length = 0;
        size = 0;
        updates = 0;
        if (!ok) return;
      }
    }
    if (parts.length > 0) this.#write(parts, updates);
  };

  /** Writes one frame; returns false when the socket is now backed up. */
  #write(parts: readonly string[], updates: number): boolean {
    const ws = this.#ws;
    if (ws.readyState !== 1) return false;
    const frame = encodeFrame(parts);
    this.#counters.framesSent++;
    this.#counters.messagesSent += parts.length;
    this.#counters.updatesSent += updates;
    this.#counters.bytesSent += frame.length;
    // a frame that may take the socket past the low-water mark carries a callback: the socket has drained
    // up to it when it runs (writes complete in order), which is when a blocked outbox goes on
    const near = ws.bufferedAmount + frame.length * 3 >= this.#lowWaterMark;
    ws.send(frame, near ? this.#written : undefined);
    if (ws.bufferedAmount >= this.#highWaterMark) {
      if (!this.#blocked) this.#counters.blockedEpisodes++;
      this.#blocked = true;
      return false;
    }
    return true;
  }

  readonly #written = (err?: Error | null): void => {
    if (err != null || this.#closed || !this.#blocked) return;
    if (this.#ws.bufferedAmount >= this.#lowWaterMark) return;
    this.#blocked = false;
    if (this.#replies.length > 0 || this.#dirty.size > 0) this.#schedule();
  };
}
