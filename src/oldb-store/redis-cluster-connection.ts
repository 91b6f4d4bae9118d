/**
 * The connections of the Redis store to a Redis Cluster: one ioredis
 * `Cluster` for commands (auto-pipelined per node, the store's scripts
 * defined on it), and one subscriber connection per master, on which the
 * watched channels of its slots are subscribed with sharded pub/sub
 * (`SSUBSCRIBE`) and their datapoints read: a datapoint's channel lives in
 * its slot, so its notifications come from the nodes of that slot's shard
 * only.
 *
 * The store keeps each watched channel where its slot is served:
 * - a subscriber connection that drops (its master died, `CLIENT KILL`)
 *   makes the store `disconnected`, whether that master holds watched
 *   channels or not; at once, a replica of that master stands in: the
 *   channels of the master's slots are subscribed on it (a shard's
 *   channels reach its replicas too) and the store is `connected` again as
 *   soon as they are, and every watched datapoint is re-read (resync), the
 *   lost master's on the replica (its subscriber connections are
 *   `READONLY`). The replica holds what survives of the shard: it is what
 *   the cluster promotes, and the channels stay on it when it does. Until
 *   then, writes to those slots fail clearly (no master). A master with no
 *   reachable replica leaves the store `disconnected` until it is back or
 *   replaced. Meanwhile the slots are asked again (every 250 ms for the
 *   first 10 s, see `redis-slot-refresh.ts`) until every master of the slot
 *   map answers (the same one back: its channels move back to it and are
 *   re-read; or the replica promoted in its place);
 * - a slot that moves (the server sends an unsolicited `sunsubscribe`, and
 *   ioredis reports `moved`) is subscribed at its new master and the
 *   datapoints of its channels are re-read, without a change of state.
 *
 * The connection state is one for the whole cluster. Each subscriber
 * connection has a heartbeat (see `redis-heartbeat.ts`): a master that hangs
 * with its connections open (SIGSTOP, `CLIENT PAUSE`, a long script) leaves a
 * PING unanswered for `heartbeatTimeout` ms, and the store is `disconnected`
 * within 1.5 × `heartbeatTimeout` of the hang (its watchers see INVALID), as
 * on one server; meanwhile the slots are asked again until every master
 * answers (the same one, once it answers again, or the replica the cluster
 * promoted in its place after its `cluster-node-timeout`), and then every
 * watched datapoint is re-read. Commands to a hung master fail at their own
 * time limit.
 *
 * @module
 */
import type { Cluster, ClusterOptions, Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError, TkError } from '../errors/tk-error.js';
import { type CommandClient, loadIoredisModule, unreachable } from './redis-client.js';
import {
  CLUSTER_DECLARE_SCRIPT,
  CLUSTER_METADATA_SCRIPT,
  CLUSTER_REMOVE_SCRIPT,
  CLUSTER_UNLINK_SCRIPT,
  CLUSTER_WRITE_SCRIPT,
} from './redis-cluster-scripts.js';
import { ShardedSubscribers } from './redis-cluster-subscribers.js';
import { ConnectionCore, type ConnectionSettings } from './redis-connection-core.js';
import { type LaneClient, ReplicatedLane } from './redis-replicated-lane.js';
import type { StoreConnection, StoreConnectionEvents } from './redis-store-connection.js';

/** The settings of a {@link RedisClusterConnection}, defaults applied. */
export type RedisClusterSettings = ConnectionSettings;

/** The command and subscriber connections to a Redis Cluster, and the connection state. */
export class RedisClusterConnection extends ConnectionCore implements StoreConnection {
  /** Settles once the command connection exists; rejects when ioredis cannot be loaded. */
  readonly started: Promise<void>;
  readonly #shards: ShardedSubscribers;
  #Redis: (new (options: object) => RedisClient) | undefined;
  #cluster: Cluster | undefined;
  /** The same client, typed as the command connection the reader and writer use (same commands and scripts). */
  #client: CommandClient | undefined;
  #clusterReady = false;
  #clusterFailed = false;
  #subOptions: object = {};
  /** The connection of the `replicated` writes (a second cluster client), opened at the first. */
  #lane: ReplicatedLane | undefined;

  /** Starts connecting at once; `events` tells the owner of the connection coming up, of moved channels and of messages. */
  constructor(settings: RedisClusterSettings, events: StoreConnectionEvents) {
    super(settings, events);
    const self = this;
    this.#shards = new ShardedSubscribers({
      description: this.description,
      timeout: this.timeout,
      heartbeatTimeout: settings.heartbeatTimeout,
      log: this.log,
      clock: this.clock,
      events,
      get cluster() {
        return self.#cluster;
      },
      get clusterReady() {
        return self.#clusterReady;
      },
      get closed() {
        return self.closed;
      },
      get connected() {
        return self.state === 'connected';
      },
      connectTo: (host, port) =>
        new this.#Redis!({
          ...this.#subOptions,
          host,
          port,
          autoResubscribe: false,
          enableOfflineQueue: false,
          // reads on a replica standing in for its lost master (no effect on a master)
          readOnly: true,
          retryStrategy: this.retryStrategy,
        }),
      update: () => this.#update(),
      unavailable: () => this.unavailable(),
      noteError: (err) => {
        this.lastError = err;
      },
    });
    this.started = this.begin(this.#start());
  }

  get error(): Error | undefined {
    return this.state === 'disconnected' ? this.unavailable() : undefined;
  }

  get client(): CommandClient | undefined {
    return this.#client;
  }

  get commandUsable(): boolean {
    return this.#clusterReady;
  }

  get commandDown(): TkError | undefined {
    return !this.#clusterReady && this.#clusterFailed ? this.unavailable() : undefined;
  }

  /** Whether channels can be subscribed now (the cluster's slots are known). */
  get subscriberReady(): boolean {
    return this.#clusterReady;
  }

  /** The number of subscriber connections (one per master). */
  get subscriberCount(): number {
    return this.#shards.size;
  }

  commandSocketClosing(): void {
    // ioredis queues a cluster node's commands while it reconnects (bounded by the call's time limit)
  }

  unavailable(): BackendUnavailableError {
    return this.#shards.unresponsive() ?? unreachable(this.description, this.lastError);
  }

  async #start(): Promise<void> {
    const mod = await loadIoredisModule();
    if (this.closed) return;
    const s = this.server;
    if (s.topology.kind !== 'cluster') throw new Error('not a cluster URL');
    this.#Redis = mod.Redis as unknown as new (options: object) => RedisClient;
    const nodeOptions = {
      username: s.username,
      password: s.password,
      ...(s.tls ? { tls: {} } : {}),
      connectTimeout: Math.max(this.timeout, 1000),
      maxRetriesPerRequest: 0,
    };
    const options: ClusterOptions = {
      redisOptions: { ...nodeOptions, connectionName: 'tk-core-oldb' },
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      // retries after MOVED/TRYAGAIN/CLUSTERDOWN during a failover; each call is bounded by its own time limit
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
      maxRedirections: 32,
      slotsRefreshTimeout: Math.max(1000, Math.min(this.timeout, 5000)),
      clusterRetryStrategy: this.retryStrategy,
      scripts: {
        // fixed key counts: ioredis routes (and auto-pipelines) a call by its first argument, which must be a key
        oldbClusterWrite: { lua: CLUSTER_WRITE_SCRIPT, numberOfKeys: 2 },
        oldbClusterDeclare: { lua: CLUSTER_DECLARE_SCRIPT, numberOfKeys: 2 },
        oldbClusterMetadata: { lua: CLUSTER_METADATA_SCRIPT, numberOfKeys: 2 },
        oldbClusterRemove: { lua: CLUSTER_REMOVE_SCRIPT, numberOfKeys: 2 },
        oldbUnlink: { lua: CLUSTER_UNLINK_SCRIPT, numberOfKeys: 1 },
      },
    };
    const cluster = new mod.Cluster(
      s.topology.nodes.map((n) => ({ host: n.host, port: n.port })),
      options,
    );
    this.#cluster = cluster;
    this.#client = cluster as unknown as CommandClient;
    this.#lane = new ReplicatedLane(
      () =>
        cluster.duplicate([], {
          redisOptions: { ...nodeOptions, connectionName: 'tk-core-oldb-replicated' },
        }) as unknown as LaneClient,
      (err) => {
        this.lastError = err;
      },
    );
    this.#subOptions = { ...nodeOptions, connectionName: 'tk-core-oldb-ssub' };
    this.log.debug('connecting', { server: this.description });
    cluster.on('ready', () => {
      this.#clusterReady = true;
      this.#clusterFailed = false;
      this.commandChanged();
      this.#update();
      this.#shards.reconcile();
    });
    cluster.on('refresh', () => {
      this.#shards.reconcile();
      // the lane follows the slots the command connection learned (a promoted replica)
      (this.#lane?.opened as Cluster | undefined)?.refreshSlotsCache();
    });
    cluster.on('error', (err: Error) => {
      this.lastError = err;
    });
    cluster.on('node error', (err: Error) => {
      this.lastError = err;
    });
    const lost = () => {
      if (!this.#clusterReady && this.#clusterFailed) return;
      this.#clusterReady = false;
      this.#clusterFailed = true;
      this.commandChanged();
      this.#update();
    };
    cluster.on('close', lost);
    cluster.on('end', lost);
    cluster.on('reconnecting', lost);
  }

  /** `connected` while the cluster is ready and every subscribed channel's subscriber is. */
  #update(): void {
    this.health(this.#clusterReady && this.#shards.healthy, this.#clusterFailed);
  }

  /** Subscribes `channels` at their masters now; see {@link ShardedSubscribers.subscribeChannels}. */
  async subscribeChannels(channels: readonly string[]): Promise<void> {
    await this.#shards.subscribeChannels(channels);
  }

  /**
   * Subscribes `channels` at their masters and reads them there, on the
   * subscriber connections (see {@link ShardedSubscribers.subscribeChannels}):
   * a resync after a failover is not held by the `WAIT`s of replicated
   * writes on the command connection.
   */
  subscribeAndRead<T>(
    channels: readonly string[],
    read: (client: CommandClient, indexes: readonly number[]) => Promise<T[]>,
  ): Promise<T[]> {
    return this.#shards.subscribeChannels(channels, read);
  }

  /** The stand-in replica's connection for reads of `key`; see {@link ShardedSubscribers.standInReader}. */
  standInReader(key: string): CommandClient | undefined {
    return this.#shards.standInReader(key);
  }

  /** Re-reads the datapoints of `channels` as soon as the cluster lets; see {@link ShardedSubscribers.syncFailed}. */
  syncFailed(channels: readonly string[]): void {
    this.#shards.syncFailed(channels);
  }

  /** Unsubscribes `channels`. */
  unsubscribeChannels(channels: readonly string[]): void {
    this.#shards.unsubscribeChannels(channels);
  }

  protected stopping(): void {
    this.#shards.stop();
  }

  protected disconnect(): void {
    this.#shards.close();
    this.#cluster?.disconnect();
    this.#lane?.close();
  }

  /** The connection for `replicated` writes, once ready; see {@link ReplicatedLane}. */
  replicatedClient(): CommandClient | undefined {
    return this.#lane?.client();
  }
}
