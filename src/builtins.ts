/**
 * The built-in schemes, registered in every manager made by `createManager()`
 * and in the default manager. A plain function, no import side effects, so
 * bundlers that honour `sideEffects: false` keep the schemes.
 *
 * @module
 */
import type { SchemePlugin } from './schemes/contract.js';
import { createEvalScheme } from './schemes/eval/plugin.js';
import { createLocScheme } from './schemes/loc/index.js';
import { createOldbScheme } from './schemes/oldb/plugin.js';
import { createResScheme } from './schemes/res/index.js';

export { createLocScheme, locScheme } from './schemes/loc/index.js';
export {
  createResScheme,
  parseResourceMap,
  type ResourceMap,
  type ResSchemeOptions,
  type ResSchemePlugin,
} from './schemes/res/index.js';

/** New instances of the built-in scheme plugins: `eval`, `cii.oldb`, `loc` and `res`. */
export function builtinSchemes(): SchemePlugin[] {
  return [createEvalScheme(), createOldbScheme(), createLocScheme(), createResScheme()];
}
