/**
 * The points of one `loc` backend: each point is keyed by namespace and
 * path, and lives as long as its manager. Every attribute name with the same
 * path shares the point.
 *
 * A point's definition is the union of what the names that opened it
 * declare: a key no name declared yet takes its default, and the first name
 * that declares it sets it, whatever the order in which the names were first
 * used. So a bare name (`loc:/p/v`) used before the declaring one
 * (`loc:/p/v?type=float&units=mm&init=5`) does not define the point by
 * accident: the declaration completes it when it comes. Two names declaring
 * one key differently are a conflict.
 *
 * @module
 */
import { quoteInput } from '../../errors/quote.js';
import { TkError } from '../../errors/tk-error.js';
import type { Clock } from '../../util/clock.js';
import {
  canonicalQuery,
  DeclarationError,
  defineFrom,
  describeKey,
  fitsDefinition,
  LOC_KEYS,
  type LocDeclaration,
  type LocDefinition,
  nameInMessage,
} from './declaration.js';

/** One in-process point. */
export interface LocPoint {
  readonly key: string;
  /** The keys declared so far by the names that opened the point. */
  declared: LocDeclaration;
  /** The definition: the declared keys, defaults for the others. */
  definition: LocDefinition;
  value: unknown;
  time: number;
  /** Whether a write set the value (else it is the declared or default `init`). */
  written: boolean;
  /** Called after every change of the value. */
  readonly listeners: Set<() => void>;
  /** Called after every change of the definition (a name declared keys that were left to defaults). */
  readonly redefined: Set<() => void>;
}

/** A declared value in a message: as it is when short, else quoted and cut. */
function plain(v: string): string {
  return v.length <= 40 ? v : quoteInput(v, 40);
}

/** The points of a backend. */
export class LocPointStore {
  readonly #points = new Map<string, LocPoint>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * The point at `key`, created from `decl` if new; an existing point takes
   * the keys `decl` declares that no name declared before (and its `init`,
   * when no name declared one and nothing was written). A key declared
   * differently before, or a declaration the current value does not fit, is
   * a `CONFIG` error naming both.
   */
  open(key: string, decl: LocDeclaration, name: string): LocPoint {
    const existing = this.#points.get(key);
    if (existing !== undefined) {
      this.#extend(existing, decl, name);
      return existing;
    }
    const definition = defineFrom(decl, name);
    const point: LocPoint = {
      key,
      declared: { ...decl },
      definition,
      value: definition.init,
      time: this.#clock.now(),
      written: false,
      listeners: new Set(),
      redefined: new Set(),
    };
    this.#points.set(key, point);
    return point;
  }

  #extend(point: LocPoint, decl: LocDeclaration, name: string): void {
    let merged: LocDeclaration | undefined;
    for (const k of LOC_KEYS) {
      const v = decl[k];
      if (v === undefined) continue;
      if (point.declared[k] === undefined) {
        if (k === 'init' && point.written) continue; // a written value is newer than any init
        merged ??= { ...point.declared };
        merged[k] = v;
      } else if (k !== 'init') {
        // init only applies while no name declared one; every other key must agree
        const declared = describeKey(defineFrom(decl, name), k);
        const existing = describeKey(point.definition, k);
        if (declared !== existing) {
          throw new TkError(
            'CONFIG',
            `${quoteInput(name)} declares ${k}=${plain(declared)}, but the point ${nameInMessage(`loc:${point.key}`)} already exists with ${k}=${plain(existing)}; use the same declaration, or none, for every name of one point`,
            { details: { name, key: k, declared, existing } },
          );
        }
      }
    }
    if (merged === undefined) return;
    const conflict = (why: string) =>
      new TkError(
        'CONFIG',
        `${quoteInput(name)} declares ${quoteInput(canonicalQuery(decl), 80)}, which does not fit the point ${nameInMessage(`loc:${point.key}`)} as declared so far (${canonicalQuery(point.declared) === '' ? 'nothing' : quoteInput(canonicalQuery(point.declared), 80)}): ${why}; use the same declaration, or none, for every name of one point`,
        { details: { name, declared: canonicalQuery(decl), existing: canonicalQuery(point.declared) } },
      );
    let definition: LocDefinition;
    try {
      definition = defineFrom(merged, `loc:${point.key}`);
    } catch (err) {
      if (err instanceof DeclarationError) throw conflict(err.message);
      throw err;
    }
    if (point.written) {
      const why = fitsDefinition(point.value, definition);
      if (why !== undefined) throw conflict(`its value, written before, ${why}`);
    }
    point.declared = merged;
    point.definition = definition;
    for (const l of [...point.redefined]) l();
    if (!point.written) this.#setValue(point, definition.init);
  }

  /** Writes a point's value and notifies every attribute watching it. */
  set(point: LocPoint, value: unknown): void {
    point.written = true;
    this.#setValue(point, value);
  }

  #setValue(point: LocPoint, value: unknown): void {
    point.value = value;
    point.time = this.#clock.now();
    for (const l of [...point.listeners]) l();
  }

  /** Number of points. */
  get size(): number {
    return this.#points.size;
  }

  /** Keys of every point. */
  keys(): string[] {
    return [...this.#points.keys()];
  }

  /** Listener count per point, for snapshots. */
  describe(): Record<string, unknown> {
    return {
      points: this.#points.size,
      watched: [...this.#points.values()].filter((p) => p.listeners.size > 0).length,
    };
  }
}
