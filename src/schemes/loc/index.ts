/**
 * The `loc` scheme: typed, writable in-process points for UI state and tests
 * (like Phoebus's and PyDM's `loc://`). See docs/loc.md.
 *
 * @module
 */
import type { SchemePlugin } from '../contract.js';
import { createLocBackend } from './loc-backend.js';
import { createLocValidators } from './loc-names.js';

export { LOC_KEYS, LOC_TYPES, type LocType } from './declaration.js';
export {
  LOC_DEFAULT_AUTHORITY,
  LocAttributeNameValidator,
  LocAuthorityNameValidator,
  LocDeviceNameValidator,
} from './loc-names.js';

/** Creates the loc scheme plugin. */
export function createLocScheme(): SchemePlugin {
  return {
    scheme: 'loc',
    validators: createLocValidators(),
    createBackend: (context) => createLocBackend(context),
  };
}

/** The loc scheme plugin. */
export const locScheme: SchemePlugin = /* @__PURE__ */ createLocScheme();
