/**
 * The `res` scheme: Taurus's resource aliases. `res:motor_x` is the URI a
 * resource map names, so panels and saved forms can name aliases and be
 * pointed at other systems by changing one map. As in Taurus, the object of
 * `res:motor_x` is the object of the URI it stands for (its scheme, its
 * names): `manager.attribute('res:motor_x') === manager.attribute(uri)`.
 *
 * Maps come from the plugin (`createResScheme({ map })`, `loadResource`)
 * and from the manager's options (`createManager({ schemeOptions: { res: { map } } })`),
 * the manager's first. Names that are not Python variable names, or that no
 * map names, are invalid.
 *
 * @module
 */
export type { ResSchemeOptions } from './options.js';
export { createResScheme, isResourceKey, type ResSchemePlugin } from './plugin.js';
export { parseResourceMap, RESOURCE_KEY, type ResourceMap, ResourceMaps } from './resource-map.js';
