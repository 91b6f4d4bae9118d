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
import {
  groupByNodes,
  type HashReply,
  hashesByNode,
  hgetallOn,
  isWrongKind,
  notAHash,
  pipelineHashes,
  slotMapOf,
} from './redis-hash-reads.js';
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
   * Reads the hashes of `paths` in one go, undecoded (one pipeline per
   * server, see `redis-hash-reads.ts`); a key that holds another kind of
   * Redis value than a hash is its own `DATA` error.
   */
  readHashes(paths: readonly string[], options: OldbCallOptions | undefined): Promise<HashReply[]> {
    return this.#connection.run(readOperation(`read ${paths.length} datapoints`), options, (cmd) =>
      hashesByNode(
        cmd,
        paths.map((p) => this.#keys.datapoint(p)),
        paths,
        this.#route,
      ),
    );
  }

  /** Where to read a key other than the command connection (a replica standing in for a lost master). */
  readonly #route = (key: string): CommandClient | undefined => this.#connection.standInReader?.(key);

  /**
   * Sends the `HGETALL`s of `paths` on `client` now as explicit pipelines:
   * one on a server's connection (also one that does not pipeline by
   * itself, a subscriber connection), one per master on a cluster client.
   * A key of another kind is its own `DATA` error; any other failure
   * rejects the whole read.
   */
  hashesPipelined(client: CommandClient, paths: readonly string[]): Promise<HashReply[]> {
    return hashesByNode(
      client,
      paths.map((p) => this.#keys.datapoint(p)),
      paths,
    );
  }

  /** Decodes a hash read by {@link readHashes} (throws its error when it is one). */
  decode(path: string, hash: HashReply): OldbSnapshot | undefined {
    if (hash instanceof StoredDataError) throw hash;
    return this.parseHash(path, hash);
  }

  /**
   * Reads datapoint `path`; rejects with NotDeclaredError when it is not
   * declared. The reads of one tick without a signal or a time limit of
   * their own (a panel opening: many attributes read at once) are sent
   * together at the end of the tick, as one operation (on a cluster, one
   * per master).
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
   * one operation whose failure each read reports with its own path. On a
   * cluster whose slots are known, the reads are one operation per master
   * (see `redis-hash-reads.ts`), each with its own time limit: a master that
   * fails or does not answer fails only its own reads.
   */
  readonly #flushReads = (): void => {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    const { paths, resolve, reject } = batch;
    const connection = this.#connection;
    const map = connection.commandUsable ? slotMapOf(connection.client!) : undefined;
    if (map === undefined || paths.length === 1) {
      this.#sendReads(paths, resolve, reject, undefined);
      return;
    }
    const keys = paths.map((p) => this.#keys.datapoint(p));
    const groups = groupByNodes(map, keys);
    if (groups.length === 1) {
      this.#sendReads(paths, resolve, reject, keys);
      return;
    }
    for (const g of groups)
      this.#sendReads(
        g.map((i) => paths[i]!),
        g.map((i) => resolve[i]!),
        g.map((i) => reject[i]!),
        g.map((i) => keys[i]!),
      );
  };

  /**
   * Sends reads `paths` as one operation and settles each: one read as it
   * is. `keys`, when given, are their keys, all served by the same nodes
   * (one pipeline); otherwise they are grouped as {@link hashesPipelined} does.
   */
  #sendReads(
    paths: readonly string[],
    resolve: readonly ((snap: OldbSnapshot) => void)[],
    reject: readonly ((err: unknown) => void)[],
    keys: readonly string[] | undefined,
  ): void {
    if (paths.length === 1) {
      this.#readOne(paths[0]!, undefined).then(resolve[0], reject[0]);
      return;
    }
    const op = readOperation(`read ${paths.length} datapoints`);
    this.#connection
      .run(op, undefined, (cmd) =>
        keys === undefined
          ? hashesByNode(
              cmd,
              paths.map((p) => this.#keys.datapoint(p)),
              paths,
              this.#route,
            )
          : pipelineHashes(this.#route(keys[0]!) ?? cmd, keys, paths),
      )
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
  }

  async #readOne(path: string, options: OldbCallOptions | undefined): Promise<OldbSnapshot> {
    const key = this.#keys.datapoint(path);
    const hash = await this.#connection.run(readOperation(`read ${path}`), options, (cmd) =>
      hgetallOn(this.#route(key) ?? cmd, key, path),
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
        (this.#route(key) ?? cmd).smembers(key).catch((err: unknown) => {
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
