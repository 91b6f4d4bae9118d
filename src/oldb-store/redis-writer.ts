/**
 * The write path of the Redis store: declaring, writing, updating metadata
 * and removing datapoints. Every change and its notification run in one Lua
 * script (atomic); value writes are coalesced per tick by a
 * {@link WriteBatcher}, a `replicated` write is sent with its `WAIT`
 * (`redis-replicated-write.ts`). The scripts' `OLDB_*` error replies become
 * the store's errors (`redis-write-errors.ts`).
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import type { Clock } from '../util/clock.js';
import type { Deadlines } from './deadlines.js';
import { declarationConflict, NotDeclaredError, typeChanged } from './errors.js';
import { assertPath } from './path.js';
import {
  type CommandClient,
  changeOperation,
  commandError,
  NotSent,
  noReply,
  readOperation,
  replyArg,
  replyCode,
} from './redis-client.js';
import { ClusterTree } from './redis-cluster-tree.js';
import { notAHash } from './redis-hash-reads.js';
import type { RedisKeys } from './redis-keys.js';
import type { RedisReader } from './redis-reader.js';
import { type DurabilitySettings, sendReplicated } from './redis-replicated-write.js';
import type { StoreConnection } from './redis-store-connection.js';
import { DEFAULT_MAX_BATCH, WriteBatcher, type WriteReply } from './redis-write-batch.js';
import { scriptError } from './redis-write-errors.js';
import { decodeStoredMetadataJson, decodeStoredType } from './stored-data.js';
import type {
  OldbCallOptions,
  OldbDeclaration,
  OldbIfExists,
  OldbMetadata,
  OldbQuality,
  OldbSnapshot,
  OldbType,
  OldbValue,
  OldbWrite,
  OldbWriteResult,
} from './types.js';
import {
  checkMetadata,
  checkQuality,
  checkTimestamp,
  checkType,
  checkValue,
  encodeValue,
  sortMetadata,
  zeroValue,
} from './values.js';

/** Changes datapoints of one store. */
export class RedisWriter {
  readonly #connection: StoreConnection;
  readonly #keys: RedisKeys;
  readonly #reader: RedisReader;
  readonly #clock: Clock;
  readonly #writes: WriteBatcher;
  readonly #durability: DurabilitySettings;
  /** The tree protocol of the cluster layout; undefined in the single-server layout. */
  readonly #tree: ClusterTree | undefined;

  /**
   * Writes through `connection` the keys of `keys`, with the type cache of
   * `reader`; `clock` gives default timestamps, `deadlines` keeps the time
   * limits of batched writes.
   */
  constructor(
    connection: StoreConnection,
    keys: RedisKeys,
    reader: RedisReader,
    clock: Clock,
    deadlines: Deadlines,
    durability: DurabilitySettings = { durability: 'acknowledged', replicas: 1, replicationTimeout: 1000 },
  ) {
    this.#durability = durability;
    this.#connection = connection;
    this.#keys = keys;
    this.#reader = reader;
    this.#clock = clock;
    this.#tree = keys.tagged ? new ClusterTree(keys) : undefined;
    this.#writes = new WriteBatcher(
      (p) => keys.datapoint(p),
      keys.seq,
      keys.channelPrefix,
      DEFAULT_MAX_BATCH,
      {
        deadlines,
        errors: {
          timeout: (path, ms) => noReply(connection.description, changeOperation(`write ${path}`), ms),
          failed: (path, err) =>
            scriptError(
              keys,
              path,
              commandError(connection.description, changeOperation(`write ${path}`), err),
            ),
        },
      },
      keys.tagged ? keys : undefined,
    );
  }

  /** Declares datapoint `path`, or checks it against its declaration, as `ifExists` says. */
  async declare(
    path: string,
    declaration: OldbDeclaration,
    options: OldbCallOptions & { readonly ifExists?: OldbIfExists | undefined } = {},
  ): Promise<OldbSnapshot> {
    this.#connection.assertOpen(`declare ${path}`);
    assertPath(path);
    const type = checkType(path, declaration.type);
    const metadata = sortMetadata(checkMetadata(path, declaration.metadata));
    const given = declaration.value !== undefined;
    const value = checkValue(path, type, given ? declaration.value : zeroValue(type));
    const timestamp = checkTimestamp(path, declaration.timestamp ?? this.#clock.now());
    const quality = checkQuality(path, declaration.quality ?? 'OK');
    const mdArgs: string[] = [];
    for (const [k, v] of Object.entries(metadata)) mdArgs.push(k, JSON.stringify(v));
    const op = changeOperation(`declare ${path}`);
    const keys = this.#keys;
    const tree = this.#tree;
    try {
      const flat = await this.#connection.run(op, options, async (cmd) => {
        if (tree === undefined)
          return this.#declareSingle(cmd, path, type, options, given, value, timestamp, quality, mdArgs);
        const clash = await tree.clash(cmd, path);
        const reply = await cmd.oldbClusterDeclare(
          keys.datapoint(path),
          keys.seqOf(path),
          keys.channel(path),
          type,
          options.ifExists ?? 'error',
          given ? '1' : '0',
          encodeValue(type, value),
          String(timestamp),
          quality,
          clash,
          ...mdArgs,
        );
        await tree.link(cmd, path);
        return reply;
      });
      return this.#reader.parseHash(path, flat as unknown as string[])!;
    } catch (err) {
      switch (replyCode(err)) {
        case 'OLDB_TYPE':
          throw typeChanged(path, replyArg(err) as OldbType, type);
        case 'OLDB_EXISTS':
          throw declarationConflict(path, 'it is declared already');
        case 'OLDB_ISNODE':
          throw declarationConflict(path, 'it is a path node with children');
        case 'OLDB_ANCESTOR':
          throw declarationConflict(path, `its ancestor ${replyArg(err)} is a datapoint`);
        default:
          throw scriptError(this.#keys, path, err);
      }
    }
  }

  /** Runs the single-server declaration script. */
  #declareSingle(
    cmd: CommandClient,
    path: string,
    type: OldbType,
    options: { readonly ifExists?: OldbIfExists | undefined },
    given: boolean,
    value: OldbValue,
    timestamp: number,
    quality: OldbQuality,
    mdArgs: readonly string[],
  ): Promise<string[]> {
    const keys = this.#keys;
    return cmd.oldbDeclare(
      keys.datapoint(path),
      keys.seq,
      keys.tree(path),
      keys.prefix,
      path,
      keys.channel(path),
      type,
      options.ifExists ?? 'error',
      given ? '1' : '0',
      encodeValue(type, value),
      String(timestamp),
      quality,
      ...mdArgs,
    );
  }

  /** Writes a value of datapoint `path`, checked against its declared type. */
  async write(path: string, write: OldbWrite, options?: OldbCallOptions): Promise<OldbWriteResult> {
    this.#connection.assertOpen(`write ${path}`);
    assertPath(path);
    const timestamp = checkTimestamp(path, write.timestamp ?? this.#clock.now());
    const quality = checkQuality(path, write.quality ?? 'OK');
    const types = this.#reader.types;
    // the errors of reading the type first name the write: it is what the caller did, and it was not sent
    let type =
      types.get(path) ??
      (await this.#reader.typeOf(path, options, readOperation(`write ${path} (reading its type first)`)));
    for (let attempt = 0; ; attempt++) {
      const value = checkValue(path, type, write.value);
      const encoded = encodeValue(type, value);
      const replicated = (options?.durability ?? this.#durability.durability) === 'replicated';
      const reply = replicated
        ? await sendReplicated(
            this.#connection,
            this.#keys,
            this.#durability,
            { path, type, encoded, timestamp, quality },
            options,
          )
        : await this.#sendWrite(path, type, encoded, timestamp, quality, options);
      if (typeof reply === 'number') return { path, type, value, timestamp, quality, seq: reply };
      if (reply === 'NOTDECLARED') {
        types.forget(path);
        throw new NotDeclaredError(path);
      }
      if (reply === 'NOTHASH') {
        types.forget(path);
        throw notAHash(path, this.#keys.datapoint(path), '; nothing was written');
      }
      if (reply.startsWith('TYPE ') && attempt === 0) {
        // the datapoint was redeclared since its type was cached: check the value against the new type
        type = decodeStoredType(path, reply.slice(5));
        types.remember(path, type);
        continue;
      }
      throw new TkError(
        'WRITE_REJECTED',
        `OLDB write ${path} was refused by ${this.#connection.description}: ${reply}`,
        { details: { path } },
      );
    }
  }

  /**
   * Sends one checked write with the writes of this tick. Connected and
   * without an abort signal (the usual case), it goes straight to the batch,
   * which keeps its time limit; otherwise, or when the socket turns out to be
   * closing, through `RedisConnection.run`, which waits for the server within the limit.
   */
  async #sendWrite(
    path: string,
    type: OldbType,
    encoded: string,
    timestamp: number,
    quality: OldbQuality,
    options: OldbCallOptions | undefined,
  ): Promise<WriteReply> {
    const connection = this.#connection;
    const cmd = connection.client;
    const start = this.#clock.now();
    if (options?.signal === undefined && connection.commandUsable && cmd !== undefined) {
      try {
        return await this.#writes.add(
          cmd,
          path,
          type,
          encoded,
          timestamp,
          quality,
          options?.timeout ?? connection.timeout,
        );
      } catch (err) {
        // the socket was closing: nothing was sent; wait for the server within what is left of the time limit
        if (!(err instanceof NotSent)) throw err;
        connection.commandSocketClosing();
      }
    }
    return connection.run(
      changeOperation(`write ${path}`),
      options,
      (c) => this.#writes.add(c, path, type, encoded, timestamp, quality),
      start,
    );
  }

  /** Updates the metadata of datapoint `path` with `patch` (an undefined entry removes it); resolves with the whole metadata. */
  async updateMetadata(path: string, patch: OldbMetadata, options?: OldbCallOptions): Promise<OldbMetadata> {
    this.#connection.assertOpen(`update the metadata of ${path}`);
    assertPath(path);
    const checked = checkMetadata(path, patch);
    const args: string[] = [];
    for (const [k, v] of Object.entries(checked)) args.push(k, v === undefined ? '' : JSON.stringify(v));
    const keys = this.#keys;
    try {
      const json = await this.#connection.run(
        changeOperation(`update the metadata of ${path}`),
        options,
        (cmd) =>
          keys.tagged
            ? cmd.oldbClusterMetadata(keys.datapoint(path), keys.seqOf(path), keys.channel(path), ...args)
            : cmd.oldbMetadata(keys.datapoint(path), keys.seq, keys.channel(path), ...args),
      );
      // the whole metadata as stored: fields another client wrote may not fit
      const whole = decodeStoredMetadataJson(path, json);
      return whole;
    } catch (err) {
      if (replyCode(err) === 'OLDB_NOTDECLARED') throw new NotDeclaredError(path);
      throw scriptError(this.#keys, path, err);
    }
  }

  /** Removes datapoint `path`; resolves whether it was declared. */
  async remove(path: string, options?: OldbCallOptions): Promise<boolean> {
    assertPath(path);
    const keys = this.#keys;
    const seq = await this.#connection
      .run(changeOperation(`remove ${path}`), options, async (cmd) => {
        const tree = this.#tree;
        if (tree === undefined) {
          return cmd.oldbRemove(keys.datapoint(path), keys.seq, keys.prefix, path, keys.channel(path));
        }
        const s = await cmd.oldbClusterRemove(keys.datapoint(path), keys.seqOf(path), keys.channel(path));
        // unlinked also when it was not declared: completes a removal interrupted between its steps
        await tree.unlink(cmd, path);
        return s;
      })
      .catch((err: unknown) => {
        throw scriptError(this.#keys, path, err);
      });
    this.#reader.types.forget(path);
    return Number(seq) > 0;
  }
}
