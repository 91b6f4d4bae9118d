/**
 * Grace-period release of unused models (TanStack Query's gcTime idea): a
 * model whose last user left is released after `gcTime` ms unless used again.
 * One timer for the whole queue, armed only while something waits; deadlines
 * are in insertion order because gcTime is the same for every model.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../util/clock.js';

/** Something that can be released. */
export interface Releasable {
  /** Frees backend resources; the object stays usable and reopens them on demand. */
  release(): void;
}

/** The release queue of a manager. */
export class ReleaseQueue {
  readonly #clock: Clock;
  readonly #gcTime: number;
  readonly #due = new Map<Releasable, number>();
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, gcTime: number) {
    this.#clock = clock;
    this.#gcTime = gcTime;
  }

  /** The grace period in ms. */
  get gcTime(): number {
    return this.#gcTime;
  }

  /** Number of models waiting to be released. */
  get size(): number {
    return this.#due.size;
  }

  /** Whether the queue's timer is armed. */
  get timerArmed(): boolean {
    return this.#timer !== undefined;
  }

  /** Schedules `item` for release after the grace period (or now when gcTime is 0). */
  schedule(item: Releasable): void {
    if (this.#gcTime <= 0) {
      this.#due.delete(item);
      item.release();
      return;
    }
    this.#due.delete(item);
    const at = this.#clock.now() + this.#gcTime;
    this.#due.set(item, at);
    if (this.#timer === undefined) this.#arm(at);
  }

  /** Cancels a scheduled release (the model is used again). */
  cancel(item: Releasable): void {
    this.#due.delete(item);
    if (this.#due.size === 0) this.#disarm();
  }

  /** Releases everything now (used by `manager.flush()` and `dispose()`). */
  flush(): void {
    const items = [...this.#due.keys()];
    this.#due.clear();
    this.#disarm();
    for (const item of items) item.release();
  }

  #arm(at: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#sweep(), Math.max(0, at - this.#clock.now()));
  }

  #disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (const [item, at] of this.#due) {
      if (at > now) {
        this.#arm(at);
        return;
      }
      this.#due.delete(item);
      item.release();
    }
  }
}
