/**
 * The `res` scheme plugin: Taurus's resource aliases and `loadResource`.
 *
 * @module
 */
import type { SchemePlugin } from '../contract.js';
import { createResBackend } from './backend.js';
import { resValidators } from './names/validators.js';
import { mapOfOptions, mapOfOptionsSafe, RES_OPTION_KEYS, type ResSchemeOptions } from './options.js';
import { RESOURCE_KEY, type ResourceMap, ResourceMaps } from './resource-map.js';

/** The `res` scheme plugin, with Taurus's `loadResource`. */
export interface ResSchemePlugin extends SchemePlugin {
  /** Adds a map (1, the default priority, is the highest); names resolve through it from now on. Returns the checked map. */
  loadResource(map: unknown, priority?: number): ResourceMap;
  /** The URI `res:<key>` (or `<key>`) stands for in this plugin's maps, or undefined. */
  resolve(key: string): string | undefined;
}

/** Creates the `res` scheme plugin. (Taurus's factory also answers to `resource`, but its validators refuse such names; so does tk-core.) */
export function createResScheme(options: ResSchemeOptions = {}): ResSchemePlugin {
  const maps = new ResourceMaps();
  if (options.map !== undefined) maps.load(options.map);
  for (const m of options.maps ?? []) maps.load(m);
  let lastOptions: Readonly<Record<string, unknown>> = {};
  const keys = () => {
    const fromOptions = mapOfOptionsSafe(lastOptions);
    return [...new Set([...(fromOptions ? Object.keys(fromOptions) : []), ...maps.keys()])].sort();
  };
  return {
    scheme: 'res',
    validators: resValidators(keys),
    options: {
      keys: RES_OPTION_KEYS,
      check: (o) => {
        mapOfOptions(o);
      },
    },
    resolveAlias(name, schemeOptions) {
      lastOptions = schemeOptions;
      const m = /^res:([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
      if (m === null) return undefined;
      const key = m[1]!;
      const fromOptions = mapOfOptions(schemeOptions);
      if (fromOptions !== undefined && Object.hasOwn(fromOptions, key)) return fromOptions[key];
      return maps.get(key);
    },
    createBackend: () => createResBackend(),
    loadResource: (map, priority) => maps.load(map, priority),
    resolve: (key) => maps.get(key.replace(/^res:/, '')),
  };
}

/** Checks a resource name (without the scheme) against Taurus's rule. */
export function isResourceKey(key: string): boolean {
  return RESOURCE_KEY.test(key);
}
