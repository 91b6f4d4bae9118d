/**
 * The subscriber connections of the Redis store on a Redis Cluster, one per
 * node (`redis-shard-subscriber.ts`):
 *
 * - every master of the slot map has one, whether it holds watched channels
 *   or not, so a master that dies or hangs is noticed at once (its
 *   connection closes) or within 1.5 × `heartbeatTimeout` (its PING goes
 *   unanswered);
 * - a replica has one while it stands in for its master: the master's
 *   connection was lost (its process ended, or the connection was killed),
 *   and until the master is back or the cluster promotes a replica, the
 *   watched channels of its slots are subscribed on a replica of it
 *   (sharded channels reach every node of a shard) and read there (the
 *   connections are `READONLY`). The replica holds everything of the shard
 *   that can survive the master: it is the node the cluster promotes.
 *
 * Where each watched channel goes is decided by
 * `redis-cluster-subscribers.ts`.
 *
 * @module
 */
import type { Cluster, Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError } from '../errors/tk-error.js';
import type { Clock } from '../util/clock.js';
import { unresponsive } from './redis-client.js';
import { ShardSubscriber, type ShardSubscriberHooks } from './redis-shard-subscriber.js';

/** What the {@link NodeSubscribers} need to open connections. */
export interface NodeSubscribersSettings {
  /** The cluster, without credentials (for messages). */
  readonly description: string;
  /** Default time limit of each call in ms. */
  readonly timeout: number;
  /** A PING unanswered for this long (ms) means a master hangs; 0: no heartbeat. */
  readonly heartbeatTimeout: number;
  /** Timers. */
  readonly clock: Clock;
  /** A new subscriber connection to the node at `host:port`. */
  connectTo(host: string, port: number): RedisClient;
}

/** One subscriber connection per master of the slot map, and per replica standing in for a lost master. */
export class NodeSubscribers {
  readonly #settings: NodeSubscribersSettings;
  readonly #hooks: ShardSubscriberHooks;
  readonly #subs = new Map<string, ShardSubscriber>();
  /** The masters of the slot map, as last seen. */
  #masters = new Set<string>();
  /** The replicas of each master of the slot map, as last seen. */
  #replicas = new Map<string, readonly string[]>();

  /** Opens connections as `settings` say; each tells `hooks` of its changes and messages. */
  constructor(settings: NodeSubscribersSettings, hooks: ShardSubscriberHooks) {
    this.#settings = settings;
    this.#hooks = hooks;
  }

  /** The number of subscriber connections. */
  get size(): number {
    return this.#subs.size;
  }

  /** Whether `sub` is the current subscriber of its node (not one closed or replaced). */
  isCurrent(sub: ShardSubscriber): boolean {
    return this.#subs.get(sub.node) === sub;
  }

  /** The subscriber of `node`, if it has one. */
  get(node: string): ShardSubscriber | undefined {
    return this.#subs.get(node);
  }

  /** The subscriber of `node`, opened when it has none. */
  of(node: string): ShardSubscriber {
    const known = this.#subs.get(node);
    if (known !== undefined) return known;
    const s = this.#settings;
    const i = node.lastIndexOf(':');
    const client = s.connectTo(node.slice(0, i), Number(node.slice(i + 1)));
    const sub = new ShardSubscriber(node, client, s.clock, s.timeout, s.heartbeatTimeout, this.#hooks);
    this.#subs.set(node, sub);
    return sub;
  }

  /** Whether a master of the slot map is known to be away (its connection failed, or it does not answer). */
  get anyDown(): boolean {
    for (const node of this.#masters) if (this.#subs.get(node)?.down !== false) return true;
    return false;
  }

  /**
   * Whether a master of the slot map is away with no replica standing in:
   * it does not answer (a hang: it may still serve other clients, so its
   * replica's copy may lag), or its connection was lost and none of its
   * replicas' subscribers is usable.
   */
  get anyUncovered(): boolean {
    for (const node of this.#masters) {
      if (this.#subs.get(node)?.down === false) continue;
      const standIn = this.standInFor(node);
      if (standIn === undefined || this.#subs.get(standIn)?.usable !== true) return true;
    }
    return false;
  }

  /**
   * The replica standing in for master `node`: undefined unless the
   * master's connection was lost (not a hang) and a replica of it has a
   * subscriber that is usable, or still making its first connection.
   */
  standInFor(node: string): string | undefined {
    if (this.#subs.get(node)?.gone !== true) return undefined;
    for (const replica of this.#replicas.get(node) ?? []) {
      const sub = this.#subs.get(replica);
      if (sub !== undefined && !sub.down) return replica;
    }
    return undefined;
  }

  /** Opens a subscriber to each replica of every master whose connection was lost (see {@link standInFor}). */
  openStandIns(): void {
    for (const replica of this.#replicasOfLost()) this.of(replica);
  }

  /** The replicas of the masters of the slot map whose connection was lost: those that may stand in. */
  *#replicasOfLost(): Generator<string> {
    for (const node of this.#masters)
      if (this.#subs.get(node)?.gone === true) yield* this.#replicas.get(node) ?? [];
  }

  /** The error of a master that does not answer, if one hangs. */
  unresponsive(): BackendUnavailableError | undefined {
    for (const sub of this.#subs.values()) {
      if (sub.ready && !sub.heartbeat.responsive) {
        return unresponsive(
          `${sub.node} (of ${this.#settings.description})`,
          this.#settings.heartbeatTimeout,
        );
      }
    }
    return undefined;
  }

  /**
   * Reads the masters and replicas of `cluster`'s slot map and opens a
   * subscriber to each master that has none (an unknown map changes
   * nothing).
   */
  follow(cluster: Cluster): void {
    const masters = new Set<string>();
    const replicas = new Map<string, readonly string[]>();
    for (const nodes of cluster.slots) {
      const master = nodes?.[0];
      if (master === undefined || masters.has(master)) continue;
      masters.add(master);
      replicas.set(master, nodes.slice(1));
    }
    if (masters.size === 0) return;
    this.#masters = masters;
    this.#replicas = replicas;
    for (const node of masters) this.of(node);
  }

  /**
   * Closes the subscribers of nodes that are neither masters of the slot
   * map nor standing in for one, except those of `inUse` (they still hold
   * channels): a master that died and was replaced, or was demoted; a
   * replica whose master is back.
   */
  dropStale(inUse: ReadonlySet<string>): void {
    const standing = new Set(this.#replicasOfLost());
    for (const [node, sub] of this.#subs) {
      if (this.#masters.has(node) || standing.has(node) || inUse.has(node)) continue;
      this.#subs.delete(node);
      sub.close();
    }
  }

  /** Closes every subscriber connection. */
  close(): void {
    for (const sub of this.#subs.values()) sub.close();
    this.#subs.clear();
  }
}
