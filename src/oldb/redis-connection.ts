/**
 * The two connections of the Redis store and their state: one auto-pipelined
 * command connection and one subscriber connection (its `duplicate()`),
 * reconnecting for ever, and the connection state with its listeners. The
 * state is `connected` while both connections are ready; each time it
 * becomes so, the owner hears of it, to re-read what it watches. Commands
 * run through a {@link CommandRunner}, which waits for the server within
 * their time limit.
 *
 * @module
 */
import type { Redis as RedisClient } from 'ioredis';
import type { BackendUnavailableError } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import type { Deadlines } from './deadlines.js';
import { storeClosed } from './errors.js';
import { type CommandClient, loadIoredis, unreachable } from './redis-client.js';
import { CommandRunner } from './redis-command-runner.js';
import { DECLARE_SCRIPT, METADATA_SCRIPT, REMOVE_SCRIPT, WRITE_MANY_SCRIPT } from './redis-scripts.js';
import type { RedisServer } from './redis-url.js';
import type { OldbCallOptions, OldbConnectionEvent, OldbConnectionState } from './types.js';

/** The settings of a {@link RedisConnection}, defaults applied. */
export interface RedisConnectionSettings {
  /** The server. */
  readonly server: RedisServer;
  /** Default time limit of each call in ms, including waiting for the server to be reachable. */
  readonly timeout: number;
  /** Maximum delay between reconnection attempts in ms. */
  readonly maxReconnectDelay: number;
  /** Timers. */
  readonly clock: Clock;
  /** Where the time limits of sent commands are kept. */
  readonly deadlines: Deadlines;
  /** Where the connection reports. */
  readonly log: Logger;
}

/** What the owner of a {@link RedisConnection} hears of it. */
export interface RedisConnectionEvents {
  /** Both connections became ready, at first or after a reconnect. */
  connected(): void;
  /** A message arrived on a subscribed channel. */
  message(channel: string, message: string): void;
}

/** The command and subscriber connections to one server, and the connection state. */
export class RedisConnection {
  /** The server, without credentials. */
  readonly description: string;
  /** Default time limit of each call in ms. */
  readonly timeout: number;
  /** Settles once both connections exist; rejects when ioredis cannot be loaded. */
  readonly started: Promise<void>;
  readonly #server: RedisServer;
  readonly #maxDelay: number;
  readonly #log: Logger;
  readonly #runner: CommandRunner;
  readonly #events: RedisConnectionEvents;
  readonly #connectionListeners = new Set<(e: OldbConnectionEvent) => void>();
  readonly #readyWaiters = new Set<() => void>();
  #cmd: CommandClient | undefined;
  #sub: RedisClient | undefined;
  #cmdReady = false;
  #subReady = false;
  #state: OldbConnectionState = 'connecting';
  #lastError: Error | undefined;

  /** Starts connecting at once; `events` tells the owner of the connection coming up and of messages. */
  constructor(settings: RedisConnectionSettings, events: RedisConnectionEvents) {
    this.#server = settings.server;
    this.description = this.#server.display;
    this.timeout = settings.timeout;
    this.#maxDelay = settings.maxReconnectDelay;
    this.#log = settings.log;
    this.#runner = new CommandRunner(this, settings.clock, settings.deadlines, settings.log);
    this.#events = events;
    this.started = this.#start();
    this.started.catch((err: unknown) => {
      this.#lastError = err as Error;
      this.#setState('disconnected', err as Error);
    });
  }

  /** The connection state. */
  get state(): OldbConnectionState {
    return this.#state;
  }

  /** Why the server is not reachable, while disconnected. */
  get error(): Error | undefined {
    return this.#state === 'disconnected' ? this.unavailable() : undefined;
  }

  /** The command connection, once started. */
  get client(): CommandClient | undefined {
    return this.#cmd;
  }

  /** The subscriber connection, once started. */
  get subscriber(): RedisClient | undefined {
    return this.#sub;
  }

  /** Whether the command connection is ready. */
  get commandReady(): boolean {
    return this.#cmdReady;
  }

  /** Whether the subscriber connection is ready. */
  get subscriberReady(): boolean {
    return this.#subReady;
  }

  /** Notes that ioredis refused a command because its socket is closing: commands wait for the next ready. */
  commandSocketClosing(): void {
    this.#cmdReady = false;
  }

  /** Throws the error of operation `op` on a closed store, when closed. */
  assertOpen(op: string): void {
    if (this.#state === 'closed') throw storeClosed(this.description, op);
  }

  /** Calls `listener` when the command connection is ready or the store closes; returns the function that stops it. */
  onCommandReady(listener: () => void): () => void {
    this.#readyWaiters.add(listener);
    return () => void this.#readyWaiters.delete(listener);
  }

  /** Calls `listener` on each change of the connection state; returns the function that stops it. */
  onConnection(listener: (event: OldbConnectionEvent) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => void this.#connectionListeners.delete(listener);
  }

  async #start(): Promise<void> {
    const Redis = await loadIoredis();
    if (this.#isClosed()) return;
    const s = this.#server;
    const cmd = new Redis({
      host: s.host,
      port: s.port,
      db: s.db,
      username: s.username,
      password: s.password,
      ...(s.tls ? { tls: {} } : {}),
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: Math.max(this.timeout, 1000),
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), this.#maxDelay),
      connectionName: 'tk-core-oldb',
      scripts: {
        oldbWriteMany: { lua: WRITE_MANY_SCRIPT },
        oldbDeclare: { lua: DECLARE_SCRIPT, numberOfKeys: 3 },
        oldbMetadata: { lua: METADATA_SCRIPT, numberOfKeys: 2 },
        oldbRemove: { lua: REMOVE_SCRIPT, numberOfKeys: 2 },
      },
    }) as CommandClient;
    const sub = cmd.duplicate({
      enableAutoPipelining: false,
      autoResubscribe: false,
      connectionName: 'tk-core-oldb-sub',
    });
    this.#cmd = cmd;
    this.#sub = sub;
    this.#log.debug('connecting', { server: this.description });
    const lost = (which: 'cmd' | 'sub') => (err?: Error) => {
      if (which === 'cmd') this.#cmdReady = false;
      else this.#subReady = false;
      if (err !== undefined) this.#lastError = err;
      this.#log.trace(`${which} connection lost`, { server: this.description, error: err?.message });
      this.#update();
    };
    cmd.on('ready', () => {
      this.#cmdReady = true;
      this.#log.trace('command connection ready', { server: this.description });
      for (const w of [...this.#readyWaiters]) w();
      this.#update();
    });
    sub.on('ready', () => {
      this.#subReady = true;
      this.#log.trace('subscriber connection ready', { server: this.description });
      this.#update();
    });
    cmd.on('error', (err: Error) => {
      this.#lastError = err;
      if (!this.#cmdReady) this.#update();
    });
    sub.on('error', (err: Error) => {
      this.#lastError = err;
    });
    cmd.on('close', lost('cmd'));
    sub.on('close', lost('sub'));
    sub.on('message', (channel: string, message: string) => this.#events.message(channel, message));
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** The error saying the server is not reachable, with the last connection error. */
  unavailable(): BackendUnavailableError {
    return unreachable(this.description, this.#lastError);
  }

  #update(): void {
    if (this.#state === 'closed') return;
    const healthy = this.#cmdReady && this.#subReady;
    if (healthy && this.#state !== 'connected') {
      this.#setState('connected');
      this.#events.connected();
    } else if (!healthy && this.#state === 'connected') {
      this.#setState('disconnected', this.unavailable());
    } else if (!healthy && this.#state === 'connecting' && this.#lastError !== undefined) {
      this.#setState('disconnected', this.unavailable());
    }
  }

  #setState(state: OldbConnectionState, error?: Error): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#log.debug(`connection ${state}`, { server: this.description, error: error?.message });
    const ev: OldbConnectionEvent = error === undefined ? { state } : { state, error };
    for (const l of [...this.#connectionListeners]) {
      try {
        l(ev);
      } catch (err) {
        this.#log.error('An OLDB connection listener threw', { error: err });
      }
    }
  }

  /** Runs one operation against the command connection, bounded by its timeout; see {@link CommandRunner.run}. */
  run<T>(
    op: string,
    options: OldbCallOptions | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
    start?: number,
  ): Promise<T> {
    return this.#runner.run(op, options, fn, start);
  }

  /**
   * Closes both connections. `onClosed` runs as soon as the state is
   * `closed`, before the connection listeners are dropped and the calls
   * waiting for the server are released.
   */
  async close(onClosed: () => void): Promise<void> {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    onClosed();
    this.#connectionListeners.clear();
    for (const w of [...this.#readyWaiters]) w();
    await this.started.catch(() => undefined);
    this.#cmd?.disconnect();
    this.#sub?.disconnect();
  }
}
