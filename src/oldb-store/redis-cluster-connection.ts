/**
 * The connections of the Redis store to a Redis Cluster: one ioredis
 * `Cluster` for commands (auto-pipelined per node, the store's scripts
 * defined on it), and one subscriber connection per master that holds
 * watched channels, subscribed with sharded pub/sub (`SSUBSCRIBE`): a
 * datapoint's channel lives in its slot, so its notifications come from the
 * master of that slot only.
 *
 * The store keeps each watched channel where its slot is served:
 * - a subscriber connection that drops (its master died, `CLIENT KILL`)
 *   makes the store `disconnected`; the slots are asked again every few
 *   hundred ms until each channel has a ready master (the same one back, or
 *   the replica promoted in its place), it is subscribed there, and the store
 *   is `connected` again: then every watched datapoint is re-read (resync);
 * - a slot that moves (the server sends an unsolicited `sunsubscribe`, and
 *   ioredis reports `moved`) is subscribed at its new master and the
 *   datapoints of its channels are re-read, without a change of state.
 *
 * The connection state is one for the whole cluster. Each subscriber
 * connection has a heartbeat (see `redis-heartbeat.ts`): a master that hangs
 * with its connections open (SIGSTOP, `CLIENT PAUSE`, a long script) leaves a
 * PING unanswered for `heartbeatTimeout` ms, and the store is `disconnected`
 * within 1.5 × `heartbeatTimeout` of the hang (its watchers see INVALID), as
 * on one server; meanwhile the slots are asked again until each channel has
 * a master that answers (the same one, once it answers again, or the replica
 * the cluster promoted in its place after its `cluster-node-timeout`), and
 * then every watched datapoint is re-read. Commands to a hung master fail at
 * their own time limit.
 *
 * @module
 */
import type { Cluster, ClusterOptions, Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError, TkError } from '../errors/tk-error.js';
import type { TimerHandle } from '../util/clock.js';
import { type CommandClient, loadIoredisModule, unreachable, unresponsive } from './redis-client.js';
import {
  CLUSTER_DECLARE_SCRIPT,
  CLUSTER_METADATA_SCRIPT,
  CLUSTER_REMOVE_SCRIPT,
  CLUSTER_UNLINK_SCRIPT,
  CLUSTER_WRITE_SCRIPT,
} from './redis-cluster-scripts.js';
import { ConnectionCore, type ConnectionSettings } from './redis-connection-core.js';
import { Heartbeat } from './redis-heartbeat.js';
import { keySlot } from './redis-slot.js';
import type { StoreConnection, StoreConnectionEvents } from './redis-store-connection.js';

/** The settings of a {@link RedisClusterConnection}, defaults applied. */
export type RedisClusterSettings = ConnectionSettings;

/** One subscriber connection, to one master. */
interface Subscriber {
  readonly node: string;
  readonly client: RedisClient;
  ready: boolean;
  /** Whether its connection failed or closed since it was created (it is not merely still connecting). */
  failed: boolean;
  /** Counts the times it became ready: a channel subscribed in an earlier generation is gone. */
  generation: number;
  /** Called on each change of `ready`/`failed`. */
  readonly waiters: Set<() => void>;
  /** Whether its master answers. */
  readonly heartbeat: Heartbeat;
}

/** Where a watched channel is subscribed. */
interface Placement {
  /** The master it is subscribed on; undefined: nowhere yet. */
  node: string | undefined;
  /** The generation of that master's subscriber at the time. */
  generation: number;
  /** Whether a {@link RedisClusterConnection.subscribeChannels} call handles it now (its caller reads it). */
  syncing: boolean;
  /**
   * Whether its master dropped some of its channels (an unsolicited
   * `sunsubscribe`, which does not say which): it is subscribed again and
   * its datapoint re-read.
   */
  recheck: boolean;
}

/** The command and subscriber connections to a Redis Cluster, and the connection state. */
export class RedisClusterConnection extends ConnectionCore implements StoreConnection {
  /** Settles once the command connection exists; rejects when ioredis cannot be loaded. */
  readonly started: Promise<void>;
  readonly #heartbeatTimeout: number;
  readonly #subs = new Map<string, Subscriber>();
  readonly #channels = new Map<string, Placement>();
  #Redis: (new (options: object) => RedisClient) | undefined;
  #cluster: Cluster | undefined;
  /** The same client, typed as the command connection the reader and writer use (same commands and scripts). */
  #client: CommandClient | undefined;
  #clusterReady = false;
  #clusterFailed = false;
  #reconciling: Promise<void> | undefined;
  #again = false;
  #retry: TimerHandle | undefined;
  #retryDelay = 100;

  /** Starts connecting at once; `events` tells the owner of the connection coming up, of moved channels and of messages. */
  constructor(settings: RedisClusterSettings, events: StoreConnectionEvents) {
    super(settings, events);
    this.#heartbeatTimeout = settings.heartbeatTimeout;
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

  /** The number of subscriber connections (one per master holding watched channels). */
  get subscriberCount(): number {
    return this.#subs.size;
  }

  commandSocketClosing(): void {
    // ioredis queues a cluster node's commands while it reconnects (bounded by the call's time limit)
  }

  unavailable(): BackendUnavailableError {
    for (const sub of this.#subs.values()) {
      if (sub.ready && !sub.heartbeat.responsive) {
        return unresponsive(`${sub.node} (of ${this.description})`, this.#heartbeatTimeout);
      }
    }
    return unreachable(this.description, this.lastError);
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
    this.#subOptions = { ...nodeOptions, connectionName: 'tk-core-oldb-ssub' };
    this.log.debug('connecting', { server: this.description });
    cluster.on('ready', () => {
      this.#clusterReady = true;
      this.#clusterFailed = false;
      this.commandChanged();
      this.#update();
      this.#reconcile();
    });
    cluster.on('refresh', () => this.#reconcile());
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

  #subOptions: object = {};

  /** The master serving the slot of `channel` now (`host:port`), as the cluster client last saw. */
  #ownerOf(channel: string): string | undefined {
    return this.#cluster?.slots[keySlot(channel)]?.[0];
  }

  #subscriber(node: string): Subscriber {
    let sub = this.#subs.get(node);
    if (sub !== undefined) return sub;
    const i = node.lastIndexOf(':');
    const client = new this.#Redis!({
      ...this.#subOptions,
      host: node.slice(0, i),
      port: Number(node.slice(i + 1)),
      autoResubscribe: false,
      enableOfflineQueue: false,
      retryStrategy: this.retryStrategy,
    });
    const heartbeat = new Heartbeat(this.clock, this.#heartbeatTimeout, {
      ping: () => (s.ready ? client.ping() : undefined),
      changed: (responsive) => {
        if (this.closed || this.#subs.get(node) !== s) return;
        this.log.debug(responsive ? 'master answers again' : 'master does not answer', {
          server: this.description,
          node,
        });
        if (responsive) this.#reconcile();
        else {
          this.#update();
          this.#scheduleRetry();
        }
      },
    });
    const s: Subscriber = {
      node,
      client,
      ready: false,
      failed: false,
      generation: 0,
      waiters: new Set(),
      heartbeat,
    };
    sub = s;
    this.#subs.set(node, s);
    const changed = () => {
      for (const w of [...s.waiters]) w();
    };
    client.on('ready', () => {
      s.ready = true;
      s.failed = false;
      s.generation++;
      s.heartbeat.ready();
      this.log.trace('sharded subscriber ready', { node });
      changed();
      this.#reconcile();
    });
    client.on('close', () => {
      const was = s.ready;
      s.ready = false;
      s.failed = true;
      s.heartbeat.lost();
      changed();
      if (!was || this.#subs.get(node) !== s) return;
      this.log.debug('sharded subscriber lost', { server: this.description, node });
      this.#update();
      this.#scheduleRetry();
    });
    client.on('error', (err: Error) => {
      this.lastError = err;
    });
    // the server took this connection's channels of a slot that moved away
    client.on('moved', () => {
      // the server dropped the channels of a slot (it moved away, or was re-assigned): which ones is not
      // said, so every channel of this master is subscribed again where its slot is now, and re-read
      this.log.debug('a master dropped channels of a slot', { server: this.description, node });
      for (const p of this.#channels.values()) if (p.node === node) p.recheck = true;
      this.#scheduleRetry(0);
    });
    client.on('smessage', (channel: string, message: string) => this.events.message(channel, message));
    return s;
  }

  /** Waits until `sub` is ready, while it is making its first connection, at most the call time limit. */
  #whenFirstReady(sub: Subscriber): Promise<void> {
    if (sub.ready || sub.failed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        if (!sub.ready && !sub.failed) return;
        timer.cancel();
        sub.waiters.delete(done);
        resolve();
      };
      const timer = this.clock.setTimeout(() => {
        sub.waiters.delete(done);
        resolve();
      }, this.timeout);
      sub.waiters.add(done);
    });
  }

  /** `promise`, or a rejection after the call time limit (a subscriber that never answers must not hold the others). */
  #bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimeout(
        () => reject(new Error(`no reply within ${this.timeout} ms`)),
        this.timeout,
      );
      promise.then(
        (v) => {
          timer.cancel();
          resolve(v);
        },
        (err: unknown) => {
          timer.cancel();
          reject(err);
        },
      );
    });
  }

  /** Whether `p` is subscribed on a ready subscriber of the same generation. */
  #placed(p: Placement): boolean {
    if (p.node === undefined) return false;
    const sub = this.#subs.get(p.node);
    return sub?.ready === true && sub.heartbeat.responsive && sub.generation === p.generation;
  }

  /**
   * Subscribes `channels` at their masters now. Rejects when a master is not
   * ready: those channels are subscribed when it is (or its replaced one),
   * and their datapoints re-read then.
   */
  async subscribeChannels(channels: readonly string[]): Promise<void> {
    const cluster = this.#cluster;
    if (cluster === undefined || !this.#clusterReady) {
      this.syncFailed(channels);
      throw this.unavailable();
    }
    const mine: Placement[] = [];
    for (const c of channels) {
      let p = this.#channels.get(c);
      if (p === undefined) {
        p = { node: undefined, generation: 0, syncing: true, recheck: false };
        this.#channels.set(c, p);
      } else p.syncing = true;
      mine.push(p);
    }
    let failed: string[];
    try {
      failed = await this.#place(channels);
    } finally {
      for (const p of mine) p.syncing = false;
    }
    if (failed.length > 0) {
      this.syncFailed(failed);
      throw this.unavailable();
    }
  }

  /**
   * The datapoints of `channels` could not be synced (subscribed or read):
   * they are subscribed again where their slots are and re-read, as soon as
   * the cluster lets (the store may stay `connected` meanwhile: no reconnect
   * would do it).
   */
  syncFailed(channels: readonly string[]): void {
    for (const c of channels) {
      const p = this.#channels.get(c);
      if (p !== undefined) p.recheck = true;
    }
    this.#scheduleRetry();
  }

  unsubscribeChannels(channels: readonly string[]): void {
    for (const c of channels) {
      const p = this.#channels.get(c);
      this.#channels.delete(c);
      const sub = p?.node === undefined ? undefined : this.#subs.get(p.node);
      if (sub?.ready) sub.client.sunsubscribe(c).catch(() => undefined);
    }
    this.#dropIdle();
  }

  /**
   * Subscribes each of `channels` at the master of its slot; returns those
   * that could not be. A channel moved from another master is unsubscribed
   * there (when that one still answers).
   */
  async #place(channels: readonly string[]): Promise<string[]> {
    const groups = new Map<string, string[]>();
    const failed: string[] = [];
    for (const c of channels) {
      const node = this.#ownerOf(c);
      if (node === undefined) {
        failed.push(c);
        continue;
      }
      const g = groups.get(node);
      if (g === undefined) groups.set(node, [c]);
      else g.push(c);
    }
    await Promise.all(
      [...groups].map(async ([node, list]) => {
        const sub = this.#subscriber(node);
        await this.#whenFirstReady(sub);
        if (!sub.ready || !sub.heartbeat.responsive) {
          failed.push(...list);
          return;
        }
        const generation = sub.generation;
        // one channel per SSUBSCRIBE: the channels of one call must share a slot
        const results = await Promise.allSettled(list.map((c) => this.#bounded(sub.client.ssubscribe(c))));
        results.forEach((r, i) => {
          const c = list[i]!;
          const p = this.#channels.get(c);
          if (r.status === 'rejected' || p === undefined) {
            if (r.status === 'rejected') failed.push(c);
            else sub.client.sunsubscribe(c).catch(() => undefined); // unwatched meanwhile
            return;
          }
          const old = p.node === undefined || p.node === node ? undefined : this.#subs.get(p.node);
          if (old?.ready) old.client.sunsubscribe(c).catch(() => undefined);
          p.node = node;
          p.generation = generation;
          p.recheck = false;
        });
      }),
    );
    if (failed.length > 0) this.#scheduleRetry();
    return failed;
  }

  /** Runs {@link #reconcileOnce} now, or again after the one running. */
  #reconcile(): void {
    if (this.closed) return;
    if (this.#reconciling !== undefined) {
      this.#again = true;
      return;
    }
    this.#reconciling = this.#reconcileOnce()
      .catch((err: unknown) => {
        this.log.debug('resubscribing failed', { server: this.description, error: (err as Error).message });
        this.#scheduleRetry();
      })
      .finally(() => {
        this.#reconciling = undefined;
        if (this.#again) {
          this.#again = false;
          this.#reconcile();
        }
      });
  }

  /**
   * Puts every watched channel on the master of its slot: those subscribed
   * nowhere, on a subscriber that dropped, or on a master that no longer
   * serves their slot. Then the state is updated; when it was `connected`
   * already, the datapoints of the moved channels are re-read here (else the
   * move to `connected` re-reads everything).
   */
  async #reconcileOnce(): Promise<void> {
    if (!this.#clusterReady) return;
    const moving: string[] = [];
    for (const [c, p] of this.#channels) {
      if (p.syncing) continue;
      if (this.#placed(p) && !p.recheck && p.node === this.#ownerOf(c)) continue;
      moving.push(c);
    }
    if (this.log.isEnabled('trace')) {
      this.log.trace('reconcile', {
        channels: this.#channels.size,
        moving: moving.length,
        first: moving[0],
      });
    }
    const wasConnected = this.state === 'connected';
    if (moving.length > 0) await this.#place(moving);
    this.#dropIdle();
    this.#update();
    const moved = moving.filter((c) => {
      const p = this.#channels.get(c);
      return p !== undefined && this.#placed(p);
    });
    if (wasConnected && this.state === 'connected' && moved.length > 0) this.events.resync(moved);
  }

  /**
   * Closes the subscribers that hold no channel and are not ready (a master
   * that died and was replaced). A ready one is kept for the next watch of
   * its slots (at most one connection per node).
   */
  #dropIdle(): void {
    const used = new Set<string>();
    for (const p of this.#channels.values()) if (p.node !== undefined) used.add(p.node);
    for (const [node, sub] of this.#subs) {
      if (used.has(node) || sub.ready || !sub.failed) continue;
      this.#subs.delete(node);
      sub.heartbeat.stop();
      sub.client.disconnect();
    }
  }

  /** Asks the cluster for its slots again after `delay` ms (backing off), then reconciles. */
  #scheduleRetry(delay = this.#retryDelay): void {
    if (this.#retry !== undefined || this.closed) return;
    this.#retry = this.clock.setTimeout(() => {
      this.#retry = undefined;
      const cluster = this.#cluster;
      if (cluster === undefined || this.closed) return;
      cluster.refreshSlotsCache(() => {
        this.#reconcile();
        // keep asking while some channel has no ready master
        const pending = [...this.#channels.values()].some(
          (p) => !p.syncing && (p.recheck || !this.#placed(p)),
        );
        if (pending) {
          this.#retryDelay = Math.min(this.#retryDelay * 2, 1000);
          this.#scheduleRetry();
        } else this.#retryDelay = 100;
      });
    }, delay);
  }

  /** `connected` while the cluster is ready and every subscribed channel's subscriber is. */
  #update(): void {
    let healthy = this.#clusterReady;
    if (healthy) {
      for (const p of this.#channels.values()) {
        if (p.node !== undefined && !this.#placed(p)) {
          healthy = false;
          break;
        }
      }
    }
    this.health(healthy, this.#clusterFailed);
  }

  protected stopping(): void {
    this.#retry?.cancel();
    this.#retry = undefined;
  }

  protected disconnect(): void {
    for (const sub of this.#subs.values()) {
      sub.heartbeat.stop();
      sub.client.disconnect();
    }
    this.#subs.clear();
    this.#channels.clear();
    this.#cluster?.disconnect();
  }
}
