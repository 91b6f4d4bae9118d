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
import { createOldbScheme, oldbBackendModule } from './plugin.js';

// This entry imports the stores anyway: cii.oldb attributes open at once. Entries that do not import
// this module (tk-core/ui, tk-core/remote) load them on first use.
oldbBackendModule.provide(createOldbBackend);

export { taurusQuality } from './mapping.js';
export {
  OLDB_DEFAULT_PORT,
  OLDB_SCHEME,
  OldbAttributeNameValidator,
  OldbAuthorityNameValidator,
  OldbDeviceNameValidator,
} from './names/validators.js';
export type { OldbSchemeOptions } from './options.js';
export { createOldbScheme } from './plugin.js';
export { isDeclaringValue, type OldbDeclaringValue, withDeclaration } from './write-value.js';

/** The `cii.oldb` scheme plugin with default options (environment, then redis://127.0.0.1:6379). */
export const oldbScheme: SchemePlugin = /* @__PURE__ */ createOldbScheme();
