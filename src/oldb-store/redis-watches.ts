/**
 * The watched datapoints of the Redis store: their channels on the
 * subscriber connection, the sync of each newly watched datapoint (subscribe
 * first, read second, see {@link WatchRegistry}), the notifications, and the
 * re-read of every watched datapoint after every reconnect, because pub/sub
 * drops the messages published during the gap. The changes of the watched
 * set made in one tick are sent together.
 *
 * @module
 */
import type { Logger } from '../log/logger.js';
import { parseNotification } from './notification.js';
import { assertPath } from './path.js';
import type { RedisKeys } from './redis-keys.js';
import type { RedisReader } from './redis-reader.js';
import type { StoreConnection } from './redis-store-connection.js';
import type { StoredDataError } from './stored-data.js';
import type { OldbEvent, OldbSnapshot, OldbSubscription } from './types.js';
import { WatchRegistry } from './watch-registry.js';

/** The datapoints watched through one store, kept in sync with the server. */
export class RedisWatches {
  readonly #connection: StoreConnection;
  readonly #keys: RedisKeys;
  readonly #reader: RedisReader;
  readonly #log: Logger;
  readonly #watches: WatchRegistry;
  #resyncs = 0;
  #notifications = 0;
  /** Paths that started being watched this tick, with their sync tokens. */
  #toSync = new Map<string, number>();
  /** Paths that stopped being watched this tick. */
  readonly #toUnsubscribe = new Set<string>();
  #watchFlushQueued = false;
  /** Paths to read again (rechecks asked by the registry this tick), with their sync tokens. */
  #toRecheck = new Map<string, number>();

  /** Watches through `connection` the channels of `keys`, reading with `reader`; reports to `log`. */
  constructor(connection: StoreConnection, keys: RedisKeys, reader: RedisReader, log: Logger) {
    this.#connection = connection;
    this.#keys = keys;
    this.#reader = reader;
    this.#log = log;
    this.#watches = new WatchRegistry(log, (path, token) => {
      this.#toRecheck.set(path, token);
      if (this.#toRecheck.size === 1) queueMicrotask(this.#flushRechecks);
    });
  }

  /** Number of watched datapoints (subscribed channels). */
  get size(): number {
    return this.#watches.size;
  }

  /** Number of completed resyncs after reconnects. */
  get resyncs(): number {
    return this.#resyncs;
  }

  /** Notifications received. */
  get notifications(): number {
    return this.#notifications;
  }

  /** Malformed notifications received (each ignored and answered by a re-read). */
  get malformed(): number {
    return this.#watches.malformedCount;
  }

  /** Re-reads of single datapoints (after malformed notifications, counter regressions, missed declarations). */
  get rechecks(): number {
    return this.#watches.recheckCount;
  }

  /** Watches datapoint `path`: `listener` gets its snapshot, then each change. */
  subscribe(path: string, listener: (event: OldbEvent) => void): OldbSubscription {
    this.#connection.assertOpen(`watch ${path}`);
    assertPath(path);
    const { first, remove } = this.#watches.watch(path, listener);
    if (first) {
      this.#toSync.set(path, this.#watches.beginSync(path));
      this.#queueWatchChange();
    }
    return {
      unsubscribe: () => {
        if (remove() && this.#connection.state !== 'closed') {
          this.#toUnsubscribe.add(path);
          this.#queueWatchChange();
        }
      },
    };
  }

  /**
   * Handles a message of the subscriber connection: any client may publish
   * on a channel, so its shape is checked first; one that does not fit is
   * reported to the registry (logged once per kind, answered by a re-read).
   */
  onMessage(channel: string, message: string): void {
    const path = this.#keys.pathOfChannel(channel);
    if (path === undefined) return;
    this.#notifications++;
    const n = parseNotification(message);
    if (typeof n === 'string') {
      this.#watches.malformed(path, n, message);
      return;
    }
    if (n.k === 'd') this.#reader.types.remember(path, n.type);
    else if (n.k === 'x') this.#reader.types.forget(path);
    this.#watches.notify(path, n);
  }

  /** Subscribes every watched channel again and re-reads every watched datapoint. */
  async resyncAll(): Promise<void> {
    const paths = this.#watches.paths();
    if (paths.length === 0) return;
    const tokens = paths.map((p) => this.#watches.beginSync(p));
    await this.#syncPaths(paths, tokens, () => {
      this.#resyncs++;
      this.#log.debug('resynced watched datapoints', {
        server: this.#connection.description,
        count: paths.length,
      });
    });
  }

  /** Re-reads the watched datapoints of `channels` (subscribed again elsewhere: a slot moved). */
  async resync(channels: readonly string[]): Promise<void> {
    const paths: string[] = [];
    for (const c of channels) {
      const p = this.#keys.pathOfChannel(c);
      if (p !== undefined && this.#watches.has(p)) paths.push(p);
    }
    if (paths.length === 0) return;
    const tokens = paths.map((p) => this.#watches.beginSync(p));
    // subscribed again with the read: on a cluster both go to the new master, on one connection
    await this.#syncPaths(paths, tokens, () => {
      this.#resyncs++;
      this.#log.debug('resynced moved datapoints', {
        server: this.#connection.description,
        count: paths.length,
      });
    });
  }

  /** Forgets every watcher. */
  clear(): void {
    this.#watches.clear();
  }

  /**
   * Subscribes the channels of `paths` (a few commands for all of them),
   * then reads them all in one pipelined go and completes their syncs. A
   * datapoint that cannot be decoded fails its own watch only. `onRead` runs
   * once everything is read, before the watchers hear of it. Resolves false
   * when the connection failed meanwhile: the resync on the next ready completes the watches.
   */
  async #syncPaths(
    paths: readonly string[],
    tokens: readonly number[],
    onRead?: () => void,
  ): Promise<boolean> {
    const connection = this.#connection;
    try {
      await connection.started;
      if (!connection.subscriberReady || !connection.commandUsable) return false; // the resync on ready does it
      if (this.#log.isEnabled('trace'))
        this.#log.trace('subscribe', { count: paths.length, first: paths[0] });
      const channels = paths.map((p) => this.#keys.channel(p));
      // subscribe, then read: in one round trip where the connection can, else one after the other
      const together = connection.subscribeAndRead?.(channels, (client, indexes) =>
        // a subscriber connection does not pipeline by itself: one write for all the reads
        this.#reader.hashesPipelined(
          client,
          indexes.map((i) => paths[i]!),
        ),
      );
      let hashes: (Record<string, string> | StoredDataError)[];
      if (together !== undefined) hashes = await together;
      else {
        await connection.subscribeChannels(channels);
        hashes = await this.#reader.readHashes(paths, undefined);
      }
      onRead?.();
      for (let i = 0; i < paths.length; i++) this.#complete(paths[i]!, hashes[i]!, tokens[i]!);
      return true;
    } catch (err) {
      connection.syncFailed?.(paths.map((p) => this.#keys.channel(p)));
      this.#log.debug('watch deferred until the server is back', {
        server: connection.description,
        count: paths.length,
        error: (err as Error).message,
      });
      return false;
    }
  }

  /**
   * Reads again the datapoints the registry asked for this tick, in one
   * pipelined go, and completes their rechecks. When the server is away the
   * resync that follows its return does it.
   */
  readonly #flushRechecks = (): void => {
    const batch = this.#toRecheck;
    this.#toRecheck = new Map();
    const connection = this.#connection;
    if (!connection.subscriberReady || !connection.commandUsable) return;
    const paths = [...batch.keys()].filter((p) => this.#watches.has(p));
    if (paths.length === 0) return;
    this.#reader.readHashes(paths, undefined).then(
      (hashes) => {
        for (let i = 0; i < paths.length; i++) this.#complete(paths[i]!, hashes[i]!, batch.get(paths[i]!)!);
      },
      (err: unknown) => {
        // the watchers learn that the datapoint could not be read; its next notification reads it again
        for (const p of paths) this.#watches.completeSync(p, undefined, batch.get(p)!, err as Error);
      },
    );
  };

  /** Completes the sync `token` of `path` with its hash as read. */
  #complete(path: string, hash: Record<string, string> | StoredDataError, token: number): void {
    let snap: OldbSnapshot | undefined;
    try {
      snap = this.#reader.decode(path, hash);
    } catch (err) {
      this.#watches.completeSync(path, undefined, token, err as Error);
      return;
    }
    this.#watches.completeSync(path, snap, token);
  }

  /** Queues a change of the watched set; all the changes of one tick are sent together. */
  #queueWatchChange(): void {
    if (this.#watchFlushQueued) return;
    this.#watchFlushQueued = true;
    queueMicrotask(this.#flushWatchChanges);
  }

  readonly #flushWatchChanges = (): void => {
    this.#watchFlushQueued = false;
    const gone = [...this.#toUnsubscribe].filter((p) => !this.#watches.has(p));
    this.#toUnsubscribe.clear();
    const toSync = this.#toSync;
    this.#toSync = new Map();
    if (gone.length > 0 && this.#connection.state !== 'closed') {
      if (this.#log.isEnabled('trace'))
        this.#log.trace('unsubscribe', { count: gone.length, first: gone[0] });
      this.#connection.unsubscribeChannels(gone.map((p) => this.#keys.channel(p)));
    }
    const paths = [...toSync.keys()].filter((p) => this.#watches.has(p));
    if (paths.length > 0)
      void this.#syncPaths(
        paths,
        paths.map((p) => toSync.get(p)!),
      );
  };
}
