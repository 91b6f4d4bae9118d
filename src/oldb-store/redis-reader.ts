/**
 * The read path of the Redis store: reading datapoint hashes and path nodes,
 * decoding a hash into a snapshot, and the cache of declared types that lets
 * a write check its value without reading the type first.
 *
 * @module
 */
import { NotDeclaredError } from './errors.js';
import { assertNodePath, assertPath, childPath, MAX_PATH_LENGTH, SEGMENT_CHARS } from './path.js';
import { type CommandClient, type Operation, readOperation, withOperationText } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';
import type { StoreConnection } from './redis-store-connection.js';
import { decodeDatapointHash, decodeStoredType, StoredDataError } from './stored-data.js';
import type { OldbCallOptions, OldbChild, OldbSnapshot, OldbType } from './types.js';

const TYPE_CACHE_LIMIT = 100_000;

/** The declared types of datapoints as last seen, by path; cleared when it is full. */
export class TypeCache {
  readonly #types = new Map<string, OldbType>();

  /** The cached type of `path`. */
  get(path: string): OldbType | undefined {
    return this.#types.get(path);
  }

  /** Caches the type of `path`, read or written; empties the cache first when it is full. */
  remember(path: string, type: OldbType): void {
    if (this.#types.size >= TYPE_CACHE_LIMIT) this.#types.clear();
    this.#types.set(path, type);
  }

  /** Forgets the type of `path`. */
  forget(path: string): void {
    this.#types.delete(path);
  }
}

/** Reads of one tick waiting to be sent together: paths and their promises' settlers, by index. */
interface ReadBatch {
  readonly paths: string[];
  readonly resolve: ((snap: OldbSnapshot) => void)[];
  readonly reject: ((err: unknown) => void)[];
}

/** Reads datapoints and path nodes of one store. */
export class RedisReader {
  /** The declared types seen by reads, writes and notifications. */
  readonly types = new TypeCache();
  readonly #connection: StoreConnection;
  readonly #keys: RedisKeys;

  /** Reads through `connection` the keys of `keys`. */
  constructor(connection: StoreConnection, keys: RedisKeys) {
    this.#connection = connection;
    this.#keys = keys;
  }

  /**
   * Decodes the hash of datapoint `path` (flat field/value pairs or an
   * object) strictly and caches its type; undefined when it is not
   * declared. Throws a `DATA` error naming the field that does not fit.
   */
  parseHash(path: string, flat: readonly string[] | Record<string, string>): OldbSnapshot | undefined {
    let h: Record<string, string>;
    if (Array.isArray(flat)) {
      h = Object.create(null) as Record<string, string>;
      for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
    } else h = flat as Record<string, string>;
    const snap = decodeDatapointHash(path, h);
    if (snap !== undefined) this.types.remember(path, snap.type);
    return snap;
  }

  /**
   * Reads the hashes of `paths` in one pipelined go, undecoded; a key that
   * holds another kind of Redis value than a hash is its own `DATA` error.
   */
  readHashes(
    paths: readonly string[],
    options: OldbCallOptions | undefined,
  ): Promise<(Record<string, string> | StoredDataError)[]> {
    return this.#connection.run(readOperation(`read ${paths.length} datapoints`), options, (cmd) =>
      this.hashesPipelined(cmd, paths),
    );
  }

  /** Sends the `HGETALL`s of `paths` on `client` now (see {@link readHashes}). */
  hashesOn(
    client: CommandClient,
    paths: readonly string[],
  ): Promise<(Record<string, string> | StoredDataError)[]> {
    return Promise.all(paths.map((p) => this.#hgetall(client, p)));
  }

  /**
   * Sends the `HGETALL`s of `paths` on `client` as one explicit pipeline: one
   * write to the socket for all of them, also on a connection that does not
   * pipeline by itself (a subscriber connection), and no promise per
   * command beyond ioredis's own. Settles as {@link hashesOn}:
   * a key of another kind is its own `DATA` error, any other failure rejects
   * the whole read. On a cluster client (whose pipelines must keep to one
   * slot) it is {@link hashesOn}.
   */
  async hashesPipelined(
    client: CommandClient,
    paths: readonly string[],
  ): Promise<(Record<string, string> | StoredDataError)[]> {
    if ((client as { isCluster?: boolean }).isCluster === true) return this.hashesOn(client, paths);
    const p = client.pipeline();
    const keys = paths.map((path) => this.#keys.datapoint(path));
    for (const key of keys) p.hgetall(key);
    const replies = (await p.exec()) ?? [];
    const out: (Record<string, string> | StoredDataError)[] = new Array(paths.length);
    for (let i = 0; i < paths.length; i++) {
      const reply = replies[i];
      if (reply === undefined) throw new Error(`no reply to HGETALL ${keys[i]}`);
      const [err, value] = reply;
      if (err !== null) {
        if (isWrongKind(err)) out[i] = notAHash(paths[i]!, keys[i]!);
        else throw err;
      } else out[i] = value as Record<string, string>;
    }
    return out;
  }

  #hgetall(cmd: CommandClient, path: string): Promise<Record<string, string> | StoredDataError> {
    const key = this.#keys.datapoint(path);
    return cmd.hgetall(key).catch((err: unknown) => {
      if (isWrongKind(err)) return notAHash(path, key);
      throw err;
    });
  }

  /** Decodes a hash read by {@link readHashes} (throws its error when it is one). */
  decode(path: string, hash: Record<string, string> | StoredDataError): OldbSnapshot | undefined {
    if (hash instanceof StoredDataError) throw hash;
    return this.parseHash(path, hash);
  }

  /**
   * Reads datapoint `path`; rejects with NotDeclaredError when it is not
   * declared. The reads of one tick without a signal or a time limit of
   * their own (a panel opening: many attributes read at once) are sent
   * together at the end of the tick, as one operation.
   */
  read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot> {
    try {
      assertPath(path);
      if (options?.signal !== undefined || options?.timeout !== undefined)
        return this.#readOne(path, options);
      this.#connection.assertOpen(`read ${path}`);
    } catch (err) {
      return Promise.reject(err);
    }
    let batch = this.#batch;
    if (batch === undefined) {
      batch = this.#batch = { paths: [], resolve: [], reject: [] };
      queueMicrotask(this.#flushReads);
    }
    const b = batch;
    b.paths.push(path);
    return new Promise<OldbSnapshot>((resolve, reject) => {
      b.resolve.push(resolve);
      b.reject.push(reject);
    });
  }

  /** Reads of this tick not sent yet. */
  #batch: ReadBatch | undefined = undefined;

  /**
   * Sends the reads of this tick (at its end): one read as it is, several as
   * one operation whose failure each read reports with its own path.
   */
  readonly #flushReads = (): void => {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    const { paths, resolve, reject } = batch;
    if (paths.length === 1) {
      this.#readOne(paths[0]!, undefined).then(resolve[0], reject[0]);
      return;
    }
    const op = readOperation(`read ${paths.length} datapoints`);
    this.#connection
      .run(op, undefined, (cmd) => this.hashesPipelined(cmd, paths))
      .then(
        (hashes) => {
          for (let i = 0; i < paths.length; i++) {
            const path = paths[i]!;
            let snap: OldbSnapshot | undefined;
            try {
              snap = this.decode(path, hashes[i]!);
            } catch (err) {
              reject[i]!(err);
              continue;
            }
            if (snap === undefined) reject[i]!(new NotDeclaredError(path));
            else resolve[i]!(snap);
          }
        },
        (err: unknown) => {
          for (let i = 0; i < paths.length; i++)
            reject[i]!(withOperationText(err, op, readOperation(`read ${paths[i]!}`)));
        },
      );
  };

  async #readOne(path: string, options: OldbCallOptions | undefined): Promise<OldbSnapshot> {
    const hash = await this.#connection.run(readOperation(`read ${path}`), options, (cmd) =>
      this.#hgetall(cmd, path),
    );
    const snap = this.decode(path, hash);
    if (snap === undefined) throw new NotDeclaredError(path);
    return snap;
  }

  /** Reads datapoints `paths` in one go; undefined for those not declared. */
  async readMany(paths: readonly string[], options?: OldbCallOptions): Promise<(OldbSnapshot | undefined)[]> {
    for (const p of paths) assertPath(p);
    const hashes = await this.readHashes(paths, options);
    return hashes.map((h, i) => this.decode(paths[i]!, h));
  }

  /** The declared type of `path`, from the cache or else read (by operation `op`, for its errors). */
  async typeOf(
    path: string,
    options: OldbCallOptions | undefined,
    op: Operation = readOperation(`read the type of ${path}`),
  ): Promise<OldbType> {
    const cached = this.types.get(path);
    if (cached !== undefined) return cached;
    const key = this.#keys.datapoint(path);
    const t = await this.#connection.run(op, options, (cmd) =>
      cmd.hget(key, 'type').catch((err: unknown) => {
        if (isWrongKind(err)) throw notAHash(path, key);
        throw err;
      }),
    );
    if (t === null || t === undefined) throw new NotDeclaredError(path);
    const type = decodeStoredType(path, t);
    this.types.remember(path, type);
    return type;
  }

  /**
   * Lists the children of path node `path`, sorted by name. Members of the
   * node's set that are not `d:<segment>` or `n:<segment>` (written by
   * another client) are left out: they name nothing tk-core can open.
   */
  async listChildren(path: string, options?: OldbCallOptions): Promise<OldbChild[]> {
    assertNodePath(path);
    const key = this.#keys.tree(path);
    const members = await this.#connection.run(
      readOperation(`list the children of ${path}`),
      options,
      (cmd) =>
        cmd.smembers(key).catch((err: unknown) => {
          if (isWrongKind(err)) throw StoredDataError.wrongKey(path, key, 'a set (the children of a node)');
          throw err;
        }),
    );
    const children: OldbChild[] = [];
    for (const m of members) {
      if (!MEMBER.test(m)) continue;
      const name = m.slice(2);
      children.push({ name, path: childPath(path, name), kind: m.startsWith('d:') ? 'datapoint' : 'node' });
    }
    return children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** A member of a tree set: `d:` (datapoint) or `n:` (node) and a path segment. */
const MEMBER = new RegExp(`^[dn]:[${SEGMENT_CHARS}]{1,${MAX_PATH_LENGTH}}$`);

/** Whether `err` is Redis refusing a command on a key of another kind (`WRONGTYPE`). */
function isWrongKind(err: unknown): boolean {
  return err instanceof Error && /^WRONGTYPE\b/.test(err.message);
}

/** The error of a datapoint whose key holds another kind of Redis value than a hash. */
export function notAHash(path: string, key: string, what = ''): StoredDataError {
  return StoredDataError.wrongKey(path, key, 'a hash (a datapoint)', what);
}
