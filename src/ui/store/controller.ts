/**
 * The base of every headless UI controller: an external store that any front
 * end can bind to. `subscribe(listener)` and `getSnapshot()` are the pair that
 * React's `useSyncExternalStore`, Svelte stores, Vue and Solid take directly;
 * `state$` serves RxJS users; `dispose()` (also `Symbol.dispose`) lets go of
 * everything the controller holds.
 *
 * A snapshot is immutable and keeps its identity until something it shows
 * changes: {@link Controller.publish} keeps the previous object when the new
 * one is shallowly equal, so a framework re-renders only on real changes.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { Observable as RxObservable } from '../../util/rx.js';

/** A listener of a controller: called with the current snapshot at once, then on every change. */
export type SnapshotListener<S> = (snapshot: S) => void;

/** The store contract shared by every controller (framework-neutral). */
export interface ExternalStore<S> {
  /**
   * Calls `listener` with the current snapshot at once (the Svelte store
   * contract), then after every change; returns a function that stops it.
   */
  subscribe(listener: SnapshotListener<S>): () => void;
  /** The current snapshot: the same object until something it shows changes. */
  getSnapshot(): S;
}

/**
 * Whether two values are equal field by field (`Object.is` on each own
 * enumerable key of plain objects; arrays element by element). Nested objects
 * compare by identity: controllers keep nested parts' identity themselves.
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (
      !Object.hasOwn(b, k) ||
      !Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Base class of the UI controllers. Subclasses compute snapshots and hand
 * them to {@link Controller.publish}; they release what they hold in
 * {@link Controller.onDispose}.
 */
export abstract class Controller<S> implements ExternalStore<S>, Disposable {
  #snapshot: S;
  #listeners: SnapshotListener<S>[] = [];
  #disposed = false;
  #state$: Observable<S> | undefined;
  #completers = new Set<() => void>();

  /** @param initial - the first snapshot. */
  protected constructor(initial: S) {
    this.#snapshot = initial;
  }

  /** The current snapshot. */
  getSnapshot(): S {
    return this.#snapshot;
  }

  /** See {@link ExternalStore.subscribe}. After `dispose()` the listener gets the last snapshot only. */
  subscribe(listener: SnapshotListener<S>): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(`subscribe(listener): listener must be a function, got ${typeof listener}`);
    }
    listener(this.#snapshot);
    if (this.#disposed) return () => {};
    this.#listeners = [...this.#listeners, listener];
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** The snapshots as an observable: the current one at once, then every change; completes on `dispose()`. */
  get state$(): Observable<S> {
    this.#state$ ??= new RxObservable<S>((subscriber) => {
      const stop = this.subscribe((s) => subscriber.next(s));
      if (this.#disposed) {
        subscriber.complete();
        return undefined;
      }
      const complete = () => subscriber.complete();
      this.#completers.add(complete);
      return () => {
        this.#completers.delete(complete);
        stop();
      };
    });
    return this.#state$;
  }

  /** Number of current listeners (for diagnostics and tests). */
  get listenerCount(): number {
    return this.#listeners.length;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Makes `next` the current snapshot and notifies the listeners, unless it is
   * shallowly equal to the current one (then the current object is kept and
   * nobody is called). Returns the snapshot now current.
   */
  protected publish(next: S): S {
    if (this.#disposed || shallowEqual(this.#snapshot, next)) return this.#snapshot;
    this.#snapshot = next;
    const list = this.#listeners;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!(next);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
    return next;
  }

  /** Releases what the subclass holds (subscriptions, attribute handles). Called once. */
  protected abstract onDispose(): void;

  /** Lets go of everything: listeners are dropped, `state$` completes. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#listeners = [];
    try {
      this.onDispose();
    } finally {
      for (const complete of [...this.#completers]) complete();
      this.#completers.clear();
    }
  }

  /** Same as {@link Controller.dispose}, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
