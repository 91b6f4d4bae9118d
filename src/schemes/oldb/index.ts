/**
 * The `cii.oldb` scheme: datapoints of an online database (OLDB) in Redis,
 * or in the embedded in-process store. See docs/oldb.md.
 *
 * ```ts
 * const m = createManager({ schemes: [createOldbScheme({ url: 'redis://oldb:6379' })] });
 * const sine = m.attribute('cii.oldb:/root/example/double/sine');
 * ```
 *
 * @module
 */
import type { SchemePlugin } from '../contract.js';
import { createOldbBackend } from './backend.js';
import { createOldbValidators } from './names.js';
import { checkOldbOptions, OLDB_OPTION_KEYS, type OldbSchemeOptions } from './options.js';

export { taurusQuality } from './mapping.js';
export {
  OLDB_DEFAULT_PORT,
  OLDB_SCHEME,
  OldbAttributeNameValidator,
  OldbAuthorityNameValidator,
  OldbDeviceNameValidator,
} from './names.js';
export type { OldbSchemeOptions } from './options.js';
export { isDeclaringValue, type OldbDeclaringValue, withDeclaration } from './write-value.js';

/** Creates the `cii.oldb` scheme plugin; the manager's `schemeOptions['cii.oldb']` override `options`. */
export function createOldbScheme(options: OldbSchemeOptions = {}): SchemePlugin {
  checkOldbOptions(options as Record<string, unknown>, 'createOldbScheme option');
  const validators = createOldbValidators();
  return {
    scheme: 'cii.oldb',
    validators,
    options: { keys: OLDB_OPTION_KEYS, check: (o) => checkOldbOptions({ ...options, ...o }) },
    createBackend: (context) => createOldbBackend(context, options, validators),
  };
}

/** The `cii.oldb` scheme plugin with default options (environment, then redis://127.0.0.1:6379). */
export const oldbScheme: SchemePlugin = /* @__PURE__ */ createOldbScheme();
