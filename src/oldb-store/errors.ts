/**
 * Errors of the OLDB stores. All are {@link TkError}s whose messages name the
 * datapoint and say what would be valid; none carries credentials.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

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
