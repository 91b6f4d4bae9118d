/**
 * Errors of declarations and writes common to both stores.
 *
 * @module
 */
import { TkError, WriteError } from '../errors/tk-error.js';
import type { OldbType } from './types.js';

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
