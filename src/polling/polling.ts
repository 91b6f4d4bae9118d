/**
 * Shared polling timers (Taurus's polling timers): one timer per period for
 * every poll-mode attribute of a manager that has subscribers. A timer exists
 * only while it has members.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../util/clock.js';

/** Something polled. */
export interface Pollable {
  /** Called on every tick; must not throw. */
  poll(): void;
}

interface PollingTimer {
  readonly period: number;
  readonly members: Set<Pollable>;
  handle: TimerHandle | undefined;
  next: number;
}

/** The polling timers of a manager. */
export class PollingTimers {
  readonly #clock: Clock;
  readonly #timers = new Map<number, PollingTimer>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Adds `item` to the timer of `period` ms (creating it). */
  add(item: Pollable, period: number): void {
    let t = this.#timers.get(period);
    if (t === undefined) {
      t = { period, members: new Set(), handle: undefined, next: this.#clock.now() + period };
      this.#timers.set(period, t);
      this.#arm(t);
    }
    t.members.add(item);
  }

  /** Removes `item` from the timer of `period` (dropping the timer when empty). */
  remove(item: Pollable, period: number): void {
    const t = this.#timers.get(period);
    if (t === undefined) return;
    t.members.delete(item);
    if (t.members.size === 0) {
      t.handle?.cancel();
      this.#timers.delete(period);
    }
  }

  /** `{ period, members }` for each live timer, for snapshots. */
  describe(): { period: number; members: number }[] {
    return [...this.#timers.values()].map((t) => ({ period: t.period, members: t.members.size }));
  }

  /** Number of live timers. */
  get size(): number {
    return this.#timers.size;
  }

  /** Stops every timer. */
  clear(): void {
    for (const t of this.#timers.values()) t.handle?.cancel();
    this.#timers.clear();
  }

  #arm(t: PollingTimer): void {
    t.handle = this.#clock.setTimeout(() => this.#tick(t), Math.max(0, t.next - this.#clock.now()));
  }

  #tick(t: PollingTimer): void {
    if (this.#timers.get(t.period) !== t) return;
    // fixed-rate schedule without drift; skip missed ticks instead of bursting
    const now = this.#clock.now();
    t.next += t.period;
    if (t.next <= now) t.next = now + t.period;
    for (const m of [...t.members]) m.poll();
    if (this.#timers.get(t.period) === t) this.#arm(t);
  }
}
