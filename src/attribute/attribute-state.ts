/**
 * The state of an attribute in use: its backend source, latest reading,
 * watchers and listeners. An attribute creates it on first use, so the many
 * objects of a large cache that were never used stay small (and cheap for the
 * garbage collector, which copies every surviving object). Its users are
 * counted by the attribute's lifetime (`Lifetime`), not here.
 *
 * Three ordering rules decide which reading is published and kept:
 *
 * - **newer wins**: a read's or a write's result is not published over a
 *   reading accepted while it was under way (a push, or another read): that
 *   one is newer. `accepted` numbers the accepted readings; a result whose
 *   number moved while it was awaited is older ({@link AttributeState.acceptedSince}).
 * - **no read across a write**: a reading asked for before a write of the
 *   manager is not served as fresh after that write, and a read started after
 *   it does not join a read in flight from before it (`readEpoch` and
 *   `inflightEpoch` against the manager's `writeEpoch`).
 * - **replay once**: a new watcher is handed the latest reading at once,
 *   unless the source's start already delivered one to it (`emitted` numbers
 *   the readings emitted to watchers, {@link AttributeState.emittedSince}).
 *
 * The push path (a source's sink, `AttributeModel`'s accept) writes
 * `reading`, `readAt`, `readEpoch`, `accepted` and `emitted` inline, with no
 * call; every other change goes through one of the transitions below.
 *
 * @module
 */
import { ConnectionState } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import type { AttributeSource } from '../schemes/contract.js';
import { Listeners } from '../util/listeners.js';
import type { TkEvent } from './events.js';

/** What an attribute holds once it is used: its source, latest reading, watchers and listeners. */
export class AttributeState {
  /** The backend side, open from first use until the attribute is released. */
  source: AttributeSource | undefined = undefined;
  /** The latest accepted reading: what `reading` shows and a new watcher is handed. */
  reading: Reading | undefined = undefined;
  /** Clock time the latest reading was accepted: a cached read is fresh within the polling period. */
  readAt = Number.NEGATIVE_INFINITY;
  /** The manager's write count when the latest reading was asked for (rule: no read across a write). */
  readEpoch = -1;
  /** Watchers: subscribers, listeners, iterators (each is also a user of the attribute's lifetime). */
  watchers = 0;
  /** Whether the source delivers to watchers: a push source started, or a poll source on the polling timer. */
  live = false;
  /** The backend's connection state, as last reported (or Idle once released). */
  connection: ConnectionState = ConnectionState.Idle;
  /** The backend read under way, which a read joins (rule: no read across a write). */
  inflight: Promise<Reading> | undefined = undefined;
  /** The manager's write count when the read in flight started. */
  inflightEpoch = -1;
  /** Sequence number of the latest reading emitted to watchers (rule: replay once). */
  emitted = 0;
  /** Sequence number of the latest accepted reading (rule: newer wins). */
  accepted = 0;
  /** Listeners of readings (value$, subscribe, iterators), created with the first. */
  onReading: Listeners<Reading> | undefined = undefined;
  /** Listeners of events (events$, addListener), created with the first. */
  onEvent: Listeners<TkEvent> | undefined = undefined;
  /** Listeners of connection changes (connection$), created with the first. */
  onConnection: Listeners<ConnectionState> | undefined = undefined;

  // ------------------------------------------------------------ ordering rules

  /** Rule newer wins: whether a reading was accepted since `seen` (a value of `accepted`). */
  acceptedSince(seen: number): boolean {
    return this.accepted !== seen;
  }

  /** Rule replay once: whether a reading was emitted to watchers since `seen` (a value of `emitted`). */
  emittedSince(seen: number): boolean {
    return this.emitted !== seen;
  }

  // ------------------------------------------------------------ transitions

  /** The source was opened. */
  opened(source: AttributeSource): void {
    this.source = source;
  }

  /** The attribute is released: the source is let go (returned, to close) and the kept reading with it. */
  closed(): AttributeSource | undefined {
    const source = this.source;
    this.source = undefined;
    this.reading = undefined;
    this.readAt = Number.NEGATIVE_INFINITY;
    return source;
  }

  /**
   * A backend read started: reads join it until it settles (rule: no read across a write).
   * `holder`, if any, is told when it settled (after the read's own reading was accepted).
   */
  fetchStarted(pending: Promise<Reading>, writeEpoch: number, holder?: { fetchSettled(): void }): void {
    this.inflight = pending;
    this.inflightEpoch = writeEpoch;
    const settled = () => {
      if (this.inflight === pending) this.inflight = undefined;
      holder?.fetchSettled();
    };
    pending.then(settled, settled);
  }

  /** The source starts delivering to watchers; false when it already does. */
  wentLive(): boolean {
    if (this.live) return false;
    this.live = true;
    return true;
  }

  /** The source stops delivering; the source to stop, or undefined when it was not live. */
  wentQuiet(): AttributeSource | undefined {
    if (!this.live) return undefined;
    this.live = false;
    return this.source;
  }

  /** The backend reported a connection state; false when it is the one already known. */
  connectionChanged(state: ConnectionState): boolean {
    if (state === this.connection) return false;
    this.connection = state;
    return true;
  }

  /** A watcher came; `emitted` as it was, for the rule replay once. */
  watcherAdded(): number {
    this.watchers++;
    return this.emitted;
  }

  /** A watcher left. */
  watcherRemoved(): void {
    this.watchers--;
  }

  /** The manager is disposed: every listener and watcher is dropped. */
  ended(): void {
    this.onReading?.clear();
    this.onEvent?.clear();
    this.onConnection?.clear();
    this.watchers = 0;
  }

  /** The reading listeners, created with the first. */
  readingListeners(): Listeners<Reading> {
    if (this.onReading === undefined) this.onReading = new Listeners();
    return this.onReading;
  }

  /** The event listeners, created with the first. */
  eventListeners(): Listeners<TkEvent> {
    if (this.onEvent === undefined) this.onEvent = new Listeners();
    return this.onEvent;
  }

  /** The connection listeners, created with the first. */
  connectionListeners(): Listeners<ConnectionState> {
    if (this.onConnection === undefined) this.onConnection = new Listeners();
    return this.onConnection;
  }
}
