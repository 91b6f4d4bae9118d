/**
 * The backend of the `res` scheme. It opens nothing: a `res` name that
 * resolves is opened by the scheme it stands for, so a res attribute never
 * reaches it.
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';
import type { SchemeBackend } from '../contract.js';

/** Creates the (empty) backend of the `res` scheme. */
export function createResBackend(): SchemeBackend {
  return {
    openAttribute(target) {
      // never reached: a res name that resolves is opened by the scheme it stands for
      throw new TkError('NOT_FOUND', `${target.fullName} stands for no model`);
    },
  };
}
