/**
 * Exit codes of the `tk` command, documented in `tk --help` and docs/cli.md.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** Exit codes of `tk`. */
export const ExitCode = {
  /** Success (also: `tk watch` ended with Ctrl-C). */
  Ok: 0,
  /** Runtime failure: a backend unreachable, a timeout, a reading that carries an error, a datapoint not found. */
  Failure: 1,
  /** Usage error or invalid input: unknown option, invalid name, unknown scheme, bad value or unit, refused write. */
  Usage: 2,
} as const;
/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The text of the exit code section of `tk --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0  success (tk watch/trend/demo: also when ended with Ctrl-C)
  1  runtime failure: backend unreachable, timeout, a reading with an error, datapoint not found
  2  usage error or invalid input: no or unknown command, unknown option, invalid name, unknown scheme,
     bad value or unit, write refused (read-only, out of range, wrong type)`;

const USAGE_CODES: ReadonlySet<string> = new Set([
  'INVALID_NAME',
  'UNKNOWN_SCHEME',
  'SCHEME_CONFLICT',
  'WRONG_ELEMENT_TYPE',
  'UNKNOWN_FRAGMENT',
  'NOT_WRITABLE',
  'WRITE_REJECTED',
  'UNIT_MISMATCH',
  'OUT_OF_RANGE',
  'TYPE_MISMATCH',
  'EXPRESSION',
  'LIMIT_EXCEEDED',
  'CONFIG',
]);

/** A usage error raised by the CLI itself (bad option value, missing argument). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The exit code for an error. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof UsageError) return ExitCode.Usage;
  if (err instanceof TkError) return USAGE_CODES.has(err.code) ? ExitCode.Usage : ExitCode.Failure;
  return ExitCode.Failure;
}
