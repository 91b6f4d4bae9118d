// Issue 10 item 5: evaluation never holds the event loop much longer than one
// time budget, whatever the number of costly attributes. The scheduler times
// its evaluations with an injected clock (each evaluation "costs" a known
// time) and, once a turn's slice is spent, leaves the rest to a later
// macrotask: a callback queued meanwhile runs before the flush ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, type Quantity, type Reading } from '../../src/index.js';
import { EvaluationScheduler, type ScheduledEvaluation } from '../../src/schemes/eval/evaluation/index.js';
import { createEvalScheme, loadEvalBackend } from '../../src/schemes/eval/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';
import { waitForReading } from '../../src/testing/index.js';

/** A clock moved only by the evaluations that "cost" time. */
function fakeClock() {
  const c = { now: 0, clock: () => c.now };
  return c;
}

/** A macrotask that has run (`setImmediate`, as I/O callbacks and the scheduler's own yields are). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the scheduler yields to the event loop once a slice is spent', () => {
  it('a flush of 12 evaluations of 10 ms spans 4 macrotasks; a callback queued at its start runs before it ends', async () => {
    const c = fakeClock();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 25 });
    const order: string[] = [];
    const evaluation = (name: string, height: number): ScheduledEvaluation => ({
      height,
      evaluateNow: () => {
        c.now += 10;
        order.push(name);
      },
    });
    const all = Array.from({ length: 12 }, (_, k) => evaluation(`e${k}`, 1 + (k % 3)));
    for (const s of all) scheduler.markDirty(s);
    setImmediate(() => order.push('between'));
    await Promise.resolve();
    // the first turn: 3 evaluations (30 ms), then the rest waits
    expect(order).toHaveLength(3);
    expect(scheduler.stats().dirty).toBe(9);
    while (scheduler.stats().dirty > 0) await nextTurn();
    expect(order.indexOf('between')).toBe(3);
    expect(order.filter((x) => x !== 'between')).toHaveLength(12);
    expect(scheduler.yields).toBe(3);
    // lowest height first, across the yields
    const heights = order.filter((x) => x !== 'between').map((x) => 1 + (Number(x.slice(1)) % 3));
    expect(heights).toEqual([...heights].sort());
  });

  it('an attribute marked dirty while the flush is yielded is evaluated by the resumed flush, once', async () => {
    const c = fakeClock();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 5 });
    const order: string[] = [];
    const late: ScheduledEvaluation = { height: 0, evaluateNow: () => order.push('late') };
    const slow = (name: string): ScheduledEvaluation => ({
      height: 2,
      evaluateNow: () => {
        c.now += 10;
        order.push(name);
      },
    });
    scheduler.markDirty(slow('a'));
    scheduler.markDirty(slow('b'));
    await Promise.resolve();
    expect(order).toHaveLength(1);
    scheduler.markDirty(late);
    scheduler.markDirty(late);
    while (scheduler.stats().dirty > 0) await nextTurn();
    // the lower attribute first in the resumed flush
    expect(order[1]).toBe('late');
    expect([...order].sort()).toEqual(['a', 'b', 'late']);
  });

  it('cheap evaluations never yield', async () => {
    const c = fakeClock();
    const scheduler = new EvaluationScheduler({ clock: c.clock });
    const order: number[] = [];
    for (let k = 0; k < 1000; k++) scheduler.markDirty({ height: 1, evaluateNow: () => order.push(k) });
    await Promise.resolve();
    expect(order).toHaveLength(1000);
    expect(scheduler.yields).toBe(0);
  });
});

describe('the scheduler reads its clock once per evaluation', () => {
  // two reads per evaluation cost as much as a pushed re-evaluation on plain numbers (bench/eval-evaluate)
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

  it('a flush of 1,000 evaluations reads the clock at most once each (and once for the turn)', async () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock });
    let evaluated = 0;
    for (let k = 0; k < 1000; k++) scheduler.markDirty({ height: k % 3, evaluateNow: () => evaluated++ });
    await Promise.resolve();
    expect(evaluated).toBe(1000);
    expect(c.reads).toBeLessThanOrEqual(1001);
  });

  it('evaluations at once (one input) and timed reads in one turn: at most one read each, plus one', () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock });
    let evaluated = 0;
    for (let k = 0; k < 500; k++) scheduler.evaluateOrDefer({ height: 1, evaluateNow: () => evaluated++ });
    for (let k = 0; k < 500; k++) scheduler.timed(() => evaluated++);
    expect(evaluated).toBe(1000);
    expect(c.reads).toBeLessThanOrEqual(1001);
  });

  it('with one read per evaluation, evaluations at once still stop at the slice, and a later turn has a new one', async () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 25 });
    const order: number[] = [];
    const costly = (k: number): ScheduledEvaluation => ({
      height: 1,
      evaluateNow: () => {
        c.now += 10;
        order.push(k);
      },
    });
    for (let k = 0; k < 6; k++) scheduler.evaluateOrDefer(costly(k));
    // 30 ms after the third: the others wait for a later macrotask, in a flush
    expect(order).toEqual([0, 1, 2]);
    expect(scheduler.sliceSpent).toBe(true);
    expect(scheduler.stats().dirty).toBe(3);
    while (scheduler.stats().dirty > 0) await nextTurn();
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.reads).toBeLessThanOrEqual(6 + 2);
  });

  it("a nested evaluation (one input, inside its input's) counts its time once", () => {
    const c = counting();
    const scheduler = new EvaluationScheduler({ clock: c.clock, sliceMs: 25 });
    const inner: ScheduledEvaluation = { height: 2, evaluateNow: () => (c.now += 10) };
    const outer: ScheduledEvaluation = {
      height: 1,
      evaluateNow: () => {
        c.now += 5;
        scheduler.evaluateOrDefer(inner);
      },
    };
    scheduler.evaluateOrDefer(outer);
    // 15 ms held: counted as 15, not 25 (the inner's 10 twice)
    expect(scheduler.sliceSpent).toBe(false);
  });
});

describe('eval attributes of a manager: a change reaching many costly attributes', () => {
  // the clock advances 10 ms each time it is read: each evaluation the scheduler times costs 10 ms
  // (expressions on scalars never read the sandbox's clock)
  const stepping = () => {
    const c = { now: 0, clock: () => (c.now += 10) };
    return c;
  };
  // one manager for both cases (each manager builds its own mathjs instance, most of the time here)
  const m = createManager({
    builtins: false,
    schemes: [createLocScheme(), createEvalScheme({ clock: stepping().clock })],
    gcTime: 0,
  });
  // the evaluator is loaded on first use: loaded before, so the first readings do not wait for it
  beforeAll(() => loadEvalBackend());
  afterAll(() => m.dispose());
  const mag = (r: Reading) => (r.rvalue as Quantity).magnitude as number;

  for (const [kind, source, expression] of [
    ['one input (evaluated at once)', 'loc:/d/x?init=1', (k: number) => `eval:{loc:/d/x?init=1}*1+${k}`],
    [
      'two inputs (through the flush)',
      'loc:/d/u?init=1',
      (k: number) => `eval:{loc:/d/u?init=1}+{loc:/d/v?init=0}+${k}`,
    ],
  ] as const) {
    it(`${kind}: a macrotask queued with the change runs before the last attribute is evaluated`, async () => {
      const x = m.attribute(source);
      const events: string[] = [];
      const subs = Array.from({ length: 12 }, (_, k) => {
        const e = m.attribute(expression(k));
        return { e, k, sub: e.subscribe((r) => events.push(`e${k}=${mag(r)}`)) };
      });
      for (const { e, k } of subs) await waitForReading(e, (r) => mag(r) === 1 + k, 20_000);
      await nextTurn();
      events.length = 0;
      const written = x.write(5);
      setImmediate(() => events.push('between'));
      await written;
      for (const { e, k } of subs) await waitForReading(e, (r) => mag(r) === 5 + k, 20_000);
      const updates = events.filter((e) => e !== 'between');
      expect(updates.sort()).toEqual(Array.from({ length: 12 }, (_, k) => `e${k}=${5 + k}`).sort());
      // not every evaluation in the turn of the change: the loop ran a callback queued with it
      const at = events.indexOf('between');
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(events.length - 1);
      for (const { sub } of subs) sub.unsubscribe();
    });
  }
});

describe('reads of attributes without inputs (polled ones) share the slices', () => {
  // the clock advances 10 ms each time it is read: each timed evaluation costs 10 ms
  const c = { now: 0, clock: () => (c.now += 10) };
  const m = createManager({
    builtins: false,
    schemes: [createEvalScheme({ clock: c.clock })],
    gcTime: 0,
  });
  beforeAll(() => loadEvalBackend());
  afterAll(() => m.dispose());

  it('12 reads at once (one polling tick) let a callback queued with them run before the last is evaluated', async () => {
    const attributes = Array.from({ length: 12 }, (_, k) => m.attribute(`eval:${k}+0.5`));
    await Promise.all(attributes.map((a) => a.read({ cache: false })));
    await nextTurn();
    const events: string[] = [];
    const reads = attributes.map((a, k) =>
      a.read({ cache: false }).then((r) => {
        events.push(`e${k}=${(r.rvalue as Quantity).magnitude}`);
      }),
    );
    setImmediate(() => events.push('between'));
    await Promise.all(reads);
    expect(events.filter((e) => e !== 'between').sort()).toEqual(
      Array.from({ length: 12 }, (_, k) => `e${k}=${k + 0.5}`).sort(),
    );
    const at = events.indexOf('between');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(events.length - 1);
  });
});
