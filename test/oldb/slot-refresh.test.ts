/**
 * The back-off of asking a Redis Cluster for its slot map again
 * (src/oldb-store/redis-slot-refresh.ts), on virtual time with a fake
 * cluster: a promotion must be seen within 250 ms for the first 10 s of an
 * outage, a long outage must cost one question every 2 s at most, and the
 * questions stop once nothing is pending.
 */
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SlotRefresh } from '../../src/oldb-store/redis-slot-refresh.js';
import { createVirtualClock } from '../../src/util/clock.js';

/** A refresher on virtual time whose fake cluster records when it was asked. */
function setup() {
  const clock = createVirtualClock(0);
  const asked: number[] = [];
  let refreshed = 0;
  let pending = true;
  let closed = false;
  const cluster = {
    refreshSlotsCache(cb: (err?: Error) => void) {
      asked.push(clock.now());
      cb();
    },
  } as unknown as Cluster;
  const refresh = new SlotRefresh(clock, {
    cluster: () => cluster,
    closed: () => closed,
    refreshed: () => void refreshed++,
    pending: () => pending,
  });
  return {
    clock,
    asked,
    refresh,
    get refreshed() {
      return refreshed;
    },
    settle() {
      pending = false;
    },
    trouble() {
      pending = true;
    },
    close() {
      closed = true;
    },
  };
}

/** The gaps between consecutive entries of `times`. */
const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('asking the slot map again', () => {
  it('asks within 50 ms of a trouble, then at most every 250 ms for 10 s, then backs off to every 2 s', () => {
    const s = setup();
    s.refresh.schedule();
    s.clock.advance(10_000);
    expect(s.asked[0]).toBeLessThanOrEqual(50);
    expect(Math.max(...gaps(s.asked))).toBeLessThanOrEqual(250);
    expect(s.refreshed).toBe(s.asked.length);
    const fast = s.asked.length;
    s.clock.advance(60_000);
    const slow = gaps(s.asked.slice(fast - 1));
    // backing off: each gap at least the last, none longer than 2 s, and 2 s reached
    for (let i = 1; i < slow.length; i++) expect(slow[i]!).toBeGreaterThanOrEqual(slow[i - 1]!);
    expect(Math.max(...slow)).toBe(2000);
    expect(s.asked.length - fast).toBeLessThanOrEqual(60_000 / 2000 + 3);
  });

  it('stops asking once nothing is pending, and starts again fast at the next trouble', () => {
    const s = setup();
    s.refresh.schedule();
    s.clock.advance(12_000); // into the slow phase
    s.settle();
    s.clock.advance(5000);
    const settled = s.asked.length;
    s.clock.advance(30_000);
    expect(s.asked.length).toBe(settled);
    expect(s.clock.pending).toBe(0);
    s.trouble();
    const at = s.clock.now();
    s.refresh.schedule();
    s.clock.advance(1000);
    expect(s.asked[settled]! - at).toBeLessThanOrEqual(50);
    expect(Math.max(...gaps(s.asked.slice(settled)))).toBeLessThanOrEqual(250);
  });

  it('asks at once when told (a master dropped channels), once per question due', () => {
    const s = setup();
    s.refresh.schedule(0);
    s.refresh.schedule(0);
    s.clock.advance(0);
    expect(s.asked).toEqual([0]);
  });

  it('asks nothing after stop() or once the store is closed', () => {
    const s = setup();
    s.refresh.schedule();
    s.refresh.stop();
    s.clock.advance(1000);
    expect(s.asked).toEqual([]);
    s.close();
    s.refresh.schedule();
    s.clock.advance(1000);
    expect(s.asked).toEqual([]);
  });
});
