/**
 * An attribute's link to its backend: the state of an attribute in use
 * (`AttributeState`), the source it opens, the sink the source pushes into,
 * and every change of that state (accepting readings, going live and quiet,
 * connection changes, watchers, release), on top of its metadata
 * (`AttributeMetadata`). `AttributeModel` adds the public reads and writes
 * on top.
 *
 * @module
 */
import type { AttributeConfig } from '../core/config.js';
import { ConnectionState } from '../core/enums.js';
import { asTkError, formatValue } from '../core/format.js';
import { createReading, errorReading, type Reading, type ReadingInit } from '../core/reading.js';
import { toError } from '../errors/tk-error.js';
import type { AttributeSource, SourceReadOptions } from '../schemes/contract.js';
import { AttributeMetadata } from './attribute-metadata.js';
import { AttributeState } from './attribute-state.js';
import type { TkEvent } from './events.js';
import { LinkSink, OpenTarget } from './link-target.js';
import { sameReading } from './same-reading.js';

type Origin = 'push' | 'poll' | 'read' | 'write';

/** The options of a source's read for the attribute's reads: none (an abort is the attribute's). */
const NO_READ_OPTIONS: SourceReadOptions = Object.freeze({});

/** The backend side of an {@link AttributeModel}: its state, source and sink. `T` is the type of its values. */
export abstract class AttributeLink<T = unknown> extends AttributeMetadata<T> {
  /** The state of an attribute in use; none while it was never used (most objects, in a large cache). */
  #stateIfUsed: AttributeState | undefined;

  /** @internal the state, created on first use. */
  protected get state(): AttributeState {
    return this.#stateIfUsed ?? this.#newState();
  }

  /** @internal the state, or undefined while the attribute was never used. */
  protected get stateIfUsed(): AttributeState | undefined {
    return this.#stateIfUsed;
  }

  #newState(): AttributeState {
    const state = new AttributeState();
    this.#stateIfUsed = state;
    return state;
  }

  // ---------------------------------------------------------------- lifetime

  /** @internal the lifetime's release: stops delivery and closes the source (the object stays usable). */
  protected free(): void {
    const state = this.stateIfUsed;
    if (state === undefined) return;
    this.#stopLive();
    const source = state.closed();
    this.#setConnection(ConnectionState.Idle);
    if (source === undefined) return;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `close ${this.fullName}`);
    try {
      source.close();
    } catch (err) {
      this.runtime.log.error(`closing ${this.fullName} failed: ${toError(err).message}`);
    }
  }

  /** @internal closes everything regardless of users (manager disposal). */
  override end(): void {
    this.stateIfUsed?.ended();
    super.end();
  }

  // ---------------------------------------------------------------- internals

  /** @internal one tick of the shared polling timer. */
  poll(): void {
    const state = this.state;
    if (state.source === undefined || state.inflight !== undefined) return;
    this.startFetch('poll');
  }

  /**
   * @internal starts a backend read as the attribute's read in flight. With `held`, it
   * keeps the attribute in use until it settles: the read without a signal that starts it
   * needs no hold of its own, and answers with this very promise.
   */
  protected startFetch(origin: 'read' | 'poll', held = false): Promise<Reading> {
    if (held) this.enter();
    const pending = this.#fetch(origin);
    this.state.fetchStarted(pending, this.host.writeEpoch, held ? this : undefined);
    return pending;
  }

  /** @internal the end of a read that kept the attribute in use (see {@link startFetch}). */
  fetchSettled(): void {
    this.leave();
  }

  /**
   * @internal whether the kept reading may answer a cached read: taken after the
   * manager's last write (rule no read across a write), and kept up to date
   * (a live push source) or younger than the polling period.
   */
  protected isFresh(): boolean {
    const state = this.state;
    if (state.readEpoch !== this.host.writeEpoch) return false;
    if (state.live && state.source?.mode === 'push') return true;
    return this.host.clock.now() - state.readAt < this.runtime.pollingPeriod;
  }

  /** @internal the source, opened on first use. */
  protected open(): AttributeSource {
    const state = this.state;
    if (state.source !== undefined) return state.source;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `open ${this.fullName}`);
    const sink = new LinkSink(this, state);
    const source = this.runtime.backend().openAttribute(new OpenTarget(this.names, this.runtime), sink);
    state.opened(source);
    this.takeOpenedConfig(source);
    return source;
  }

  /** @internal a reading the source pushed (see {@link LinkSink}). */
  sinkReading(init: ReadingInit): void {
    // the reading's own time serves as the acceptance time of a push (reading the clock costs)
    const now = init.time ?? this.host.clock.now();
    this.accept(createReading(init, now, this.config.units), 'push', now);
  }

  /** @internal metadata the source sent. */
  sinkConfig(patch: Partial<AttributeConfig>): void {
    this.#applyConfig(patch, true);
  }

  /** @internal a failure the source reported. */
  sinkError(err: unknown): void {
    const state = this.state;
    this.accept(errorReading(asTkError(err, this.fullName), this.host.clock.now(), state.reading), 'push');
  }

  /** @internal a connection change the source reported. */
  sinkConnection(connection: ConnectionState, err: unknown): void {
    this.#setConnection(connection);
    if (err !== undefined && connection === ConnectionState.Disconnected) this.sinkError(err);
  }

  /**
   * A backend read, accepted as the attribute's reading. A plain promise chain, not an async
   * function: a panel opening reads many attributes at once, and each async frame costs memory.
   * Never rejects for a failure of the backend (that is an INVALID reading).
   */
  #fetch(origin: 'read' | 'poll'): Promise<Reading> {
    try {
      const state = this.state;
      const startedAt = this.host.profiler ? performance.now() : 0;
      let source: AttributeSource;
      try {
        source = this.open();
      } catch (err) {
        return Promise.resolve(
          this.accept(
            errorReading(asTkError(err, this.fullName), this.host.clock.now(), state.reading),
            origin,
          ),
        );
      }
      const seen = state.accepted;
      const epoch = this.host.writeEpoch;
      let asked: Promise<ReadingInit>;
      try {
        asked = source.read(NO_READ_OPTIONS);
      } catch (err) {
        // a source that throws at once: answered at once, as the async function this was did
        return Promise.resolve(this.#readFailed(err, state, source, seen, epoch, startedAt, origin));
      }
      return Promise.resolve(asked).then(
        (init) => this.#readDone(init, state, source, seen, epoch, startedAt, origin),
        (err: unknown) => this.#readFailed(err, state, source, seen, epoch, startedAt, origin),
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #readDone(
    init: ReadingInit,
    state: AttributeState,
    source: AttributeSource,
    seen: number,
    epoch: number,
    startedAt: number,
    origin: 'read' | 'poll',
  ): Reading {
    const now = this.host.clock.now();
    let reading: Reading;
    try {
      reading = createReading(init, now, this.config.units);
    } catch (err) {
      reading = errorReading(asTkError(err, this.fullName), now, state.reading);
    }
    return this.#fetched(reading, now, state, source, seen, epoch, startedAt, origin);
  }

  #readFailed(
    err: unknown,
    state: AttributeState,
    source: AttributeSource,
    seen: number,
    epoch: number,
    startedAt: number,
    origin: 'read' | 'poll',
  ): Reading {
    const now = this.host.clock.now();
    const reading = errorReading(asTkError(err, this.fullName), now, state.reading);
    return this.#fetched(reading, now, state, source, seen, epoch, startedAt, origin);
  }

  /** The end of a backend read: profiled, and accepted unless released meanwhile or a newer one came. */
  #fetched(
    reading: Reading,
    now: number,
    state: AttributeState,
    source: AttributeSource,
    seen: number,
    epoch: number,
    startedAt: number,
    origin: 'read' | 'poll',
  ): Reading {
    this.host.profiler?.read(
      this.fullName,
      this.scheme,
      performance.now() - startedAt,
      reading.error !== undefined,
    );
    if (state.source !== source) return this.host.freezeReadings ? Object.freeze(reading) : reading; // released meanwhile
    // rule newer wins: a reading accepted while this one was under way is newer, unless it was asked for
    // before a write this one follows (rule no read across a write): keep the newer one, answer with it
    if (state.acceptedSince(seen) && state.reading !== undefined && state.readEpoch >= epoch)
      return state.reading;
    return this.accept(reading, origin, now, epoch);
  }

  /**
   * @internal accepts and publishes a reading: the push path's one transition, written
   * inline (see `AttributeState`). `epoch`: the manager's write count when it
   * was asked for (rule no read across a write).
   */
  protected accept(
    reading: Reading,
    origin: Origin,
    now: number = this.host.clock.now(),
    epoch: number = this.host.writeEpoch,
  ): Reading {
    const state = this.#stateIfUsed as AttributeState; // an attribute accepts readings only once used
    if (this.host.freezeReadings) Object.freeze(reading);
    const previous = state.reading;
    state.reading = reading;
    state.readAt = now;
    state.readEpoch = epoch;
    state.accepted++;
    const changed = origin === 'push' || previous === undefined || !sameReading(previous, reading);
    if (this.host.profiler) {
      const latency = origin === 'push' ? this.host.clock.now() - reading.time : undefined;
      this.host.profiler.reading(this.fullName, this.scheme, origin, reading.error !== undefined, latency);
    }
    if (origin === 'push' || changed) {
      state.emitted++;
      if (this.runtime.log.tracing)
        this.runtime.log.trace(
          () =>
            `${origin} ${this.fullName}: ${reading.error ? reading.error.message : formatValue(reading.rvalue)} (${reading.quality})`,
        );
      state.onReading?.emit(reading);
      if (state.onEvent !== undefined) state.onEvent.emit(this.#eventOf(reading, 'change'));
    } else if (origin === 'poll' && state.onEvent !== undefined) {
      state.onEvent.emit(this.#eventOf(reading, 'periodic'));
    }
    return reading;
  }

  #eventOf(reading: Reading, type: 'change' | 'periodic'): TkEvent {
    if (reading.error !== undefined)
      return { type: 'error', name: this.fullName, reading, error: reading.error };
    return { type, name: this.fullName, reading };
  }

  #applyConfig(patch: Partial<AttributeConfig>, notify: boolean): void {
    const config = this.takeConfig(patch, notify && this.stateIfUsed?.onEvent !== undefined);
    if (config !== undefined && notify)
      this.state.onEvent?.emit({ type: 'config', name: this.fullName, config });
  }

  #setConnection(connection: ConnectionState): void {
    const state = this.state;
    if (!state.connectionChanged(connection)) return;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `connection ${this.fullName}: ${connection}`);
    state.onConnection?.emit(connection);
  }

  // ---------------------------------------------------------------- watchers

  /** @internal */
  protected watchConnection(fn: (s: ConnectionState) => void): () => void {
    return this.state.connectionListeners().add(fn);
  }

  /** @internal */
  protected watchReadings(fn: (r: Reading) => void): () => void {
    const state = this.state;
    const off = state.readingListeners().add(fn);
    return this.#watch(off, (pushedOnStart) => {
      if (state.reading !== undefined && !pushedOnStart) fn(state.reading);
    });
  }

  /** @internal */
  protected watchEvents(fn: (e: TkEvent) => void): () => void {
    const state = this.state;
    const off = state.eventListeners().add(fn);
    return this.#watch(off, (pushedOnStart) => {
      if (this.configIfKnown !== undefined)
        fn({ type: 'config', name: this.fullName, config: this.configIfKnown });
      if (state.reading !== undefined && !pushedOnStart) fn(this.#eventOf(state.reading, 'change'));
    });
  }

  #watch(off: () => void, replay: (pushedOnStart: boolean) => void): () => void {
    const state = this.state;
    this.host.assertOpen('subscription to', this.fullName);
    this.enter();
    const emittedBefore = state.watcherAdded();
    let active = true;
    try {
      this.#startLive();
    } catch (err) {
      this.accept(errorReading(asTkError(err, this.fullName), this.host.clock.now(), state.reading), 'push');
    }
    // rule replay once: a source that pushed synchronously on start already reached this listener
    replay(state.emittedSince(emittedBefore));
    return () => {
      if (!active) return;
      active = false;
      off();
      state.watcherRemoved();
      this.leave();
    };
  }

  #startLive(): void {
    const state = this.state;
    if (state.live) return;
    const source = this.open();
    state.wentLive();
    if (source.mode === 'push') {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `subscribe ${this.fullName}`);
      source.start?.();
    } else {
      this.host.polling.add(this, this.runtime.pollingPeriod);
      if (state.reading === undefined || !this.isFresh()) this.poll();
    }
  }

  #stopLive(): void {
    const source = this.state.wentQuiet();
    if (source === undefined) return;
    if (source.mode === 'push') {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `unsubscribe ${this.fullName}`);
      source.stop?.();
    } else {
      this.host.polling.remove(this, this.runtime.pollingPeriod);
    }
  }
}
