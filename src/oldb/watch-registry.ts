/**
 * The watchers of a store, shared by both stores so that they deliver the
 * same events in the same order.
 *
 * Protocol per watched datapoint: the store subscribes to its change
 * notifications first and reads its current state second ("sync"). Changes
 * that arrive while the read is in flight are buffered; when the read's
 * snapshot arrives it becomes the state, and buffered changes newer than it
 * (by the store-wide change counter `seq`) are applied after it. Later
 * changes older than or equal to the state's `seq` are dropped. A watcher
 * therefore sees one snapshot and then every change exactly once, in order.
 * After a reconnect the store runs the same sync again (`resync`), because
 * notifications sent during the gap are lost.
 *
 * @module
 */
import type { Logger } from '../log/logger.js';
import { notDeclared } from './errors.js';
import type { OldbEvent, OldbMetadata, OldbQuality, OldbSample, OldbSnapshot, OldbType } from './types.js';
import { decodeParsedValue, sortMetadata } from './values.js';

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
      /** The value. */
      readonly v: unknown;
    }
  | {
      /** Kind: metadata. */
      readonly k: 'm';
      /** Change counter. */
      readonly s: number;
      /** The whole metadata. */
      readonly m: Record<string, unknown>;
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
      /** The initial value. */
      readonly v: unknown;
      /** The metadata. */
      readonly m: Record<string, unknown>;
    }
  | {
      /** Kind: removed. */
      readonly k: 'x';
      /** Change counter. */
      readonly s: number;
    };

type Listener = (event: OldbEvent) => void;

interface Entry {
  readonly path: string;
  readonly listeners: Set<Listener>;
  /** Listeners that still wait for their first snapshot. */
  readonly fresh: Set<Listener>;
  state: 'pending' | 'ready' | 'missing';
  snapshot: OldbSnapshot | undefined;
  buffer: RawNotification[];
  /** Whether a sync ever completed (later ones are resyncs). */
  synced: boolean;
  /** The token of the sync in flight: only the newest sync's read may complete it. */
  token: number;
  /** Why the last sync found no snapshot, when that was not "not declared". */
  error: Error | undefined;
}

/** Bookkeeping of every watched datapoint of one store. */
export class WatchRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #log: Logger;
  #tokens = 0;

  /** @param log where listener failures are reported. */
  constructor(log: Logger) {
    this.#log = log;
  }

  /** Number of watched datapoints. */
  get size(): number {
    return this.#entries.size;
  }

  /** The watched paths. */
  paths(): string[] {
    return [...this.#entries.keys()];
  }

  /** Whether `path` is watched. */
  has(path: string): boolean {
    return this.#entries.has(path);
  }

  /**
   * Adds a listener. Returns whether it is the first of its path (the store
   * must then subscribe and sync) and a function that removes it, returning
   * whether it was the last (the store must then unsubscribe).
   */
  watch(
    path: string,
    listener: Listener,
  ): {
    /** Whether this is the first listener of the path (the caller must then subscribe and sync). */
    first: boolean;
    /** Removes the listener; returns whether it was the last one of the path. */
    remove: () => boolean;
  } {
    let e = this.#entries.get(path);
    const first = e === undefined;
    if (e === undefined) {
      e = {
        path,
        listeners: new Set(),
        fresh: new Set(),
        state: 'pending',
        snapshot: undefined,
        buffer: [],
        synced: false,
        token: 0,
        error: undefined,
      };
      this.#entries.set(path, e);
    }
    // the same function may watch twice: wrap it so each watch is its own listener
    const own: Listener = (ev) => listener(ev);
    e.listeners.add(own);
    e.fresh.add(own);
    if (e.state === 'ready') {
      const entry = e;
      queueMicrotask(() => {
        if (!entry.fresh.delete(own) || !entry.listeners.has(own) || entry.snapshot === undefined) return;
        this.#call(own, { kind: 'snapshot', snapshot: entry.snapshot, resync: false });
      });
    } else if (e.state === 'missing') {
      const entry = e;
      queueMicrotask(() => {
        if (!entry.listeners.has(own) || entry.state !== 'missing') return;
        this.#call(own, { kind: 'error', path, error: entry.error ?? notDeclared(path) });
      });
    }
    let removed = false;
    const entry = e;
    return {
      first,
      remove: () => {
        if (removed) return false;
        removed = true;
        entry.listeners.delete(own);
        entry.fresh.delete(own);
        if (entry.listeners.size === 0 && this.#entries.get(path) === entry) {
          this.#entries.delete(path);
          return true;
        }
        return false;
      },
    };
  }

  /**
   * Starts a (re)sync of `path`: notifications are buffered until
   * {@link completeSync} is called with the returned token, after a read
   * issued after this call.
   */
  beginSync(path: string): number {
    const e = this.#entries.get(path);
    const token = ++this.#tokens;
    if (e === undefined) return token;
    if (e.state !== 'pending') e.buffer = [];
    e.state = 'pending';
    e.token = token;
    return token;
  }

  /** Whether a sync of `path` is in flight. */
  isPending(path: string): boolean {
    return this.#entries.get(path)?.state === 'pending';
  }

  /**
   * Ends a sync of `path` with the snapshot read (undefined: not declared,
   * or unreadable for the reason `failure`). Delivers the snapshot (or the
   * error) and the buffered changes newer than it.
   */
  completeSync(path: string, snapshot: OldbSnapshot | undefined, token: number, failure?: Error): void {
    const e = this.#entries.get(path);
    if (e === undefined || e.state !== 'pending' || e.token !== token) return;
    const resync = e.synced;
    e.synced = true;
    const buffer = e.buffer;
    e.buffer = [];
    if (snapshot === undefined) {
      e.state = 'missing';
      e.snapshot = undefined;
      e.error = failure;
      e.fresh.clear();
      const error = failure ?? notDeclared(path);
      for (const l of [...e.listeners]) this.#call(l, { kind: 'error', path, error });
      // a declaration may have been notified while the read was in flight
      for (const n of buffer) this.#apply(e, n);
      return;
    }
    e.state = 'ready';
    e.snapshot = snapshot;
    e.error = undefined;
    e.fresh.clear();
    for (const l of [...e.listeners]) this.#call(l, { kind: 'snapshot', snapshot, resync });
    for (const n of buffer) if (n.s > snapshot.seq) this.#apply(e, n);
  }

  /** Handles a change notification of `path`. */
  notify(path: string, n: RawNotification): void {
    const e = this.#entries.get(path);
    if (e === undefined) return;
    if (e.state === 'pending') {
      e.buffer.push(n);
      return;
    }
    this.#apply(e, n);
  }

  #apply(e: Entry, n: RawNotification): void {
    const cur = e.snapshot;
    if (n.k === 'd') {
      if (cur !== undefined && n.s <= cur.seq) return;
      const snapshot: OldbSnapshot = {
        path: e.path,
        type: n.type,
        value: decodeParsedValue(n.type, n.v),
        timestamp: n.t,
        quality: n.q,
        metadata: sortMetadata(n.m as OldbMetadata),
        seq: n.s,
      };
      e.state = 'ready';
      e.snapshot = snapshot;
      e.error = undefined;
      e.fresh.clear();
      for (const l of [...e.listeners]) this.#call(l, { kind: 'snapshot', snapshot, resync: false });
      return;
    }
    if (cur === undefined || n.s <= cur.seq) return;
    if (n.k === 'v') {
      const sample: OldbSample = { value: decodeParsedValue(cur.type, n.v), timestamp: n.t, quality: n.q };
      // the hot path: an object literal of the snapshot's fields (faster than spreads)
      e.snapshot = {
        path: cur.path,
        type: cur.type,
        value: sample.value,
        timestamp: sample.timestamp,
        quality: sample.quality,
        metadata: cur.metadata,
        seq: n.s,
      };
      this.#dispatch(e, { kind: 'value', path: e.path, sample, seq: n.s });
    } else if (n.k === 'm') {
      const metadata = sortMetadata(n.m as OldbMetadata);
      e.snapshot = { ...cur, metadata, seq: n.s };
      this.#dispatch(e, { kind: 'metadata', path: e.path, metadata, seq: n.s });
    } else {
      e.snapshot = undefined;
      e.state = 'missing';
      this.#dispatch(e, { kind: 'removed', path: e.path, seq: n.s });
    }
  }

  #dispatch(e: Entry, ev: OldbEvent): void {
    // iterating the live set is safe: a listener removed meanwhile is skipped, one added meanwhile is fresh
    for (const l of e.listeners) if (e.fresh.size === 0 || !e.fresh.has(l)) this.#call(l, ev);
  }

  #call(l: Listener, ev: OldbEvent): void {
    try {
      l(ev);
    } catch (err) {
      this.#log.error('An OLDB watcher threw', {
        path: 'path' in ev ? ev.path : ev.snapshot.path,
        error: err,
      });
    }
  }

  /** Forgets every watcher. */
  clear(): void {
    this.#entries.clear();
  }
}
