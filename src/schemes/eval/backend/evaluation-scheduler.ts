/**
 * Glitch-free re-evaluation of eval attributes with references.
 *
 * The rule: an input change of an attribute with several inputs does not
 * evaluate it inside the input's notification; it marks the attribute
 * *dirty*. (An attribute with one input evaluates at once: one input cannot
 * be seen half-changed, and its new reading reaches its dependents before
 * they are evaluated.) The dirty attributes
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
  /** Dirty attributes by height (an attribute forgotten, or already evaluated, may linger: skipped). */
  readonly #buckets: ScheduledEvaluation[][] = [];
  /** The dirty attributes. */
  readonly #pending = new Set<ScheduledEvaluation>();
  /** No bucket below this height holds a pending attribute. */
  #lowest = 0;
  #scheduled = false;
  #flushes = 0;

  /** Marks `s` dirty; the first mark of a turn schedules a flush in a microtask. */
  markDirty(s: ScheduledEvaluation): void {
    if (this.#pending.has(s)) return;
    this.#pending.add(s);
    const h = s.height;
    let bucket = this.#buckets[h];
    if (bucket === undefined) {
      bucket = [];
      this.#buckets[h] = bucket;
    }
    bucket.push(s);
    if (h < this.#lowest) this.#lowest = h;
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushTask);
    }
  }

  readonly #flushTask = (): void => this.flush();

  /** Forgets `s` (it stopped). */
  forget(s: ScheduledEvaluation): void {
    this.#pending.delete(s);
  }

  /** Evaluates every dirty attribute, lowest height first; attributes dirtied meanwhile are evaluated too. */
  flush(): void {
    this.#scheduled = false;
    this.#flushes++;
    let failure: { error: unknown } | undefined;
    while (this.#pending.size > 0) {
      const bucket = this.#buckets[this.#lowest];
      if (bucket === undefined || bucket.length === 0) {
        this.#lowest++;
        continue;
      }
      const s = bucket.pop()!;
      if (!this.#pending.delete(s)) continue; // forgotten, or a second entry of one evaluated already
      try {
        s.evaluateNow();
      } catch (error) {
        // the others are still evaluated; the first failure is rethrown after them
        failure ??= { error };
      }
    }
    for (const b of this.#buckets) if (b !== undefined) b.length = 0;
    this.#lowest = 0;
    if (failure !== undefined) throw failure.error;
  }

  /** Counts for diagnostics. */
  stats(): { dirty: number; flushes: number } {
    return { dirty: this.#pending.size, flushes: this.#flushes };
  }
}
