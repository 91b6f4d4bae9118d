/**
 * Glitch-free updates: when one source change reaches an eval attribute by
 * several paths, the attribute publishes one new value, computed from inputs
 * that all reflect the change (docs/eval.md, "Glitch-free updates").
 */
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createManager, Quality, type Quantity, type Reading } from '../../src/index.js';
import { EvaluationScheduler, type ScheduledEvaluation } from '../../src/schemes/eval/evaluation/index.js';
import { createEvalScheme, loadEvalBackend } from '../../src/schemes/eval/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';
import { waitForReading } from '../../src/testing/index.js';

const X = 'loc:/d/x?init=1';
const make = () =>
  createManager({ builtins: false, schemes: [createLocScheme(), createEvalScheme()], gcTime: 0 });
const mag = (r: Reading) => (r.rvalue as Quantity).magnitude as number;

/** Expressions over the source x, with what each must give for a value of x. */
const CASES = [
  // the diamond of the issue: two eval inputs, each depending on x
  { name: `eval:{eval:{${X}}+1}*{eval:{${X}}*2}`, f: (x: number) => (x + 1) * (x * 2) },
  // an uneven diamond: x directly and through an eval attribute; a glitch would show as a value other than 1
  { name: `eval:{eval:{${X}}+1}-{${X}}`, f: (_x: number) => 1 },
  // three levels and a shared middle
  {
    name: `eval:{eval:{eval:{${X}}*3}-{${X}}}+{eval:{${X}}*3}-{${X}}*5`,
    f: (x: number) => x * 3 - x + x * 3 - x * 5,
  },
];

describe('glitch-free updates', () => {
  // the evaluator is loaded on first use (import('tk-core') loads no mathjs): loaded before the 2 s waits
  beforeAll(() => loadEvalBackend());
  for (const c of CASES) {
    it(`${c.name}: the first reading, then one reading per change`, async () => {
      const m = make();
      const x = m.attribute(X);
      const e = m.attribute(c.name);
      const seen: Reading[] = [];
      e.subscribe((r) => seen.push(r));
      await waitForReading(e, () => true, 2000, seen);
      expect(seen.map(mag)).toEqual([c.f(1)]);
      await x.write(4);
      await waitForReading(e, (r) => mag(r) === c.f(4) && seen.length > 1, 2000, seen.slice(1));
      expect(seen.map(mag)).toEqual([c.f(1), c.f(4)]);
      await m.dispose();
    });
  }

  test.prop(
    [
      fc.constantFrom(...CASES),
      // writes, in groups written in one turn (no await between the writes of a group)
      fc.array(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 4 }), {
        minLength: 1,
        maxLength: 8,
      }),
    ],
    { numRuns: 60, seed: 20261122 },
  )(
    'any sequence of writes: every published value is the expression of one value of x',
    async (c, groups) => {
      const m = make();
      const x = m.attribute(X);
      const e = m.attribute(c.name);
      const seen: Reading[] = [];
      const sub = e.subscribe((r) => seen.push(r));
      await waitForReading(e, () => true, 2000, seen);
      // what x publishes (concurrent writes may publish a value more than once)
      const published: number[] = [];
      const xs = x.subscribe((r) => published.push(mag(r)));
      const written = [1];
      for (const group of groups) {
        await Promise.all(group.map((v) => x.write(v)));
        written.push(...group);
      }
      const last = published[published.length - 1]!;
      await waitForReading(e, (r) => mag(r) === c.f(last), 2000, seen.slice(seen.length - 1));
      const consistent = new Set(written.map(c.f));
      for (const r of seen) {
        expect(r.quality).toBe(Quality.VALID);
        expect(consistent.has(mag(r)), `${mag(r)} is not f(x) for a written x (${written})`).toBe(true);
      }
      // each change of x reaches e by two or more paths, yet gives at most one reading
      expect(seen.length).toBeLessThanOrEqual(published.length + 1);
      xs.unsubscribe();
      sub.unsubscribe();
      await m.dispose();
    },
  );

  it('the scheduler evaluates each dirty attribute once per flush, lowest height first', async () => {
    const scheduler = new EvaluationScheduler();
    const order: string[] = [];
    const at = (name: string, height: number): ScheduledEvaluation => ({
      height,
      evaluateNow: () => {
        order.push(name);
        // an evaluation dirties its dependents, evaluated in the same flush
        if (name === 'a') scheduler.markDirty(top);
        return false;
      },
    });
    const top = at('top', 3);
    const a = at('a', 1);
    const b = at('b', 2);
    scheduler.markDirty(b);
    scheduler.markDirty(top);
    scheduler.markDirty(a);
    scheduler.markDirty(b);
    expect(order).toEqual([]);
    await Promise.resolve();
    expect(order).toEqual(['a', 'b', 'top']);
    expect(scheduler.stats()).toEqual({ dirty: 0, flushes: 1 });
  });

  it('a failing evaluation does not keep the others from being evaluated', () => {
    const scheduler = new EvaluationScheduler();
    const order: string[] = [];
    scheduler.markDirty({
      height: 1,
      evaluateNow: () => {
        throw new Error('boom');
      },
    });
    scheduler.markDirty({
      height: 2,
      evaluateNow: () => {
        order.push('after');
        return false;
      },
    });
    expect(() => scheduler.flush()).toThrow('boom');
    expect(order).toEqual(['after']);
  });
});
