/**
 * The sharded subscriber connections of the Redis store on a Redis Cluster:
 * one connection per master that holds watched channels, each subscribed
 * with `SSUBSCRIBE` (a datapoint's channel lives in its slot), each with a
 * heartbeat. It keeps each watched channel where its slot is served (see
 * `redis-cluster-connection.ts` for what the store sees): a subscriber that
 * drops, a master that hangs, a slot that moves are followed by asking the
 * slots again until every channel has a ready, answering master.
 *
 * @module
 */
import type { Cluster, Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { unresponsive } from './redis-client.js';
import { Heartbeat } from './redis-heartbeat.js';
import { keySlot } from './redis-slot.js';
import type { StoreConnectionEvents } from './redis-store-connection.js';

/** What the sharded subscribers need of the cluster connection that owns them. */
export interface ShardHost {
  /** The cluster, without credentials. */
  readonly description: string;
  /** Default time limit of each call in ms. */
  readonly timeout: number;
  /** A subscriber's PING unanswered for this long (ms) means its master hangs; 0: no heartbeat. */
  readonly heartbeatTimeout: number;
  /** Where the subscribers report. */
  readonly log: Logger;
  /** Timers. */
  readonly clock: Clock;
  /** The owner of the store connection (messages, re-reads of moved channels). */
  readonly events: StoreConnectionEvents;
  /** The cluster client, once started. */
  readonly cluster: Cluster | undefined;
  /** Whether the cluster client is ready (its slots are known). */
  readonly clusterReady: boolean;
  /** Whether the store connection is closed. */
  readonly closed: boolean;
  /** Whether the store connection is connected. */
  readonly connected: boolean;
  /** A new subscriber connection to the master at `host:port`. */
  connectTo(host: string, port: number): RedisClient;
  /** Recomputes the store connection's state. */
  update(): void;
  /** The error saying the cluster is not reachable. */
  unavailable(): BackendUnavailableError;
  /** Notes why a connection failed. */
  noteError(err: Error): void;
}

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
  /** Whether a {@link ShardedSubscribers.subscribeChannels} call handles it now (its caller reads it). */
  syncing: boolean;
  /**
   * Whether its master dropped some of its channels (an unsolicited
   * `sunsubscribe`, which does not say which): it is subscribed again and
   * its datapoint re-read.
   */
  recheck: boolean;
}

/** The subscriber connections of one store on a cluster, and where each watched channel is subscribed. */
export class ShardedSubscribers {
  readonly #host: ShardHost;
  readonly #subs = new Map<string, Subscriber>();
  readonly #channels = new Map<string, Placement>();
  #reconciling: Promise<void> | undefined;
  #again = false;
  #retry: TimerHandle | undefined;
  #retryDelay = 100;

  /** Subscribers for the cluster connection `host`. */
  constructor(host: ShardHost) {
    this.#host = host;
  }

  /** The number of subscriber connections (one per master holding watched channels). */
  get size(): number {
    return this.#subs.size;
  }

  /** Whether every subscribed channel's subscriber is ready and answers. */
  get healthy(): boolean {
    for (const p of this.#channels.values()) if (p.node !== undefined && !this.#placed(p)) return false;
    return true;
  }

  /** The error of a master that does not answer, if one holding a subscriber hangs. */
  unresponsive(): BackendUnavailableError | undefined {
    for (const sub of this.#subs.values()) {
      if (sub.ready && !sub.heartbeat.responsive) {
        return unresponsive(`${sub.node} (of ${this.#host.description})`, this.#host.heartbeatTimeout);
      }
    }
    return undefined;
  }

  /** The master serving the slot of `channel` now (`host:port`), as the cluster client last saw. */
  #ownerOf(channel: string): string | undefined {
    return this.#host.cluster?.slots[keySlot(channel)]?.[0];
  }

  #subscriber(node: string): Subscriber {
    let sub = this.#subs.get(node);
    if (sub !== undefined) return sub;
    const i = node.lastIndexOf(':');
    const client = this.#host.connectTo(node.slice(0, i), Number(node.slice(i + 1)));
    const heartbeat = new Heartbeat(this.#host.clock, this.#host.heartbeatTimeout, {
      ping: () => (s.ready ? client.ping() : undefined),
      changed: (responsive) => {
        if (this.#host.closed || this.#subs.get(node) !== s) return;
        this.#host.log.debug(responsive ? 'master answers again' : 'master does not answer', {
          server: this.#host.description,
          node,
        });
        if (responsive) this.reconcile();
        else {
          this.#host.update();
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
      this.#host.log.trace('sharded subscriber ready', { node });
      changed();
      this.reconcile();
    });
    client.on('close', () => {
      const was = s.ready;
      s.ready = false;
      s.failed = true;
      s.heartbeat.lost();
      changed();
      if (!was || this.#subs.get(node) !== s) return;
      this.#host.log.debug('sharded subscriber lost', { server: this.#host.description, node });
      this.#host.update();
      this.#scheduleRetry();
    });
    client.on('error', (err: Error) => {
      this.#host.noteError(err);
    });
    // the server took this connection's channels of a slot that moved away
    client.on('moved', () => {
      // the server dropped the channels of a slot (it moved away, or was re-assigned): which ones is not
      // said, so every channel of this master is subscribed again where its slot is now, and re-read
      this.#host.log.debug('a master dropped channels of a slot', { server: this.#host.description, node });
      for (const p of this.#channels.values()) if (p.node === node) p.recheck = true;
      this.#scheduleRetry(0);
    });
    client.on('smessage', (channel: string, message: string) => this.#host.events.message(channel, message));
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
      const timer = this.#host.clock.setTimeout(() => {
        sub.waiters.delete(done);
        resolve();
      }, this.#host.timeout);
      sub.waiters.add(done);
    });
  }

  /** `promise`, or a rejection after the call time limit (a subscriber that never answers must not hold the others). */
  #bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.#host.clock.setTimeout(
        () => reject(new Error(`no reply within ${this.#host.timeout} ms`)),
        this.#host.timeout,
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
    const cluster = this.#host.cluster;
    if (cluster === undefined || !this.#host.clusterReady) {
      this.syncFailed(channels);
      throw this.#host.unavailable();
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
      throw this.#host.unavailable();
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

  /** Runs {@link ShardedSubscribers.reconcile}'s pass now, or again after the one running. */
  reconcile(): void {
    if (this.#host.closed) return;
    if (this.#reconciling !== undefined) {
      this.#again = true;
      return;
    }
    this.#reconciling = this.#reconcileOnce()
      .catch((err: unknown) => {
        this.#host.log.debug('resubscribing failed', {
          server: this.#host.description,
          error: (err as Error).message,
        });
        this.#scheduleRetry();
      })
      .finally(() => {
        this.#reconciling = undefined;
        if (this.#again) {
          this.#again = false;
          this.reconcile();
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
    if (!this.#host.clusterReady) return;
    const moving: string[] = [];
    for (const [c, p] of this.#channels) {
      if (p.syncing) continue;
      if (this.#placed(p) && !p.recheck && p.node === this.#ownerOf(c)) continue;
      moving.push(c);
    }
    if (this.#host.log.isEnabled('trace')) {
      this.#host.log.trace('reconcile', {
        channels: this.#channels.size,
        moving: moving.length,
        first: moving[0],
      });
    }
    const wasConnected = this.#host.connected;
    if (moving.length > 0) await this.#place(moving);
    this.#dropIdle();
    this.#host.update();
    const moved = moving.filter((c) => {
      const p = this.#channels.get(c);
      return p !== undefined && this.#placed(p);
    });
    if (wasConnected && this.#host.connected && moved.length > 0) this.#host.events.resync(moved);
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
    if (this.#retry !== undefined || this.#host.closed) return;
    this.#retry = this.#host.clock.setTimeout(() => {
      this.#retry = undefined;
      const cluster = this.#host.cluster;
      if (cluster === undefined || this.#host.closed) return;
      cluster.refreshSlotsCache(() => {
        this.reconcile();
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

  /** Stops asking the slots again (the store closes). */
  stop(): void {
    this.#retry?.cancel();
    this.#retry = undefined;
  }

  /** Closes every subscriber connection and forgets every channel. */
  close(): void {
    for (const sub of this.#subs.values()) {
      sub.heartbeat.stop();
      sub.client.disconnect();
    }
    this.#subs.clear();
    this.#channels.clear();
  }
}
