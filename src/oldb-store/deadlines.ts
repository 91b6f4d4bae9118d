/**
 * Time limits of many in-flight calls kept with one timer.
 *
 * A store sends tens of thousands of commands a second, each with a time
 * limit; one runtime timer per command costs a timer object, a list
 * insertion and a removal each. Commands with the same time limit expire in
 * the order they started, so they are kept in one first-in first-out list per
 * time limit, and a single timer is armed for the earliest deadline of all
 * lists. A call that completes only marks its entry; entries leave their list
 * from its front.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../util/clock.js';

/** The time limit of one call; `cancel()` when the call completes (twice is harmless). */
export interface Deadline {
  /** Drops the time limit; its expiry function is then never called. */
  cancel(): void;
}

class Entry implements Deadline {
  readonly at: number;
  onExpire: (() => void) | undefined;
  readonly #list: Fifo;
  readonly #owner: Deadlines;

  constructor(at: number, onExpire: () => void, list: Fifo, owner: Deadlines) {
    this.at = at;
    this.onExpire = onExpire;
    this.#list = list;
    this.#owner = owner;
  }

  cancel(): void {
    if (this.onExpire === undefined) return;
    this.onExpire = undefined;
    this.#list.dropSettled();
    this.#owner.settled();
  }
}

class Fifo {
  items: Entry[] = [];
  head = 0;

  /** The first entry still waiting, or undefined. */
  first(): Entry | undefined {
    return this.items[this.head];
  }

  /** Removes settled entries from the front, and compacts the storage now and then. */
  dropSettled(): void {
    const items = this.items;
    let h = this.head;
    while (h < items.length && items[h]!.onExpire === undefined) h++;
    if (h === items.length) {
      this.items = [];
      this.head = 0;
    } else if (h > 1024 && h * 2 > items.length) {
      this.items = items.slice(h);
      this.head = 0;
    } else {
      this.head = h;
    }
  }
}

/** The time limits of a store's calls, on its clock. */
export class Deadlines {
  readonly #clock: Clock;
  readonly #lists = new Map<number, Fifo>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #live = 0;

  /** @param clock the clock that measures and waits. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Calls `onExpire` once `ms` milliseconds have passed, unless the returned deadline is cancelled first. */
  add(ms: number, onExpire: () => void): Deadline {
    let list = this.#lists.get(ms);
    if (list === undefined) {
      list = new Fifo();
      this.#lists.set(ms, list);
    }
    const entry = new Entry(this.#clock.now() + ms, onExpire, list, this);
    list.items.push(entry);
    this.#live++;
    if (entry.at < this.#timerAt) this.#arm(entry.at);
    return entry;
  }

  /** Number of time limits still running (for tests and statistics). */
  get pending(): number {
    return this.#live;
  }

  /** @internal an entry was cancelled: with none left, the timer goes too. */
  settled(): void {
    if (--this.#live > 0) return;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#lists.clear();
  }

  #arm(at: number): void {
    this.#timer?.cancel();
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(this.#fire, Math.max(0, at - this.#clock.now()));
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    const due: (() => void)[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [ms, list] of this.#lists) {
      list.dropSettled();
      let e = list.first();
      while (e !== undefined && e.at <= now) {
        due.push(e.onExpire!);
        e.onExpire = undefined;
        this.#live--;
        list.dropSettled();
        e = list.first();
      }
      if (e === undefined) this.#lists.delete(ms);
      else if (e.at < next) next = e.at;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
    for (const f of due) f();
  };
}
