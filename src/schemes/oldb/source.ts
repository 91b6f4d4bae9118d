/**
 * The backend side of one `cii.oldb` attribute: a push-mode source that
 * watches its datapoint while started.
 *
 * @module
 */
import type { ReadingInit } from '../../core/reading.js';
import {
  AbortError,
  BackendUnavailableError,
  TimeoutError,
  TkError,
  WriteError,
} from '../../errors/tk-error.js';
import type { Logger } from '../../log/logger.js';
import { NotDeclaredError } from '../../oldb-store/errors.js';
import type {
  OldbEvent,
  OldbMetadata,
  OldbSnapshot,
  OldbStore,
  OldbSubscription,
  OldbType,
} from '../../oldb-store/types.js';
import type { Clock } from '../../util/clock.js';
import type {
  AttributeConfig,
  AttributeSink,
  AttributeSource,
  SourceReadOptions,
  SourceWriteOptions,
} from '../contract.js';
import { configOf, readingOf, sameMetadata } from './mapping.js';
import { inferType, isDeclaringValue, toStoredValue } from './write-value.js';

/**
 * The error of a write whose first step, reading the datapoint's type and
 * metadata, failed: it names the write (what the caller did) and says that
 * it was not sent; the code and cause stay those of the read.
 */
function notWritten(path: string, err: unknown): unknown {
  if (!(err instanceof TkError) || err instanceof NotDeclaredError) return err;
  if (err.code !== 'TIMEOUT' && err.code !== 'BACKEND_UNAVAILABLE' && err.code !== 'ABORTED') return err;
  const message = `Cannot write OLDB datapoint ${path}: reading its type and metadata first failed, so the write was not sent (${err.message})`;
  const options = { cause: err, details: { ...err.details, path } };
  if (err.code === 'TIMEOUT') return new TimeoutError(message, options);
  if (err.code === 'ABORTED') return new AbortError(message, options);
  return new BackendUnavailableError(message, options);
}

/** What a source needs. */
export interface OldbSourceInit {
  readonly store: OldbStore;
  readonly path: string;
  readonly simpleName: string;
  readonly sink: AttributeSink;
  readonly clock: Clock;
  readonly log: Logger;
  readonly writeTimeout: number;
  /** Called once when the source is closed (the backend counts the users of its store). */
  readonly onClose?: (() => void) | undefined;
}

/** A push-mode source of one datapoint. */
export class OldbAttributeSource implements AttributeSource {
  readonly mode = 'push' as const;
  /** Every write reads the datapoint's metadata first, within the write time limit (see {@link write}). */
  readonly describesOnWrite = true;
  readonly config: Partial<AttributeConfig>;
  readonly #i: OldbSourceInit;
  #sub: OldbSubscription | undefined;
  #offConnection: (() => void) | undefined;
  #type: OldbType | undefined;
  #metadata: OldbMetadata | undefined;
  #configured = false;
  #lastSample: Parameters<typeof readingOf>[2] | undefined;
  #closed = false;

  constructor(init: OldbSourceInit) {
    this.#i = init;
    // OLDB datapoints are writable unless their metadata says otherwise
    this.config = { label: init.simpleName, writable: true };
  }

  #applyConfig(type: OldbType, md: OldbMetadata): void {
    const same = type === this.#type && this.#metadata !== undefined && sameMetadata(md, this.#metadata);
    this.#type = type;
    this.#metadata = md;
    if (same && this.#configured) return;
    this.#configured = true;
    this.#i.sink.config(configOf(type, md, this.#i.simpleName));
  }

  start(): void {
    if (this.#sub !== undefined || this.#closed) return;
    const { store, sink, path, log } = this.#i;
    sink.connection('connecting');
    this.#offConnection = store.onConnection((ev) => {
      log.trace('connection', { path, state: ev.state });
      if (ev.state === 'disconnected') {
        sink.connection('disconnected', ev.error);
        sink.error(
          ev.error ?? new TkError('BACKEND_UNAVAILABLE', `OLDB ${store.description} is not reachable`),
        );
      }
    });
    if (store.connectionState === 'disconnected') {
      // the store failed before this attribute started listening
      const err =
        store.connectionError ??
        new TkError('BACKEND_UNAVAILABLE', `OLDB ${store.description} is not reachable`);
      sink.connection('disconnected', err);
      sink.error(err);
    }
    this.#sub = store.subscribe(path, (ev) => this.#onEvent(ev));
  }

  #onEvent(ev: OldbEvent): void {
    const { sink, log, path } = this.#i;
    if (log.isEnabled('trace')) log.trace(`event ${ev.kind}`, { path });
    switch (ev.kind) {
      case 'snapshot': {
        const s = ev.snapshot;
        this.#applyConfig(s.type, s.metadata);
        sink.connection('connected');
        this.#lastSample = s;
        sink.reading(readingOf(s.type, s.metadata, s));
        return;
      }
      case 'value':
        if (this.#type === undefined || this.#metadata === undefined) return;
        this.#lastSample = ev.sample;
        sink.reading(readingOf(this.#type, this.#metadata, ev.sample));
        return;
      case 'metadata':
        if (this.#type === undefined) return;
        this.#applyConfig(this.#type, ev.metadata);
        // the limits or units may have changed: the current value reads differently
        if (this.#lastSample !== undefined)
          sink.reading(readingOf(this.#type, ev.metadata, this.#lastSample));
        return;
      case 'removed':
        this.#lastSample = undefined;
        sink.error(new NotDeclaredError(path, 'OLDB datapoint (removed)'));
        return;
      case 'error':
        sink.connection('connected');
        sink.error(ev.error);
        return;
    }
  }

  stop(): void {
    this.#sub?.unsubscribe();
    this.#sub = undefined;
    this.#offConnection?.();
    this.#offConnection = undefined;
  }

  read(options: SourceReadOptions): Promise<ReadingInit> {
    const signal = options.signal;
    // no options object for a read without a signal: the store sends those of one tick together
    return this.#i.store
      .read(this.#i.path, signal === undefined ? undefined : { signal })
      .then(this.#readingOfSnapshot);
  }

  readonly #readingOfSnapshot = (s: OldbSnapshot): ReadingInit => {
    this.#applyConfig(s.type, s.metadata);
    return readingOf(s.type, s.metadata, s);
  };

  async write(value: unknown, options: SourceWriteOptions): Promise<ReadingInit | undefined> {
    const { store, path, clock, writeTimeout, log } = this.#i;
    const call = { signal: options.signal, timeout: writeTimeout };
    const declaring = isDeclaringValue(value);
    const raw = declaring ? value.value : value;
    let snap: Awaited<ReturnType<OldbStore['read']>>;
    try {
      snap = await store.read(path, call);
    } catch (err) {
      if (!(err instanceof NotDeclaredError) || !declaring) throw notWritten(path, err);
      const type = value.type ?? inferType(path, raw);
      const md = value.metadata ?? { units: (raw as { units?: string }).units ?? undefined };
      const stored = toStoredValue(path, type, md, raw);
      log.debug('declare on write', { path, type });
      try {
        const d = await store.declare(
          path,
          { type, metadata: md, value: stored, timestamp: clock.now() },
          { ...call, ifExists: 'error' },
        );
        this.#applyConfig(d.type, d.metadata);
        return readingOf(d.type, d.metadata, d);
      } catch (e) {
        if ((e as TkError).code !== 'CONFIG') throw e;
        snap = await store.read(path, call); // declared meanwhile by someone else
      }
    }
    this.#applyConfig(snap.type, snap.metadata);
    if (snap.metadata.writable === false) {
      throw new WriteError(
        'NOT_WRITABLE',
        `OLDB datapoint ${path} is read-only (its metadata says writable: false)`,
        {
          details: { path },
        },
      );
    }
    const stored = toStoredValue(path, snap.type, snap.metadata, raw);
    log.trace('write', { path });
    const w = await store.write(path, { value: stored, timestamp: clock.now(), quality: 'OK' }, call);
    return readingOf(w.type, snap.metadata, w);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.stop();
    this.#i.onClose?.();
  }

  describe(): Record<string, unknown> {
    return {
      store: this.#i.store.description,
      path: this.#i.path,
      type: this.#type,
      watching: this.#sub !== undefined,
    };
  }
}
