/**
 * Glitch-free re-evaluation of eval attributes with references.
 *
 * The rule: an input change does not evaluate the attribute inside the
 * input's notification; it marks the attribute *dirty*. The dirty attributes
 * of a backend are evaluated in one flush, in a microtask, lowest *height*
 * first, each once, on the latest value of every input. The height of an
 * attribute is the nesting depth of braces in its full name: an attribute
 * referencing another eval attribute holds that one's full name in braces,
 * so it is always higher, and is evaluated after it in the same flush. So a
 * change of one source that reaches an attribute by several paths (a
 * diamond, `{eval:{x}+1}*{eval:{x}*2}`, or uneven ones, `{eval:{x}+1}-{x}`)
 * gives it one new reading, computed from inputs that all reflect the change,
 * and changes delivered within one turn are coalesced into one evaluation.
 *
 * Paths through schemes that deliver asynchronously (a remote database) are
 * not covered: their change arrives in a later turn and gives a later
 * evaluation.
 *
 * @module
 */

/** What the scheduler evaluates. */
export interface ScheduledEvaluation {
  /** Nesting depth of the attribute's references (evaluated after every lower one). */
  readonly height: number;
  /** Evaluates on the current input values (a no-op when the attribute stopped meanwhile). */
  evaluateNow(): void;
}

/** The dirty attributes of one backend and the flush that evaluates them. */
export class EvaluationScheduler {
  /** Dirty attributes by height. */
  readonly #dirty: Array<Set<ScheduledEvaluation> | undefined> = [];
  #count = 0;
  #scheduled = false;
  #flushes = 0;

  /** Marks `s` dirty; the first mark of a turn schedules a flush in a microtask. */
  markDirty(s: ScheduledEvaluation): void {
    let bucket = this.#dirty[s.height];
    if (bucket === undefined) {
      bucket = new Set();
      this.#dirty[s.height] = bucket;
    }
    if (bucket.has(s)) return;
    bucket.add(s);
    this.#count++;
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Forgets `s` (it stopped). */
  forget(s: ScheduledEvaluation): void {
    if (this.#dirty[s.height]?.delete(s) === true) this.#count--;
  }

  /** Evaluates every dirty attribute, lowest height first; attributes dirtied meanwhile are evaluated too. */
  flush(): void {
    this.#scheduled = false;
    this.#flushes++;
    let failure: { error: unknown } | undefined;
    while (this.#count > 0) {
      const bucket = this.#dirty.find((b) => b !== undefined && b.size > 0)!;
      const s = bucket.values().next().value as ScheduledEvaluation;
      bucket.delete(s);
      this.#count--;
      try {
        s.evaluateNow();
      } catch (error) {
        // the others are still evaluated; the first failure is rethrown after them
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Counts for diagnostics. */
  stats(): { dirty: number; flushes: number } {
    return { dirty: this.#count, flushes: this.#flushes };
  }
}
