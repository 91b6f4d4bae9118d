/**
 * What the parts of the Redis store (reader, writer, watches) need of its
 * connections, whatever the servers are: one server or a Sentinel-managed
 * master (`redis-connection.ts`), or a Redis Cluster
 * (`redis-cluster-connection.ts`).
 *
 * @module
 */
import type { CommandClient, Operation } from './redis-client.js';
import type { CommandConnection } from './redis-command-runner.js';
import type { OldbCallOptions, OldbConnectionEvent, OldbConnectionState } from './types.js';

/** The connections of one store. */
export interface StoreConnection extends CommandConnection {
  /** The connection state. */
  readonly state: OldbConnectionState;
  /** Why the servers are not reachable, while disconnected. */
  readonly error: Error | undefined;
  /** Whether channels can be subscribed now. */
  readonly subscriberReady: boolean;
  /** Runs one operation against the command connection, bounded by its time limit. */
  run<T>(
    op: Operation,
    options: OldbCallOptions | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
    start?: number,
  ): Promise<T>;
  /**
   * The connection for writes with `replicated` durability (their `WAIT`
   * must not hold the command connection), opened at the first call;
   * undefined until it is ready (the command connection is used meanwhile).
   * See `redis-replicated-lane.ts`.
   */
  replicatedClient?(): CommandClient | undefined;
  /**
   * The connection to read `key` on instead of the command connection: on
   * a cluster, while the master of its slot is lost and a replica stands in
   * for it (see `redis-node-subscribers.ts`), that replica's connection
   * (`READONLY`); undefined otherwise.
   */
  standInReader?(key: string): CommandClient | undefined;
  /** Subscribes `channels`; rejects when that cannot be done now (a resync follows when it can). */
  subscribeChannels(channels: readonly string[]): Promise<void>;
  /**
   * Subscribes `channels` and reads them right after on the connection that
   * subscribed them, in one round trip: the server handles the reads after
   * the subscriptions, so no change between them is missed. `read` gets a
   * connection and the indexes (in `channels`) of the channels subscribed on
   * it, and resolves one result per index (on a cluster it runs once per
   * master); the results come back in the order of `channels`. Undefined
   * when the connection cannot (RESP2 allows only subscription commands on a
   * subscribed connection): the caller subscribes, then reads. Rejects like
   * {@link subscribeChannels}.
   */
  subscribeAndRead?<T>(
    channels: readonly string[],
    read: (client: CommandClient, indexes: readonly number[]) => Promise<T[]>,
  ): Promise<T[]> | undefined;
  /**
   * The datapoints of `channels` could not be synced (subscribed or read)
   * while the store may stay connected: a connection that can retry on its
   * own (a cluster) re-reads them later; one server re-reads them on its next reconnect.
   */
  syncFailed?(channels: readonly string[]): void;
  /** Unsubscribes `channels` (best effort: a lost connection has nothing subscribed). */
  unsubscribeChannels(channels: readonly string[]): void;
  /** Calls `listener` on each change of the connection state; returns the function that stops it. */
  onConnection(listener: (event: OldbConnectionEvent) => void): () => void;
  /** Closes the connections; `onClosed` runs as soon as the state is `closed`. */
  close(onClosed: () => void): Promise<void>;
}

/** What the owner of a {@link StoreConnection} hears of it. */
export interface StoreConnectionEvents {
  /** The connections became ready, at first or after a reconnect: every watched datapoint must be read again. */
  connected(): void;
  /** The channels `channels` were subscribed again elsewhere (a slot moved): their datapoints must be read again. */
  resync(channels: readonly string[]): void;
  /** A message arrived on a subscribed channel. */
  message(channel: string, message: string): void;
}
