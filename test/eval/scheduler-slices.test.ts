// Issue 10 item 5: evaluation never holds the event loop much longer than one
// time budget, whatever the number of costly attributes. The scheduler times
// its evaluations with an injected clock (each evaluation "costs" a known
// time) and, once a turn's slice is spent, leaves the rest to a later
// macrotask: a callback queued meanwhile runs before the flush ends. The
// clock is read after each evaluation that is not light, and after every
// LIGHT_EVALUATIONS_PER_READth light one in a row (counted in
// scheduler-clock-reads.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, type Quantity, type Reading } from '../../src/index.js';
import {
  EvaluationScheduler,
  LIGHT_EVALUATIONS_PER_READ,
  type ScheduledEvaluation,
} from '../../src/schemes/eval/evaluation/index.js';
import { createEvalScheme, loadEvalBackend } from '../../src/schemes/eval/index.js';
import { CHECK_EVERY } from '../../src/schemes/eval/sandbox/meter.js';
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
        return false;
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
    const late: ScheduledEvaluation = {
      height: 0,
      evaluateNow: () => {
        order.push('late');
        return true;
      },
    };
    const slow = (name: string): ScheduledEvaluation => ({
      height: 2,
      evaluateNow: () => {
        c.now += 10;
        order.push(name);
        return false;
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
    for (let k = 0; k < 1000; k++) {
      scheduler.markDirty({
        height: 1,
        evaluateNow: () => {
          order.push(k);
          return true;
        },
      });
    }
    await Promise.resolve();
    expect(order).toHaveLength(1000);
    expect(scheduler.yields).toBe(0);
  });
});

describe('eval attributes of a manager: a change reaching many costly attributes', () => {
  // the clock advances 10 ms each time it is read: each heavy evaluation (more than CHECK_EVERY units of
  // work, so the sandbox reads the clock too, and the scheduler reads it at its end) costs 10 ms or more;
  // light ones (on scalars) never read the sandbox's clock, and the scheduler's every k of them
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
  /** Work of more than CHECK_EVERY units that adds nothing. */
  const heavy = `sum(zeros(${CHECK_EVERY}))`;

  /**
   * Twelve attributes `expression(k)` (each `1 + k` at first) of input
   * `source`: writes 5 to it, with a macrotask queued alongside that records
   * `between`; resolves, once each has its new value (`5 + k`), the events
   * (what the twelve deliver, and `between`, as they come) and `stop`, which
   * unsubscribes the twelve.
   */
  const changeReachingTwelve = async (source: string, expression: (k: number) => string) => {
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
    return {
      events,
      stop: () => {
        for (const { sub } of subs) sub.unsubscribe();
      },
    };
  };

  for (const [kind, source, expression] of [
    [
      'one input (evaluated at once)',
      'loc:/d/x?init=1',
      (k: number) => `eval:{loc:/d/x?init=1}*1+${k}+${heavy}`,
    ],
    [
      'two inputs (through the flush)',
      'loc:/d/u?init=1',
      (k: number) => `eval:{loc:/d/u?init=1}+{loc:/d/v?init=0}+${k}+${heavy}`,
    ],
  ] as const) {
    it(`${kind}: a macrotask queued with the change runs before the last attribute is evaluated`, async () => {
      const { events, stop } = await changeReachingTwelve(source, expression);
      const updates = events.filter((e) => e !== 'between');
      expect(updates.sort()).toEqual(Array.from({ length: 12 }, (_, k) => `e${k}=${5 + k}`).sort());
      // not every evaluation in the turn of the change: the loop ran a callback queued with it
      const at = events.indexOf('between');
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(events.length - 1);
      // heavy evaluations are read at their end: not k of them before the slice is found spent
      expect(at).toBeLessThan(LIGHT_EVALUATIONS_PER_READ);
      stop();
    });
  }

  it('light ones: a change reaching twelve is evaluated in its turn (the clock read twice: 10 ms counted)', async () => {
    const { events, stop } = await changeReachingTwelve(
      'loc:/d/y?init=1',
      (k) => `eval:{loc:/d/y?init=1}*1+${k}`,
    );
    await nextTurn();
    // every evaluation before the callback queued with the change: only the turn's start and the kth
    // light one read the clock (10 ms counted; a read after each would spend the slice after three)
    expect(events.indexOf('between')).toBe(12);
    expect(events.filter((e) => e !== 'between').sort()).toEqual(
      Array.from({ length: 12 }, (_, k) => `e${k}=${5 + k}`).sort(),
    );
    stop();
  });
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
