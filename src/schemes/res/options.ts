/**
 * Options of the `res` scheme: the plugin's maps, and the map a manager's
 * options give (`schemeOptions.res.map`).
 *
 * @module
 */
import { parseResourceMap, type ResourceMap } from './resource-map.js';

/** Options of {@link createResScheme}. */
export interface ResSchemeOptions {
  /** A map of names to URIs (an object, or JSON text of one). */
  readonly map?: unknown;
  /** More maps, in priority order (the first wins). */
  readonly maps?: readonly unknown[] | undefined;
}

/** The keys the manager's `schemeOptions.res` may hold. */
export const RES_OPTION_KEYS: readonly string[] = ['map'];

const optionMaps = new WeakMap<object, ResourceMap>();

/** The map given in a manager's options (`schemeOptions.res.map`), checked once per options object. */
export function mapOfOptions(options: Readonly<Record<string, unknown>>): ResourceMap | undefined {
  if (options.map === undefined) return undefined;
  let map = optionMaps.get(options);
  if (map === undefined) {
    map = parseResourceMap(options.map, 'res scheme option "map"');
    optionMaps.set(options, map);
  }
  return map;
}

/** {@link mapOfOptions}, or undefined when the map is not valid. */
export function mapOfOptionsSafe(options: Readonly<Record<string, unknown>>): ResourceMap | undefined {
  try {
    return mapOfOptions(options);
  } catch {
    return undefined;
  }
}
