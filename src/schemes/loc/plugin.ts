/**
 * The `loc` scheme plugin.
 *
 * @module
 */
import type { SchemePlugin } from '../contract.js';
import { createLocBackend } from './backend.js';
import { createLocValidators } from './names/validators.js';

/** Creates the loc scheme plugin. */
export function createLocScheme(): SchemePlugin {
  return {
    scheme: 'loc',
    validators: createLocValidators(),
    createBackend: (context) => createLocBackend(context),
  };
}
