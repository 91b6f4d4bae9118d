// The scheduler of eval re-evaluations times a turn's evaluations with one
// clock read at the turn's start and one at the end of each evaluation that
// is not light, and of every LIGHT_EVALUATIONS_PER_READth light one in a row
// (a clock read is a third of a pushed re-evaluation on plain numbers, which
// is light): injected clocks count the reads. A light evaluation is one the
// sandbox's meter never checked (fewer than CHECK_EVERY units of work).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EvaluationScheduler,
  LIGHT_EVALUATIONS_PER_READ,
  type ScheduledEvaluation,
} from '../../src/schemes/eval/evaluation/index.js';
import { CHECK_EVERY } from '../../src/schemes/eval/sandbox/meter.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/sandbox.js';

/** A macrotask that has run (`setImmediate`, as the scheduler's own yields are). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the scheduler reads its clock after each evaluation that is not light, and after every k light ones', () => {
  // a clock read is a third of a pushed re-evaluation on plain numbers (bench/eval-evaluate): skipped after
  // light evaluations, k = LIGHT_EVALUATIONS_PER_READ in a row at most
  const k = LIGHT_EVALUATIONS_PER_READ;
  const counting = () => {
    const c = {
      now: 0,
      reads: 0,
      clock: () => {
        c.reads++;
        return c.now;
      },
    };
    return c;
  };
  /** An evaluation that costs `ms` on the clock `c` and reports itself light or not. */
  const costing = (c: { now: number }, light: boolean, ms = 0): ScheduledEvaluation => ({
    height: 1,
    evaluateNow: () => {
      c.now += ms;
      return light;
    },
  });

  /** Flushes 1,000 evaluations, all light or none; resolves how many ran and how many clock reads they made. */
  const flushOf1000 = async (light: boolean): Promise<{ evaluated: number; reads: number }> => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock });
    let evaluated = 0;
    for (let j = 0; j < 1000; j++) {
      scheduler.markDirty({
        height: j % 3,
        evaluateNow: () => {
          evaluated++;
          return light;
        },
      });
    }
    await Promise.resolve();
    return { evaluated, reads: c.reads };
  };

  it('a flush of 1,000 light evaluations reads the clock once for the turn and once per k of them', async () => {
    const { evaluated, reads } = await flushOf1000(true);
    expect(evaluated).toBe(1000);
    expect(reads).toBe(1 + Math.floor(1000 / k));
  });

  it('a flush of 1,000 evaluations not light reads it after each (and once for the turn)', async () => {
    const { evaluated, reads } = await flushOf1000(false);
    expect(evaluated).toBe(1000);
    expect(reads).toBe(1001);
  });

  it('k light evaluations at once (one input) read it once, at the kth; a heavy one reads it at once, and starts the count again', () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock });
    const readsAfter: number[] = [];
    const run = (light: boolean) => {
      scheduler.evaluateOrDefer(costing(c, light, 1));
      readsAfter.push(c.reads);
    };
    for (let j = 0; j < k; j++) run(true);
    // the turn's start, then the kth light one
    expect(readsAfter).toEqual([...Array.from({ length: k - 1 }, () => 1), 2]);
    readsAfter.length = 0;
    for (let j = 0; j < k - 1; j++) run(true);
    run(false);
    expect(readsAfter).toEqual([...Array.from({ length: k - 1 }, () => 2), 3]);
    // the count starts again after the heavy one: k - 1 light ones without a read, the kth reads
    readsAfter.length = 0;
    for (let j = 0; j < k; j++) run(true);
    expect(readsAfter).toEqual([...Array.from({ length: k - 1 }, () => 3), 4]);
    // a timed read (a polled attribute) is never light
    scheduler.timed(() => c.now++);
    expect(c.reads).toBe(5);
  });

  it('a failing evaluation counts as not light: its end is read', () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock });
    scheduler.markDirty(costing(c, true));
    scheduler.markDirty({
      height: 2,
      evaluateNow: () => {
        throw new Error('boom');
      },
    });
    expect(() => scheduler.flush()).toThrow('boom');
    expect(c.reads).toBe(2);
    expect(() =>
      scheduler.evaluateOrDefer({
        height: 1,
        evaluateNow: () => {
          throw new Error('again');
        },
      }),
    ).toThrow('again');
    expect(c.reads).toBe(3);
  });

  it('heavy evaluations at once still stop at the slice, and a later turn has a new one', async () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 25 });
    const order: number[] = [];
    const costly = (j: number): ScheduledEvaluation => ({
      height: 1,
      evaluateNow: () => {
        c.now += 10;
        order.push(j);
        return false;
      },
    });
    for (let j = 0; j < 6; j++) scheduler.evaluateOrDefer(costly(j));
    // 30 ms after the third: the others wait for a later macrotask, in a flush
    expect(order).toEqual([0, 1, 2]);
    expect(scheduler.sliceSpent).toBe(true);
    expect(scheduler.stats().dirty).toBe(3);
    while (scheduler.stats().dirty > 0) await nextTurn();
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // one read per evaluation, and one per turn (two turns)
    expect(c.reads).toBe(6 + 2);
  });

  it('light evaluations that are slow all the same are stopped after k of them at most', () => {
    // a light evaluation is cheap in the sandbox; what the delivery of its reading costs is not bounded
    // by it: k of them may pass before the clock is read
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 25 });
    let evaluated = 0;
    for (let j = 0; j < 3 * k; j++) {
      scheduler.evaluateOrDefer({
        height: 1,
        evaluateNow: () => {
          c.now += 10;
          evaluated++;
          return true;
        },
      });
    }
    expect(evaluated).toBe(k);
    expect(scheduler.sliceSpent).toBe(true);
    expect(scheduler.stats().dirty).toBe(2 * k);
  });

  it("a nested evaluation (one input, inside its input's) counts its time once", () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 25 });
    const inner: ScheduledEvaluation = {
      height: 2,
      evaluateNow: () => {
        c.now += 10;
        return false;
      },
    };
    const outer: ScheduledEvaluation = {
      height: 1,
      evaluateNow: () => {
        c.now += 5;
        scheduler.evaluateOrDefer(inner);
        return false;
      },
    };
    scheduler.evaluateOrDefer(outer);
    // 15 ms held: counted as 15, not 25 (the inner's 10 twice)
    expect(scheduler.sliceSpent).toBe(false);
  });

  it('property: the time counted never lags the true time by more than the light evaluations since the last read (fewer than k)', () => {
    const step = fc.record({
      light: fc.boolean(),
      ms: fc.integer({ min: 0, max: 20 }),
      gap: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 80 }), (steps, sliceMs) => {
        const c = { now: 0, reads: [] as number[] };
        const scheduler = new EvaluationScheduler({
          clock: () => {
            c.reads.push(c.now);
            return c.now;
          },
          sliceMs,
          defer: () => {}, // one turn: nothing deferred runs
        });
        /** Costs of the light evaluations ended since the latest read. */
        let unread: number[] = [];
        for (const { light, ms, gap } of steps) {
          c.now += gap; // time between two evaluations is held too
          const spentBefore = scheduler.sliceSpent;
          const first = c.reads.length === 0; // reads the turn's start before it
          const readsBefore = c.reads.length + (first ? 1 : 0);
          let ran = false;
          scheduler.evaluateOrDefer({
            height: 1,
            evaluateNow: () => {
              ran = true;
              c.now += ms;
              return light;
            },
          });
          // evaluated unless the slice was spent
          expect(ran).toBe(!spentBefore);
          if (!ran) continue;
          const readNow = c.reads.length > readsBefore;
          if (readNow) unread = [];
          else unread.push(first ? ms : gap + ms); // the gap before the first is before the turn's start
          // a heavy evaluation is always read at its end; fewer than k light ones go unread
          if (!light) expect(readNow).toBe(true);
          expect(unread.length).toBeLessThan(k);
          // the time counted: from the turn's start (the first read) to the latest read
          const spent = c.reads[c.reads.length - 1]! - c.reads[0]!;
          expect(scheduler.sliceSpent).toBe(spent >= sliceMs);
          // it lags the true time by the time of the unread light evaluations alone
          expect(c.now - c.reads[0]! - spent).toBe(unread.reduce((a, b) => a + b, 0));
        }
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it('the sandbox tells a light evaluation (fewer than CHECK_EVERY units of work) from a heavy one', () => {
    const sandbox = createSandbox();
    const light = sandbox.compile('x * 2 + sum(ones(100))', { inputs: ['x'] });
    const heavy = sandbox.compile(`x * 2 + sum(ones(${2 * CHECK_EVERY}))`, { inputs: ['x'] });
    const checks = sandbox.workChecks();
    light.evaluateValues([1]);
    expect(sandbox.workChecks()).toBe(checks);
    heavy.evaluateValues([1]);
    expect(sandbox.workChecks()).toBeGreaterThan(checks);
  });
});
