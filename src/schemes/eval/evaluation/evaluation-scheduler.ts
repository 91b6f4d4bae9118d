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
 * Time slices: each evaluation may run up to the sandbox's time budget, so
 * a flush of many costly attributes could hold the event loop for many
 * budgets. The scheduler measures the time its evaluations hold the loop in
 * the current turn: from the start of the turn's first evaluation (one
 * clock read) to the end of its latest one whose end was read (the end of
 * one is the start of the next). Time between two evaluations of a turn is
 * counted too: the loop is held then as well. The end of an evaluation is
 * read after every evaluation that was not *light*, and after every
 * {@link LIGHT_EVALUATIONS_PER_READ}th light one in a row: a light one is
 * one whose work the sandbox bounds (its meter never reached its first
 * check, see `CHECK_EVERY`), as {@link ScheduledEvaluation.evaluateNow}
 * reports. (A pushed re-evaluation on plain numbers is light, and a clock
 * read after each was a third of its cost.) The time of light evaluations
 * not yet read is counted at the next read.
 * Once a slice ({@link DEFAULT_SLICE_MS}) is spent, the rest
 * of the flush goes on in a macrotask (`setImmediate` in Node), after
 * timers and I/O queued meanwhile, and an attribute with one input that
 * would be evaluated at once is marked dirty instead. So no turn holds the
 * loop much longer than one slice plus one evaluation's budget plus
 * {@link LIGHT_EVALUATIONS_PER_READ} light evaluations (the delivery of
 * their readings included). Attributes
 * are still evaluated lowest height first, each once, on the latest values
 * of their inputs: an input that changes while the flush is yielded gives
 * the attributes not yet evaluated its new value.
 *
 * @module
 */

/** A monotonic clock in milliseconds. */
export type SchedulerClock = () => number;

/** Time, in milliseconds, the evaluations of one turn may take before the scheduler yields to the event loop. */
export const DEFAULT_SLICE_MS = 25;

/**
 * At most this many light evaluations in a row end without a clock read
 * (the last of them reads it): the time a turn's evaluations held the loop
 * lags the true time by less than this many light evaluations.
 */
export const LIGHT_EVALUATIONS_PER_READ = 8;

/** Runs `task` in a later macrotask: after the timers and I/O callbacks due meanwhile. */
export type MacrotaskQueue = (task: () => void) => void;

/** `setImmediate` where there is one (Node), else a zero-delay `setTimeout`. */
export const nextMacrotask: MacrotaskQueue = (task) => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === 'function') g.setImmediate(task);
  else setTimeout(task, 0);
};

/** Options of {@link EvaluationScheduler}. */
export interface EvaluationSchedulerOptions {
  /** The clock evaluations are timed with (default `performance.now`: the time the loop is held). */
  readonly clock?: SchedulerClock;
  /** Time of evaluations per turn before yielding (default {@link DEFAULT_SLICE_MS}). */
  readonly sliceMs?: number;
  /** How the rest of a flush is deferred (default {@link nextMacrotask}). */
  readonly defer?: MacrotaskQueue;
}

const wallClock: SchedulerClock = () => performance.now();

/** What the scheduler evaluates. */
export interface ScheduledEvaluation {
  /** Nesting depth of the attribute's references (evaluated after every lower one). */
  readonly height: number;
  /**
   * Evaluates on the current input values (a no-op when the attribute
   * stopped meanwhile). Returns `true` when the evaluation was *light*: its
   * work bounded by a small fixed amount (for an eval attribute: the
   * sandbox's meter never reached its first check), so the scheduler may
   * leave its end unread (see {@link LIGHT_EVALUATIONS_PER_READ}); `false`
   * when it was not (or cannot tell), and a throw counts as not light: the
   * end of either is read.
   */
  evaluateNow(): boolean;
}

/** The dirty attributes of one backend and the flush that evaluates them. */
export class EvaluationScheduler {
  /** Dirty attributes by height (an attribute forgotten, or already evaluated, may linger: skipped). */
  readonly #buckets: ScheduledEvaluation[][] = [];
  /** The dirty attributes. */
  readonly #pending = new Set<ScheduledEvaluation>();
  /** No bucket below this height holds a pending attribute. */
  #lowest = 0;
  /** A flush is queued (in a microtask, or in a macrotask after a yield). */
  #scheduled = false;
  #flushes = 0;
  #yields = 0;
  readonly #clock: SchedulerClock;
  readonly #sliceMs: number;
  readonly #defer: MacrotaskQueue;
  /** Time from the start of this turn's first evaluation to the end of its latest one. */
  #spent = 0;
  /** The clock at the start of this turn's first evaluation; `undefined` before it. */
  #turnStart: number | undefined = undefined;
  /** Light evaluations of this turn ended since the latest clock read (fewer than {@link LIGHT_EVALUATIONS_PER_READ}). */
  #unread = 0;
  /** A macrotask that starts a new turn (zeroes {@link #spent}) is queued. */
  #resetQueued = false;

  constructor(options: EvaluationSchedulerOptions = {}) {
    this.#clock = options.clock ?? wallClock;
    this.#sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.#defer = options.defer ?? nextMacrotask;
  }

  /** Whether the evaluations of this turn used up the slice: the next ones wait for a later macrotask. */
  get sliceSpent(): boolean {
    return this.#spent >= this.#sliceMs;
  }

  /**
   * Evaluates `s` at once (an attribute with one input), unless this turn's
   * slice is spent: then `s` is marked dirty and evaluated by a flush in a
   * later macrotask.
   */
  evaluateOrDefer(s: ScheduledEvaluation): void {
    if (this.sliceSpent) {
      this.markDirty(s);
      return;
    }
    let light = false;
    this.#begin();
    try {
      light = s.evaluateNow() === true;
    } finally {
      this.#end(light);
    }
  }

  /**
   * A promise resolved once a later turn has slice left: a read of an
   * attribute without inputs (polled ones, many on one timer) waits for it
   * when this turn's slice is spent, as a flush does.
   */
  async nextTurnWithSlice(): Promise<void> {
    while (this.sliceSpent) await new Promise<void>((resolve) => this.#defer(resolve));
  }

  /** Runs `evaluate` now and counts its time in this turn's slice (its end is read: it counts as not light). */
  timed<T>(evaluate: () => T): T {
    this.#begin();
    try {
      return evaluate();
    } finally {
      this.#end(false);
    }
  }

  /**
   * Before an evaluation: the first of a turn reads the clock (the turn's
   * start) and queues the macrotask that starts the next turn; the others
   * start where the previous one ended, without a clock read.
   */
  #begin(): void {
    if (this.#turnStart !== undefined) return;
    this.#turnStart = this.#clock();
    if (!this.#resetQueued) {
      this.#resetQueued = true;
      this.#defer(this.#reset);
    }
  }

  /**
   * After an evaluation: one clock read, the time of this turn so far;
   * skipped after a `light` one unless it is the
   * {@link LIGHT_EVALUATIONS_PER_READ}th light one since the latest read.
   */
  #end(light: boolean): void {
    // (always set here: #begin ran; a nested evaluation, an attribute with one input evaluated inside its
    // input's, ends first, and the time of both counts once)
    if (this.#turnStart === undefined) return;
    if (light && ++this.#unread < LIGHT_EVALUATIONS_PER_READ) return;
    this.#unread = 0;
    this.#spent = this.#clock() - this.#turnStart;
  }

  /** Starts a new turn: a new slice, and the next evaluation reads the clock for its start. */
  #newTurn(): void {
    this.#spent = 0;
    this.#turnStart = undefined;
    this.#unread = 0;
  }

  readonly #reset = (): void => {
    this.#resetQueued = false;
    this.#newTurn();
  };

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

  /** The rest of a yielded flush, in a later macrotask: a new turn, with a new slice. */
  readonly #resumeTask = (): void => {
    this.#newTurn();
    this.flush();
  };

  /** Forgets `s` (it stopped). */
  forget(s: ScheduledEvaluation): void {
    this.#pending.delete(s);
  }

  /**
   * Evaluates every dirty attribute, lowest height first; attributes dirtied
   * meanwhile are evaluated too. Once this turn's slice is spent, the rest
   * is left to a flush in a later macrotask.
   */
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
      if (this.#spent >= this.#sliceMs) {
        // the rest in a later macrotask: timers and I/O queued meanwhile run first
        this.#scheduled = true;
        this.#yields++;
        this.#defer(this.#resumeTask);
        break;
      }
      const s = bucket.pop()!;
      if (!this.#pending.delete(s)) continue; // forgotten, or a second entry of one evaluated already
      let light = false;
      this.#begin();
      try {
        light = s.evaluateNow() === true;
      } catch (error) {
        // the others are still evaluated; the first failure is rethrown after them
        failure ??= { error };
      }
      this.#end(light);
    }
    if (this.#pending.size === 0) {
      for (const b of this.#buckets) if (b !== undefined) b.length = 0;
      this.#lowest = 0;
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Counts for diagnostics: dirty attributes and flushes (resumed ones included). */
  stats(): { dirty: number; flushes: number } {
    return { dirty: this.#pending.size, flushes: this.#flushes };
  }

  /** How many times a flush yielded to the event loop with attributes left to evaluate. */
  get yields(): number {
    return this.#yields;
  }
}
