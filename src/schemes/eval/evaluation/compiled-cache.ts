/**
 * The compiled expressions of one eval backend, kept by canonical expression
 * (the expression after substitutions, references replaced by their input
 * symbols) and evaluator instance, least recently used dropped first. An
 * attribute closed and opened again (with `gcTime: 0`, every read of an
 * attribute nobody subscribes to) then skips parsing, checking and
 * compiling. A compiled expression holds no state between evaluations, so
 * attributes may share one.
 *
 * @module
 */
import type { CompiledExpression } from '../sandbox/index.js';

/** How many compiled expressions a backend keeps by default. */
export const COMPILED_CACHE_SIZE = 256;

interface Entry {
  /** The evaluator instance whose symbols the expression was compiled with (undefined: the default evaluator). */
  readonly evaluator: object | undefined;
  readonly compiled: CompiledExpression;
}

/** A bounded least-recently-used map from canonical expressions to compiled expressions. */
export class CompiledCache {
  readonly #entries = new Map<string, Entry>();
  readonly #size: number;
  #hits = 0;
  #misses = 0;

  /** @param size how many compiled expressions to keep (at least 1). */
  constructor(size = COMPILED_CACHE_SIZE) {
    this.#size = Math.max(1, Math.floor(size));
  }

  /**
   * The compiled form of `text` for `evaluator`, compiled by `compile` when it
   * is not kept (or was compiled with another instance of the evaluator).
   * Failures are not kept: `compile`'s error propagates.
   */
  get(key: string, evaluator: object | undefined, compile: () => CompiledExpression): CompiledExpression {
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.evaluator === evaluator) {
      this.#hits++;
      // most recently used last
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.compiled;
    }
    this.#misses++;
    const compiled = compile();
    this.#entries.delete(key);
    if (this.#entries.size >= this.#size) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { evaluator, compiled });
    return compiled;
  }

  /** Counts for diagnostics. */
  stats(): { size: number; hits: number; misses: number } {
    return { size: this.#entries.size, hits: this.#hits, misses: this.#misses };
  }

  /** Forgets every compiled expression. */
  clear(): void {
    this.#entries.clear();
  }
}
