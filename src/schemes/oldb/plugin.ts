/**
 * The `cii.oldb` scheme plugin. Its backend (the Redis and embedded stores)
 * is loaded on first use (see deferred-backend.ts), so a page that only
 * names or shows remote datapoints does not carry the stores; the
 * validators are here at once.
 *
 * @module
 */

import type { SchemeValidators } from '../../validators/name-validator.js';
import type { SchemeBackend, SchemeContext, SchemePlugin } from '../contract.js';
import { createDeferredBackend, type LazyModule, lazyModule } from '../deferred-backend.js';
import { createOldbValidators } from './names/validators.js';
import { checkOldbOptions, OLDB_OPTION_KEYS, type OldbSchemeOptions } from './options.js';

/** What backend.js gives: the factory of the real backend. */
export type OldbBackendFactory = (
  context: SchemeContext,
  options: OldbSchemeOptions,
  validators: SchemeValidators,
) => SchemeBackend;

/** The stores' module, loaded on first use (the `tk-core` entry provides it at start). */
export const oldbBackendModule: LazyModule<OldbBackendFactory> = lazyModule('The cii.oldb stores', () =>
  import('./backend.js').then((m) => m.createOldbBackend),
);

/** Creates the `cii.oldb` scheme plugin; the manager's `schemeOptions['cii.oldb']` override `options`. */
export function createOldbScheme(options: OldbSchemeOptions = {}): SchemePlugin {
  checkOldbOptions(options as Record<string, unknown>, 'createOldbScheme option');
  const validators = createOldbValidators();
  return {
    scheme: 'cii.oldb',
    validators,
    options: { keys: OLDB_OPTION_KEYS, check: (o) => checkOldbOptions({ ...options, ...o }) },
    createBackend: (context) =>
      createDeferredBackend(
        oldbBackendModule,
        (create) => create(context, options, validators),
        () => 'push',
        { lists: true },
      ),
  };
}
