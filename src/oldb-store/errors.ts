/**
 * Errors of the OLDB stores, in one place: a datapoint not declared, a
 * closed store, a declaration or write refused by what the store holds (both
 * stores), and what the Redis store's failures become (a server not
 * reachable or not answering, a command not sent, no reply, a refused
 * command). All are {@link TkError}s whose messages name the datapoint or
 * the server and say what would be valid; none carries credentials.
 *
 * @module
 */
import { BackendUnavailableError, TimeoutError, TkError, WriteError } from '../errors/tk-error.js';
import { redactCredentials } from './redis-url.js';
import type { OldbType } from './types.js';

// ------------------------------------------------------------ datapoints and stores

/** A datapoint that is not declared in the OLDB. */
export class NotDeclaredError extends TkError {
  /** The datapoint path. */
  readonly path: string;
  constructor(path: string, what = 'OLDB datapoint') {
    super(
      'NOT_FOUND',
      `${what} ${path} is not declared; declare it first (store.declare(path, { type }) or a write with withDeclaration(value))`,
      { details: { path } },
    );
    this.path = path;
  }
}

/** The NOT_FOUND error of an undeclared datapoint. */
export function notDeclared(path: string): NotDeclaredError {
  return new NotDeclaredError(path);
}

/** The DISPOSED error of a call on a closed store. */
export function storeClosed(description: string, op: string): TkError {
  return new TkError('DISPOSED', `Cannot ${op}: the OLDB store ${description} is closed`, {
    details: { store: description },
  });
}

/** A declaration refused because of what is already in the store. */
export function declarationConflict(path: string, reason: string): TkError {
  return new TkError(
    'CONFIG',
    `Cannot declare OLDB datapoint ${path}: ${reason} (pass ifExists: 'keep' or 'replace' to accept an existing datapoint of the same type)`,
    { details: { path, reason } },
  );
}

/** A declaration or write whose type differs from the declared one. */
export function typeChanged(path: string, declared: OldbType, requested: OldbType): WriteError {
  return new WriteError(
    'TYPE_MISMATCH',
    `OLDB datapoint ${path} is declared with type ${declared}, not ${requested}; remove it first to change its type`,
    { details: { path, declared, requested } },
  );
}

// ------------------------------------------------------------ the Redis connection

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

/**
 * The error `err` of operation `from` as operation `to` would have had it:
 * the same error (class, code, details, cause) with `to`'s words in its
 * message. A read sent with others reports its failure with its own path.
 */
export function withOperationText(err: unknown, from: Operation, to: Operation): unknown {
  if (!(err instanceof Error) || !err.message.includes(from.text)) return err;
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Error;
  for (const key of Reflect.ownKeys(err))
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(err, key)!);
  const retext = (text: string) => text.replace(from.text, to.text);
  Object.defineProperty(copy, 'message', { value: retext(err.message), writable: true, configurable: true });
  if (typeof err.stack === 'string')
    Object.defineProperty(copy, 'stack', { value: retext(err.stack), writable: true, configurable: true });
  return copy;
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
