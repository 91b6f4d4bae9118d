/**
 * Grace-period release of unused models (TanStack Query's gcTime idea): a
 * model whose last user left is released after `gcTime` ms unless used again.
 *
 * One timer for the whole queue, armed only while something waits. Because
 * gcTime is the same for every model, deadlines arrive in push order, so the
 * queue is an array with lazy deletion: cancelling or rescheduling only
 * changes the model's `releaseAt`, and stale entries are skipped when reached.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../util/clock.js';

/** Something that can be released. */
export interface Releasable {
  /**
   * When the queue will release it (clock ms), or -1 when not scheduled.
   * Owned by the queue: models only initialize it to -1.
   */
  releaseAt: number;
  /** Frees backend resources; the object stays usable and reopens them on demand. */
  release(): void;
}

/** The release queue of a manager. */
export class ReleaseQueue {
  readonly #clock: Clock;
  readonly #gcTime: number;
  #items: Releasable[] = [];
  #deadlines: number[] = [];
  #head = 0;
  #pending = 0;
  #timer: TimerHandle | undefined;
  #sweeping = false;

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
    return this.#pending;
  }

  /** Whether the queue's timer is armed. */
  get timerArmed(): boolean {
    return this.#timer !== undefined;
  }

  /** Schedules `item` for release after the grace period (or now when gcTime is 0). */
  schedule(item: Releasable): void {
    if (this.#gcTime <= 0) {
      this.cancel(item);
      item.release();
      return;
    }
    if (item.releaseAt < 0) this.#pending++;
    const at = this.#clock.now() + this.#gcTime;
    item.releaseAt = at;
    this.#items.push(item);
    this.#deadlines.push(at);
    if (this.#timer === undefined) this.#arm(at);
  }

  /** Cancels a scheduled release (the model is used again). */
  cancel(item: Releasable): void {
    if (item.releaseAt < 0) return;
    item.releaseAt = -1;
    if (--this.#pending === 0 && !this.#sweeping) this.#reset();
  }

  /**
   * Releases everything now (used by `manager.flush()` and `dispose()`),
   * including what releasing schedules in turn (an eval attribute letting its
   * inputs go), up to a bound of rounds.
   */
  flush(): void {
    for (let round = 0; round < 64 && this.#pending > 0; round++) {
      const due: Releasable[] = [];
      for (let i = this.#head; i < this.#items.length; i++) {
        const item = this.#items[i]!;
        if (item.releaseAt === this.#deadlines[i]) {
          item.releaseAt = -1;
          due.push(item);
        }
      }
      this.#pending = 0;
      this.#reset();
      for (const item of due) item.release();
    }
  }

  #reset(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#items = [];
    this.#deadlines = [];
    this.#head = 0;
  }

  #arm(at: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#sweep(), Math.max(0, at - this.#clock.now()));
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#sweeping = true;
    try {
      this.#sweepDue();
    } finally {
      this.#sweeping = false;
    }
    if (this.#pending === 0) this.#reset();
  }

  #sweepDue(): void {
    const now = this.#clock.now();
    const items = this.#items;
    const deadlines = this.#deadlines;
    while (this.#head < items.length) {
      const i = this.#head;
      const item = items[i]!;
      const at = deadlines[i]!;
      if (item.releaseAt !== at) {
        this.#head++; // cancelled, or rescheduled (a later entry stands for it)
        continue;
      }
      if (at > now) {
        this.#compact();
        this.#arm(at);
        return;
      }
      this.#head++;
      item.releaseAt = -1;
      this.#pending--;
      item.release();
    }
  }

  #compact(): void {
    if (this.#head < 1024 || this.#head * 2 < this.#items.length) return;
    this.#items = this.#items.slice(this.#head);
    this.#deadlines = this.#deadlines.slice(this.#head);
    this.#head = 0;
  }
}
