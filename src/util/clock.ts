/**
 * Time as tk-core sees it. Everything that reads the time or waits goes
 * through a {@link Clock}, so tests can use virtual time.
 *
 * @module
 */

/** A cancellable timer handle. */
export interface TimerHandle {
  /** Cancels the timer; calling it twice is harmless. */
  cancel(): void;
}

/** The source of time and timers of a manager. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. The timer never keeps a Node process alive. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

/** The real clock: `Date.now()` and unref'd `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void };
    t.unref?.();
    return { cancel: () => globalThis.clearTimeout(t as unknown as number) };
  },
};

/** A clock whose time moves only when told to; for deterministic tests. */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void;
  /** Number of timers waiting. */
  readonly pending: number;
}

/** Creates a {@link VirtualClock} starting at `start` (ms since the epoch). */
export function createVirtualClock(start = 0): VirtualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return { cancel: () => void timers.delete(id) };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let nextId = -1;
        let nextAt = Number.POSITIVE_INFINITY;
        for (const [id, t] of timers) {
          if (t.at < nextAt || (t.at === nextAt && id < nextId)) {
            nextAt = t.at;
            nextId = id;
          }
        }
        if (nextId < 0 || nextAt > end) break;
        const t = timers.get(nextId)!;
        timers.delete(nextId);
        now = Math.max(now, t.at);
        t.fn();
      }
      now = end;
    },
    get pending() {
      return timers.size;
    },
  };
}
