import { afterEach, describe, expect, it } from 'vitest';
import { createManager, createVirtualClock, type Manager, type VirtualClock } from '../../src/index.js';
import { expectNoLeaks } from '../../src/testing/index.js';
import { createTrend, DEFAULT_TREND_CAPACITY, type TrendController } from '../../src/ui/index.js';

const T0 = 1_700_000_000_000;
let m: Manager;
let clock: VirtualClock;
let trend: TrendController | undefined;

function setup(options: { pollingPeriod?: number } = {}) {
  clock = createVirtualClock(T0);
  m = createManager({ clock, gcTime: 0, ...options });
  return m;
}

afterEach(async () => {
  trend?.dispose();
  trend = undefined;
  await m?.dispose();
});

/** Writes `values` to `uri`, one every `dt` ms of virtual time. */
async function feed(uri: string, values: readonly number[], dt = 100): Promise<void> {
  const a = m.attribute(uri);
  for (const v of values) {
    clock.advance(dt);
    await a.write(v);
  }
}

const X = 'loc:/trend/x?type=float&units=mm&label=Position';
const Y = 'loc:/trend/y?type=float&units=V';

describe('createTrend: a bounded time series per attribute', () => {
  it('records each reading at its time, with label, units and quality per curve', async () => {
    setup();
    trend = createTrend([X, Y], { manager: m });
    await feed(X, [1, 2, 3]);
    const s = trend.getSnapshot();
    expect(s.curves.map((c) => [c.label, c.units, c.quality])).toEqual([
      ['Position', 'mm', 'VALID'],
      ['y', 'V', 'VALID'],
    ]);
    const [x, y] = trend.series(10);
    // the initial value (0 at T0), then the three writes
    expect(Array.from(x!.y)).toEqual([0, 1, 2, 3]);
    expect(Array.from(x!.x)).toEqual([T0, T0 + 100, T0 + 200, T0 + 300]);
    expect(y!.count).toBe(1);
    expect(s.points).toBe(5);
  });

  it('keeps a single peak among 100,000 points at any width (M4), with min and max per column', async () => {
    setup();
    trend = createTrend(X, { manager: m, capacity: 200_000 });
    const values = Array.from({ length: 100_000 }, (_, i) => (i === 61_234 ? 10 : 0));
    await feed(X, values, 1);
    for (const width of [1, 80, 1000]) {
      const [s] = trend.series(width);
      expect(s!.max).toBe(10);
      expect(Math.max(...s!.y)).toBe(10);
      expect(s!.x.length).toBeLessThanOrEqual(4 * width);
    }
  });

  it('is bounded by its capacity and by its time window', async () => {
    setup();
    trend = createTrend(X, { manager: m, capacity: 5 });
    await feed(X, [1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(trend.series(100)[0]!.y)).toEqual([3, 4, 5, 6, 7]);
    trend.dispose();
    trend = createTrend(Y, { manager: m, window: 250 });
    await feed(Y, [1, 2, 3, 4, 5]);
    const r = trend.range()!;
    expect([r.from, r.to]).toEqual([clock.now() - 250, clock.now()]);
    expect(Array.from(trend.series(100)[0]!.y)).toEqual([3, 4, 5]);
    expect(DEFAULT_TREND_CAPACITY).toBe(65_536);
  });

  it('pause freezes the range shown while recording goes on; resume follows again', async () => {
    setup();
    trend = createTrend(X, { manager: m });
    await feed(X, [1, 2]);
    trend.pause();
    const frozen = trend.getSnapshot().pausedRange!;
    expect(frozen).toEqual({ from: T0, to: T0 + 200 });
    await feed(X, [3, 4]);
    expect(trend.range()).toEqual(frozen);
    expect(Array.from(trend.series(10)[0]!.y)).toEqual([0, 1, 2]);
    trend.resume();
    expect(trend.getSnapshot().paused).toBe(false);
    expect(Array.from(trend.series(10)[0]!.y)).toEqual([0, 1, 2, 3, 4]);
  });

  it('trends an array attribute as one curve per element (label[i]), new curves when its length changes', async () => {
    setup();
    const A = 'loc:/trend/arr?type=float[]&units=mm&init=[1,2,3]&label=Gap';
    trend = createTrend(A, { manager: m });
    clock.advance(100);
    await m.attribute(A).write([4, 5, 6]);
    const s = trend.getSnapshot();
    expect(s.curves.map((c) => [c.key.slice(-3), c.label, c.units])).toEqual([
      ['[0]', 'Gap[0]', 'mm'],
      ['[1]', 'Gap[1]', 'mm'],
      ['[2]', 'Gap[2]', 'mm'],
    ]);
    expect(trend.series(10).map((c) => Array.from(c.y))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    clock.advance(100);
    await m.attribute(A).write([7, 8]);
    expect(trend.series(10).map((c) => [c.label, Array.from(c.y)])).toEqual([
      ['Gap[0]', [7]],
      ['Gap[1]', [8]],
    ]);
    expect(trend.remove(m.attribute(A).fullName)).toBe(true);
    expect(trend.getSnapshot().curves).toEqual([]);
  });

  it('draws what the clock says is now: the range reaches the present when no point came', async () => {
    setup();
    trend = createTrend(X, { manager: m, window: 1000 });
    await feed(X, [1]);
    clock.advance(5000);
    expect(trend.range()).toEqual({ from: T0 + 5100 - 1000, to: T0 + 5100 });
    expect(trend.series(10)[0]!.count).toBe(0);
  });

  it('appends polled values equal to the previous one (periodic events), as Taurus trends do', async () => {
    setup({ pollingPeriod: 1000 });
    trend = createTrend('eval:2*3', { manager: m });
    await m.attribute('eval:2*3').read();
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await m.attribute('eval:2*3').read({ cache: true });
    }
    // one point per poll although the value never changes (value$ would have given one point in all)
    const [s] = trend.series(100);
    expect(Array.from(s!.x, (t) => t - T0)).toEqual([0, 1000, 2000, 3000]);
    expect(Array.from(s!.y)).toEqual([6, 6, 6, 6]);
  });

  it('shows an invalid reading as a gap (NaN) and says why; a value that is not a number is named', async () => {
    setup();
    trend = createTrend(['loc:/trend/s?type=string&init=hello', X], { manager: m });
    await feed(X, [1]);
    const [s] = trend.getSnapshot().curves;
    expect(s!.error).toMatch(/the value is text, not a number: a trend draws numbers and booleans/);
    expect(Number.isNaN(trend.series(4)[0]!.y[0]!)).toBe(true);
    const b = createTrend('loc:/trend/b?type=bool&init=true', { manager: m });
    expect(Array.from(b.series(4)[0]!.y)).toEqual([1]);
    b.dispose();
  });

  it('keeps the curves array and each curve object while only points are added', async () => {
    setup();
    trend = createTrend([X, Y], { manager: m });
    await feed(X, [1]);
    const before = trend.getSnapshot();
    let renders = 0;
    const stop = trend.subscribe(() => renders++);
    await feed(X, [2, 3]);
    stop();
    const after = trend.getSnapshot();
    expect(renders).toBe(3); // the snapshot at once, then one per point
    expect(after.curves).toBe(before.curves);
    expect(after.points).toBe(before.points + 2);
  });

  it('exports CSV: a time column and one per curve, rows merged by time, text cells quoted and defused', async () => {
    setup();
    trend = createTrend(
      ['loc:/trend/a?type=float&label=a%2C%20%22b%22', 'loc:/trend/f?type=float&label=%3DSUM(A1)'],
      {
        manager: m,
      },
    );
    clock.advance(100);
    await m.attribute('loc:/trend/a?type=float&label=a%2C%20%22b%22').write(1.5);
    expect(trend.toCSV({ time: 'ms' }).split('\r\n')).toEqual([
      'time,"a, ""b""",\'=SUM(A1)',
      `${T0},0,0`,
      `${T0 + 100},1.5,`,
      '',
    ]);
    expect(trend.toCSV().split('\r\n')[1]).toBe(`${new Date(T0).toISOString()},0,0`);
    expect(trend.toCSV({ from: T0 + 1 }).split('\r\n')).toHaveLength(3);
  });

  it('exports versioned JSON: times, values (null for a gap)', async () => {
    setup();
    trend = createTrend([X, 'loc:/trend/s?type=string&init=hello'], { manager: m });
    await feed(X, [2]);
    const json = trend.toJSON();
    // an invalid value is a gap: null in JSON
    expect(json.curves[1]).toMatchObject({ label: 's', time: [new Date(T0).toISOString()], value: [null] });
    expect({ ...json, curves: json.curves.slice(0, 1) }).toEqual({
      format: 'tk-core/trend',
      version: 1,
      time: 'iso',
      curves: [
        {
          key: 'loc://local/trend/x?type=float&units=mm&label=Position',
          label: 'Position',
          units: 'mm',
          time: [new Date(T0).toISOString(), new Date(T0 + 100).toISOString()],
          value: [0, 2],
        },
      ],
    });
    expect(() => trend!.toJSON({ time: 'epoch' as 'ms' })).toThrow(/time must be 'iso' or 'ms', got "epoch"/);
  });

  it('add, remove, duplicates, clear', async () => {
    setup();
    trend = createTrend([], { manager: m });
    expect(trend.add(X)).toBe(trend.add('loc:/trend/x?units=mm&type=float&label=Position'));
    expect(trend.getSnapshot().curves).toHaveLength(1);
    await feed(X, [1]);
    trend.clear();
    expect(trend.series(5)[0]!.count).toBe(0);
    expect(trend.remove('loc://local/trend/x?type=float&units=mm&label=Position')).toBe(true);
    expect(trend.remove('nope')).toBe(false);
    expect(trend.getSnapshot().curves).toEqual([]);
  });

  it('refuses bad input with what would be valid, and lets go of every attribute on dispose', () => {
    setup();
    expect(() => createTrend([X, 'loc:/bad//name'], { manager: m })).toThrow(/loc:\/bad\/\/name/);
    expect(() => createTrend([X, 42 as unknown as string], { manager: m })).toThrow(
      /A model must be an attribute or its URI .* got number 42/,
    );
    expect(() => createTrend(X, { manager: m, capacity: 0 })).toThrow(
      /capacity must be a positive integer, got 0/,
    );
    expect(() => createTrend(X, { manager: m, window: -5 })).toThrow(/window must be a positive number/);
    // the refused trends let go of what they had bound
    expectNoLeaks(m);
    const t = createTrend([X, Y], { manager: m });
    expect(() => t.series(0)).toThrow(/width must be a positive integer \(pixel columns\), got 0/);
    t.dispose();
    expectNoLeaks(m);
  });
});
