/**
 * The `loc` scheme: typed, writable in-process points for UI state and tests
 * (like Phoebus's and PyDM's `loc://`). See docs/loc.md.
 *
 * @module
 */
import type { SchemePlugin } from '../contract.js';
import { createLocScheme } from './plugin.js';

export { LOC_KEYS, LOC_TYPES, type LocType } from './declaration.js';
export {
  LOC_DEFAULT_AUTHORITY,
  LocAttributeNameValidator,
  LocAuthorityNameValidator,
  LocDeviceNameValidator,
} from './names/validators.js';
export { createLocScheme } from './plugin.js';

/** The loc scheme plugin. */
export const locScheme: SchemePlugin = /* @__PURE__ */ createLocScheme();
