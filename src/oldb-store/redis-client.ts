/**
 * The ioredis client of the Redis store: loading the package and the type of
 * the command connection with the store's scripts. The errors its failures
 * become are in errors.ts (re-exported here for the connection modules).
 *
 * ioredis is loaded with a dynamic import whose specifier is not a literal,
 * so bundlers of browser code never follow it; this module imports its types only.
 *
 * @module
 */
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { TkError } from '../errors/tk-error.js';
import type { WriteBatchClient } from './redis-write-batch.js';

/** The ioredis client class. */
export type RedisCtor = new (options: RedisOptions) => RedisClient;

/** The parts of the ioredis module the store uses. */
export interface IoredisModule {
  /** The client of one server (or of a Sentinel-managed master). */
  readonly Redis: RedisCtor;
  /** The client of a Redis Cluster. */
  readonly Cluster: typeof import('ioredis').Cluster;
}

let ioredisModule: Promise<IoredisModule> | undefined;

/** Loads ioredis once, in a way bundlers do not follow. */
export async function loadIoredis(): Promise<RedisCtor> {
  return (await loadIoredisModule()).Redis;
}

/** Loads ioredis once (its `Redis` and `Cluster` classes), in a way bundlers do not follow. */
export function loadIoredisModule(): Promise<IoredisModule> {
  if (ioredisModule === undefined) {
    const specifier = ['io', 'redis'].join('');
    ioredisModule = (import(/* @vite-ignore */ specifier) as Promise<Record<string, unknown>>).then(
      (mod) => {
        const d = mod.default as Record<string, unknown> | undefined;
        return {
          Redis: (mod.Redis ?? d?.Redis ?? mod.default) as RedisCtor,
          Cluster: (mod.Cluster ?? d?.Cluster) as IoredisModule['Cluster'],
        };
      },
      (err: unknown) => {
        ioredisModule = undefined;
        throw new TkError(
          'CONFIG',
          'The cii.oldb Redis store needs the "ioredis" package, which could not be loaded (in a browser, use the embedded store)',
          { cause: err },
        );
      },
    );
  }
  return ioredisModule;
}

/** The store's scripts, as ioredis defines them on the command connection. */
export interface StoreScripts extends WriteBatchClient {
  /** Runs `DECLARE_SCRIPT`: 3 keys, then its arguments. */
  oldbDeclare(...args: (string | number)[]): Promise<string[]>;
  /** Runs `METADATA_SCRIPT`: 2 keys, then its arguments. */
  oldbMetadata(...args: (string | number)[]): Promise<string>;
  /** Runs `REMOVE_SCRIPT`: 2 keys, then its arguments. */
  oldbRemove(...args: (string | number)[]): Promise<number>;
  /** Runs `CLUSTER_DECLARE_SCRIPT`: its 2 keys, then its arguments. */
  oldbClusterDeclare(...args: (string | number)[]): Promise<string[]>;
  /** Runs `CLUSTER_METADATA_SCRIPT`: 2 keys, then its arguments. */
  oldbClusterMetadata(...args: (string | number)[]): Promise<string>;
  /** Runs `CLUSTER_REMOVE_SCRIPT`: 2 keys, then its arguments. */
  oldbClusterRemove(...args: (string | number)[]): Promise<number>;
  /** Runs `CLUSTER_UNLINK_SCRIPT`: 1 key (a tree set), the member. */
  oldbUnlink(...args: (string | number)[]): Promise<number>;
}

/** The command connection: an ioredis client with the store's scripts. */
export type CommandClient = RedisClient & StoreScripts;

export {
  changeOperation,
  commandError,
  NotSent,
  noReply,
  notSent,
  type Operation,
  readOperation,
  replyArg,
  replyCode,
  unreachable,
  unresponsive,
  withOperationText,
} from './errors.js';
