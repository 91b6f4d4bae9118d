/**
 * Errors raised by tk-core. Every error is a {@link TkError} with a stable
 * `code`, so callers can branch on `err.code` instead of parsing messages, and
 * a message that names the input and says what would have been valid.
 *
 * @module
 */

import { quoteInput } from './quote.js';

/** Stable machine-readable error codes. */
export type TkErrorCode =
  | 'INVALID_NAME'
  | 'UNKNOWN_SCHEME'
  | 'SCHEME_CONFLICT'
  | 'WRONG_ELEMENT_TYPE'
  | 'UNKNOWN_FRAGMENT'
  | 'NOT_WRITABLE'
  | 'WRITE_REJECTED'
  | 'UNIT_MISMATCH'
  | 'OUT_OF_RANGE'
  | 'TYPE_MISMATCH'
  | 'BACKEND_UNAVAILABLE'
  /** Data read from a backend that does not fit its declared type or layout (written by another client). */
  | 'DATA'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'EXPRESSION'
  | 'LIMIT_EXCEEDED'
  | 'NOT_FOUND'
  | 'DISPOSED'
  | 'CONFIG'
  // the gateway protocol's (docs/gateway.md): a remote request refused or malformed
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'BAD_REQUEST'
  | 'UNKNOWN_TYPE'
  | 'INTERNAL';

/** The JSON form of a {@link TkError}. */
export interface TkErrorJSON {
  /** The error class name. */
  name: string;
  /** The code. */
  code: TkErrorCode;
  /** The message. */
  message: string;
  /** Structured details. */
  details: Record<string, unknown>;
}

/** Options accepted by every {@link TkError} constructor. */
export interface TkErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Structured details for programs (the input, the scheme, the failing part...). */
  details?: Record<string, unknown>;
}

/** Base class of every error tk-core throws or reports in a reading. */
export class TkError extends Error {
  /** Stable machine-readable code. */
  readonly code: TkErrorCode;
  /** Structured details (never contains credentials). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: TkErrorCode, message: string, options: TkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
    this.name = new.target.name;
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): TkErrorJSON {
    return { name: this.name, code: this.code, message: this.message, details: { ...this.details } };
  }
}

/** A model name that does not follow the grammar of its scheme. */
export class InvalidNameError extends TkError {
  /** The name as given. */
  readonly input: string;
  constructor(input: string, message: string, details: Record<string, unknown> = {}) {
    super('INVALID_NAME', message, { details: { input, ...details } });
    this.input = input;
  }
}

/** No scheme plugin is registered for the scheme of a name. */
export class UnknownSchemeError extends TkError {
  constructor(input: string, scheme: string, known: readonly string[]) {
    super(
      'UNKNOWN_SCHEME',
      `Unknown scheme ${quoteInput(scheme, 40)} in ${quoteInput(input)}: registered schemes are ${known.map((s) => `"${s}"`).join(', ') || '(none)'}`,
      { details: { input, scheme, known: [...known] } },
    );
  }
}

/** A write or a declaration that was refused; nothing was written. */
export class WriteError extends TkError {}

/** A backend (server, database) that cannot be reached. */
export class BackendUnavailableError extends TkError {
  constructor(message: string, options: TkErrorOptions = {}) {
    super('BACKEND_UNAVAILABLE', message, options);
  }
}

/** An operation that did not finish within its time limit. */
export class TimeoutError extends TkError {
  constructor(message: string, options: TkErrorOptions = {}) {
    super('TIMEOUT', message, options);
  }
}

/** An operation cancelled through its `AbortSignal`. */
export class AbortError extends TkError {
  constructor(message = 'The operation was aborted', options: TkErrorOptions = {}) {
    super('ABORTED', message, options);
  }
}

/** Throws an {@link AbortError} (with the signal's reason as cause) when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what} was aborted`, { cause: signal.reason });
}

/** Turns anything thrown into an `Error`, keeping `TkError`s as they are. */
export function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : JSON.stringify(err));
}
