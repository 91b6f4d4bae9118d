import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../../src/index.js';
import { ReleaseQueue } from '../../src/lifetime/release-queue.js';

type Op = { kind: 'schedule' | 'cancel'; item: number } | { kind: 'advance'; ms: number } | { kind: 'flush' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('schedule' as const, 'cancel' as const), item: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.nat({ max: 150 }) }),
  fc.record({ kind: fc.constant('flush' as const) }),
);

describe('release queue', () => {
  it('releases each item exactly at its last deadline, unless cancelled; one timer while anything waits', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 100 }), (ops, gcTime) => {
        const clock = createVirtualClock(0);
        const q = new ReleaseQueue(clock, gcTime);
        const released: { item: number; at: number }[] = [];
        const items = Array.from({ length: 8 }, (_, i) => ({
          releaseAt: -1,
          release: () => released.push({ item: i, at: clock.now() }),
        }));
        // the model: item -> deadline
        const due = new Map<number, number>();
        const expected: { item: number; at: number }[] = [];
        const advanceModel = (to: number) => {
          const ready = [...due].filter(([, at]) => at <= to).sort((a, b) => a[1] - b[1]);
          for (const [i, at] of ready) {
            expected.push({ item: i, at });
            due.delete(i);
          }
        };
        for (const o of ops) {
          if (o.kind === 'schedule') {
            q.schedule(items[o.item]!);
            due.set(o.item, clock.now() + gcTime);
          } else if (o.kind === 'cancel') {
            q.cancel(items[o.item]!);
            due.delete(o.item);
          } else if (o.kind === 'advance') {
            advanceModel(clock.now() + o.ms);
            clock.advance(o.ms);
          } else {
            for (const [i] of [...due].sort((a, b) => a[1] - b[1]))
              expected.push({ item: i, at: clock.now() });
            due.clear();
            q.flush();
          }
          expect(q.size).toBe(due.size);
          expect(q.timerArmed).toBe(due.size > 0);
          expect(clock.pending).toBe(due.size > 0 ? 1 : 0);
        }
        const key = (r: { item: number; at: number }) => `${r.at}:${r.item}`;
        expect(released.map(key).sort()).toEqual(expected.map(key).sort());
      }),
      { seed: 21, numRuns: 500 },
    );
  });
});
