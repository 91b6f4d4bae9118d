import type { AttributeConfig } from '../core/config.js';
import { configChanges, defaultConfig, mergeConfig } from '../core/config.js';
import { ConnectionState } from '../core/enums.js';
import { asTkError, formatValue } from '../core/format.js';
import { createReading, errorReading, type Reading, type ReadingInit } from '../core/reading.js';
import { describeValue } from '../errors/quote.js';
import { throwIfAborted, toError, WriteError } from '../errors/tk-error.js';
import type { HostedModel, ModelHost, SchemeRuntime } from '../model/host.js';
import type { AttributeSink, AttributeSource } from '../schemes/contract.js';
import { raceAbort } from '../util/abort.js';
import { Listeners } from '../util/listeners.js';
import type { UriGroups } from '../validators/name-validator.js';
import type { ModelHandle, ReadOptions, WriteOptions } from './attribute-options.js';
import { AttributeState } from './attribute-state.js';
import { AttributeStreams } from './attribute-streams.js';
import type { TkEvent } from './events.js';
import { sameReading } from './same-reading.js';
import { coerceWriteValue, isWriteRequest, writeTargetOf } from './write-coercion.js';

export type { ModelHandle, ReadOptions, WriteOptions } from './attribute-options.js';

type Origin = 'push' | 'poll' | 'read' | 'write';

/**
 * An attribute of a control system: a data point with a value, units,
 * quality, time and metadata, named by a URI.
 *
 * Get one with `Attribute(uri)` or `manager.attribute(uri)`; equivalent names
 * give the very same object. Subscribing (through {@link value$},
 * {@link events$}, {@link subscribe} or {@link addListener}) connects the
 * backend; the last unsubscribe disconnects it after the manager's grace
 * period.
 *
 * `T` is the type of the values its readings carry (`rvalue`, `wvalue`),
 * `unknown` unless stated: `Attribute<Quantity>(uri)` or
 * `manager.attribute<boolean>(uri)` types {@link read}, {@link value$},
 * {@link subscribe}, {@link events$} and `for await` accordingly. It is the
 * caller's statement, not checked at run time (as `querySelector<T>` is):
 * numbers always arrive as `Quantity` values, so a numeric attribute is
 * an `AttributeModel<Quantity>`, never `AttributeModel<number>`; and an
 * INVALID reading carries the previous value or `null`, so look at `error`
 * or `quality` first.
 */
export class AttributeModel<T = unknown> extends AttributeStreams<T> implements HostedModel {
  /** @internal owned by the manager's release queue. */
  releaseAt = -1;
  /** @internal owned by the manager's factory cache. */
  cacheInputs: string | string[] | undefined = undefined;
  #config: AttributeConfig | undefined;
  #released = false;
  /** The state of an attribute in use; none while it was never used (most objects, in a large cache). */
  #st: AttributeState | undefined;

  /** The state, created on first use. */
  get #s(): AttributeState {
    return this.#st ?? this.#newState();
  }

  #newState(): AttributeState {
    const st = new AttributeState();
    this.#st = st;
    return st;
  }

  /** @internal created by the manager's factory only. */
  constructor(host: ModelHost, scheme: SchemeRuntime, fullName: string) {
    super(host, scheme, fullName);
  }

  /** Current metadata (defaults until the backend describes the attribute). */
  get config(): AttributeConfig {
    if (this.#config === undefined) this.#config = defaultConfig(this.simpleName);
    return this.#config;
  }

  // ---------------------------------------------------------------- state

  /** The latest reading, if any (no I/O). */
  get reading(): Reading<T> | undefined {
    return this.#st?.reading as Reading<T> | undefined;
  }

  /** Connection state of the backend for this attribute. */
  get connectionState(): ConnectionState {
    return this.#st?.connection ?? ConnectionState.Idle;
  }

  /** Number of live subscribers (value$, events$, subscribe, listeners, iterators). */
  get subscriberCount(): number {
    return this.#st?.watchers ?? 0;
  }

  /** Whether the backend source is open. */
  get isOpen(): boolean {
    return this.#st?.source !== undefined;
  }

  /** What the backend source says about itself (e.g. an eval attribute's expression and inputs). */
  describeSource(): Record<string, unknown> | undefined {
    return this.#st?.source?.describe?.();
  }

  // ---------------------------------------------------------------- read & write

  /** One reading. Failures resolve as an INVALID reading with `error`; aborts reject. */
  async read(options: ReadOptions = {}): Promise<Reading<T>> {
    const st = this.#s;
    this.host.assertOpen(`read of ${this.fullName}`);
    const { cache = true, signal } = options;
    throwIfAborted(signal, `Reading ${this.fullName}`);
    if (cache && st.reading !== undefined && this.#isFresh()) return st.reading as Reading<T>;
    this.#use();
    try {
      // a read in flight is joined only if no write happened since it started (read after write)
      let p = st.inflight;
      if (p === undefined || st.inflightEpoch !== this.host.writeEpoch) p = this.#startFetch('read');
      return (await raceAbort(p, signal, `Reading ${this.fullName}`)) as Reading<T>;
    } finally {
      this.#unuse();
    }
  }

  /**
   * Writes a value (a number, a {@link Quantity} or a string such as `"12 mm"`
   * for numeric attributes, or a value of the attribute's type). Resolves
   * with the resulting reading when the backend reports one. Rejects with a
   * TkError naming the attribute and the reason; then nothing was written.
   */
  async write(value: unknown, options: WriteOptions = {}): Promise<Reading<T> | undefined> {
    const st = this.#s;
    this.host.assertOpen(`write to ${this.fullName}`);
    throwIfAborted(options.signal, `Writing ${this.fullName}`);
    this.#use();
    const t0 = this.host.profiler ? performance.now() : 0;
    let failed = false;
    try {
      const source = this.#open();
      this.#assertWritable(source);
      if (
        this.#config?.type === undefined &&
        st.reading === undefined &&
        source.describesOnWrite !== true &&
        !isWriteRequest(value)
      ) {
        // never described nor read: the backend says what the attribute holds before it is written
        await this.read({ signal: options.signal });
        this.#assertWritable(source);
      }
      // one write path for every scheme: converted to the attribute's units, type and range checked
      const target = writeTargetOf(this.fullName, this.config, st.reading, source.typeFollowsValue);
      const prepared = coerceWriteValue(value, target);
      if (this.runtime.log.tracing)
        this.runtime.log.trace(() => `write ${this.fullName} <- ${describeValue(value)}`);
      const seen = st.accepted;
      let init: ReadingInit | undefined;
      try {
        init = await raceAbort(
          source.write(prepared, { signal: options.signal }),
          options.signal,
          `Writing ${this.fullName}`,
        );
      } finally {
        // even a failed write may have reached the backend: no kept reading of the manager is fresh now
        this.host.writeEpoch++;
      }
      if (init === undefined || st.source !== source) return undefined;
      const now = init.time ?? this.host.clock.now();
      const result = createReading(init, now, this.config.units);
      // A reading that came in while the write was under way (the backend's notification of this
      // write, or of a later one) is newer: publishing the write's result after it would go back in time.
      if (st.accepted !== seen)
        return (this.host.freezeReadings ? Object.freeze(result) : result) as Reading<T>;
      return this.#accept(result, 'write', now) as Reading<T>;
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      if (this.host.profiler)
        this.host.profiler.write(this.fullName, this.scheme, performance.now() - t0, failed);
      this.#unuse();
    }
  }

  #assertWritable(
    source: AttributeSource,
  ): asserts source is AttributeSource & Required<Pick<AttributeSource, 'write'>> {
    if (source.write === undefined || (this.#config !== undefined && !this.#config.writable)) {
      throw new WriteError('NOT_WRITABLE', `Cannot write to ${this.fullName}: the attribute is read-only`, {
        details: { name: this.fullName },
      });
    }
  }

  /** Keeps this attribute from being released until the handle is disposed. Does not connect. */
  hold(): ModelHandle {
    this.#use();
    let done = false;
    const dispose = () => {
      if (done) return;
      done = true;
      this.#unuse();
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  // ---------------------------------------------------------------- internals

  /** @internal releases backend resources after the grace period (the object stays usable). */
  release(): void {
    const st = this.#st;
    if ((st !== undefined && st.users > 0) || this.#released) return;
    if (st !== undefined) {
      this.#stopLive();
      const source = st.source;
      st.source = undefined;
      st.reading = undefined;
      st.readAt = Number.NEGATIVE_INFINITY;
      this.#setConnection(ConnectionState.Idle);
      if (source !== undefined) {
        if (this.runtime.log.tracing) this.runtime.log.trace(() => `close ${this.fullName}`);
        try {
          source.close();
        } catch (err) {
          this.runtime.log.error(`closing ${this.fullName} failed: ${toError(err).message}`);
        }
      }
    }
    this.#released = true;
    this.host.forget(this, 'Attribute');
  }

  /** @internal called by the factory when a released object is looked up again. */
  touch(): void {
    if (!this.#released) return;
    this.#released = false;
    this.host.revive(this, 'Attribute');
    if (this.#st === undefined || this.#st.users === 0) this.host.releaseQueue.schedule(this);
  }

  /** @internal closes everything regardless of users (manager disposal). */
  shutdown(): void {
    const st = this.#st;
    if (st !== undefined) {
      st.onReading?.clear();
      st.onEvent?.clear();
      st.onConnection?.clear();
      st.users = 0;
      st.watchers = 0;
    }
    this.release();
  }

  /** @internal one tick of the shared polling timer. */
  poll(): void {
    const st = this.#s;
    if (st.source === undefined || st.inflight !== undefined) return;
    this.#startFetch('poll');
  }

  /** Starts a backend read as the attribute's read in flight. */
  #startFetch(origin: 'read' | 'poll'): Promise<Reading> {
    const st = this.#s;
    const p = this.#fetch(origin);
    st.inflight = p;
    st.inflightEpoch = this.host.writeEpoch;
    const clear = () => {
      if (st.inflight === p) st.inflight = undefined;
    };
    p.then(clear, clear);
    return p;
  }

  /**
   * Whether the kept reading may answer a cached read: taken after the
   * manager's last write, and kept up to date (a live push source) or
   * younger than the polling period.
   */
  #isFresh(): boolean {
    const st = this.#s;
    if (st.readEpoch !== this.host.writeEpoch) return false;
    if (st.live && st.source?.mode === 'push') return true;
    return this.host.clock.now() - st.readAt < this.runtime.pollingPeriod;
  }

  #use(): void {
    if (this.#s.users++ === 0) {
      this.host.releaseQueue.cancel(this);
      if (this.#released) {
        this.#released = false;
        this.host.revive(this, 'Attribute');
      }
    }
  }

  #unuse(): void {
    const st = this.#s;
    if (st.users > 0 && --st.users === 0) this.host.releaseQueue.schedule(this);
  }

  #open(): AttributeSource {
    const st = this.#s;
    if (st.source !== undefined) return st.source;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `open ${this.fullName}`);
    const sink = this.#makeSink();
    const names = this.names;
    const groups =
      this.runtime.validators.attribute.getUriGroups(this.fullName) ?? ({ __STRICT__: true } as UriGroups);
    const source = this.runtime.backend().openAttribute({ ...names, groups }, sink);
    st.source = source;
    // a source with a write path is writable unless its metadata says otherwise
    this.#applyConfig({ writable: source.write !== undefined, ...source.config }, false);
    return source;
  }

  #makeSink(): AttributeSink {
    const st = this.#s;
    // a sink ignores calls once its source is closed or replaced
    let source: AttributeSource | undefined;
    const current = () => {
      const open = st.source;
      if (source === undefined) source = open;
      return source !== undefined && open === source;
    };
    return {
      reading: (init: ReadingInit) => {
        if (!current()) return;
        // the reading's own time serves as the acceptance time of a push (reading the clock costs)
        const now = init.time ?? this.host.clock.now();
        this.#accept(createReading(init, now, this.config.units), 'push', now);
      },
      config: (patch) => {
        if (!current()) return;
        this.#applyConfig(patch, true);
      },
      error: (err) => {
        if (!current()) return;
        this.#accept(errorReading(asTkError(err, this.fullName), this.host.clock.now(), st.reading), 'push');
      },
      connection: (state, err) => {
        if (!current()) return;
        this.#setConnection(state);
        if (err !== undefined && state === ConnectionState.Disconnected) {
          this.#accept(
            errorReading(asTkError(err, this.fullName), this.host.clock.now(), st.reading),
            'push',
          );
        }
      },
    };
  }

  async #fetch(origin: 'read' | 'poll'): Promise<Reading> {
    const st = this.#s;
    const t0 = this.host.profiler ? performance.now() : 0;
    let source: AttributeSource;
    let reading: Reading;
    try {
      source = this.#open();
    } catch (err) {
      return this.#accept(
        errorReading(asTkError(err, this.fullName), this.host.clock.now(), st.reading),
        origin,
      );
    }
    const seen = st.accepted;
    const epoch = this.host.writeEpoch;
    let now: number;
    try {
      const init = await source.read({});
      now = this.host.clock.now();
      reading = createReading(init, now, this.config.units);
    } catch (err) {
      now = this.host.clock.now();
      reading = errorReading(asTkError(err, this.fullName), now, st.reading);
    }
    if (this.host.profiler) {
      this.host.profiler.read(
        this.fullName,
        this.scheme,
        performance.now() - t0,
        reading.error !== undefined,
      );
    }
    if (st.source !== source) return this.host.freezeReadings ? Object.freeze(reading) : reading; // released meanwhile
    // a reading accepted while this one was under way is newer, unless it was asked for before a
    // write this one follows (a slow read answering late): keep the newer one, and answer with it
    if (st.accepted !== seen && st.reading !== undefined && st.readEpoch >= epoch) return st.reading;
    return this.#accept(reading, origin, now, epoch);
  }

  /** Publishes a reading; `epoch`: the manager's write count when it was asked for (see {@link #isFresh}). */
  #accept(
    reading: Reading,
    origin: Origin,
    now: number = this.host.clock.now(),
    epoch: number = this.host.writeEpoch,
  ): Reading {
    const st = this.#st as AttributeState; // an attribute accepts readings only once used
    if (this.host.freezeReadings) Object.freeze(reading);
    const prev = st.reading;
    st.reading = reading;
    st.readAt = now;
    st.readEpoch = epoch;
    st.accepted++;
    const changed = origin === 'push' || prev === undefined || !sameReading(prev, reading);
    if (this.host.profiler) {
      const latency = origin === 'push' ? this.host.clock.now() - reading.time : undefined;
      this.host.profiler.reading(this.fullName, this.scheme, origin, reading.error !== undefined, latency);
    }
    if (origin === 'push' || changed) {
      st.emitted++;
      if (this.runtime.log.tracing)
        this.runtime.log.trace(
          () =>
            `${origin} ${this.fullName}: ${reading.error ? reading.error.message : formatValue(reading.rvalue)} (${reading.quality})`,
        );
      st.onReading?.emit(reading);
      if (st.onEvent !== undefined) st.onEvent.emit(this.#eventOf(reading, 'change'));
    } else if (origin === 'poll' && st.onEvent !== undefined) {
      st.onEvent.emit(this.#eventOf(reading, 'periodic'));
    }
    return reading;
  }

  #eventOf(reading: Reading, type: 'change' | 'periodic'): TkEvent {
    if (reading.error !== undefined)
      return { type: 'error', name: this.fullName, reading, error: reading.error };
    return { type, name: this.fullName, reading };
  }

  #applyConfig(patch: Partial<AttributeConfig>, notify: boolean): void {
    const st = this.#s;
    const base = this.config;
    if (!configChanges(base, patch)) return;
    this.#config = mergeConfig(base, patch);
    if (notify && st.onEvent !== undefined) {
      st.onEvent.emit({ type: 'config', name: this.fullName, config: this.#config });
    }
  }

  #setConnection(state: ConnectionState): void {
    const st = this.#s;
    if (state === st.connection) return;
    st.connection = state;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `connection ${this.fullName}: ${state}`);
    st.onConnection?.emit(state);
  }

  /** @internal */
  protected watchConnection(fn: (s: ConnectionState) => void): () => void {
    const st = this.#s;
    if (st.onConnection === undefined) st.onConnection = new Listeners();
    return st.onConnection.add(fn);
  }

  /** @internal */
  protected watchReadings(fn: (r: Reading) => void): () => void {
    const st = this.#s;
    if (st.onReading === undefined) st.onReading = new Listeners();
    const off = st.onReading.add(fn);
    return this.#watch(off, (pushedOnStart) => {
      if (st.reading !== undefined && !pushedOnStart) fn(st.reading);
    });
  }

  /** @internal */
  protected watchEvents(fn: (e: TkEvent) => void): () => void {
    const st = this.#s;
    if (st.onEvent === undefined) st.onEvent = new Listeners();
    const off = st.onEvent.add(fn);
    return this.#watch(off, (pushedOnStart) => {
      if (this.#config !== undefined) fn({ type: 'config', name: this.fullName, config: this.#config });
      if (st.reading !== undefined && !pushedOnStart) fn(this.#eventOf(st.reading, 'change'));
    });
  }

  #watch(off: () => void, replay: (pushedOnStart: boolean) => void): () => void {
    const st = this.#s;
    this.host.assertOpen(`subscription to ${this.fullName}`);
    this.#use();
    st.watchers++;
    let active = true;
    const before = st.emitted;
    try {
      this.#startLive();
    } catch (err) {
      this.#accept(errorReading(asTkError(err, this.fullName), this.host.clock.now(), st.reading), 'push');
    }
    // a source that pushed synchronously on start already reached this listener
    replay(st.emitted !== before);
    return () => {
      if (!active) return;
      active = false;
      off();
      st.watchers--;
      this.#unuse();
    };
  }

  #startLive(): void {
    const st = this.#s;
    if (st.live) return;
    const source = this.#open();
    st.live = true;
    if (source.mode === 'push') {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `subscribe ${this.fullName}`);
      source.start?.();
    } else {
      this.host.polling.add(this, this.runtime.pollingPeriod);
      if (st.reading === undefined || !this.#isFresh()) this.poll();
    }
  }

  #stopLive(): void {
    const st = this.#s;
    if (!st.live) return;
    st.live = false;
    const source = st.source;
    if (source === undefined) return;
    if (source.mode === 'push') {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `unsubscribe ${this.fullName}`);
      source.stop?.();
    } else {
      this.host.polling.remove(this, this.runtime.pollingPeriod);
    }
  }
}

export { asTkError, isInvalid } from '../core/format.js';
