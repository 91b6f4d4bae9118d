/**
 * The requests a client has sent and not yet seen answered, by request id:
 * each with its time limit and the way to settle its promise. Browser-safe.
 *
 * @module
 */

import { TkError } from '../errors/tk-error.js';
import { decodeResult } from '../protocol/decode-server.js';
import type { RequestType } from '../protocol/requests.js';
import type { ErrorMessage, ResultMessage } from '../protocol/server-messages.js';
import type { Clock, TimerHandle } from '../util/clock.js';

/** One request waiting for its reply. */
export interface PendingRequest {
  /** The request's type (its result is decoded by type). */
  readonly type: RequestType;
  /** The operation, as errors name it (`Reading cii.oldb:/a`). */
  readonly what: string;
  /** Settles the caller's promise with the decoded result. */
  readonly resolve: (v: never) => void;
  /** Settles the caller's promise with an error. */
  readonly reject: (e: unknown) => void;
  /** The time limit (cancelled when the request is settled otherwise). */
  readonly timer: TimerHandle;
}

/** The pending requests of one client. */
export class PendingRequests {
  readonly #byId = new Map<number, PendingRequest>();

  /**
   * The promise of the request `id`, recorded as pending: it fails with
   * `timeoutError()` after `limit` ms, and with the signal's reason when the
   * signal aborts (at once when it is aborted already: the request is then
   * not pending, see {@link PendingRequests.has}).
   */
  open<R>(
    id: number,
    o: {
      readonly type: RequestType;
      readonly what: string;
      readonly clock: Clock;
      readonly limit: number;
      readonly timeoutError: () => Error;
      readonly signal: AbortSignal | undefined;
    },
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = o.clock.setTimeout(() => {
        if (this.take(id) === undefined) return;
        reject(o.timeoutError());
      }, o.limit);
      this.add(id, { type: o.type, what: o.what, resolve: resolve as (v: never) => void, reject, timer });
      const signal = o.signal;
      if (signal !== undefined) {
        const onAbort = () => {
          const p = this.take(id);
          if (p === undefined) return;
          p.timer.cancel();
          reject(signal.reason ?? new TkError('ABORTED', `${o.what}: aborted`));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /** Whether the request `id` is waiting for its reply. */
  has(id: number): boolean {
    return this.#byId.has(id);
  }

  /** Records the request `id`. */
  add(id: number, request: PendingRequest): void {
    this.#byId.set(id, request);
  }

  /** Removes and returns the request `id`, or undefined when it was settled already (timed out, aborted). */
  take(id: number): PendingRequest | undefined {
    const p = this.#byId.get(id);
    if (p !== undefined) this.#byId.delete(id);
    return p;
  }

  /**
   * Settles the request `id` with its reply: the decoded result, or the
   * gateway's error (a result that cannot be decoded rejects too). A reply
   * to a request settled already (timed out, aborted) is dropped.
   */
  settle(id: number, reply: ResultMessage | ErrorMessage): void {
    const p = this.take(id);
    if (p === undefined) return; // timed out or aborted meanwhile
    p.timer.cancel();
    if (reply.type === 'error') {
      p.reject(reply.error);
      return;
    }
    try {
      p.resolve(decodeResult(p.type, reply.result) as never);
    } catch (err) {
      p.reject(err);
    }
  }

  /** Fails every pending request with the error `errorOf` gives for it, and forgets them. */
  failAll(errorOf: (p: PendingRequest) => Error): void {
    const all = [...this.#byId.values()];
    this.#byId.clear();
    for (const p of all) {
      p.timer.cancel();
      p.reject(errorOf(p));
    }
  }
}
