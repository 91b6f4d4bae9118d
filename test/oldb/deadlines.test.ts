import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deadlines } from '../../src/oldb-store/deadlines.js';
import { createVirtualClock } from '../../src/util/clock.js';

type Step =
  | { readonly op: 'add'; readonly ms: number }
  | { readonly op: 'cancel'; readonly which: number }
  | { readonly op: 'advance'; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), ms: fc.constantFrom(0, 1, 5, 100, 3000) }),
  fc.record({ op: fc.constant('cancel' as const), which: fc.nat({ max: 200 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400 }) }),
);

describe('Deadlines', () => {
  it('property: each deadline fires exactly at its time unless cancelled before, and only once; one timer at most', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const clock = createVirtualClock(1_000);
        const d = new Deadlines(clock);
        const entries: { at: number; cancelled: boolean; fired: number[]; handle: { cancel(): void } }[] = [];
        for (const s of steps) {
          if (s.op === 'add') {
            const e = {
              at: clock.now() + s.ms,
              cancelled: false,
              fired: [] as number[],
              handle: { cancel() {} },
            };
            e.handle = d.add(s.ms, () => e.fired.push(clock.now()));
            entries.push(e);
          } else if (s.op === 'cancel') {
            const e = entries[s.which % Math.max(1, entries.length)];
            if (e !== undefined) {
              if (e.fired.length === 0) e.cancelled = true;
              e.handle.cancel();
            }
          } else {
            clock.advance(s.ms);
          }
          expect(clock.pending).toBeLessThanOrEqual(1);
        }
        clock.advance(0); // runs what is due now
        const now = clock.now();
        for (const e of entries) {
          if (e.cancelled) expect(e.fired).toEqual([]);
          else if (e.at <= now) expect(e.fired).toEqual([e.at]);
          else expect(e.fired).toEqual([]);
        }
        const waiting = entries.filter((e) => !e.cancelled && e.at > now).length;
        expect(d.pending).toBe(waiting);
        expect(clock.pending).toBe(waiting > 0 ? 1 : 0);
      }),
      { numRuns: 300, seed: 77 },
    );
  });

  it('keeps memory bounded when calls complete in order', () => {
    const clock = createVirtualClock(0);
    const d = new Deadlines(clock);
    for (let i = 0; i < 100_000; i++) d.add(3000, () => {}).cancel();
    expect(d.pending).toBe(0);
    const live = d.add(3000, () => {});
    for (let i = 0; i < 10_000; i++) d.add(3000, () => {}).cancel();
    expect(d.pending).toBe(1);
    live.cancel();
    expect(d.pending).toBe(0);
  });
});
