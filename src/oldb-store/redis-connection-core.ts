/**
 * What every connection of the Redis store shares, whatever the topology
 * (one server or a Sentinel-managed master: `redis-connection.ts`; a Redis
 * Cluster: `redis-cluster-connection.ts`): the connection state and its
 * listeners, the waiters for the command connection, the runner of
 * commands within their time limits, and closing. A topology supplies how it
 * connects, when it is healthy, why it is unavailable, and how it
 * disconnects.
 *
 * @module
 */
import type { BackendUnavailableError, TkError } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import type { Deadlines } from './deadlines.js';
import { storeClosed } from './errors.js';
import type { CommandClient, Operation } from './redis-client.js';
import { CommandRunner } from './redis-command-runner.js';
import type { StoreConnection, StoreConnectionEvents } from './redis-store-connection.js';
import type { RedisServer } from './redis-url.js';
import type { OldbCallOptions, OldbConnectionEvent, OldbConnectionState } from './types.js';

/** The settings of a store connection, defaults applied. */
export interface ConnectionSettings {
  /** The server (or the cluster's seed nodes, or the sentinels). */
  readonly server: RedisServer;
  /** Default time limit of each call in ms, including waiting for the server to be reachable. */
  readonly timeout: number;
  /** Maximum delay between reconnection attempts in ms. */
  readonly maxReconnectDelay: number;
  /** A PING unanswered for this long (ms) means the server hangs; 0: no heartbeat. */
  readonly heartbeatTimeout: number;
  /** Timers. */
  readonly clock: Clock;
  /** Where the time limits of sent commands are kept. */
  readonly deadlines: Deadlines;
  /** Where the connection reports. */
  readonly log: Logger;
}

/** The state, listeners, command runner and closing of a store connection; a topology extends it. */
export abstract class ConnectionCore implements Partial<StoreConnection> {
  /** The servers, without credentials. */
  readonly description: string;
  /** Default time limit of each call in ms. */
  readonly timeout: number;
  /** Settles once the connections exist; rejects when ioredis cannot be loaded. */
  abstract readonly started: Promise<void>;
  /** The servers. */
  protected readonly server: RedisServer;
  /** Where the connection reports. */
  protected readonly log: Logger;
  /** Timers. */
  protected readonly clock: Clock;
  /** The owner of the connection. */
  protected readonly events: StoreConnectionEvents;
  /** Maximum delay between reconnection attempts in ms. */
  protected readonly maxDelay: number;
  /** Why the servers were last not reachable. */
  protected lastError: Error | undefined;
  readonly #runner: CommandRunner;
  readonly #connectionListeners = new Set<(e: OldbConnectionEvent) => void>();
  readonly #commandWaiters = new Set<() => void>();
  #state: OldbConnectionState = 'connecting';

  constructor(settings: ConnectionSettings, events: StoreConnectionEvents) {
    this.server = settings.server;
    this.description = settings.server.display;
    this.timeout = settings.timeout;
    this.maxDelay = settings.maxReconnectDelay;
    this.clock = settings.clock;
    this.log = settings.log;
    this.events = events;
    this.#runner = new CommandRunner(
      this as unknown as StoreConnection,
      settings.clock,
      settings.deadlines,
      settings.log,
    );
  }

  /** Watches `start` (the topology's connecting): a failure makes the state `disconnected`. */
  protected begin(start: Promise<void>): Promise<void> {
    start.catch((err: unknown) => {
      this.lastError = err as Error;
      this.setState('disconnected', err as Error);
    });
    return start;
  }

  /** The delay before reconnection attempt `times`, backing off up to the maximum. */
  protected readonly retryStrategy = (times: number): number =>
    Math.min(50 * 2 ** Math.min(times, 10), this.maxDelay);

  /** The connection state. */
  get state(): OldbConnectionState {
    return this.#state;
  }

  /** Whether the connection is closed. */
  protected get closed(): boolean {
    return this.#state === 'closed';
  }

  /** The error saying the servers are not reachable (or do not answer), and why. */
  abstract unavailable(): BackendUnavailableError;

  /** The command connection, once started. */
  abstract readonly client: CommandClient | undefined;

  /** Whether commands can be sent now. */
  abstract readonly commandUsable: boolean;

  /** Why commands cannot be sent, when the servers are known to be away. */
  abstract readonly commandDown: TkError | undefined;

  /** Notes that ioredis refused a command because its socket is closing. */
  abstract commandSocketClosing(): void;

  /** Throws the error of operation `op` on a closed store, when closed. */
  assertOpen(op: string): void {
    if (this.#state === 'closed') throw storeClosed(this.description, op);
  }

  /** Calls `listener` on each change of {@link commandUsable} or {@link commandDown} and when the store closes; returns the function that stops it. */
  onCommandChange(listener: () => void): () => void {
    this.#commandWaiters.add(listener);
    return () => void this.#commandWaiters.delete(listener);
  }

  /** Tells the waiters for the command connection that it changed. */
  protected commandChanged(): void {
    for (const w of [...this.#commandWaiters]) w();
  }

  /** Calls `listener` on each change of the connection state; returns the function that stops it. */
  onConnection(listener: (event: OldbConnectionEvent) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => void this.#connectionListeners.delete(listener);
  }

  /** Runs one operation against the command connection, bounded by its timeout; see {@link CommandRunner.run}. */
  run<T>(
    op: Operation,
    options: OldbCallOptions | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
    start?: number,
  ): Promise<T> {
    return this.#runner.run(op, options, fn, start);
  }

  /**
   * Moves the state after a change of health: `connected` when healthy (the
   * owner then re-reads what it watches); `disconnected` when not, from
   * `connected`, or from `connecting` once a connection attempt `failed`.
   */
  protected health(healthy: boolean, failed: boolean): void {
    const state = this.#state;
    if (state === 'closed') return;
    if (healthy && state !== 'connected') {
      this.setState('connected');
      this.events.connected();
    } else if (!healthy && (state === 'connected' || (state === 'connecting' && failed))) {
      this.setState('disconnected', this.unavailable());
    }
  }

  /** Sets the state and tells the listeners. */
  protected setState(state: OldbConnectionState, error?: Error): void {
    if (this.#state === state) return;
    this.#state = state;
    this.log.debug(`connection ${state}`, { server: this.description, error: error?.message });
    const ev: OldbConnectionEvent = error === undefined ? { state } : { state, error };
    for (const l of [...this.#connectionListeners]) {
      try {
        l(ev);
      } catch (err) {
        this.log.error('An OLDB connection listener threw', { error: err });
      }
    }
  }

  /** Stops the topology's timers, once the state is `closed`. */
  protected abstract stopping(): void;

  /** Disconnects every connection of the topology. */
  protected abstract disconnect(): void;

  /**
   * Closes the connections. `onClosed` runs as soon as the state is
   * `closed`, before the connection listeners are dropped and the calls
   * waiting for the servers are released.
   */
  async close(onClosed: () => void): Promise<void> {
    if (this.#state === 'closed') return;
    this.setState('closed');
    this.stopping();
    onClosed();
    this.#connectionListeners.clear();
    this.commandChanged();
    await this.started.catch(() => undefined);
    this.disconnect();
  }
}
