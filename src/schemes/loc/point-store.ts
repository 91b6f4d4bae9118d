/**
 * The points of one `loc` backend: each point is keyed by namespace and
 * path, defined once (by the first name that opens it), and lives as long as
 * its manager. Every attribute name with the same path shares the point.
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';
import type { Clock } from '../../util/clock.js';
import { conflictOf, defineFrom, type LocDeclaration, type LocDefinition } from './declaration.js';

/** One in-process point. */
export interface LocPoint {
  readonly key: string;
  readonly definition: LocDefinition;
  value: unknown;
  time: number;
  readonly listeners: Set<() => void>;
}

/** The points of a backend. */
export class LocPointStore {
  readonly #points = new Map<string, LocPoint>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * The point at `key`, created from `decl` if new. A declaration that
   * contradicts an existing point's definition is an error naming both.
   */
  open(key: string, decl: LocDeclaration, name: string): LocPoint {
    const existing = this.#points.get(key);
    if (existing !== undefined) {
      const c = conflictOf(decl, existing.definition);
      if (c !== undefined) {
        throw new TkError(
          'CONFIG',
          `${name} declares ${c.key}=${c.declared}, but the point loc:${key} already exists with ${c.key}=${c.existing}; use the same declaration, or none, for every name of one point`,
          { details: { name, key: c.key, declared: c.declared, existing: c.existing } },
        );
      }
      return existing;
    }
    const definition = defineFrom(decl, name);
    const point: LocPoint = {
      key,
      definition,
      value: definition.init,
      time: this.#clock.now(),
      listeners: new Set(),
    };
    this.#points.set(key, point);
    return point;
  }

  /** Sets a point's value and notifies every attribute watching it. */
  set(point: LocPoint, value: unknown): void {
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
