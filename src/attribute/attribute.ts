import { TkError as TkErrorClass, throwIfAborted, toError } from '../errors/tk-error.js';
import { ConnectionState } from '../model/enums.js';
import type { HostedModel, ModelHost, SchemeRuntime } from '../model/host.js';
import type { AttributeConfig, AttributeSink, AttributeSource } from '../schemes/contract.js';
import { raceAbort } from '../util/abort.js';
import { Listeners } from '../util/listeners.js';
import type { UriGroups } from '../validators/name-validator.js';
import { AttributeStreams } from './attribute-streams.js';
import { configChanges, defaultConfig, mergeConfig } from './config.js';
import type { TkEvent } from './events.js';
import { asTkError, formatValue } from './format.js';
import { createReading, errorReading, type Reading, type ReadingInit } from './reading.js';
import { sameReading } from './same-reading.js';

/** Options of {@link AttributeModel.read}. */
export interface ReadOptions {
  /**
   * When true (the default), a reading that is kept up to date (the attribute
   * has subscribers) or younger than the polling period is returned without
   * asking the backend. False always asks the backend.
   */
  cache?: boolean;
  /** Cancels the read. */
  signal?: AbortSignal;
}

/** Options of {@link AttributeModel.write}. */
export interface WriteOptions {
  /** Cancels the write. */
  signal?: AbortSignal;
}

/** A handle that keeps a model from being released; see {@link AttributeModel.hold}. */
export interface ModelHandle extends Disposable {
  /** Lets the model go (idempotent). */
  dispose(): void;
}

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
 */
export class AttributeModel extends AttributeStreams implements HostedModel {
  /** @internal owned by the manager's release queue. */
  releaseAt = -1;
  /** @internal owned by the manager's factory cache. */
  cacheInputs: string | string[] | undefined = undefined;
  #source: AttributeSource | undefined;
  #config: AttributeConfig | undefined;
  #reading: Reading | undefined;
  #readAt = Number.NEGATIVE_INFINITY;
  #users = 0;
  #watchers = 0;
  #live = false;
  #released = false;
  #connection: ConnectionState = ConnectionState.Idle;
  #inflight: Promise<Reading> | undefined;
  #emitted = 0;
  #accepted = 0;
  #onReading: Listeners<Reading> | undefined;
  #onEvent: Listeners<TkEvent> | undefined;
  #onConnection: Listeners<ConnectionState> | undefined;

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
  get reading(): Reading | undefined {
    return this.#reading;
  }

  /** Connection state of the backend for this attribute. */
  get connectionState(): ConnectionState {
    return this.#connection;
  }

  /** Number of live subscribers (value$, events$, subscribe, listeners, iterators). */
  get subscriberCount(): number {
    return this.#watchers;
  }

  /** Whether the backend source is open. */
  get isOpen(): boolean {
    return this.#source !== undefined;
  }

  /** What the backend source says about itself (e.g. an eval attribute's expression and inputs). */
  describeSource(): Record<string, unknown> | undefined {
    return this.#source?.describe?.();
  }

  // ---------------------------------------------------------------- read & write

  /** One reading. Failures resolve as an INVALID reading with `error`; aborts reject. */
  async read(options: ReadOptions = {}): Promise<Reading> {
    this.host.assertOpen(`read of ${this.fullName}`);
    const { cache = true, signal } = options;
    throwIfAborted(signal, `Reading ${this.fullName}`);
    if (cache && this.#reading !== undefined && this.#isFresh()) return this.#reading;
    this.#use();
    try {
      let p = this.#inflight;
      if (p === undefined) {
        p = this.#fetch('read');
        this.#inflight = p;
        const clear = () => {
          if (this.#inflight === p) this.#inflight = undefined;
        };
        p.then(clear, clear);
      }
      return await raceAbort(p, signal, `Reading ${this.fullName}`);
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
  async write(value: unknown, options: WriteOptions = {}): Promise<Reading | undefined> {
    this.host.assertOpen(`write to ${this.fullName}`);
    throwIfAborted(options.signal, `Writing ${this.fullName}`);
    this.#use();
    const t0 = this.host.profiler ? performance.now() : 0;
    let failed = false;
    try {
      const source = this.#open();
      if (source.write === undefined || (this.#config !== undefined && !this.#config.writable)) {
        throw new TkErrorClass(
          'NOT_WRITABLE',
          `Cannot write to ${this.fullName}: the attribute is read-only`,
          {
            details: { name: this.fullName },
          },
        );
      }
      if (this.runtime.log.tracing)
        this.runtime.log.trace(() => `write ${this.fullName} <- ${String(value)}`);
      const seen = this.#accepted;
      const init = await raceAbort(
        source.write(value, { signal: options.signal }),
        options.signal,
        `Writing ${this.fullName}`,
      );
      if (init === undefined || this.#source !== source) return undefined;
      const now = init.time ?? this.host.clock.now();
      const result = createReading(init, now, this.config.units);
      // A reading that came in while the write was under way (the backend's notification of this
      // write, or of a later one) is newer: publishing the write's result after it would go back in time.
      if (this.#accepted !== seen) return result;
      return this.#accept(result, 'write', now);
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      if (this.host.profiler)
        this.host.profiler.write(this.fullName, this.scheme, performance.now() - t0, failed);
      this.#unuse();
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
    if (this.#users > 0 || this.#released) return;
    this.#stopLive();
    const source = this.#source;
    this.#source = undefined;
    this.#reading = undefined;
    this.#readAt = Number.NEGATIVE_INFINITY;
    this.#setConnection(ConnectionState.Idle);
    if (source !== undefined) {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `close ${this.fullName}`);
      try {
        source.close();
      } catch (err) {
        this.runtime.log.error(`closing ${this.fullName} failed: ${toError(err).message}`);
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
    if (this.#users === 0) this.host.releaseQueue.schedule(this);
  }

  /** @internal closes everything regardless of users (manager disposal). */
  shutdown(): void {
    this.#onReading?.clear();
    this.#onEvent?.clear();
    this.#onConnection?.clear();
    this.#users = 0;
    this.#watchers = 0;
    this.release();
  }

  /** @internal one tick of the shared polling timer. */
  poll(): void {
    if (this.#source === undefined || this.#inflight !== undefined) return;
    const p = this.#fetch('poll');
    this.#inflight = p;
    const clear = () => {
      if (this.#inflight === p) this.#inflight = undefined;
    };
    p.then(clear, clear);
  }

  #isFresh(): boolean {
    if (this.#live && this.#source?.mode === 'push') return true;
    return this.host.clock.now() - this.#readAt < this.runtime.pollingPeriod;
  }

  #use(): void {
    if (this.#users++ === 0) {
      this.host.releaseQueue.cancel(this);
      if (this.#released) {
        this.#released = false;
        this.host.revive(this, 'Attribute');
      }
    }
  }

  #unuse(): void {
    if (this.#users > 0 && --this.#users === 0) this.host.releaseQueue.schedule(this);
  }

  #open(): AttributeSource {
    if (this.#source !== undefined) return this.#source;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `open ${this.fullName}`);
    const sink = this.#makeSink();
    const names = this.names;
    const groups =
      this.runtime.validators.attribute.getUriGroups(this.fullName) ?? ({ __STRICT__: true } as UriGroups);
    const source = this.runtime.backend().openAttribute({ ...names, groups }, sink);
    this.#source = source;
    // a source with a write path is writable unless its metadata says otherwise
    this.#applyConfig({ writable: source.write !== undefined, ...source.config }, false);
    return source;
  }

  #makeSink(): AttributeSink {
    // a sink ignores calls once its source is closed or replaced
    let source: AttributeSource | undefined;
    const current = () => {
      if (source === undefined) source = this.#source;
      return source !== undefined && this.#source === source;
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
        this.#accept(
          errorReading(asTkError(err, this.fullName), this.host.clock.now(), this.#reading),
          'push',
        );
      },
      connection: (state, err) => {
        if (!current()) return;
        this.#setConnection(state);
        if (err !== undefined && state === ConnectionState.Disconnected) {
          this.#accept(
            errorReading(asTkError(err, this.fullName), this.host.clock.now(), this.#reading),
            'push',
          );
        }
      },
    };
  }

  async #fetch(origin: 'read' | 'poll'): Promise<Reading> {
    const t0 = this.host.profiler ? performance.now() : 0;
    let source: AttributeSource;
    let reading: Reading;
    try {
      source = this.#open();
    } catch (err) {
      return this.#accept(
        errorReading(asTkError(err, this.fullName), this.host.clock.now(), this.#reading),
        origin,
      );
    }
    const seen = this.#accepted;
    try {
      const init = await source.read({});
      reading = createReading(init, this.host.clock.now(), this.config.units);
    } catch (err) {
      reading = errorReading(asTkError(err, this.fullName), this.host.clock.now(), this.#reading);
    }
    if (this.host.profiler) {
      this.host.profiler.read(
        this.fullName,
        this.scheme,
        performance.now() - t0,
        reading.error !== undefined,
      );
    }
    if (this.#source !== source) return reading; // released meanwhile
    // a reading pushed while this one was under way is newer: keep it, and answer with it
    if (this.#accepted !== seen && this.#reading !== undefined) return this.#reading;
    return this.#accept(reading, origin);
  }

  #accept(reading: Reading, origin: Origin, now: number = this.host.clock.now()): Reading {
    const prev = this.#reading;
    this.#reading = reading;
    this.#readAt = now;
    this.#accepted++;
    const changed = origin === 'push' || prev === undefined || !sameReading(prev, reading);
    if (this.host.profiler) {
      const latency = origin === 'push' ? this.host.clock.now() - reading.time : undefined;
      this.host.profiler.reading(this.fullName, this.scheme, origin, reading.error !== undefined, latency);
    }
    if (origin === 'push' || changed) {
      this.#emitted++;
      if (this.runtime.log.tracing)
        this.runtime.log.trace(
          () =>
            `${origin} ${this.fullName}: ${reading.error ? reading.error.message : formatValue(reading.rvalue)} (${reading.quality})`,
        );
      this.#onReading?.emit(reading);
      if (this.#onEvent !== undefined) this.#onEvent.emit(this.#eventOf(reading, 'change'));
    } else if (origin === 'poll' && this.#onEvent !== undefined) {
      this.#onEvent.emit(this.#eventOf(reading, 'periodic'));
    }
    return reading;
  }

  #eventOf(reading: Reading, type: 'change' | 'periodic'): TkEvent {
    if (reading.error !== undefined)
      return { type: 'error', name: this.fullName, reading, error: reading.error };
    return { type, name: this.fullName, reading };
  }

  #applyConfig(patch: Partial<AttributeConfig>, notify: boolean): void {
    const base = this.config;
    if (!configChanges(base, patch)) return;
    this.#config = mergeConfig(base, patch);
    if (notify && this.#onEvent !== undefined) {
      this.#onEvent.emit({ type: 'config', name: this.fullName, config: this.#config });
    }
  }

  #setConnection(state: ConnectionState): void {
    if (state === this.#connection) return;
    this.#connection = state;
    if (this.runtime.log.tracing) this.runtime.log.trace(() => `connection ${this.fullName}: ${state}`);
    this.#onConnection?.emit(state);
  }

  /** @internal */
  protected watchConnection(fn: (s: ConnectionState) => void): () => void {
    if (this.#onConnection === undefined) this.#onConnection = new Listeners();
    return this.#onConnection.add(fn);
  }

  /** @internal */
  protected watchReadings(fn: (r: Reading) => void): () => void {
    if (this.#onReading === undefined) this.#onReading = new Listeners();
    const off = this.#onReading.add(fn);
    return this.#watch(off, (pushedOnStart) => {
      if (this.#reading !== undefined && !pushedOnStart) fn(this.#reading);
    });
  }

  /** @internal */
  protected watchEvents(fn: (e: TkEvent) => void): () => void {
    if (this.#onEvent === undefined) this.#onEvent = new Listeners();
    const off = this.#onEvent.add(fn);
    return this.#watch(off, (pushedOnStart) => {
      if (this.#config !== undefined) fn({ type: 'config', name: this.fullName, config: this.#config });
      if (this.#reading !== undefined && !pushedOnStart) fn(this.#eventOf(this.#reading, 'change'));
    });
  }

  #watch(off: () => void, replay: (pushedOnStart: boolean) => void): () => void {
    this.host.assertOpen(`subscription to ${this.fullName}`);
    this.#use();
    this.#watchers++;
    let active = true;
    const before = this.#emitted;
    try {
      this.#startLive();
    } catch (err) {
      this.#accept(errorReading(asTkError(err, this.fullName), this.host.clock.now(), this.#reading), 'push');
    }
    // a source that pushed synchronously on start already reached this listener
    replay(this.#emitted !== before);
    return () => {
      if (!active) return;
      active = false;
      off();
      this.#watchers--;
      this.#unuse();
    };
  }

  #startLive(): void {
    if (this.#live) return;
    const source = this.#open();
    this.#live = true;
    if (source.mode === 'push') {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `subscribe ${this.fullName}`);
      source.start?.();
    } else {
      this.host.polling.add(this, this.runtime.pollingPeriod);
      if (this.#reading === undefined || !this.#isFresh()) this.poll();
    }
  }

  #stopLive(): void {
    if (!this.#live) return;
    this.#live = false;
    const source = this.#source;
    if (source === undefined) return;
    if (source.mode === 'push') {
      if (this.runtime.log.tracing) this.runtime.log.trace(() => `unsubscribe ${this.fullName}`);
      source.stop?.();
    } else {
      this.host.polling.remove(this, this.runtime.pollingPeriod);
    }
  }
}

export { asTkError, isInvalid } from './format.js';
