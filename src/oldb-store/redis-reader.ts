/**
 * The read path of the Redis store: reading datapoint hashes and path nodes,
 * decoding a hash into a snapshot, and the cache of declared types that lets
 * a write check its value without reading the type first.
 *
 * @module
 */
import { NotDeclaredError } from './errors.js';
import { assertNodePath, assertPath, childPath, MAX_PATH_LENGTH, SEGMENT_CHARS } from './path.js';
import { type CommandClient, type Operation, readOperation } from './redis-client.js';
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
      this.hashesOn(cmd, paths),
    );
  }

  /** Sends the `HGETALL`s of `paths` on `client` now (see {@link readHashes}). */
  hashesOn(
    client: CommandClient,
    paths: readonly string[],
  ): Promise<(Record<string, string> | StoredDataError)[]> {
    return Promise.all(paths.map((p) => this.#hgetall(client, p)));
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

  /** Reads datapoint `path`; rejects with NotDeclaredError when it is not declared. */
  async read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot> {
    assertPath(path);
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
