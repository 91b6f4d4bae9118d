/**
 * One sharded subscriber connection of the Redis store on a Redis Cluster:
 * a connection to one node (a master, or a replica standing in for a master
 * whose connection was lost), on which the watched channels of that
 * node's slots are subscribed (`SSUBSCRIBE`) and, on RESP3, the
 * datapoints of those channels read right after (so the read is served by
 * the node that notifies, after the subscription, and never waits behind
 * the command connection's `WAIT`s of replicated writes). Its heartbeat
 * says whether the node answers. The owner
 * (`redis-cluster-subscribers.ts`) decides which channels go where.
 *
 * @module
 */
import type { Redis as RedisClient } from 'ioredis';
import type { Clock } from '../util/clock.js';
import type { CommandClient } from './redis-client.js';
import { Heartbeat } from './redis-heartbeat.js';

/** What a {@link ShardSubscriber} tells its owner. */
export interface ShardSubscriberHooks {
  /** Its connection became ready (at first or again): channels subscribed earlier are gone. */
  ready(sub: ShardSubscriber): void;
  /** Its connection was lost (it was ready), or its first connection failed. */
  lost(sub: ShardSubscriber): void;
  /** Its node stopped answering (`false`) or answers again (`true`). */
  responsive(sub: ShardSubscriber, responsive: boolean): void;
  /** The node dropped channels of a slot that moved away (which ones is not said). */
  dropped(sub: ShardSubscriber): void;
  /** An error of the connection. */
  error(err: Error): void;
  /** A message on a subscribed channel. */
  message(channel: string, message: string): void;
}

/** A subscriber connection to one node (`host:port`), with its heartbeat. */
export class ShardSubscriber {
  /** The node, `host:port`. */
  readonly node: string;
  /** The connection. */
  readonly client: RedisClient;
  /** Whether its node answers (see {@link Heartbeat}). */
  readonly heartbeat: Heartbeat;
  #ready = false;
  #failed = false;
  #generation = 0;
  readonly #waiters = new Set<() => void>();
  readonly #clock: Clock;
  readonly #timeout: number;

  /**
   * Wraps `client`, a new connection to node `node`; `timeout` bounds each
   * call made through it, `heartbeatTimeout` its PINGs (0: none).
   */
  constructor(
    node: string,
    client: RedisClient,
    clock: Clock,
    timeout: number,
    heartbeatTimeout: number,
    hooks: ShardSubscriberHooks,
  ) {
    this.node = node;
    this.client = client;
    this.#clock = clock;
    this.#timeout = timeout;
    this.heartbeat = new Heartbeat(clock, heartbeatTimeout, {
      ping: () => (this.#ready ? client.ping() : undefined),
      changed: (responsive) => hooks.responsive(this, responsive),
    });
    client.on('ready', () => {
      this.#ready = true;
      this.#failed = false;
      this.#generation++;
      this.heartbeat.ready();
      this.#changed();
      hooks.ready(this);
    });
    client.on('close', () => {
      // lost: ready until now, or its first connection failed (not each later attempt)
      const lost = this.#ready || !this.#failed;
      this.#ready = false;
      this.#failed = true;
      this.heartbeat.lost();
      this.#changed();
      if (lost) hooks.lost(this);
    });
    client.on('error', (err: Error) => hooks.error(err));
    // the server dropped this connection's channels of a slot that moved away (an unsolicited sunsubscribe)
    client.on('moved', () => hooks.dropped(this));
    client.on('smessage', (channel: string, message: string) => hooks.message(channel, message));
  }

  /** Whether the connection is ready. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Whether its connection failed or closed since it was created (it is not merely still connecting). */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Whether its connection was lost (or its first one failed) and is not
   * back: the node's process ended, or the connection was killed; unlike a
   * node that hangs with its connection open (see {@link down}).
   */
  get gone(): boolean {
    return this.#failed && !this.#ready;
  }

  /** Whether its node is known to be away: the connection failed and is not back, or the node does not answer. */
  get down(): boolean {
    return this.gone || !this.heartbeat.responsive;
  }

  /** Whether channels can be subscribed on it now: ready, and its node answers. */
  get usable(): boolean {
    return this.#ready && this.heartbeat.responsive;
  }

  /** Counts the times it became ready: a channel subscribed in an earlier generation is gone. */
  get generation(): number {
    return this.#generation;
  }

  /** Whether reads can share the connection with the subscriptions (RESP3; RESP2 allows only subscription commands). */
  get readsToo(): boolean {
    return (this.client as { condition?: { protocol?: number } }).condition?.protocol === 3;
  }

  /** Waits until it is ready or has failed, while it makes its first connection; at most the call time limit. */
  whenFirstReady(): Promise<void> {
    if (this.#ready || this.#failed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        if (!this.#ready && !this.#failed) return;
        timer.cancel();
        this.#waiters.delete(done);
        resolve();
      };
      const timer = this.#clock.setTimeout(() => {
        this.#waiters.delete(done);
        resolve();
      }, this.#timeout);
      this.#waiters.add(done);
    });
  }

  /**
   * Subscribes `channels` (one `SSUBSCRIBE` each: the channels of one call
   * must share a slot) and, when `read` is given and the connection allows
   * it, runs `read` on this connection right after, without waiting: the
   * node serves the reads after the subscriptions. Each call is bounded by
   * the call time limit. Resolves the outcome of each subscription and what
   * `read` gave, or undefined when `read` must run elsewhere (RESP2: after
   * the subscriptions, on the command connection).
   */
  subscribe<T>(
    channels: readonly string[],
    read?: (client: CommandClient) => Promise<T>,
  ): { subscribed: Promise<PromiseSettledResult<unknown>[]>; read: Promise<T> | undefined } {
    const subscribed = Promise.allSettled(channels.map((c) => this.#bounded(this.client.ssubscribe(c))));
    const reading =
      read !== undefined && this.readsToo
        ? this.#bounded(read(this.client as unknown as CommandClient))
        : undefined;
    return { subscribed, read: reading };
  }

  /** Unsubscribes `channel` (best effort: a lost connection has nothing subscribed). */
  unsubscribe(channel: string): void {
    if (this.#ready) this.client.sunsubscribe(channel).catch(() => undefined);
  }

  /** Closes the connection for good. */
  close(): void {
    this.heartbeat.stop();
    this.client.disconnect();
  }

  #changed(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** `promise`, or a rejection after the call time limit (a node that never answers must not hold the others). */
  #bounded<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () => reject(new Error(`no reply from ${this.node} within ${this.#timeout} ms`)),
        this.#timeout,
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
}
