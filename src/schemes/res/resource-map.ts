/**
 * Resource maps: names (`motor_x`) standing for model URIs
 * (`cii.oldb:/root/motors/x/position`), in priority order, as Taurus's
 * `ResourcesFactory` keeps them. A map is untrusted input (a JSON file, a
 * saved panel): keys must be Python variable names, values URIs (text).
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';

/** A resource map: alias → model URI. */
export type ResourceMap = Readonly<Record<string, string>>;

/** Taurus's rule for resource names (Python variable names). */
export const RESOURCE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

const MAX_KEYS = 100_000;
const MAX_VALUE = 10_000;

/**
 * Checks a resource map (an object, or JSON text of one); returns a frozen
 * copy. Throws a `CONFIG` TkError naming the key and what would be valid.
 */
export function parseResourceMap(input: unknown, source = 'resource map'): ResourceMap {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (err) {
      throw new TkError('CONFIG', `The ${source} is not JSON: ${(err as Error).message}`, {
        details: { source },
      });
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TkError(
      'CONFIG',
      `The ${source} must be an object of names and URIs, e.g. { "motor_x": "cii.oldb:/root/motors/x/position" }`,
      { details: { source } },
    );
  }
  const entries = Object.entries(doc);
  if (entries.length > MAX_KEYS) {
    throw new TkError('CONFIG', `The ${source} has ${entries.length} names: at most ${MAX_KEYS}`, {
      details: { source },
    });
  }
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of entries) {
    if (!RESOURCE_KEY.test(key)) {
      throw new TkError(
        'CONFIG',
        `Invalid resource name ${JSON.stringify(key)} in the ${source}: a name is a letter or _ followed by letters, digits or _ (as a Python variable), e.g. motor_x`,
        { details: { source, key } },
      );
    }
    if (typeof value !== 'string' || value === '' || value.length > MAX_VALUE) {
      throw new TkError(
        'CONFIG',
        `The resource ${key} in the ${source} must map to a model URI (text), got ${typeof value === 'string' ? (value === '' ? 'an empty text' : 'a text too long') : typeof value}`,
        { details: { source, key } },
      );
    }
    out[key] = value;
  }
  return Object.freeze(out);
}

/** Maps in priority order (1 is the highest): the first map naming a key wins (Taurus's rule). */
export class ResourceMaps {
  #maps: { priority: number; order: number; map: ResourceMap }[] = [];
  #order = 0;

  /** Adds a map with a priority (1, the default, is the highest); returns the checked map. */
  load(map: unknown, priority = 1): ResourceMap {
    if (!Number.isInteger(priority) || priority < 1) {
      throw new TkError(
        'CONFIG',
        `A resource map priority must be a whole number >= 1, got ${String(priority)}`,
      );
    }
    const checked = parseResourceMap(map);
    this.#maps = [...this.#maps, { priority, order: this.#order++, map: checked }].sort(
      (a, b) => a.priority - b.priority || a.order - b.order,
    );
    return checked;
  }

  /** Forgets every map. */
  clear(): void {
    this.#maps = [];
  }

  /** The URI `key` stands for, or undefined. */
  get(key: string): string | undefined {
    for (const { map } of this.#maps) if (Object.hasOwn(map, key)) return map[key];
    return undefined;
  }

  /** Every name defined, sorted. */
  keys(): string[] {
    return [...new Set(this.#maps.flatMap(({ map }) => Object.keys(map)))].sort();
  }
}
