/**
 * The sharded subscribers of the Redis store on a Redis Cluster: where each
 * watched channel is subscribed, on the subscriber connections of the
 * nodes (`redis-node-subscribers.ts`: one per master of the slot map, each
 * with a heartbeat, whether it holds watched channels or not, so a master
 * that dies or hangs is noticed; one connection state for the whole
 * cluster, see `redis-cluster-connection.ts`).
 *
 * It keeps each watched channel where its slot is served: a subscriber that
 * drops, a master that hangs, a slot that moves are followed by asking the
 * slots again (`redis-slot-refresh.ts`) until every master of the slot map
 * answers and every channel is subscribed on it. A channel whose master's
 * connection was lost (its process ended) is subscribed and read at once
 * on a replica of that master, which stands in until the master is back
 * (the channel moves back and is read again) or the cluster promotes the
 * replica (the channel is already where it belongs). A channel is
 * subscribed and its datapoint read on the same connection (see
 * {@link ShardedSubscribers.subscribeChannels}).
 *
 * @module
 */
import type { BackendUnavailableError } from '../errors/tk-error.js';
import type { CommandClient } from './redis-client.js';
import { NodeSubscribers } from './redis-node-subscribers.js';
import type { ShardHost } from './redis-shard-host.js';
import type { ShardSubscriber } from './redis-shard-subscriber.js';
import { keySlot } from './redis-slot.js';
import { SlotRefresh } from './redis-slot-refresh.js';

/** Where a watched channel is subscribed. */
interface Placement {
  /** The node it is subscribed on; undefined: nowhere yet. */
  node: string | undefined;
  /** The generation of that node's subscriber at the time. */
  generation: number;
  /** Whether a {@link ShardedSubscribers.subscribeChannels} call handles it now (its caller reads it). */
  syncing: boolean;
  /**
   * Whether its master dropped some of its channels (an unsolicited
   * `sunsubscribe`, which does not say which), or its datapoint could not be
   * read: it is subscribed again and its datapoint re-read.
   */
  recheck: boolean;
}

/** The subscriber connections of one store on a cluster, and where each watched channel is subscribed. */
export class ShardedSubscribers {
  readonly #host: ShardHost;
  readonly #subs: NodeSubscribers;
  readonly #channels = new Map<string, Placement>();
  readonly #refresh: SlotRefresh;
  #reconciling: Promise<void> | undefined;
  #again = false;

  /** Subscribers for the cluster connection `host`. */
  constructor(host: ShardHost) {
    this.#host = host;
    this.#refresh = new SlotRefresh(host.clock, {
      cluster: () => host.cluster,
      closed: () => host.closed,
      refreshed: () => this.reconcile(),
      pending: () => this.#pending(),
    });
    const current = (s: ShardSubscriber) => !host.closed && this.#subs.isCurrent(s);
    this.#subs = new NodeSubscribers(host, {
      ready: (s) => {
        host.log.trace('sharded subscriber ready', { node: s.node });
        this.reconcile();
      },
      lost: (s) => {
        if (!current(s)) return;
        host.log.debug('sharded subscriber lost', { server: host.description, node: s.node });
        // a lost master's replicas stand in for it at once (see NodeSubscribers.standInFor)
        this.#subs.openStandIns();
        host.update();
        this.reconcile();
        this.#refresh.schedule();
      },
      responsive: (s, responsive) => {
        if (!current(s)) return;
        host.log.debug(responsive ? 'master answers again' : 'master does not answer', {
          server: host.description,
          node: s.node,
        });
        if (responsive) this.reconcile();
        else {
          host.update();
          this.#refresh.schedule();
        }
      },
      dropped: (s) => {
        // which channels is not said: every channel of this master is subscribed again where its slot is now, and re-read
        host.log.debug('a master dropped channels of a slot', { server: host.description, node: s.node });
        for (const p of this.#channels.values()) if (p.node === s.node) p.recheck = true;
        this.#refresh.schedule(0);
      },
      error: (err) => host.noteError(err),
      message: (channel, message) => host.events.message(channel, message),
    });
  }

  /** The number of subscriber connections (one per master, and per replica standing in). */
  get size(): number {
    return this.#subs.size;
  }

  /**
   * Whether every master answers or, when its connection was lost, has a
   * replica standing in, and every subscribed channel's subscriber is ready.
   */
  get healthy(): boolean {
    if (this.#subs.anyUncovered) return false;
    for (const p of this.#channels.values()) if (p.node !== undefined && !this.#placed(p)) return false;
    return true;
  }

  /** The error of a master that does not answer, if one hangs. */
  unresponsive(): BackendUnavailableError | undefined {
    return this.#subs.unresponsive();
  }

  /** The master serving the slot of `channel` now (`host:port`), as the cluster client last saw. */
  #ownerOf(channel: string): string | undefined {
    return this.#host.cluster?.slots[keySlot(channel)]?.[0];
  }

  /**
   * Where `channel` is subscribed and read now: the master of its slot or,
   * while that master's connection is lost, the replica standing in for it.
   */
  #targetOf(channel: string): string | undefined {
    const owner = this.#ownerOf(channel);
    return owner === undefined ? undefined : (this.#subs.standInFor(owner) ?? owner);
  }

  /**
   * The connection of the replica standing in for the lost master of
   * `key`'s slot, to read `key` there (it is `READONLY`, and RESP3 lets a
   * subscriber connection read); undefined while no master is away, or
   * when that one has no usable stand-in (reads go to the command
   * connection and fail there as the slot's master is away).
   */
  standInReader(key: string): CommandClient | undefined {
    if (!this.#subs.anyDown) return undefined;
    const owner = this.#ownerOf(key);
    const standIn = owner === undefined ? undefined : this.#subs.standInFor(owner);
    const sub = standIn === undefined ? undefined : this.#subs.get(standIn);
    return sub?.usable === true && sub.readsToo ? (sub.client as unknown as CommandClient) : undefined;
  }

  /** Whether `p` is subscribed on a usable subscriber of the same generation. */
  #placed(p: Placement): boolean {
    if (p.node === undefined) return false;
    const sub = this.#subs.get(p.node);
    return sub?.usable === true && sub.generation === p.generation;
  }

  /**
   * Whether something is not where the slots are: a master away (even with
   * a replica standing in: the slots are asked until it is back or
   * replaced), or a channel not (or no longer) subscribed where it belongs.
   */
  #pending(): boolean {
    if (this.#subs.anyDown) return true;
    for (const p of this.#channels.values()) if (!p.syncing && (p.recheck || !this.#placed(p))) return true;
    return false;
  }

  /**
   * Subscribes `channels` at their masters now and, given `read`, reads
   * their datapoints on the same connections right after (see
   * {@link ShardSubscriber.subscribe}); `read` gets a connection and the
   * indexes (in `channels`) of the channels subscribed on it, and resolves
   * one result per index. Resolves the results in the order of `channels`.
   * Rejects when a master is not ready or a read failed: those channels are
   * subscribed when it is (or its replacement is), and their datapoints
   * re-read then.
   */
  async subscribeChannels<T>(
    channels: readonly string[],
    read?: (client: CommandClient, indexes: readonly number[]) => Promise<T[]>,
  ): Promise<T[]> {
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
    let outcome: { failed: string[]; results: T[] };
    try {
      outcome = await this.#place(channels, read);
    } finally {
      for (const p of mine) p.syncing = false;
    }
    if (outcome.failed.length > 0) {
      this.syncFailed(outcome.failed);
      throw this.#host.unavailable();
    }
    return outcome.results;
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
    this.#refresh.schedule();
  }

  /** Unsubscribes `channels`. */
  unsubscribeChannels(channels: readonly string[]): void {
    for (const c of channels) {
      const p = this.#channels.get(c);
      this.#channels.delete(c);
      if (p?.node !== undefined) this.#subs.get(p.node)?.unsubscribe(c);
    }
  }

  /**
   * Subscribes each of `channels` at the master of its slot (or the replica
   * standing in for it), and reads them there with `read` when given;
   * returns the channels that could not be subscribed (or read) and the
   * results of the others. A channel moved from another node is
   * unsubscribed there (when that one still answers).
   */
  async #place<T>(
    channels: readonly string[],
    read?: (client: CommandClient, indexes: readonly number[]) => Promise<T[]>,
  ): Promise<{ failed: string[]; results: T[] }> {
    const groups = new Map<string, number[]>();
    const failed: string[] = [];
    const results: T[] = new Array(channels.length);
    channels.forEach((c, i) => {
      const node = this.#targetOf(c);
      if (node === undefined) failed.push(c);
      else {
        const g = groups.get(node);
        if (g === undefined) groups.set(node, [i]);
        else g.push(i);
      }
    });
    await Promise.all(
      [...groups].map(async ([node, indexes]) => {
        const list = indexes.map((i) => channels[i]!);
        const sub = this.#subs.of(node);
        await sub.whenFirstReady();
        if (!sub.usable) {
          failed.push(...list);
          return;
        }
        const generation = sub.generation;
        const sent = sub.subscribe(list, read && ((client) => read(client, indexes)));
        let subscribed: PromiseSettledResult<unknown>[];
        try {
          let got: T[] | undefined;
          [subscribed, got] = await Promise.all([sent.subscribed, sent.read]);
          // RESP2: read on the command connection, after the subscriptions
          if (read !== undefined && got === undefined)
            got = await read(this.#host.cluster as unknown as CommandClient, indexes);
          if (got !== undefined) {
            const values = got;
            indexes.forEach((i, k) => {
              results[i] = values[k]!;
            });
          }
        } catch {
          failed.push(...list);
          return;
        }
        subscribed.forEach((r, k) => {
          const c = list[k]!;
          const p = this.#channels.get(c);
          if (r.status === 'rejected' || p === undefined) {
            if (r.status === 'rejected') failed.push(c);
            else sub.unsubscribe(c); // unwatched meanwhile
            return;
          }
          if (p.node !== undefined && p.node !== node) this.#subs.get(p.node)?.unsubscribe(c);
          p.node = node;
          p.generation = generation;
          p.recheck = false;
        });
      }),
    );
    if (failed.length > 0) this.#refresh.schedule();
    return { failed, results };
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
        this.#refresh.schedule();
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
   * Opens a subscriber to every master of the slot map (and to the replicas
   * of a master whose connection was lost), closes those of nodes that are
   * neither, and puts every watched channel where it belongs (see
   * `#targetOf`): those subscribed nowhere, on a
   * subscriber that dropped, or on a node that no longer serves their slot
   * (a slot moved, a lost master back, a replica promoted). Then the state
   * is updated; when it was `connected` already, the datapoints of the moved
   * channels are re-read (else the move to `connected` re-reads everything).
   */
  async #reconcileOnce(): Promise<void> {
    const cluster = this.#host.cluster;
    if (cluster === undefined || !this.#host.clusterReady) return;
    this.#subs.follow(cluster);
    this.#subs.openStandIns();
    const moving: string[] = [];
    for (const [c, p] of this.#channels) {
      if (p.syncing) continue;
      if (this.#placed(p) && !p.recheck && p.node === this.#targetOf(c)) continue;
      moving.push(c);
    }
    if (this.#host.log.isEnabled('trace')) {
      this.#host.log.trace('reconcile', {
        subscribers: this.#subs.size,
        channels: this.#channels.size,
        moving: moving.length,
        first: moving[0],
      });
    }
    const wasConnected = this.#host.connected;
    if (moving.length > 0) await this.#place(moving);
    this.#dropStale();
    this.#host.update();
    if (this.#pending()) this.#refresh.schedule();
    const moved = moving.filter((c) => {
      const p = this.#channels.get(c);
      return p !== undefined && this.#placed(p);
    });
    if (wasConnected && this.#host.connected && moved.length > 0) this.#host.events.resync(moved);
  }

  /** Closes the subscribers of nodes that are neither masters nor standing in for one, and hold no channel. */
  #dropStale(): void {
    const used = new Set<string>();
    for (const p of this.#channels.values()) if (p.node !== undefined) used.add(p.node);
    this.#subs.dropStale(used);
  }

  /** Stops asking the slots again (the store closes). */
  stop(): void {
    this.#refresh.stop();
  }

  /** Closes every subscriber connection and forgets every channel. */
  close(): void {
    this.#subs.close();
    this.#channels.clear();
  }
}
