/**
 * The time budget of one evaluation. Every loop of the sandbox over the
 * elements of an array reports its work with {@link Meter.tick}; after each
 * {@link CHECK_EVERY} units of work the meter reads the clock, and once the
 * evaluation has run longer than `maxTimeMs` it stops it with a
 * `LIMIT_EXCEEDED` fault. Work too costly to be counted per element (a
 * mathjs unit operation) is reported with a weight, so the clock is read
 * more often.
 *
 * An evaluation that does less than {@link CHECK_EVERY} units of work (every
 * expression on scalars and small arrays) never reads the clock: the first
 * check arms the deadline, so the budget runs from there (the work before it
 * takes well under a millisecond). Such an evaluation is *light*: its work
 * is bounded by {@link CHECK_EVERY} units, so a caller timing many
 * evaluations (the eval scheme's scheduler) may skip its own clock read
 * after it; {@link Meter.checks} tells a light evaluation (the count is
 * unchanged across it) from one that reached a check.
 *
 * @module
 */
import { limitFault } from './errors.js';

/** Units of work between two readings of the clock. */
export const CHECK_EVERY = 16_384;

/**
 * Units of work of one call of a mathjs function on one element (a unit
 * conversion, a typed-function dispatch): tens of times a loop step on a
 * number.
 */
export const SLOW_LEAF = 64;

/** A monotonic clock in milliseconds. */
export type Clock = () => number;

/**
 * The default clock of the time budget: the CPU time of the process, in
 * milliseconds, where Node gives it (`process.cpuUsage`), else
 * `performance.now`. CPU time, because on a machine shared with other
 * processes the wall time of the same work varies several-fold and the same
 * expression would be refused or not depending on the load; the work an
 * evaluation does, and so the time it holds the event loop on an idle
 * machine, is what the budget bounds.
 */
export function defaultClock(): Clock {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  const cpu = p?.cpuUsage;
  if (typeof cpu === 'function') {
    return () => {
      const u = cpu.call(p);
      return (u.user + u.system) / 1000;
    };
  }
  return () => performance.now();
}

/** What {@link Meter.begin} saves of an enclosing evaluation, given back to {@link Meter.end}. */
export interface MeterState {
  readonly deadline: number;
  readonly count: number;
}

/** The work and time budget of the evaluations of one sandbox. */
export class Meter {
  readonly #clock: Clock;
  readonly #maxTimeMs: number;
  /** When the running evaluation must stop: NaN until the first check arms it; +Infinity outside evaluations. */
  #deadline = Number.POSITIVE_INFINITY;
  /** Work since the last check. */
  #count = 0;
  /** Checks so far (see {@link Meter.checks}). */
  #checks = 0;

  constructor(clock: Clock, maxTimeMs: number) {
    this.#clock = clock;
    this.#maxTimeMs = maxTimeMs;
  }

  /** The time budget of one evaluation, in milliseconds. */
  get maxTimeMs(): number {
    return this.#maxTimeMs;
  }

  /**
   * How many times the work reached a check, over the meter's life: an
   * evaluation that leaves it unchanged did less than {@link CHECK_EVERY}
   * units of work (a light one).
   */
  get checks(): number {
    return this.#checks;
  }

  /** Starts an evaluation; returns what {@link Meter.end} restores (an evaluation may run inside another). */
  begin(): MeterState {
    const saved = { deadline: this.#deadline, count: this.#count };
    // a nested evaluation keeps the enclosing one's deadline; an outermost one arms at its first check
    if (!(this.#deadline < Number.POSITIVE_INFINITY)) {
      this.#deadline = Number.NaN;
      this.#count = 0;
    }
    return saved;
  }

  /** Ends the evaluation begun with `saved`. */
  end(saved: MeterState): void {
    this.#deadline = saved.deadline;
    this.#count = saved.count;
  }

  /** Reports `units` of work; throws a limit fault once the evaluation is over its time budget. */
  tick(units: number): void {
    this.#count += units;
    if (this.#count >= CHECK_EVERY) this.#check();
  }

  #check(): void {
    this.#count = 0;
    this.#checks++;
    const deadline = this.#deadline;
    if (deadline === Number.POSITIVE_INFINITY) return;
    const now = this.#clock();
    if (Number.isNaN(deadline)) this.#deadline = now + this.#maxTimeMs;
    else if (now > deadline) {
      limitFault(
        `the evaluation ran longer than its time budget and was stopped (the limit is ${this.#maxTimeMs} ms)`,
      );
    }
  }
}
