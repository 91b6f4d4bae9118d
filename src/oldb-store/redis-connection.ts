/**
 * The two connections of the Redis store and their state: one auto-pipelined
 * command connection and one subscriber connection (its `duplicate()`),
 * reconnecting for ever, and the connection state with its listeners. The
 * state is `connected` while both connections are ready and the server
 * answers; each time it becomes so, the owner hears of it, to re-read what
 * it watches. Commands run through a {@link CommandRunner}.
 *
 * A server can hang with its connections open (stopped by SIGSTOP, `CLIENT
 * PAUSE`, `DEBUG SLEEP`, a long script): the kernel still accepts bytes and
 * nothing is answered. A heartbeat (a `PING` every half `heartbeatTimeout`)
 * notices: a PING unanswered for `heartbeatTimeout` ms makes the state
 * `disconnected` (within 1.5 × `heartbeatTimeout` of the hang); the reply
 * that finally comes makes it `connected` again, and the owner re-reads.
 *
 * A database index the server does not have (`redis://h/99`) is a
 * configuration error: ioredis would quietly stay in database 0, so the
 * store checks the `SELECT` itself and stops with a CONFIG error naming the
 * URL and the valid range.
 *
 * @module
 */
import type { Redis as RedisClient } from 'ioredis';
import { type BackendUnavailableError, TkError } from '../errors/tk-error.js';
import { type CommandClient, loadIoredis, readOperation, unreachable, unresponsive } from './redis-client.js';
import { ConnectionCore, type ConnectionSettings } from './redis-connection-core.js';
import { Heartbeat } from './redis-heartbeat.js';
import { type LaneClient, ReplicatedLane } from './redis-replicated-lane.js';
import { DECLARE_SCRIPT, METADATA_SCRIPT, REMOVE_SCRIPT, WRITE_MANY_SCRIPT } from './redis-scripts.js';
import type { StoreConnection, StoreConnectionEvents } from './redis-store-connection.js';

/** The reply of a server to a `SELECT` of a database it does not have. */
const DB_REFUSED = /DB index is out of range|invalid DB index/i;

/** The settings of a {@link RedisConnection}, defaults applied. */
export type RedisConnectionSettings = ConnectionSettings;

/** What the owner of a {@link RedisConnection} hears of it. */
export type RedisConnectionEvents = StoreConnectionEvents;

/**
 * The command and subscriber connections to one server (named directly, or
 * the master a set of sentinels names), and the connection state. With
 * Sentinel, ioredis asks the sentinels for the master on every (re)connection,
 * so after a failover both connections come back on the promoted replica and
 * the owner re-reads, as after any reconnect.
 */
export class RedisConnection extends ConnectionCore implements StoreConnection {
  /** Settles once both connections exist; rejects when ioredis cannot be loaded. */
  readonly started: Promise<void>;
  readonly #heartbeat: Heartbeat;
  #cmd: CommandClient | undefined;
  #sub: RedisClient | undefined;
  /** The connection of the `replicated` writes, opened at the first. */
  #lane: ReplicatedLane | undefined;
  #cmdReady = false;
  /** Whether the command connection failed or closed since it was last ready (the server is known to be away). */
  #cmdFailed = false;
  #subReady = false;
  /** A configuration the server refused (a database it does not have): commands fail with it, for good. */
  #fatal: TkError | undefined;

  /** Starts connecting at once; `events` tells the owner of the connection coming up and of messages. */
  constructor(settings: RedisConnectionSettings, events: RedisConnectionEvents) {
    super(settings, events);
    this.#heartbeat = new Heartbeat(settings.clock, settings.heartbeatTimeout, {
      ping: () =>
        this.#cmd !== undefined && this.#cmdReady && this.#fatal === undefined ? this.#cmd.ping() : undefined,
      changed: (responsive) => {
        if (this.closed) return;
        this.log.debug(responsive ? 'server answers again' : 'server does not answer', {
          server: this.description,
        });
        this.commandChanged();
        this.#update();
      },
    });
    this.started = this.begin(this.#start());
  }

  /** Why the server is not reachable, while disconnected. */
  get error(): Error | undefined {
    return this.state === 'disconnected' ? (this.#fatal ?? this.unavailable()) : undefined;
  }

  /** The command connection, once started. */
  get client(): CommandClient | undefined {
    return this.#cmd;
  }

  /** The subscriber connection, once started. */
  get subscriber(): RedisClient | undefined {
    return this.#sub;
  }

  /** Whether the command connection is ready (it may still hang: see {@link commandUsable}). */
  get commandReady(): boolean {
    return this.#cmdReady;
  }

  /** Whether commands can be sent now: the command connection is ready and the server answers. */
  get commandUsable(): boolean {
    return this.#cmdReady && this.#heartbeat.responsive && this.#fatal === undefined;
  }

  /**
   * Why commands cannot be sent, when the server is known to be away: a
   * refused configuration, a server that does not answer, a connection that
   * failed or closed. Undefined while usable, and while a first connection is
   * being made.
   */
  get commandDown(): TkError | undefined {
    if (this.#fatal !== undefined) return this.#fatal;
    if (!this.#heartbeat.responsive || (!this.#cmdReady && this.#cmdFailed)) return this.unavailable();
    return undefined;
  }

  /** Whether the subscriber connection is ready. */
  get subscriberReady(): boolean {
    return this.#subReady;
  }

  /** Notes that ioredis refused a command because its socket is closing: commands fail until the next ready. */
  commandSocketClosing(): void {
    this.#cmdReady = false;
    this.#cmdFailed = true;
    this.commandChanged();
  }

  async #start(): Promise<void> {
    const Redis = await loadIoredis();
    if (this.closed) return;
    const s = this.server;
    const where =
      s.topology.kind === 'sentinel'
        ? {
            sentinels: s.topology.sentinels.map((x) => ({ host: x.host, port: x.port })),
            name: s.topology.name,
            sentinelRetryStrategy: this.retryStrategy,
            ...(s.tls ? { enableTLSForSentinelMode: true } : {}),
          }
        : { host: s.host, port: s.port };
    const cmd = new Redis({
      ...where,
      db: s.db,
      username: s.username,
      password: s.password,
      ...(s.tls ? { tls: {} } : {}),
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: Math.max(this.timeout, 1000),
      retryStrategy: this.retryStrategy,
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
    this.#lane = new ReplicatedLane(
      () => cmd.duplicate({ connectionName: 'tk-core-oldb-replicated' }) as unknown as LaneClient,
      (err) => {
        this.lastError = err;
      },
    );
    this.log.debug('connecting', { server: this.description });
    const lost = (which: 'cmd' | 'sub') => (err?: Error) => {
      if (which === 'cmd') {
        this.#cmdReady = false;
        this.#cmdFailed = true;
        this.#heartbeat.lost();
      } else this.#subReady = false;
      if (err !== undefined) this.lastError = err;
      this.log.trace(`${which} connection lost`, { server: this.description, error: err?.message });
      if (which === 'cmd') this.commandChanged();
      this.#update();
    };
    cmd.on('ready', () => {
      void this.#checkDatabase(cmd).then((ok) => {
        if (!ok || this.closed) return;
        this.#cmdReady = true;
        this.#cmdFailed = false;
        this.#heartbeat.ready();
        this.log.trace('command connection ready', { server: this.description });
        this.commandChanged();
        this.#update();
      });
    });
    sub.on('ready', () => {
      this.#subReady = true;
      this.log.trace('subscriber connection ready', { server: this.description });
      this.#update();
    });
    cmd.on('error', (err: Error) => {
      // a SELECT refused while connecting: the check on ready turns it into a CONFIG error
      if (DB_REFUSED.test(err?.message ?? '')) return;
      this.lastError = err;
      if (!this.#cmdReady) {
        this.#cmdFailed = true;
        this.commandChanged();
        this.#update();
      }
    });
    sub.on('error', (err: Error) => {
      if (!DB_REFUSED.test(err?.message ?? '')) this.lastError = err;
    });
    cmd.on('close', lost('cmd'));
    sub.on('close', lost('sub'));
    sub.on('message', (channel: string, message: string) => this.events.message(channel, message));
  }

  /**
   * Checks that the server has the URL's database: ioredis sends the
   * `SELECT` when a connection opens but stays in database 0 when it fails,
   * and commands pipelined after it would go there. So nothing is sent
   * before this check passes; when the server refuses, the store stops with
   * a CONFIG error naming the URL and the valid range.
   */
  async #checkDatabase(cmd: CommandClient): Promise<boolean> {
    const db = this.server.db;
    if (db === 0 || this.#fatal !== undefined) return this.#fatal === undefined;
    try {
      await cmd.select(db);
      return true;
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (!DB_REFUSED.test(message)) {
        // the connection went away meanwhile: the next ready checks again
        return false;
      }
      let count: number | undefined;
      try {
        const reply = (await cmd.call('CONFIG', 'GET', 'databases')) as unknown;
        const list = Array.isArray(reply) ? reply : Object.entries(reply as Record<string, unknown>).flat();
        const n = Number(list[1]);
        if (Number.isSafeInteger(n) && n > 0) count = n;
      } catch {
        // CONFIG may be forbidden (ACL): the range is then the usual default
      }
      const range =
        count === undefined
          ? 'the server does not say how many it has (16 by default: 0-15)'
          : `the server has ${count} databases (0-${count - 1})`;
      this.#fatal = new TkError(
        'CONFIG',
        `Invalid OLDB server URL ${JSON.stringify(this.description)}: database ${db} does not exist; ${range}`,
        { details: { url: this.description, db, databases: count } },
      );
      this.log.error('OLDB server refused the database', { server: this.description, db });
      this.#heartbeat.stop();
      this.commandChanged();
      this.setState('disconnected', this.#fatal);
      this.#cmd?.disconnect();
      this.#sub?.disconnect();
      this.#lane?.close();
      return false;
    }
  }

  /** The error saying the server is not reachable (or does not answer), and why. */
  unavailable(): BackendUnavailableError {
    if (!this.#heartbeat.responsive) return unresponsive(this.description, this.#heartbeat.timeout);
    return unreachable(this.description, this.lastError);
  }

  #update(): void {
    if (this.#fatal !== undefined) return;
    this.health(this.#cmdReady && this.#subReady && this.#heartbeat.responsive, this.lastError !== undefined);
  }

  /** Subscribes `channels` on the subscriber connection, up to 1000 per command (all sent at once, in order). */
  async subscribeChannels(channels: readonly string[]): Promise<void> {
    const sub = this.#sub;
    if (sub === undefined || !this.#subReady) throw this.unavailable();
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < channels.length; i += 1000) sent.push(sub.subscribe(...channels.slice(i, i + 1000)));
    await Promise.all(sent);
  }

  /**
   * Subscribes `channels` and sends the commands of `read` on the subscriber
   * connection right after them (RESP3 allows other commands on a subscribed
   * connection), bounded by the call time limit: one round trip for a
   * watch's first reading instead of two. Undefined on RESP2.
   */
  subscribeAndRead<T>(
    channels: readonly string[],
    read: (client: CommandClient, indexes: readonly number[]) => Promise<T[]>,
  ): Promise<T[]> | undefined {
    const sub = this.#sub;
    if (sub === undefined || !this.#subReady) return Promise.reject(this.unavailable());
    if ((sub as { condition?: { protocol?: number } }).condition?.protocol !== 3) return undefined;
    const subscribed = this.subscribeChannels(channels);
    const all = channels.map((_, i) => i);
    const hashes = this.run(readOperation(`read ${channels.length} datapoints`), undefined, () =>
      read(sub as CommandClient, all),
    );
    return Promise.all([subscribed, hashes]).then(([, h]) => h);
  }

  /** Unsubscribes `channels` (nothing to do while the subscriber connection is down: it lost them). */
  unsubscribeChannels(channels: readonly string[]): void {
    const sub = this.#sub;
    if (sub === undefined || !this.#subReady || this.closed) return;
    for (let i = 0; i < channels.length; i += 1000) {
      sub.unsubscribe(...channels.slice(i, i + 1000)).catch(() => {
        // gone with the connection: nothing is subscribed after a reconnect
      });
    }
  }

  protected stopping(): void {
    this.#heartbeat.stop();
  }

  protected disconnect(): void {
    this.#cmd?.disconnect();
    this.#sub?.disconnect();
    this.#lane?.close();
  }

  /** The connection for `replicated` writes, once ready; see {@link ReplicatedLane}. */
  replicatedClient(): CommandClient | undefined {
    return this.#lane?.client();
  }
}
