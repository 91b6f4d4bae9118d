/**
 * The read path of the Redis store: reading datapoint hashes and path nodes,
 * decoding a hash into a snapshot, and the cache of declared types that lets
 * a write check its value without reading the type first.
 *
 * @module
 */
import { NotDeclaredError } from './errors.js';
import { assertNodePath, assertPath, childPath } from './path.js';
import type { RedisConnection } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { decodeDatapointHash, decodeStoredType } from './stored-data.js';
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
  readonly #connection: RedisConnection;
  readonly #keys: RedisKeys;

  /** Reads through `connection` the keys of `keys`. */
  constructor(connection: RedisConnection, keys: RedisKeys) {
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

  /** Reads the hashes of `paths` in one pipelined go, undecoded. */
  readHashes(
    paths: readonly string[],
    options: OldbCallOptions | undefined,
  ): Promise<Record<string, string>[]> {
    return this.#connection.run(`read ${paths.length} datapoints`, options, (cmd) =>
      Promise.all(paths.map((p) => cmd.hgetall(this.#keys.datapoint(p)))),
    );
  }

  /** Reads datapoint `path`; rejects with NotDeclaredError when it is not declared. */
  async read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot> {
    assertPath(path);
    const flat = await this.#connection.run(`read ${path}`, options, (cmd) =>
      cmd.hgetall(this.#keys.datapoint(path)),
    );
    const snap = this.parseHash(path, flat as unknown as Record<string, string>);
    if (snap === undefined) throw new NotDeclaredError(path);
    return snap;
  }

  /** Reads datapoints `paths` in one go; undefined for those not declared. */
  async readMany(paths: readonly string[], options?: OldbCallOptions): Promise<(OldbSnapshot | undefined)[]> {
    for (const p of paths) assertPath(p);
    const hashes = await this.readHashes(paths, options);
    return hashes.map((h, i) => this.parseHash(paths[i]!, h as unknown as Record<string, string>));
  }

  /** The declared type of `path`, from the cache or else read. */
  async typeOf(path: string, options: OldbCallOptions | undefined): Promise<OldbType> {
    const cached = this.types.get(path);
    if (cached !== undefined) return cached;
    const t = await this.#connection.run(`read the type of ${path}`, options, (cmd) =>
      cmd.hget(this.#keys.datapoint(path), 'type'),
    );
    if (t === null || t === undefined) throw new NotDeclaredError(path);
    const type = decodeStoredType(path, t);
    this.types.remember(path, type);
    return type;
  }

  /** Lists the children of path node `path`, sorted by name. */
  async listChildren(path: string, options?: OldbCallOptions): Promise<OldbChild[]> {
    assertNodePath(path);
    const members = await this.#connection.run(`list the children of ${path}`, options, (cmd) =>
      cmd.smembers(this.#keys.tree(path)),
    );
    return members
      .map((m): OldbChild => {
        const name = m.slice(2);
        return { name, path: childPath(path, name), kind: m.startsWith('d:') ? 'datapoint' : 'node' };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
