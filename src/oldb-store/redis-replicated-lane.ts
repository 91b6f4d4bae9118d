/**
 * The connection of its own that the Redis store uses for writes with
 * `replicated` durability. Such a write is followed by `WAIT replicas
 * timeout`, and Redis holds the connection that sent `WAIT` until enough
 * replicas confirm or the time is out: on the command connection that
 * would hold every other call of the store to that server (reads, plain
 * writes, declarations) behind it, up to `replicationTimeout` for each
 * replicated write, and for good while a master has no replica (after a
 * failover). The lane is opened at its first use (or when the store's
 * default durability is `replicated`); until it is ready the replicated
 * writes go on the command connection, as before.
 *
 * @module
 */
import type { CommandClient } from './redis-client.js';

/** What the lane needs of a client: ioredis' `Redis` or `Cluster`, a copy of the command connection. */
export interface LaneClient {
  /** ioredis' connection status (`ready` once commands can be sent). */
  readonly status: string;
  /** Listens to the client's errors (reported through the calls that fail). */
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** Closes the connection for good. */
  disconnect(): void;
}

/** A lazily opened copy of the command connection, for the writes that wait for replicas. */
export class ReplicatedLane {
  readonly #open: () => LaneClient;
  readonly #noteError: (err: Error) => void;
  #client: LaneClient | undefined;
  #closed = false;

  /** `open` makes the copy (same server, options and scripts); its errors go to `noteError`. */
  constructor(open: () => LaneClient, noteError: (err: Error) => void) {
    this.#open = open;
    this.#noteError = noteError;
  }

  /**
   * The lane's connection when it is ready; undefined until then (the caller
   * uses the command connection). Opens it at the first call.
   */
  client(): CommandClient | undefined {
    if (this.#closed) return undefined;
    if (this.#client === undefined) {
      this.#client = this.#open();
      this.#client.on('error', this.#noteError);
    }
    return this.#client.status === 'ready' ? (this.#client as unknown as CommandClient) : undefined;
  }

  /** The client, if opened (for a cluster: to refresh its slots with the command connection's). */
  get opened(): LaneClient | undefined {
    return this.#client;
  }

  /** Closes the lane for good (the store closes). */
  close(): void {
    this.#closed = true;
    this.#client?.disconnect();
    this.#client = undefined;
  }
}
