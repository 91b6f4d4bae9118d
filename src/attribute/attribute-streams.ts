/**
 * The public stream API of an attribute: RxJS observables, the plain
 * callback API and async iteration, built on three watch primitives that
 * {@link AttributeModel} implements (they connect the backend and replay the
 * latest state to the new watcher).
 *
 * @module
 */

import type { Observable } from 'rxjs';
import type { ConnectionState } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import { Observable as RxObservable } from '../util/rx.js';
import { AttributeView } from './attribute-view.js';
import type { ListenerSubscription, TkEvent } from './events.js';
import { LatestValueIterator } from './latest-iterator.js';

/**
 * Readings, events and connection state of an attribute as streams (see
 * {@link AttributeModel}); `T` is the type of the readings' values.
 */
export abstract class AttributeStreams<T = unknown> extends AttributeView<T> {
  #value$: Observable<Reading<T>> | undefined;
  #events$: Observable<TkEvent<T>> | undefined;
  #connection$: Observable<ConnectionState> | undefined;
  /** Keyed by the listener; typed loosely so that an `AttributeStreams<T>` is an `AttributeStreams<unknown>`. */
  #eventListeners: Map<unknown, ListenerSubscription> | undefined;

  /** @internal calls `fn` with every reading, the latest at once; returns the function that stops it. */
  protected abstract watchReadings(fn: (r: Reading) => void): () => void;
  /** @internal calls `fn` with every event, the configuration and latest reading at once. */
  protected abstract watchEvents(fn: (e: TkEvent) => void): () => void;
  /** @internal calls `fn` on every connection change (does not connect). */
  protected abstract watchConnection(fn: (s: ConnectionState) => void): () => void;

  /**
   * Readings as an RxJS observable: a new subscriber gets the latest reading
   * at once (or the first one as soon as it arrives), then every change.
   * Never errors: failures are INVALID readings carrying `error`.
   */
  get value$(): Observable<Reading<T>> {
    if (this.#value$ === undefined) {
      this.#value$ = new RxObservable<Reading<T>>((subscriber) =>
        this.watchReadings((r) => subscriber.next(r as Reading<T>)),
      );
    }
    return this.#value$;
  }

  /**
   * Taurus events (`change`, `periodic`, `config`, `error`). A new subscriber
   * gets the current configuration and the latest reading at once.
   */
  get events$(): Observable<TkEvent<T>> {
    if (this.#events$ === undefined) {
      this.#events$ = new RxObservable<TkEvent<T>>((subscriber) =>
        this.watchEvents((e) => subscriber.next(e as TkEvent<T>)),
      );
    }
    return this.#events$;
  }

  /** Connection state changes; a new subscriber gets the current state at once. Does not connect. */
  get connection$(): Observable<ConnectionState> {
    if (this.#connection$ === undefined) {
      this.#connection$ = new RxObservable<ConnectionState>((subscriber) => {
        subscriber.next(this.connectionState);
        return this.watchConnection((s) => subscriber.next(s));
      });
    }
    return this.#connection$;
  }

  /** Plain callback API: `listener` gets every reading (the latest one at once). */
  subscribe(listener: (reading: Reading<T>) => void): ListenerSubscription {
    return subscription(this.watchReadings(listener as (r: Reading) => void));
  }

  /** Taurus-style listener of events; the same function added twice is added once. */
  addListener(listener: (event: TkEvent<T>) => void): ListenerSubscription {
    if (this.#eventListeners === undefined) this.#eventListeners = new Map();
    const existing = this.#eventListeners.get(listener);
    if (existing !== undefined) return existing;
    const off = this.watchEvents(listener as (e: TkEvent) => void);
    const sub = subscription(() => {
      off();
      this.#eventListeners?.delete(listener);
    });
    this.#eventListeners.set(listener, sub);
    return sub;
  }

  /** Removes a listener added with {@link addListener}; returns whether it was there. */
  removeListener(listener: (event: TkEvent<T>) => void): boolean {
    const sub = this.#eventListeners?.get(listener);
    if (sub === undefined) return false;
    sub.unsubscribe();
    return true;
  }

  /** Latest-value iteration: each step yields the newest reading; readings that came in between are skipped. */
  [Symbol.asyncIterator](): AsyncIterator<Reading<T>> {
    return new LatestValueIterator<Reading<T>>((push) => this.watchReadings(push as (r: Reading) => void));
  }
}

function subscription(off: () => void): ListenerSubscription {
  return { unsubscribe: off, [Symbol.dispose]: off };
}
