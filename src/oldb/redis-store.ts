/**
 * The Redis OLDB store: one auto-pipelined command connection and one
 * subscriber connection (its `duplicate()`) per server, shared by every
 * datapoint watched through the store.
 *
 * - Every change and its notification run in one Lua script (atomic).
 * - The offline queue is off: a command issued while the server is away
 *   waits for it at most its timeout, then fails with a clear error and is
 *   never sent later.
 * - After every reconnect, every watched datapoint is re-read, because
 *   pub/sub drops the messages published during the gap.
 *
 * ioredis is loaded with a dynamic import whose specifier is not a literal,
 * so bundlers of browser code never follow it; this module imports its types only.
 *
 * @module
 */
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import {
  BackendUnavailableError,
  TimeoutError,
  TkError,
  throwIfAborted,
  WriteError,
} from '../errors/tk-error.js';
import { getLogger } from '../log/logger.js';
import { type Clock, systemClock } from '../util/clock.js';
import { Deadlines } from './deadlines.js';
import { NotDeclaredError, storeClosed } from './errors.js';
import { assertNodePath, assertPath, childPath } from './path.js';
import { DECLARE_SCRIPT, METADATA_SCRIPT, REMOVE_SCRIPT, WRITE_MANY_SCRIPT } from './redis-scripts.js';
import { parseRedisUrl, type RedisServer, redactCredentials } from './redis-url.js';
import {
  DEFAULT_MAX_BATCH,
  type WriteBatchClient,
  WriteBatcher,
  type WriteReply,
} from './redis-write-batch.js';
import { declarationConflict, typeChanged } from './store-errors.js';
import type {
  OldbCallOptions,
  OldbChild,
  OldbConnectionEvent,
  OldbConnectionState,
  OldbDeclaration,
  OldbEvent,
  OldbIfExists,
  OldbMetadata,
  OldbQuality,
  OldbSnapshot,
  OldbStore,
  OldbSubscription,
  OldbType,
  OldbWrite,
  OldbWriteResult,
} from './types.js';
import {
  checkMetadata,
  checkQuality,
  checkTimestamp,
  checkType,
  checkValue,
  decodeValue,
  encodeValue,
  isOldbQuality,
  isOldbType,
  sortMetadata,
  zeroValue,
} from './values.js';
import { type RawNotification, WatchRegistry } from './watch-registry.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** The server, `redis://[user:password@]host[:port][/db]`; `redis://127.0.0.1:6379` by default. */
  readonly url?: string | undefined;
  /** Prefix of every key and channel; `oldb:` by default. */
  readonly prefix?: string | undefined;
  /** Default time limit of each call in ms, including waiting for the server to be reachable; 3000 by default. */
  readonly timeout?: number | undefined;
  /** Maximum delay between reconnection attempts in ms; 1000 by default. */
  readonly maxReconnectDelay?: number | undefined;
  /** Timers and default timestamps; the system clock by default. */
  readonly clock?: Clock | undefined;
}

/** Internal figures of a Redis store, for `describe()` and benchmarks. */
export interface RedisStoreStats {
  /** The server, without credentials. */
  readonly server: string;
  /** The connection state. */
  readonly state: OldbConnectionState;
  /** Number of watched datapoints (subscribed channels). */
  readonly watched: number;
  /** Number of completed resyncs after reconnects. */
  readonly resyncs: number;
  /** Notifications received. */
  readonly notifications: number;
}

/** A Redis store, with its figures. */
export interface RedisOldbStore extends OldbStore {
  readonly kind: 'redis';
  /** The server and its figures, without credentials. */
  stats(): RedisStoreStats;
}

type RedisCtor = new (options: RedisOptions) => RedisClient;

let ioredisModule: Promise<RedisCtor> | undefined;

/** Loads ioredis once, in a way bundlers do not follow. */
function loadIoredis(): Promise<RedisCtor> {
  if (ioredisModule === undefined) {
    const specifier = ['io', 'redis'].join('');
    ioredisModule = (import(/* @vite-ignore */ specifier) as Promise<Record<string, unknown>>).then(
      (mod) => (mod.Redis ?? (mod.default as Record<string, unknown>)?.Redis ?? mod.default) as RedisCtor,
      (err: unknown) => {
        ioredisModule = undefined;
        throw new TkError(
          'CONFIG',
          'The cii.oldb Redis store needs the "ioredis" package, which could not be loaded (in a browser, use the embedded store)',
          { cause: err },
        );
      },
    );
  }
  return ioredisModule;
}

interface Scripted extends WriteBatchClient {
  oldbDeclare(...args: (string | number)[]): Promise<string[]>;
  oldbMetadata(...args: (string | number)[]): Promise<string>;
  oldbRemove(...args: (string | number)[]): Promise<number>;
}

function replyCode(err: unknown): string | undefined {
  const m = err instanceof Error ? /^(?:ERR\s+)?(OLDB_[A-Z]+)(?: (.*))?/.exec(err.message) : null;
  return m?.[1];
}

function replyArg(err: unknown): string {
  const m = err instanceof Error ? /^(?:ERR\s+)?OLDB_[A-Z]+ (\S+)/.exec(err.message) : null;
  return m?.[1] ?? '';
}

const TYPE_CACHE_LIMIT = 100_000;

/** ioredis refused to send a command: it never reached the server. */
class NotSent extends Error {}

/** Whether ioredis refused a command because its socket is closing (so it was not sent). */
function notWritable(err: unknown): boolean {
  return /Stream isn't writeable/.test((err as Error)?.message ?? '');
}

class RedisStore implements RedisOldbStore {
  readonly kind = 'redis' as const;
  readonly description: string;
  readonly #server: RedisServer;
  readonly #prefix: string;
  readonly #timeout: number;
  readonly #maxDelay: number;
  readonly #clock: Clock;
  readonly #log = getLogger('oldb.redis');
  readonly #watches = new WatchRegistry(this.#log);
  readonly #connectionListeners = new Set<(e: OldbConnectionEvent) => void>();
  readonly #readyWaiters = new Set<() => void>();
  readonly #types = new Map<string, OldbType>();
  readonly #started: Promise<void>;
  #cmd: (RedisClient & Scripted) | undefined;
  #sub: RedisClient | undefined;
  #cmdReady = false;
  #subReady = false;
  #state: OldbConnectionState = 'connecting';
  #lastError: Error | undefined;
  #resyncs = 0;
  #notifications = 0;
  readonly #channelPrefix: string;
  readonly #writes: WriteBatcher;
  /** Paths that started being watched this tick, with their sync tokens. */
  #toSync = new Map<string, number>();
  /** Paths that stopped being watched this tick. */
  readonly #toUnsubscribe = new Set<string>();
  #watchFlushQueued = false;
  readonly #deadlines: Deadlines;

  constructor(options: RedisStoreOptions) {
    this.#server = parseRedisUrl(options.url ?? 'redis://127.0.0.1:6379');
    this.description = this.#server.display;
    this.#prefix = options.prefix ?? 'oldb:';
    this.#channelPrefix = `${this.#prefix}ch:`;
    this.#timeout = options.timeout ?? 3000;
    this.#maxDelay = options.maxReconnectDelay ?? 1000;
    this.#clock = options.clock ?? systemClock;
    this.#deadlines = new Deadlines(this.#clock);
    this.#writes = new WriteBatcher(
      (p) => this.#key(p),
      `${this.#prefix}seq`,
      this.#channelPrefix,
      DEFAULT_MAX_BATCH,
      {
        deadlines: this.#deadlines,
        errors: {
          timeout: (path, ms) => this.#noReply(`write ${path}`, ms),
          failed: (path, err) => (notWritable(err) ? new NotSent() : this.#translate(`write ${path}`, err)),
        },
      },
    );
    this.#started = this.#start();
    this.#started.catch((err: unknown) => {
      this.#lastError = err as Error;
      this.#setState('disconnected', err as Error);
    });
  }

  get connectionState(): OldbConnectionState {
    return this.#state;
  }

  get connectionError(): Error | undefined {
    return this.#state === 'disconnected' ? this.#unavailable() : undefined;
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  stats(): RedisStoreStats {
    return {
      server: this.description,
      state: this.#state,
      watched: this.#watches.size,
      resyncs: this.#resyncs,
      notifications: this.#notifications,
    };
  }

  async #start(): Promise<void> {
    const Redis = await loadIoredis();
    if (this.#isClosed()) return;
    const s = this.#server;
    const cmd = new Redis({
      host: s.host,
      port: s.port,
      db: s.db,
      username: s.username,
      password: s.password,
      ...(s.tls ? { tls: {} } : {}),
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: Math.max(this.#timeout, 1000),
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), this.#maxDelay),
      connectionName: 'tk-core-oldb',
      scripts: {
        oldbWriteMany: { lua: WRITE_MANY_SCRIPT },
        oldbDeclare: { lua: DECLARE_SCRIPT, numberOfKeys: 3 },
        oldbMetadata: { lua: METADATA_SCRIPT, numberOfKeys: 2 },
        oldbRemove: { lua: REMOVE_SCRIPT, numberOfKeys: 2 },
      },
    }) as RedisClient & Scripted;
    const sub = cmd.duplicate({
      enableAutoPipelining: false,
      autoResubscribe: false,
      connectionName: 'tk-core-oldb-sub',
    });
    this.#cmd = cmd;
    this.#sub = sub;
    this.#log.debug('connecting', { server: this.description });
    const lost = (which: 'cmd' | 'sub') => (err?: Error) => {
      if (which === 'cmd') this.#cmdReady = false;
      else this.#subReady = false;
      if (err !== undefined) this.#lastError = err;
      this.#log.trace(`${which} connection lost`, { server: this.description, error: err?.message });
      this.#update();
    };
    cmd.on('ready', () => {
      this.#cmdReady = true;
      this.#log.trace('command connection ready', { server: this.description });
      for (const w of [...this.#readyWaiters]) w();
      this.#update();
    });
    sub.on('ready', () => {
      this.#subReady = true;
      this.#log.trace('subscriber connection ready', { server: this.description });
      this.#update();
    });
    cmd.on('error', (err: Error) => {
      this.#lastError = err;
      if (!this.#cmdReady) this.#update();
    });
    sub.on('error', (err: Error) => {
      this.#lastError = err;
    });
    cmd.on('close', lost('cmd'));
    sub.on('close', lost('sub'));
    sub.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
  }

  #onMessage(channel: string, message: string): void {
    if (!channel.startsWith(this.#channelPrefix)) return;
    this.#notifications++;
    const path = channel.slice(this.#channelPrefix.length);
    let n: RawNotification;
    try {
      n = JSON.parse(message) as RawNotification;
    } catch (err) {
      this.#log.error('Unreadable OLDB notification', { path, error: err });
      return;
    }
    if (n.k === 'd') this.#types.set(path, n.type);
    else if (n.k === 'x') this.#types.delete(path);
    this.#watches.notify(path, n);
  }

  #unavailable(): BackendUnavailableError {
    const why = this.#lastError ? `: ${redactCredentials(this.#lastError.message)}` : '';
    return new BackendUnavailableError(`OLDB server ${this.description} is not reachable${why}`, {
      details: { server: this.description },
    });
  }

  #update(): void {
    if (this.#state === 'closed') return;
    const healthy = this.#cmdReady && this.#subReady;
    if (healthy && this.#state !== 'connected') {
      this.#setState('connected');
      void this.#resyncAll();
    } else if (!healthy && this.#state === 'connected') {
      this.#setState('disconnected', this.#unavailable());
    } else if (!healthy && this.#state === 'connecting' && this.#lastError !== undefined) {
      this.#setState('disconnected', this.#unavailable());
    }
  }

  #setState(state: OldbConnectionState, error?: Error): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#log.debug(`connection ${state}`, { server: this.description, error: error?.message });
    const ev: OldbConnectionEvent = error === undefined ? { state } : { state, error };
    for (const l of [...this.#connectionListeners]) {
      try {
        l(ev);
      } catch (err) {
        this.#log.error('An OLDB connection listener threw', { error: err });
      }
    }
  }

  /** Subscribes every watched channel again and re-reads every watched datapoint. */
  async #resyncAll(): Promise<void> {
    const paths = this.#watches.paths();
    if (paths.length === 0) return;
    const tokens = paths.map((p) => this.#watches.beginSync(p));
    await this.#syncPaths(paths, tokens, () => {
      this.#resyncs++;
      this.#log.debug('resynced watched datapoints', { server: this.description, count: paths.length });
    });
  }

  /**
   * Subscribes the channels of `paths` (a few commands for all of them),
   * then reads them all in one pipelined go and completes their syncs. A
   * datapoint that cannot be decoded fails its own watch only. `onRead` runs
   * once everything is read, before the watchers hear of it. Resolves false
   * when the connection failed meanwhile: the resync on the next ready completes the watches.
   */
  async #syncPaths(
    paths: readonly string[],
    tokens: readonly number[],
    onRead?: () => void,
  ): Promise<boolean> {
    try {
      await this.#started;
      if (!this.#subReady || !this.#cmdReady) return false; // the resync on ready does it
      if (this.#log.isEnabled('trace'))
        this.#log.trace('subscribe', { count: paths.length, first: paths[0] });
      const sub = this.#sub!;
      for (let i = 0; i < paths.length; i += 1000) {
        await sub.subscribe(...paths.slice(i, i + 1000).map((p) => this.#channelPrefix + p));
      }
      const hashes = await this.#run(`read ${paths.length} datapoints`, undefined, (cmd) =>
        Promise.all(paths.map((p) => cmd.hgetall(this.#key(p)))),
      );
      onRead?.();
      for (let i = 0; i < paths.length; i++) {
        const path = paths[i]!;
        let snap: OldbSnapshot | undefined;
        try {
          snap = this.#parseHash(path, hashes[i] as unknown as Record<string, string>);
        } catch (err) {
          this.#watches.completeSync(path, undefined, tokens[i]!, err as Error);
          continue;
        }
        this.#watches.completeSync(path, snap, tokens[i]!);
      }
      return true;
    } catch (err) {
      this.#log.debug('watch deferred until the server is back', {
        server: this.description,
        count: paths.length,
        error: (err as Error).message,
      });
      return false;
    }
  }

  /** Queues a change of the watched set; all the changes of one tick are sent together. */
  #queueWatchChange(): void {
    if (this.#watchFlushQueued) return;
    this.#watchFlushQueued = true;
    queueMicrotask(this.#flushWatchChanges);
  }

  readonly #flushWatchChanges = (): void => {
    this.#watchFlushQueued = false;
    const gone = [...this.#toUnsubscribe].filter((p) => !this.#watches.has(p));
    this.#toUnsubscribe.clear();
    const toSync = this.#toSync;
    this.#toSync = new Map();
    if (gone.length > 0 && this.#subReady && this.#state !== 'closed' && this.#sub !== undefined) {
      if (this.#log.isEnabled('trace'))
        this.#log.trace('unsubscribe', { count: gone.length, first: gone[0] });
      for (let i = 0; i < gone.length; i += 1000) {
        this.#sub.unsubscribe(...gone.slice(i, i + 1000).map((p) => this.#channelPrefix + p)).catch(() => {
          // gone with the connection: nothing is subscribed after a reconnect
        });
      }
    }
    const paths = [...toSync.keys()].filter((p) => this.#watches.has(p));
    if (paths.length > 0)
      void this.#syncPaths(
        paths,
        paths.map((p) => toSync.get(p)!),
      );
  };

  /** Waits until the command connection is ready, at most `timeout` ms. */
  async #whenReady(
    op: string,
    timeout: number,
    signal: AbortSignal | undefined,
    total = timeout,
  ): Promise<RedisClient & Scripted> {
    await this.#started;
    if (this.#isClosed()) throw storeClosed(this.description, op);
    const cmd = this.#cmd!;
    if (this.#cmdReady) return cmd;
    if (timeout <= 0)
      throw new BackendUnavailableError(
        `Cannot ${op} within ${total} ms: ${this.#unavailable().message}; nothing was sent`,
        { details: { server: this.description } },
      );
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        timer.cancel();
        this.#readyWaiters.delete(onReady);
        signal?.removeEventListener('abort', onAbort);
      };
      const onReady = () => {
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(
          new TkError('ABORTED', `OLDB ${op} was aborted before it was sent`, { cause: signal?.reason }),
        );
      };
      const timer = this.#clock.setTimeout(() => {
        done();
        const e = this.#unavailable();
        reject(
          new BackendUnavailableError(`Cannot ${op} within ${total} ms: ${e.message}; nothing was sent`, {
            details: { server: this.description, timeout: total },
          }),
        );
      }, timeout);
      this.#readyWaiters.add(onReady);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (this.#isClosed()) throw storeClosed(this.description, op);
    return cmd;
  }

  /** Runs one operation against the command connection, bounded by its timeout. */
  async #run<T>(
    op: string,
    options: OldbCallOptions | undefined,
    fn: (cmd: RedisClient & Scripted) => Promise<T>,
    start = this.#clock.now(),
  ): Promise<T> {
    if (this.#state === 'closed') throw storeClosed(this.description, op);
    throwIfAborted(options?.signal, `OLDB ${op}`);
    const timeout = options?.timeout ?? this.#timeout;
    for (;;) {
      // the usual case, connected: no extra wait
      const cmd =
        this.#cmdReady && this.#cmd !== undefined
          ? this.#cmd
          : await this.#whenReady(op, timeout - (this.#clock.now() - start), options?.signal, timeout);
      try {
        return await this.#send(op, cmd, timeout, start, options?.signal, fn);
      } catch (err) {
        // ioredis refused to send (the socket is closing): nothing was sent, so wait for the server and retry
        if (!(err instanceof NotSent)) throw err;
        this.#cmdReady = false;
        if (this.#clock.now() - start >= timeout) {
          throw new BackendUnavailableError(
            `Cannot ${op} within ${timeout} ms: ${this.#unavailable().message}; nothing was sent`,
            { details: { server: this.description, timeout } },
          );
        }
      }
    }
  }

  /** Sends one operation; its time limit is kept by the shared {@link Deadlines}, not a timer of its own. */
  #send<T>(
    op: string,
    cmd: RedisClient & Scripted,
    timeout: number,
    start: number,
    signal: AbortSignal | undefined,
    fn: (cmd: RedisClient & Scripted) => Promise<T>,
  ): Promise<T> {
    const left = Math.max(1, timeout - (this.#clock.now() - start));
    if (this.#log.isEnabled('trace')) this.#log.trace(op, { server: this.description });
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        deadline.cancel();
        reject(
          new TkError(
            'ABORTED',
            `OLDB ${op} was aborted after it was sent; it may or may not have taken effect`,
            { cause: signal?.reason },
          ),
        );
      };
      const deadline = this.#deadlines.add(left, () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(this.#noReply(op, timeout));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        if (settled) return false;
        settled = true;
        deadline.cancel();
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      fn(cmd).then(
        (v) => {
          if (settle()) resolve(v);
        },
        (err: unknown) => {
          if (!settle()) return;
          reject(notWritable(err) ? new NotSent() : this.#translate(op, err));
        },
      );
    });
  }

  #noReply(op: string, timeout: number): TimeoutError {
    return new TimeoutError(
      `OLDB ${op}: no reply from ${this.description} within ${timeout} ms; it may or may not have taken effect`,
      { details: { server: this.description, timeout } },
    );
  }

  #translate(op: string, err: unknown): Error {
    if (err instanceof TkError) return err;
    const e = err as Error;
    if (replyCode(e) !== undefined) return e;
    const msg = redactCredentials(e?.message ?? String(err));
    if (/ReplyError/.test(e?.name ?? '') || /^[A-Z]+ /.test(msg)) {
      return new TkError('WRITE_REJECTED', `OLDB ${op} was refused by ${this.description}: ${msg}`, {
        cause: e,
      });
    }
    return new BackendUnavailableError(
      `OLDB ${op}: the connection to ${this.description} failed (${msg}); it may or may not have taken effect`,
      { cause: e, details: { server: this.description } },
    );
  }

  #key(path: string): string {
    return `${this.#prefix}dp:${path}`;
  }

  #rememberType(path: string, type: OldbType): void {
    if (this.#types.size >= TYPE_CACHE_LIMIT) this.#types.clear();
    this.#types.set(path, type);
  }

  #parseHash(path: string, flat: readonly string[] | Record<string, string>): OldbSnapshot | undefined {
    const h: Record<string, string> = Array.isArray(flat) ? {} : { ...(flat as Record<string, string>) };
    if (Array.isArray(flat)) for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
    const type = h.type;
    if (type === undefined) return undefined;
    if (!isOldbType(type)) {
      throw new TkError(
        'CONFIG',
        `OLDB datapoint ${path} has an unknown stored type ${JSON.stringify(type)}`,
        {
          details: { path },
        },
      );
    }
    const md: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(h)) if (k.startsWith('m.')) md[k.slice(2)] = JSON.parse(v);
    const q = h.q ?? 'BAD';
    this.#rememberType(path, type);
    return {
      path,
      type,
      value: h.v === undefined ? zeroValue(type) : decodeValue(type, h.v),
      timestamp: Number(h.t ?? 0),
      quality: isOldbQuality(q) ? q : 'BAD',
      metadata: sortMetadata(md as OldbMetadata),
      seq: Number(h.s ?? 0),
    };
  }

  async declare(
    path: string,
    declaration: OldbDeclaration,
    options: OldbCallOptions & { readonly ifExists?: OldbIfExists | undefined } = {},
  ): Promise<OldbSnapshot> {
    if (this.#state === 'closed') throw storeClosed(this.description, `declare ${path}`);
    assertPath(path);
    const type = checkType(path, declaration.type);
    const metadata = sortMetadata(checkMetadata(path, declaration.metadata));
    const given = declaration.value !== undefined;
    const value = checkValue(path, type, given ? declaration.value : zeroValue(type));
    const timestamp = checkTimestamp(path, declaration.timestamp ?? this.#clock.now());
    const quality = checkQuality(path, declaration.quality ?? 'OK');
    const mdArgs: string[] = [];
    for (const [k, v] of Object.entries(metadata)) mdArgs.push(k, JSON.stringify(v));
    const op = `declare ${path}`;
    try {
      const flat = await this.#run(op, options, (cmd) =>
        cmd.oldbDeclare(
          this.#key(path),
          `${this.#prefix}seq`,
          `${this.#prefix}tree:${path}`,
          this.#prefix,
          path,
          this.#channelPrefix + path,
          type,
          options.ifExists ?? 'error',
          given ? '1' : '0',
          encodeValue(type, value),
          String(timestamp),
          quality,
          ...mdArgs,
        ),
      );
      return this.#parseHash(path, flat)!;
    } catch (err) {
      switch (replyCode(err)) {
        case 'OLDB_TYPE':
          throw typeChanged(path, replyArg(err) as OldbType, type);
        case 'OLDB_EXISTS':
          throw declarationConflict(path, 'it is declared already');
        case 'OLDB_ISNODE':
          throw declarationConflict(path, 'it is a path node with children');
        case 'OLDB_ANCESTOR':
          throw declarationConflict(path, `its ancestor ${replyArg(err)} is a datapoint`);
        default:
          throw err;
      }
    }
  }

  async read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot> {
    assertPath(path);
    const flat = await this.#run(`read ${path}`, options, (cmd) => cmd.hgetall(this.#key(path)));
    const snap = this.#parseHash(path, flat as unknown as Record<string, string>);
    if (snap === undefined) throw new NotDeclaredError(path);
    return snap;
  }

  async readMany(paths: readonly string[], options?: OldbCallOptions): Promise<(OldbSnapshot | undefined)[]> {
    for (const p of paths) assertPath(p);
    const hashes = await this.#run(`read ${paths.length} datapoints`, options, (cmd) =>
      Promise.all(paths.map((p) => cmd.hgetall(this.#key(p)))),
    );
    return hashes.map((h, i) => this.#parseHash(paths[i]!, h as unknown as Record<string, string>));
  }

  async #typeOf(path: string, options: OldbCallOptions | undefined): Promise<OldbType> {
    const cached = this.#types.get(path);
    if (cached !== undefined) return cached;
    const t = await this.#run(`read the type of ${path}`, options, (cmd) =>
      cmd.hget(this.#key(path), 'type'),
    );
    if (t === null || t === undefined) throw new NotDeclaredError(path);
    if (!isOldbType(t))
      throw new WriteError('TYPE_MISMATCH', `OLDB datapoint ${path} has an unknown type ${t}`);
    this.#rememberType(path, t);
    return t;
  }

  async write(path: string, write: OldbWrite, options?: OldbCallOptions): Promise<OldbWriteResult> {
    if (this.#state === 'closed') throw storeClosed(this.description, `write ${path}`);
    assertPath(path);
    const timestamp = checkTimestamp(path, write.timestamp ?? this.#clock.now());
    const quality = checkQuality(path, write.quality ?? 'OK');
    let type = this.#types.get(path) ?? (await this.#typeOf(path, options));
    for (let attempt = 0; ; attempt++) {
      const value = checkValue(path, type, write.value);
      const encoded = encodeValue(type, value);
      const reply = await this.#sendWrite(path, type, encoded, timestamp, quality, options);
      if (typeof reply === 'number') return { path, type, value, timestamp, quality, seq: reply };
      if (reply === 'NOTDECLARED') {
        this.#types.delete(path);
        throw new NotDeclaredError(path);
      }
      if (reply.startsWith('TYPE ') && attempt === 0) {
        // the datapoint was redeclared since its type was cached: check the value against the new type
        type = reply.slice(5) as OldbType;
        this.#rememberType(path, type);
        continue;
      }
      throw new TkError('WRITE_REJECTED', `OLDB write ${path} was refused by ${this.description}: ${reply}`, {
        details: { path },
      });
    }
  }

  /**
   * Sends one checked write with the writes of this tick. Connected and
   * without an abort signal (the usual case), it goes straight to the batch,
   * which keeps its time limit; otherwise, or when the socket turns out to be
   * closing, through {@link #run}, which waits for the server within the limit.
   */
  async #sendWrite(
    path: string,
    type: OldbType,
    encoded: string,
    timestamp: number,
    quality: OldbQuality,
    options: OldbCallOptions | undefined,
  ): Promise<WriteReply> {
    const cmd = this.#cmd;
    const start = this.#clock.now();
    if (options?.signal === undefined && this.#cmdReady && cmd !== undefined && this.#state !== 'closed') {
      try {
        return await this.#writes.add(
          cmd,
          path,
          type,
          encoded,
          timestamp,
          quality,
          options?.timeout ?? this.#timeout,
        );
      } catch (err) {
        // the socket was closing: nothing was sent; wait for the server within what is left of the time limit
        if (!(err instanceof NotSent)) throw err;
        this.#cmdReady = false;
      }
    }
    return this.#run(
      `write ${path}`,
      options,
      (c) => this.#writes.add(c, path, type, encoded, timestamp, quality),
      start,
    );
  }

  async updateMetadata(path: string, patch: OldbMetadata, options?: OldbCallOptions): Promise<OldbMetadata> {
    if (this.#state === 'closed') throw storeClosed(this.description, `update the metadata of ${path}`);
    assertPath(path);
    const checked = checkMetadata(path, patch);
    const args: string[] = [];
    for (const [k, v] of Object.entries(checked)) args.push(k, v === undefined ? '' : JSON.stringify(v));
    try {
      const json = await this.#run(`update the metadata of ${path}`, options, (cmd) =>
        cmd.oldbMetadata(this.#key(path), `${this.#prefix}seq`, this.#channelPrefix + path, ...args),
      );
      return sortMetadata(JSON.parse(json) as OldbMetadata);
    } catch (err) {
      if (replyCode(err) === 'OLDB_NOTDECLARED') throw new NotDeclaredError(path);
      throw err;
    }
  }

  async remove(path: string, options?: OldbCallOptions): Promise<boolean> {
    assertPath(path);
    const seq = await this.#run(`remove ${path}`, options, (cmd) =>
      cmd.oldbRemove(this.#key(path), `${this.#prefix}seq`, this.#prefix, path, this.#channelPrefix + path),
    );
    this.#types.delete(path);
    return Number(seq) > 0;
  }

  async listChildren(path: string, options?: OldbCallOptions): Promise<OldbChild[]> {
    assertNodePath(path);
    const members = await this.#run(`list the children of ${path}`, options, (cmd) =>
      cmd.smembers(`${this.#prefix}tree:${path}`),
    );
    return members
      .map((m): OldbChild => {
        const name = m.slice(2);
        return { name, path: childPath(path, name), kind: m.startsWith('d:') ? 'datapoint' : 'node' };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  subscribe(path: string, listener: (event: OldbEvent) => void): OldbSubscription {
    if (this.#state === 'closed') throw storeClosed(this.description, `watch ${path}`);
    assertPath(path);
    const { first, remove } = this.#watches.watch(path, listener);
    if (first) {
      this.#toSync.set(path, this.#watches.beginSync(path));
      this.#queueWatchChange();
    }
    return {
      unsubscribe: () => {
        if (remove() && this.#state !== 'closed') {
          this.#toUnsubscribe.add(path);
          this.#queueWatchChange();
        }
      },
    };
  }

  onConnection(listener: (event: OldbConnectionEvent) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => void this.#connectionListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    this.#watches.clear();
    this.#connectionListeners.clear();
    for (const w of [...this.#readyWaiters]) w();
    await this.#started.catch(() => undefined);
    this.#cmd?.disconnect();
    this.#sub?.disconnect();
  }
}

/**
 * Creates a Redis OLDB store. It starts connecting at once and reconnects
 * for ever; calls made while the server is away wait for it at most their
 * timeout, then reject with a BACKEND_UNAVAILABLE error without sending anything.
 */
export function createRedisStore(options: RedisStoreOptions = {}): RedisOldbStore {
  return new RedisStore(options);
}
