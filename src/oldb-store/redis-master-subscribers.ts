/**
 * The subscriber connections of the Redis store on a Redis Cluster, one per
 * master (`redis-shard-subscriber.ts`): every master of the slot map has
 * one, whether it holds watched channels or not, so a master that dies or
 * hangs is noticed at once (its connection closes) or within 1.5 ×
 * `heartbeatTimeout` (its PING goes unanswered). Where each watched channel
 * goes is decided by `redis-cluster-subscribers.ts`.
 *
 * @module
 */
import type { Cluster, Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError } from '../errors/tk-error.js';
import type { Clock } from '../util/clock.js';
import { unresponsive } from './redis-client.js';
import { ShardSubscriber, type ShardSubscriberHooks } from './redis-shard-subscriber.js';

/** What the {@link MasterSubscribers} need to open connections. */
export interface MasterSubscribersSettings {
  /** The cluster, without credentials (for messages). */
  readonly description: string;
  /** Default time limit of each call in ms. */
  readonly timeout: number;
  /** A PING unanswered for this long (ms) means a master hangs; 0: no heartbeat. */
  readonly heartbeatTimeout: number;
  /** Timers. */
  readonly clock: Clock;
  /** A new subscriber connection to the master at `host:port`. */
  connectTo(host: string, port: number): RedisClient;
}

/** One subscriber connection per master of the slot map. */
export class MasterSubscribers {
  readonly #settings: MasterSubscribersSettings;
  readonly #hooks: ShardSubscriberHooks;
  readonly #subs = new Map<string, ShardSubscriber>();
  /** The masters of the slot map, as last seen. */
  #masters = new Set<string>();

  /** Opens connections as `settings` say; each tells `hooks` of its changes and messages. */
  constructor(settings: MasterSubscribersSettings, hooks: ShardSubscriberHooks) {
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

  /** The subscriber of master `node`, opened when it has none. */
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

  /** Reads the masters of `cluster`'s slot map and opens a subscriber to each that has none (an unknown map changes nothing). */
  follow(cluster: Cluster): void {
    const masters = new Set<string>();
    for (const nodes of cluster.slots) if (nodes?.[0] !== undefined) masters.add(nodes[0]);
    if (masters.size === 0) return;
    this.#masters = masters;
    for (const node of masters) this.of(node);
  }

  /**
   * Closes the subscribers of nodes that are no longer masters of the slot
   * map, except those of `inUse` (they still hold channels): a master that
   * died and was replaced, or was demoted.
   */
  dropStale(inUse: ReadonlySet<string>): void {
    for (const [node, sub] of this.#subs) {
      if (this.#masters.has(node) || inUse.has(node)) continue;
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
