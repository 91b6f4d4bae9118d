import { ConnectionState } from '../core/enums.js';
import { createReading, type Reading, type ReadingInit } from '../core/reading.js';
import { describeValue } from '../errors/quote.js';
import { throwIfAborted, WriteError } from '../errors/tk-error.js';

import type { ModelHost, SchemeRuntime } from '../model/host.js';
import type { AttributeSource } from '../schemes/contract.js';
import { raceAbort } from '../util/abort.js';
import type { ModelNames } from '../validators/name-validator.js';
import { AttributeLink } from './attribute-link.js';
import type { ReadOptions, WriteOptions, WriteValue } from './attribute-options.js';
import { coerceWriteValue, isWriteRequest, writeTargetOf } from './write-coercion.js';

export type {
  ModelHandle,
  ReadOptions,
  WriteOptions,
  WriteRequest,
  WriteValue,
} from './attribute-options.js';

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
export class AttributeModel<T = unknown> extends AttributeLink<T> {
  /** @internal created by the manager's factory only (with the names it found, if any). */
  constructor(host: ModelHost, scheme: SchemeRuntime, fullName: string, names?: ModelNames) {
    super(host, scheme, fullName, names);
  }

  /** The latest reading, if any (no I/O). */
  get reading(): Reading<T> | undefined {
    return this.stateIfUsed?.reading as Reading<T> | undefined;
  }

  /** Connection state of the backend for this attribute. */
  get connectionState(): ConnectionState {
    return this.stateIfUsed?.connection ?? ConnectionState.Idle;
  }

  /** Number of live subscribers (value$, events$, subscribe, listeners, iterators). */
  get subscriberCount(): number {
    return this.stateIfUsed?.watchers ?? 0;
  }

  /** Whether the backend source is open. */
  get isOpen(): boolean {
    return this.stateIfUsed?.source !== undefined;
  }

  /** What the backend source says about itself (e.g. an eval attribute's expression and inputs). */
  describeSource(): Record<string, unknown> | undefined {
    return this.stateIfUsed?.source?.describe?.();
  }

  // ---------------------------------------------------------------- read & write

  /** One reading. Failures resolve as an INVALID reading with `error`; aborts reject. */
  read(options?: ReadOptions): Promise<Reading<T>> {
    // a plain promise chain, not an async function: a panel opening reads many attributes at once
    let pending: Promise<Reading>;
    try {
      const state = this.state;
      this.host.assertOpen('read of', this.fullName);
      const cache = options?.cache ?? true;
      const signal = options?.signal;
      // the texts of an abort are built only with a signal: a panel opening reads many attributes at once
      if (signal !== undefined) throwIfAborted(signal, `Reading ${this.fullName}`);
      if (cache && state.reading !== undefined && this.isFresh())
        return Promise.resolve(state.reading as Reading<T>);
      // rule no read across a write: a read in flight is joined only if no write happened since it started
      const inflight = state.inflight;
      const join = inflight !== undefined && state.inflightEpoch === this.host.writeEpoch;
      // a read without a signal that starts the backend read is answered by it, which keeps the
      // attribute in use until it settles (no hold of its own: no promise, no closures)
      if (!join && signal === undefined) return this.startFetch('read', true) as Promise<Reading<T>>;
      // otherwise the read keeps the attribute in use itself: an aborted read lets it go at once
      this.enter();
      try {
        const fetch = join ? inflight : this.startFetch('read');
        pending = signal === undefined ? fetch : raceAbort(fetch, signal, `Reading ${this.fullName}`);
      } catch (err) {
        this.leave();
        throw err;
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return pending.then(
      (reading) => {
        this.leave();
        return reading as Reading<T>;
      },
      (err: unknown) => {
        this.leave();
        throw err;
      },
    );
  }

  /**
   * Writes a value: for numeric attributes a {@link Quantity}, a number in the
   * attribute's units or a text such as `"12 mm"`; otherwise a value of the
   * attribute's type (see {@link WriteValue}). Resolves with the resulting
   * reading when the backend reports one. Rejects with a TkError naming the
   * attribute and the reason; then nothing was written.
   */
  async write<V extends WriteValue<T>>(
    value: V,
    options: WriteOptions = {},
  ): Promise<Reading<T> | undefined> {
    const state = this.state;
    this.host.assertOpen('write to', this.fullName);
    throwIfAborted(options.signal, `Writing ${this.fullName}`);
    this.enter();
    const startedAt = this.host.profiler ? performance.now() : 0;
    let failed = false;
    try {
      const source = this.open();
      this.#assertWritable(source);
      if (
        this.configIfKnown?.type === undefined &&
        state.reading === undefined &&
        source.describesOnWrite !== true &&
        !isWriteRequest(value)
      ) {
        // never described nor read: the backend says what the attribute holds before it is written
        await this.read({ signal: options.signal });
        this.#assertWritable(source);
      }
      // one write path for every scheme: converted to the attribute's units, type and range checked
      const target = writeTargetOf(this.fullName, this.config, state.reading, source.typeFollowsValue);
      const prepared = coerceWriteValue(value, target);
      if (this.runtime.log.tracing)
        this.runtime.log.trace(() => `write ${this.fullName} <- ${describeValue(value)}`);
      const seen = state.accepted;
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
      if (init === undefined || state.source !== source) return undefined;
      const now = init.time ?? this.host.clock.now();
      const result = createReading(init, now, this.config.units);
      // rule newer wins: a reading that came in while the write was under way (the backend's notice of
      // this write, or of a later one) is newer; publishing the write's result after it would go back in time
      if (state.acceptedSince(seen))
        return (this.host.freezeReadings ? Object.freeze(result) : result) as Reading<T>;
      return this.accept(result, 'write', now) as Reading<T>;
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      if (this.host.profiler)
        this.host.profiler.write(this.fullName, this.scheme, performance.now() - startedAt, failed);
      this.leave();
    }
  }

  #assertWritable(
    source: AttributeSource,
  ): asserts source is AttributeSource & Required<Pick<AttributeSource, 'write'>> {
    if (source.write === undefined || (this.configIfKnown !== undefined && !this.configIfKnown.writable)) {
      throw new WriteError('NOT_WRITABLE', `Cannot write to ${this.fullName}: the attribute is read-only`, {
        details: { name: this.fullName },
      });
    }
  }
}

export { asTkError, isInvalid } from '../core/format.js';
