import { afterEach, describe, expect, it } from 'vitest';
import { createManager, createVirtualClock, type Manager } from '../../src/index.js';
import { expectNoLeaks } from '../../src/testing/index.js';
import { createPlot, type PlotController } from '../../src/ui/index.js';

const T0 = 1_700_000_000_000;
let m: Manager;
let plot: PlotController | undefined;

function setup() {
  m = createManager({ clock: createVirtualClock(T0), gcTime: 0 });
  return m;
}

afterEach(async () => {
  plot?.dispose();
  plot = undefined;
  await m?.dispose();
});

const W = 'loc:/plot/w?type=float[]&units=V&label=Wave';
const spike = () => Array.from({ length: 256 }, (_, i) => (i === 200 ? 10 : 0));

describe('createPlot: spectrum attributes, decimated by index', () => {
  it('a 256-point array that is 0 except one 10 draws with a maximum of 10 at every width', async () => {
    setup();
    plot = createPlot(W, { manager: m });
    await m.attribute(W).write(spike());
    expect(plot.getSnapshot().curves[0]).toMatchObject({
      label: 'Wave',
      units: 'V',
      length: 256,
      quality: 'VALID',
    });
    for (let width = 1; width <= 300; width++) {
      const [s] = plot.series(width);
      expect(s!.max).toBe(10);
      expect(Math.max(...s!.y)).toBe(10);
      const column = Math.min(width - 1, Math.floor((200 * width) / 256));
      expect(s!.columns.max[column]).toBe(10);
    }
  });

  it('plots an eval spectrum (rand(256)) with index as x', async () => {
    setup();
    plot = createPlot('eval:rand(256)', { manager: m });
    await m.attribute('eval:rand(256)').read();
    const [s] = plot.series(1000);
    expect(plot.getSnapshot().curves[0]!.length).toBe(256);
    expect(Array.from(s!.x)).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(s!.min).toBeGreaterThanOrEqual(0);
    expect(s!.max).toBeLessThan(1);
  });

  it('pause keeps the array shown; resume shows the latest at once', async () => {
    setup();
    plot = createPlot(W, { manager: m });
    await m.attribute(W).write([1, 2, 3]);
    plot.pause();
    await m.attribute(W).write([4, 5, 6, 7]);
    expect(Array.from(plot.series(10)[0]!.y)).toEqual([1, 2, 3]);
    const updates = plot.getSnapshot().updates;
    plot.resume();
    expect(Array.from(plot.series(10)[0]!.y)).toEqual([4, 5, 6, 7]);
    expect(plot.getSnapshot()).toMatchObject({ paused: false, updates: updates + 1 });
  });

  it('names a value that is not a 1-D numeric array and keeps the array shown', async () => {
    setup();
    plot = createPlot(['loc:/plot/n?type=float&init=3', W], { manager: m });
    await m.attribute(W).write([1, 2]);
    const [n] = plot.getSnapshot().curves;
    expect(n!.error).toMatch(
      /the value is a number, not an array of numbers: a plot draws 1-D arrays \(use a trend for numbers\)/,
    );
    const s = 'loc:/plot/s?type=string[]';
    plot.add(s);
    await m.attribute(s).write(['a', 'b']);
    expect(plot.getSnapshot().curves[2]!.error).toMatch(/element 0 of the array is text/);
    expect(plot.series(4)[1]!.count).toBe(2);
  });

  it('cuts arrays longer than its capacity and says so', async () => {
    setup();
    plot = createPlot(W, { manager: m, capacity: 100 });
    await m.attribute(W).write(spike());
    expect(plot.getSnapshot().curves[0]).toMatchObject({
      length: 100,
      truncatedFrom: 256,
      error: 'the array has 256 points: the first 100 are shown (capacity)',
    });
  });

  it('exports CSV by index and versioned JSON', async () => {
    setup();
    plot = createPlot([W, 'loc:/plot/v?type=float[]&init=[5]'], { manager: m });
    await m.attribute(W).write([1, 2, 3]);
    expect(plot.toCSV().split('\r\n')).toEqual(['index,Wave [V],v', '0,1,5', '1,2,', '2,3,', '']);
    expect(plot.toCSV({ from: 1, to: 1 }).split('\r\n')).toEqual(['index,Wave [V],v', '1,2,', '']);
    expect(plot.toJSON({ time: 'ms' }).curves[0]).toEqual({
      key: 'loc://local/plot/w?type=float%5B%5D&units=V&label=Wave',
      label: 'Wave',
      units: 'V',
      time: T0,
      value: [1, 2, 3],
    });
  });

  it('refuses bad input and lets go of its attributes on dispose', () => {
    setup();
    expect(() => createPlot(W, { manager: m, capacity: 1.5 })).toThrow(
      /capacity must be a positive integer, got 1.5/,
    );
    expect(() => createPlot([W, {} as string], { manager: m })).toThrow(
      /A model must be an attribute or its URI/,
    );
    expectNoLeaks(m);
    const p = createPlot(W, { manager: m });
    expect(() => p.series(-1)).toThrow(/width must be a positive integer/);
    p.dispose();
    expectNoLeaks(m);
  });
});
