/**
 * The ioredis client of the Redis store: loading the package, the type of
 * the command connection with the store's scripts, and the errors its
 * failures become.
 *
 * ioredis is loaded with a dynamic import whose specifier is not a literal,
 * so bundlers of browser code never follow it; this module imports its types only.
 *
 * @module
 */
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { BackendUnavailableError, TimeoutError, TkError } from '../errors/tk-error.js';
import { redactCredentials } from './redis-url.js';
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

/** The code of a script's `OLDB_*` error reply, or undefined when `err` is not one. */
export function replyCode(err: unknown): string | undefined {
  const m = err instanceof Error ? /^(?:ERR\s+)?(OLDB_[A-Z]+)(?: (.*))?/.exec(err.message) : null;
  return m?.[1];
}

/** The first word after the code of a script's `OLDB_*` error reply; empty when there is none. */
export function replyArg(err: unknown): string {
  const m = err instanceof Error ? /^(?:ERR\s+)?OLDB_[A-Z]+ (\S+)/.exec(err.message) : null;
  return m?.[1] ?? '';
}

/** ioredis refused to send a command: it never reached the server. */
export class NotSent extends Error {}

/** Whether ioredis refused a command because its socket is closing (so it was not sent). */
function notWritable(err: unknown): boolean {
  return /Stream isn't writeable/.test((err as Error)?.message ?? '');
}

/** What a command does, for its errors: what it is (`write /root/a/b`) and whether it changes the store. */
export interface Operation {
  /** The operation in words, after "Cannot": `read /root/a/b`, `write /root/a/b`, `list the children of /root`. */
  readonly text: string;
  /** Whether it changes the store (a write, a declaration...): only then may a lost reply mean it took effect. */
  readonly changes: boolean;
}

/** An operation that only reads. */
export function readOperation(text: string): Operation {
  return { text, changes: false };
}

/** An operation that changes the store. */
export function changeOperation(text: string): Operation {
  return { text, changes: true };
}

/** The error of a server that is not reachable, with the last connection error if any. */
export function unreachable(server: string, lastError: Error | undefined): BackendUnavailableError {
  const why = lastError ? `: ${redactCredentials(lastError.message)}` : '';
  return new BackendUnavailableError(`OLDB server ${server} is not reachable${why}`, {
    details: { server },
  });
}

/** The error of a server whose connection is open but that answered no PING within `ms`. */
export function unresponsive(server: string, ms: number): BackendUnavailableError {
  return new BackendUnavailableError(
    `OLDB server ${server} does not answer: no reply to PING within ${ms} ms (the server is stopped, paused or busy)`,
    { details: { server, heartbeatTimeout: ms } },
  );
}

/** The error of operation `op`, not sent because the server is known to be away (`why`). */
export function notSent(op: Operation, why: BackendUnavailableError | TkError): TkError {
  const message = `Cannot ${op.text}: ${why.message}; nothing was sent`;
  return why instanceof BackendUnavailableError
    ? new BackendUnavailableError(message, { cause: why, details: why.details })
    : new TkError(why.code, message, { cause: why, details: why.details });
}

/** The error of operation `op`, sent to `server`, without a reply within `timeout` ms. */
export function noReply(server: string, op: Operation, timeout: number): TimeoutError {
  return new TimeoutError(
    `OLDB ${op.text}: no reply from ${server} within ${timeout} ms${op.changes ? '; it may or may not have taken effect' : ''}`,
    { details: { server, timeout } },
  );
}

/**
 * The error of operation `op` whose command failed: {@link NotSent} when
 * ioredis refused to send it, else {@link translate}.
 */
export function commandError(server: string, op: Operation, err: unknown): Error {
  return notWritable(err) ? new NotSent() : translate(server, op, err);
}

/**
 * Error replies of a server that cannot serve the command now (a cluster
 * failing over or down, a replica loading or cut off from its master, a
 * node that became a replica): the command had no effect, and the same
 * command may succeed once the failover is over.
 */
const UNAVAILABLE_REPLY = /^(?:CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY)\b/;

/**
 * A tk error and a script's `OLDB_*` reply stay as they are; an error reply
 * of a server that cannot serve now is BACKEND_UNAVAILABLE (nothing was
 * applied); another error reply is WRITE_REJECTED; anything else is the
 * connection failing.
 */
function translate(server: string, op: Operation, err: unknown): Error {
  if (err instanceof TkError) return err;
  const e = err as Error;
  if (replyCode(e) !== undefined) return e;
  const msg = redactCredentials(e?.message ?? String(err));
  if (UNAVAILABLE_REPLY.test(msg)) {
    return new BackendUnavailableError(
      `OLDB ${op.text}: ${server} cannot serve it now (${msg}); nothing was applied`,
      { cause: e, details: { server } },
    );
  }
  if (/ReplyError/.test(e?.name ?? '') || /^[A-Z]+ /.test(msg)) {
    return new TkError('WRITE_REJECTED', `OLDB ${op.text} was refused by ${server}: ${msg}`, {
      cause: e,
    });
  }
  return new BackendUnavailableError(
    `OLDB ${op.text}: the connection to ${server} failed (${msg})${op.changes ? '; it may or may not have taken effect' : ''}`,
    { cause: e, details: { server } },
  );
}
