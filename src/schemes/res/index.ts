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
import { TkError } from '../../errors/tk-error.js';
import type { SchemePlugin } from '../contract.js';
import { resValidators } from './res-names.js';
import { parseResourceMap, RESOURCE_KEY, type ResourceMap, ResourceMaps } from './resource-map.js';

export { parseResourceMap, RESOURCE_KEY, type ResourceMap, ResourceMaps } from './resource-map.js';

/** Options of {@link createResScheme}. */
export interface ResSchemeOptions {
  /** A map of names to URIs (an object, or JSON text of one). */
  readonly map?: unknown;
  /** More maps, in priority order (the first wins). */
  readonly maps?: readonly unknown[] | undefined;
}

/** The `res` scheme plugin, with Taurus's `loadResource`. */
export interface ResSchemePlugin extends SchemePlugin {
  /** Adds a map (1, the default priority, is the highest); names resolve through it from now on. Returns the checked map. */
  loadResource(map: unknown, priority?: number): ResourceMap;
  /** The URI `res:<key>` (or `<key>`) stands for in this plugin's maps, or undefined. */
  resolve(key: string): string | undefined;
}

const optionMaps = new WeakMap<object, ResourceMap>();

/** The map given in a manager's options (`schemeOptions.res.map`), checked once per options object. */
function mapOfOptions(options: Readonly<Record<string, unknown>>): ResourceMap | undefined {
  if (options.map === undefined) return undefined;
  let map = optionMaps.get(options);
  if (map === undefined) {
    map = parseResourceMap(options.map, 'res scheme option "map"');
    optionMaps.set(options, map);
  }
  return map;
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
      keys: ['map'],
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
    createBackend() {
      return {
        openAttribute(target) {
          // never reached: a res name that resolves is opened by the scheme it stands for
          throw new TkError('NOT_FOUND', `${target.fullName} stands for no model`);
        },
      };
    },
    loadResource: (map, priority) => maps.load(map, priority),
    resolve: (key) => maps.get(key.replace(/^res:/, '')),
  };
}

function mapOfOptionsSafe(options: Readonly<Record<string, unknown>>): ResourceMap | undefined {
  try {
    return mapOfOptions(options);
  } catch {
    return undefined;
  }
}

/** Checks a resource name (without the scheme) against Taurus's rule. */
export function isResourceKey(key: string): boolean {
  return RESOURCE_KEY.test(key);
}
