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
 * Notifications are untrusted (any client can publish on a channel), and the
 * counter can go back (a flushed database, a deleted or reset counter key, a
 * failover to a replica that lags). So a notification never changes what a
 * watcher sees unless it fits; otherwise the datapoint is read again (a
 * "recheck", through the store's hook) and the read decides:
 * - a message whose shape or value does not fit is logged (once per kind of
 *   problem) and answered by a recheck;
 * - a counter lower than or equal to the last one seen on the channel
 *   (messages of one channel arrive in counter order), or a re-declaration
 *   older than the state, is a regression: recheck, and the read becomes the state;
 * - the first message after a sync older than the state may be a late one or
 *   a regression: one recheck tells;
 * - a change of a datapoint held as missing means its declaration was missed: recheck.
 * A recheck that finds what the watchers already have delivers nothing.
 *
 * @module
 */
import type { Logger } from '../log/logger.js';
import { notDeclared } from './errors.js';
import type { RawNotification } from './notification.js';
import { sameSnapshot } from './same-snapshot.js';
import { excerpt } from './stored-data.js';
import type { OldbEvent, OldbSample, OldbSnapshot, OldbValue } from './types.js';
import { decodeParsedValue } from './values.js';
import { type Entry, type Listener, newEntry } from './watch-entry.js';

const VALUE_MISMATCH = `"v" message whose value is not of the datapoint's type`;
const DECLARED_VALUE_MISMATCH = `"d" message whose value is not of its type`;

/** How a registry asks its store to read a datapoint again. */
export type RecheckHook = (path: string, token: number) => void;

/** Bookkeeping of every watched datapoint of one store. */
export class WatchRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #log: Logger;
  readonly #recheck: RecheckHook;
  readonly #reported = new Set<string>();
  #tokens = 0;
  #malformed = 0;
  #rechecks = 0;

  /**
   * @param log where listener failures and malformed notifications are reported.
   * @param recheck reads a datapoint again and calls {@link completeSync} with
   *   the token (see the module documentation for when).
   */
  constructor(log: Logger, recheck: RecheckHook) {
    this.#log = log;
    this.#recheck = recheck;
  }

  /** Number of watched datapoints. */
  get size(): number {
    return this.#entries.size;
  }

  /** Number of malformed notifications received (ignored, each answered by a recheck). */
  get malformedCount(): number {
    return this.#malformed;
  }

  /** Number of rechecks started (malformed notifications, counter regressions, missed declarations). */
  get recheckCount(): number {
    return this.#rechecks;
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
      e = newEntry(path);
      this.#entries.set(path, e);
    }
    // the same function may watch twice: wrap it so each watch is its own listener
    const own: Listener = (ev) => listener(ev);
    e.listeners.add(own);
    e.fresh.add(own);
    if (e.state === 'ready' || (e.checking && e.snapshot !== undefined)) {
      const entry = e;
      queueMicrotask(() => {
        if (!entry.fresh.delete(own) || !entry.listeners.has(own) || entry.snapshot === undefined) return;
        this.#call(own, { kind: 'snapshot', snapshot: entry.snapshot, resync: false });
      });
    } else if (e.state === 'missing') {
      const entry = e;
      queueMicrotask(() => {
        if (!entry.listeners.has(own) || entry.state !== 'missing') return;
        entry.fresh.delete(own);
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
    this.#pend(e, token);
    e.checking = false;
    e.verified = false;
    return token;
  }

  #pend(e: Entry, token: number): void {
    if (e.state !== 'pending') e.buffer = [];
    e.state = 'pending';
    e.token = token;
  }

  /** Whether a sync of `path` is in flight. */
  isPending(path: string): boolean {
    return this.#entries.get(path)?.state === 'pending';
  }

  /**
   * Ends a sync of `path` with the snapshot read (undefined: not declared,
   * or unreadable for the reason `failure`). Delivers the snapshot (or the
   * error) and the buffered changes newer than it. A recheck that finds what
   * the watchers have already delivers it only to those still waiting for
   * their first snapshot.
   */
  completeSync(path: string, snapshot: OldbSnapshot | undefined, token: number, failure?: Error): void {
    const e = this.#entries.get(path);
    if (e === undefined || e.state !== 'pending' || e.token !== token) return;
    const checking = e.checking;
    const before = e.snapshot;
    const beforeError = e.error;
    const resync = e.synced || checking;
    e.synced = true;
    e.checking = false;
    if (checking) e.verified = true;
    const buffer = e.buffer;
    e.buffer = [];
    if (snapshot === undefined) {
      e.state = 'missing';
      e.snapshot = undefined;
      e.error = failure;
      const error = failure ?? notDeclared(path);
      const unchanged = checking && before === undefined && failure?.message === beforeError?.message;
      const to = unchanged ? [...e.fresh] : [...e.listeners];
      e.fresh.clear();
      for (const l of to) this.#call(l, { kind: 'error', path, error });
      // a declaration may have been notified while the read was in flight
      this.#drain(e, buffer, Number.NEGATIVE_INFINITY);
    } else {
      e.state = 'ready';
      e.snapshot = snapshot;
      e.error = undefined;
      const unchanged = checking && before !== undefined && sameSnapshot(before, snapshot);
      const to = unchanged ? [...e.fresh] : [...e.listeners];
      e.fresh.clear();
      for (const l of to) this.#call(l, { kind: 'snapshot', snapshot, resync });
      this.#drain(e, buffer, snapshot.seq);
    }
    // (the drain may have started a recheck: the state is then pending again)
    if (e.again && (e.state as Entry['state']) !== 'pending') {
      e.again = false;
      this.#startRecheck(e);
    }
  }

  /** Applies the buffered changes newer than `seq`, or buffers them again once a recheck started. */
  #drain(e: Entry, buffer: readonly RawNotification[], seq: number): void {
    for (const n of buffer) {
      if (n.s <= seq) continue;
      if (e.state === 'pending') e.buffer.push(n);
      else this.#apply(e, n);
    }
  }

  /** Handles a change notification of `path` (its shape already checked). */
  notify(path: string, n: RawNotification): void {
    const e = this.#entries.get(path);
    if (e === undefined) return;
    // a value that does not fit its type is malformed whatever its counter (checked here when the type is known)
    let value: OldbValue | undefined;
    if (n.k === 'v' ? e.snapshot !== undefined : n.k === 'd') {
      value = decodeParsedValue(n.k === 'd' ? n.type : e.snapshot!.type, (n as { v: unknown }).v);
      if (value === undefined) {
        this.malformed(path, n.k === 'd' ? DECLARED_VALUE_MISMATCH : VALUE_MISMATCH);
        return;
      }
    }
    const last = e.lastSeen;
    if (last !== undefined && n.s <= last) {
      // the channel's counter went back: the store was flushed, its counter reset, or it failed over
      e.lastSeen = n.s;
      this.#suspect(e);
      return;
    }
    if (e.state === 'pending') {
      e.lastSeen = n.s;
      e.buffer.push(n);
      return;
    }
    // a message refused as malformed does not count as seen: its counter is not to be believed
    if (this.#apply(e, n, value)) e.lastSeen = n.s;
  }

  /**
   * Reports a notification of `path` that does not fit (`problem`, one of a
   * fixed set of texts, is its kind; `text` the message): logged once per
   * kind, answered by a recheck, never applied.
   */
  malformed(path: string, problem: string, text?: string): void {
    this.#malformed++;
    if (!this.#reported.has(problem)) {
      this.#reported.add(problem);
      this.#log.warning(
        `Ignored a malformed OLDB notification (${problem}); the datapoint is read again instead. Further notifications with this problem are ignored without a log line`,
        { path, message: text === undefined ? undefined : excerpt(text) },
      );
    }
    const e = this.#entries.get(path);
    if (e !== undefined && e.state !== 'pending') this.#startRecheck(e);
  }

  /** Starts a recheck of `e`, or asks for one after the sync in flight. */
  #suspect(e: Entry): void {
    if (e.state === 'pending') e.again = true;
    else this.#startRecheck(e);
  }

  #startRecheck(e: Entry): void {
    const token = ++this.#tokens;
    this.#pend(e, token);
    e.checking = true;
    this.#rechecks++;
    this.#recheck(e.path, token);
  }

  /** Applies a change to a watch that is not pending; false when the change was refused as malformed. */
  #apply(e: Entry, n: RawNotification, decoded?: OldbValue): boolean {
    const cur = e.snapshot;
    if (n.k === 'd') {
      // a re-declaration older than the state: a counter that went back (or a late message): read again
      if (cur !== undefined && n.s <= cur.seq) {
        this.#suspect(e);
        return true;
      }
      const value = decoded ?? decodeParsedValue(n.type, n.v);
      if (value === undefined) {
        this.malformed(e.path, DECLARED_VALUE_MISMATCH);
        return false;
      }
      const snapshot: OldbSnapshot = {
        path: e.path,
        type: n.type,
        value,
        timestamp: n.t,
        quality: n.q,
        metadata: n.m,
        seq: n.s,
      };
      e.state = 'ready';
      e.snapshot = snapshot;
      e.error = undefined;
      e.fresh.clear();
      for (const l of [...e.listeners]) this.#call(l, { kind: 'snapshot', snapshot, resync: false });
      return true;
    }
    if (cur === undefined) {
      // a change of a datapoint held as missing (or unreadable): its declaration was missed, or it was repaired
      if (n.k !== 'x') this.#startRecheck(e);
      return true;
    }
    if (n.s <= cur.seq) {
      // older than the state: late (published before the read) or a regression; one recheck after a sync tells
      if (n.s < cur.seq && !e.verified) this.#startRecheck(e);
      return true;
    }
    if (n.k === 'v') {
      const value = decoded ?? decodeParsedValue(cur.type, n.v);
      if (value === undefined) {
        this.malformed(e.path, VALUE_MISMATCH);
        return false;
      }
      const sample: OldbSample = { value, timestamp: n.t, quality: n.q };
      // the hot path: an object literal of the snapshot's fields (faster than spreads)
      e.snapshot = {
        path: cur.path,
        type: cur.type,
        value,
        timestamp: n.t,
        quality: n.q,
        metadata: cur.metadata,
        seq: n.s,
      };
      this.#dispatch(e, { kind: 'value', path: e.path, sample, seq: n.s });
    } else if (n.k === 'm') {
      e.snapshot = { ...cur, metadata: n.m, seq: n.s };
      this.#dispatch(e, { kind: 'metadata', path: e.path, metadata: n.m, seq: n.s });
    } else {
      e.snapshot = undefined;
      e.state = 'missing';
      e.error = undefined;
      this.#dispatch(e, { kind: 'removed', path: e.path, seq: n.s });
    }
    return true;
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
