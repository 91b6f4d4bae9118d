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
 * The store composes its parts: the connections and their state
 * (`redis-connection.ts`), the read path and type cache (`redis-reader.ts`),
 * the write path (`redis-writer.ts`) and the watched datapoints
 * (`redis-watches.ts`). ioredis is loaded with a dynamic import that
 * bundlers of browser code never follow (`redis-client.ts`).
 *
 * @module
 */
import { getLogger } from '../log/logger.js';
import { type Clock, systemClock } from '../util/clock.js';
import { Deadlines } from './deadlines.js';
import { RedisClusterConnection } from './redis-cluster-connection.js';
import { RedisConnection } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { RedisReader } from './redis-reader.js';
import type { StoreConnection, StoreConnectionEvents } from './redis-store-connection.js';
import { clusterUrl, parseRedisUrl, type RedisHostPort } from './redis-url.js';
import { RedisWatches } from './redis-watches.js';
import { RedisWriter } from './redis-writer.js';
import type {
  OldbCallOptions,
  OldbChild,
  OldbConnectionEvent,
  OldbConnectionState,
  OldbDeclaration,
  OldbDurability,
  OldbEvent,
  OldbIfExists,
  OldbMetadata,
  OldbSnapshot,
  OldbStore,
  OldbSubscription,
  OldbWrite,
  OldbWriteResult,
} from './types.js';

/** The default {@link RedisStoreOptions.heartbeatTimeout}, in ms. */
export const DEFAULT_HEARTBEAT_TIMEOUT = 2000;

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /**
   * The server, `redis://[user:password@]host[:port][/db]`; `redis://127.0.0.1:6379` by default.
   * A Redis Cluster: `redis+cluster://h1:p1,h2:p2` (any of its nodes; the cluster layout, see
   * docs/oldb.md). A master managed by Sentinel: `redis+sentinel://s1:p1,s2:p2/mastername[/db]`.
   */
  readonly url?: string | undefined;
  /** The nodes of a Redis Cluster (`host:port` or `{ host, port }`), instead of `url`. */
  readonly cluster?: readonly (string | RedisHostPort)[] | undefined;
  /** Prefix of every key and channel; `oldb:` by default. */
  readonly prefix?: string | undefined;
  /** Default time limit of each call in ms, including waiting for the server to be reachable; 3000 by default. */
  readonly timeout?: number | undefined;
  /** Maximum delay between reconnection attempts in ms; 1000 by default. */
  readonly maxReconnectDelay?: number | undefined;
  /**
   * A server whose connection is open but that does not answer a `PING` for
   * this long (ms) is shown `disconnected` (stopped, paused or busy); it is
   * noticed within 1.5 times this. On a cluster, each master holding watched
   * datapoints is pinged so, and one that hangs makes the store
   * `disconnected`. 2000 by default; 0 turns the heartbeat off.
   */
  readonly heartbeatTimeout?: number | undefined;
  /**
   * What a write's acknowledgement promises by default (a write's own
   * `durability` option wins): `acknowledged` (default; the master applied
   * it) or `replicated` (and `replicas` replicas confirmed it within
   * `replicationTimeout`, by `WAIT`; else the write fails saying it may or
   * may not survive a failover).
   */
  readonly durability?: OldbDurability | undefined;
  /** With `replicated` durability: how many replicas must confirm a write; 1 by default. */
  readonly replicas?: number | undefined;
  /** With `replicated` durability: how long to wait for them, in ms; 1000 by default (bounded by the call's time limit). */
  readonly replicationTimeout?: number | undefined;
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
  /** Malformed notifications received (each ignored and answered by reading its datapoint again). */
  readonly malformed: number;
  /** Re-reads of single watched datapoints (after malformed notifications, counter regressions, missed declarations). */
  readonly rechecks: number;
}

/** A Redis store, with its figures. */
export interface RedisOldbStore extends OldbStore {
  readonly kind: 'redis';
  /** The server and its figures, without credentials. */
  stats(): RedisStoreStats;
}

class RedisStore implements RedisOldbStore {
  readonly kind = 'redis' as const;
  readonly description: string;
  readonly #connection: StoreConnection;
  readonly #reader: RedisReader;
  readonly #writer: RedisWriter;
  readonly #watches: RedisWatches;

  constructor(options: RedisStoreOptions) {
    const log = getLogger('oldb.redis');
    const server = parseRedisUrl(
      options.cluster !== undefined ? clusterUrl(options.cluster) : (options.url ?? 'redis://127.0.0.1:6379'),
    );
    const isCluster = server.topology.kind === 'cluster';
    const keys = new RedisKeys(options.prefix ?? 'oldb:', isCluster);
    const clock = options.clock ?? systemClock;
    const deadlines = new Deadlines(clock);
    this.description = server.display;
    const events: StoreConnectionEvents = {
      connected: () => void this.#watches.resyncAll(),
      resync: (channels) => void this.#watches.resync(channels),
      message: (channel, message) => this.#watches.onMessage(channel, message),
    };
    const settings = {
      server,
      timeout: options.timeout ?? 3000,
      maxReconnectDelay: options.maxReconnectDelay ?? 1000,
      heartbeatTimeout: options.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT,
      clock,
      deadlines,
      log,
    };
    this.#connection = isCluster
      ? new RedisClusterConnection(settings, events)
      : new RedisConnection(settings, events);
    this.#reader = new RedisReader(this.#connection, keys);
    this.#writer = new RedisWriter(this.#connection, keys, this.#reader, clock, deadlines, {
      durability: options.durability ?? 'acknowledged',
      replicas: options.replicas ?? 1,
      replicationTimeout: options.replicationTimeout ?? 1000,
    });
    this.#watches = new RedisWatches(this.#connection, keys, this.#reader, log);
    if (options.durability === 'replicated') {
      // every write waits for replicas: their connection is opened with the others
      const connection = this.#connection;
      connection.started.then(
        () => connection.replicatedClient?.(),
        () => undefined,
      );
    }
  }

  get connectionState(): OldbConnectionState {
    return this.#connection.state;
  }

  get connectionError(): Error | undefined {
    return this.#connection.error;
  }

  stats(): RedisStoreStats {
    return {
      server: this.description,
      state: this.#connection.state,
      watched: this.#watches.size,
      resyncs: this.#watches.resyncs,
      notifications: this.#watches.notifications,
      malformed: this.#watches.malformed,
      rechecks: this.#watches.rechecks,
    };
  }

  declare(
    path: string,
    declaration: OldbDeclaration,
    options?: OldbCallOptions & { readonly ifExists?: OldbIfExists | undefined },
  ): Promise<OldbSnapshot> {
    return this.#writer.declare(path, declaration, options);
  }

  read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot> {
    return this.#reader.read(path, options);
  }

  readMany(paths: readonly string[], options?: OldbCallOptions): Promise<(OldbSnapshot | undefined)[]> {
    return this.#reader.readMany(paths, options);
  }

  write(path: string, write: OldbWrite, options?: OldbCallOptions): Promise<OldbWriteResult> {
    return this.#writer.write(path, write, options);
  }

  updateMetadata(path: string, patch: OldbMetadata, options?: OldbCallOptions): Promise<OldbMetadata> {
    return this.#writer.updateMetadata(path, patch, options);
  }

  remove(path: string, options?: OldbCallOptions): Promise<boolean> {
    return this.#writer.remove(path, options);
  }

  listChildren(path: string, options?: OldbCallOptions): Promise<OldbChild[]> {
    return this.#reader.listChildren(path, options);
  }

  subscribe(path: string, listener: (event: OldbEvent) => void): OldbSubscription {
    return this.#watches.subscribe(path, listener);
  }

  onConnection(listener: (event: OldbConnectionEvent) => void): () => void {
    return this.#connection.onConnection(listener);
  }

  close(): Promise<void> {
    return this.#connection.close(() => this.#watches.clear());
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
