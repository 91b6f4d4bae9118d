/**
 * What the sharded subscribers of the Redis store on a cluster
 * (`redis-cluster-subscribers.ts`) need of the cluster connection that owns
 * them (`redis-cluster-connection.ts`).
 *
 * @module
 */
import type { Cluster, Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
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
  /** A new subscriber connection to the node at `host:port`. */
  connectTo(host: string, port: number): RedisClient;
  /** Recomputes the store connection's state. */
  update(): void;
  /** The error saying the cluster is not reachable. */
  unavailable(): BackendUnavailableError;
  /** Notes why a connection failed. */
  noteError(err: Error): void;
}
