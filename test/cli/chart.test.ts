/**
 * The terminal charts of `tk trend` and `tk plot`, in process: drawn from
 * tk-core/ui's M4 series (minimum and maximum of every column kept), with the
 * header formatted by a display controller (issue 11 item 12, issue 13 "Use
 * it ourselves").
 */
import { fc, test } from '@fast-check/vitest';
import pc from 'picocolors';
import { afterEach, describe, expect, it } from 'vitest';
import { drawChart, LABEL_WIDTH, plotColumns } from '../../src/cli/live/chart.js';
import { ChartView } from '../../src/cli/live/chart-view.js';
import { createManager, createVirtualClock, type Manager } from '../../src/index.js';
import { decimateArray } from '../../src/ui/index.js';

const GLYPH = /[─│╭╮╯╰]/;
const plain = pc.createColors(false);

/** The value of a chart line's label. */
function labelOf(line: string): number {
  return Number(line.slice(0, LABEL_WIDTH - 2));
}

/** The plot area of a chart line (after the axis). */
function areaOf(line: string): string {
  return line.slice(LABEL_WIDTH);
}

describe('drawChart', () => {
  test.prop(
    [
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 500 }),
      fc.integer({ min: 2, max: 120 }),
      fc.integer({ min: 2, max: 20 }),
    ],
    { seed: 5151 },
  )('labels the rows from the maximum down to the minimum, and draws both', (values, columns, height) => {
    const series = decimateArray(Float64Array.from(values), columns);
    const lines = drawChart(series, { width: columns + LABEL_WIDTH, height, color: false });
    expect(lines).toHaveLength(height);
    for (const l of lines) {
      expect(l.slice(LABEL_WIDTH - 2, LABEL_WIDTH)).toBe(' ┤');
      expect(l.length).toBeLessThanOrEqual(columns + LABEL_WIDTH);
    }
    const min = Math.min(...values);
    const max = Math.max(...values);
    const near = (label: number, x: number) =>
      expect(Math.abs(label - x)).toBeLessThanOrEqual(0.006 * Math.abs(x) + 1e-3);
    if (max > min) {
      // the extremes label the top and bottom rows, and the line reaches both (no peak is lost)
      near(labelOf(lines[0]!), max);
      near(labelOf(lines.at(-1)!), min);
      expect(areaOf(lines[0]!)).toMatch(GLYPH);
      expect(areaOf(lines.at(-1)!)).toMatch(GLYPH);
    }
    // every column holding a point is drawn
    for (let c = 0; c < columns; c++) {
      if (series.columns.count[c]! > 0) expect(lines.some((l) => GLYPH.test(areaOf(l)[c] ?? ''))).toBe(true);
    }
  });

  it('bridges empty columns, breaks at a column of invalid points, and draws nothing without a value', () => {
    // 3 points into 9 columns: columns 0, 3, 6 hold them; columns 1, 2, 4, 5 are bridged, 7 and 8 stay empty
    const bridged = drawChart(decimateArray(Float64Array.from([0, 1, 0]), 9), {
      width: 9 + LABEL_WIDTH,
      height: 3,
      color: false,
    });
    expect(bridged.map(areaOf)).toEqual(['   ╭╮', ' ╭─╯╰─╮', '─╯    ╰']);
    // a NaN point in the middle: its column is a gap, nothing is drawn across it
    const gap = drawChart(decimateArray(Float64Array.from([1, 1, Number.NaN, 1, 1]), 5), {
      width: 5 + LABEL_WIDTH,
      height: 3,
      color: false,
    });
    expect(gap.map(areaOf)).toEqual(['', '── ──', '']);
    expect(
      drawChart(decimateArray(Float64Array.from([Number.NaN]), 5), { width: 40, height: 3, color: false }),
    ).toEqual([]);
  });
});

describe('ChartView: the header and chart of tk trend and tk plot', () => {
  let m: Manager | undefined;
  let view: ChartView | undefined;
  afterEach(async () => {
    view?.dispose();
    view = undefined;
    await m?.dispose();
    m = undefined;
  });
  const peak = Array.from({ length: 256 }, (_, i) => (i === 100 ? 10 : 0));

  it('tk trend keeps a peak: 256 samples, 0 but one 10, draw up to 10 (issue 11 item 12)', async () => {
    const clock = createVirtualClock(1_700_000_000_000);
    m = createManager({ clock, gcTime: 0 });
    const uri = 'loc:/peak/t?type=float&units=mm';
    view = new ChartView('trend', uri, { manager: m });
    const a = m.attribute(uri);
    for (const v of peak) {
      clock.advance(100);
      await a.write(v);
    }
    for (const width of [40, 80, 300]) {
      const [header, ...chart] = view.lines({ width, height: 5, colors: plain });
      // the initial value (0) and the 256 written; values as the attribute's display formats them
      expect(header).toBe('t  0.0 mm  VALID  257 samples  min 0.0  max 10.0 mm');
      expect(chart).toHaveLength(5);
      expect(labelOf(chart[0]!)).toBe(10);
      expect(areaOf(chart[0]!)).toMatch(/[│╭╮]/);
      expect(labelOf(chart[4]!)).toBe(0);
      expect(view.series(plotColumns(width)).max).toBe(10);
    }
  });

  it('tk plot keeps a peak and formats its header with the display (issue 11 item 12)', async () => {
    m = createManager({ gcTime: 0 });
    const uri = 'loc:/peak/p?type=float[]&units=V';
    view = new ChartView('plot', uri, { manager: m });
    await m.attribute(uri).write(peak);
    const [header, top] = view.lines({ width: 40, height: 4, colors: plain });
    expect(header).toBe('p  VALID  256 points  min 0.0  max 10.0 V');
    expect(labelOf(top!)).toBe(10);
    expect(areaOf(top!)).toMatch(/[│╭╮]/);
    expect(view.taken).toBe(2);
  });

  it('says which command to use for a value of the wrong shape', async () => {
    m = createManager({ gcTime: 0 });
    view = new ChartView('trend', 'loc:/shape/a?init=[1,2,3]', { manager: m });
    await m.attribute('loc:/shape/a?init=[1,2,3]').read();
    expect(view.wrongType).toMatch(
      /^loc:\/\/local\/shape\/a\S* is not a numeric scalar \(\[1\. 2\. 3\.\]\): use tk plot for arrays/,
    );
    view.dispose();
    view = new ChartView('plot', 'loc:/shape/b?init=4', { manager: m });
    await m.attribute('loc:/shape/b?init=4').read();
    expect(view.wrongType).toMatch(/is not a 1-D numeric array \(4\.0\): use tk trend for numeric scalars$/);
  });
});
