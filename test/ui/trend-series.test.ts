import { GCProfiler, getHeapStatistics } from 'node:v8';
import { fc, test } from '@fast-check/vitest';
import { decimateArray, decimateRing, TimeSeriesBuffer } from 'tk-core/ui';
import { describe, expect, it } from 'vitest';

/** What a ring buffer must hold: the newest `capacity` points, times clamped to stay ordered, then the window. */
function reference(points: readonly [number, number][], capacity: number, window: number) {
  const kept: [number, number][] = [];
  for (const [t0, v] of points) {
    const last = kept.at(-1)?.[0];
    const t = last !== undefined && t0 < last ? last : t0;
    kept.push([t, v]);
    if (kept.length > capacity) kept.shift();
  }
  const newest = kept.at(-1)?.[0];
  return newest === undefined ? kept : kept.filter(([t]) => t >= newest - window);
}

const point = fc.tuple(
  fc.integer({ min: 0, max: 1000 }),
  fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(Number.NaN)),
);

describe('TimeSeriesBuffer (the ring buffer behind a trend curve)', () => {
  test.prop([
    fc.array(point, { maxLength: 200 }),
    fc.integer({ min: 1, max: 40 }),
    fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 500 })),
  ])(
    'holds the newest points within capacity and window, oldest first, for any pushes',
    (pts, capacity, window) => {
      const b = new TimeSeriesBuffer({ capacity, window });
      for (const [t, v] of pts) b.push(t, v);
      const want = reference(pts, capacity, window);
      expect(b.length).toBe(want.length);
      const got = Array.from({ length: b.length }, (_, i) => [b.timeAt(i), b.valueAt(i)]);
      expect(got).toEqual(want);
      const arrays = b.toArrays();
      expect(Array.from(arrays.time)).toEqual(want.map(([t]) => t));
      expect(Array.from(arrays.value)).toEqual(want.map(([, v]) => v));
    },
  );

  it('stores a point stamped before its predecessor at the predecessor time, and counts it', () => {
    const b = new TimeSeriesBuffer({ capacity: 4 });
    b.push(10, 1);
    b.push(5, 2);
    expect([b.timeAt(1), b.valueAt(1), b.reordered]).toEqual([10, 2, 1]);
  });

  it('refuses a point whose time is not a finite number', () => {
    const b = new TimeSeriesBuffer({ capacity: 4 });
    expect(b.push(Number.NaN, 1)).toBe(false);
    expect(b.push(Number.POSITIVE_INFINITY, 1)).toBe(false);
    expect(b.push(1, Number.NaN)).toBe(true);
    expect(b.length).toBe(1);
  });

  it('counts points lost to the capacity', () => {
    const b = new TimeSeriesBuffer({ capacity: 3 });
    for (let i = 0; i < 10; i++) b.push(i, i);
    expect([b.length, b.overwritten, b.oldestTime, b.newestTime]).toEqual([3, 7, 7, 9]);
  });

  it.each([
    [{ capacity: 0 }, /capacity must be a positive integer, got 0/],
    [{ capacity: 1.5 }, /capacity must be a positive integer, got 1.5/],
    [{ capacity: 10, window: 0 }, /window must be a positive number of milliseconds/],
    [{ capacity: 10, window: Number.NaN }, /window must be a positive number of milliseconds/],
  ])('names a bad option %j', (options, message) => {
    expect(() => new TimeSeriesBuffer(options)).toThrow(message);
  });

  it('appends without allocating: no heap growth and no garbage collection over 200,000 appends', () => {
    const gc = globalThis.gc;
    expect(typeof gc).toBe('function');
    const b = new TimeSeriesBuffer({ capacity: 4096 });
    // numbers made once: the loop passes the same heap numbers, so any allocation is the buffer's own
    const time = 1.7e12 + 0.5;
    const value = 0.25;
    const run = (n: number) => {
      for (let i = 0; i < n; i++) b.push(time, value);
    };
    run(50_000); // warm up: optimized code keeps doubles unboxed
    let clean: number | undefined;
    const deltas: number[] = [];
    for (let attempt = 0; attempt < 20 && clean === undefined; attempt++) {
      gc!();
      const profiler = new GCProfiler();
      profiler.start();
      const before = getHeapStatistics().used_heap_size;
      run(200_000);
      const after = getHeapStatistics().used_heap_size;
      const collections = profiler.stop().statistics.length;
      deltas.push(after - before);
      // 200,000 appends allocating even 8 bytes each would be 1.6 MB (and would start a collection)
      if (collections === 0 && after - before < 64 * 1024) clean = after - before;
    }
    expect(clean, `heap growth per attempt: ${deltas.join(', ')} bytes`).toBeDefined();
  });
});

/** The column of each point by the documented rule, and the brute-force min and max per column. */
function bruteColumns(points: readonly [number, number][], width: number, from: number, to: number) {
  const scale = to > from ? width / (to - from) : 0;
  const cols = Array.from({ length: width }, () => [] as [number, number][]);
  for (const [t, v] of points) {
    if (t < from || t > to) continue;
    cols[Math.min(width - 1, Math.floor((t - from) * scale))]!.push([t, v]);
  }
  return cols;
}

describe('M4 decimation', () => {
  test.prop([
    fc
      .array(point, { maxLength: 300 })
      .map((pts) => pts.map(([t, v], i) => [t + i * 3, v] as [number, number])),
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 0, max: 200 }),
  ])(
    'keeps each column first, last, minimum and maximum, in time order, for any series, width and range',
    (pts, capacity, width, cut) => {
      const b = new TimeSeriesBuffer({ capacity });
      for (const [t, v] of pts) b.push(t, v);
      const kept = reference(pts, capacity, Number.POSITIVE_INFINITY);
      const from = (kept[0]?.[0] ?? 0) + cut;
      const to = Math.max(from, kept.at(-1)?.[0] ?? 0);
      const s = b.decimate(width, from, to);
      const cols = bruteColumns(kept, width, from, to);
      const line: [number, number][] = [];
      for (let c = 0; c < width; c++) {
        const col = cols[c]!;
        const finite = col.map(([, v]) => v).filter((v) => !Number.isNaN(v));
        const nan = Number.NaN;
        expect(s.columns.first[c]).toBe(col[0]?.[1] ?? nan);
        expect(s.columns.last[c]).toBe(col.at(-1)?.[1] ?? nan);
        // -0 and 0 are one value on a chart (Math.min(0, -0) is -0; a column may keep either)
        const zero = (v: number | undefined) => (v === 0 ? 0 : v);
        expect(zero(s.columns.min[c])).toBe(finite.length ? zero(Math.min(...finite)) : nan);
        expect(zero(s.columns.max[c])).toBe(finite.length ? zero(Math.max(...finite)) : nan);
        // how many points the column holds: 0 for an empty column, more for a gap of NaN points
        expect(s.columns.count[c]).toBe(col.length);
        if (col.length === 0) continue;
        // the points drawn for this column: its first and last, and a point at its min and at its max
        const drawn = [];
        for (let k = 0; k < s.x.length; k++) {
          const x = s.x[k]!;
          if (col.some(([t]) => t === x)) drawn.push([x, s.y[k]!] as [number, number]);
        }
        expect(drawn.length).toBeLessThanOrEqual(4);
        expect(drawn[0]).toEqual(col[0]);
        expect(drawn.at(-1)).toEqual(col.at(-1));
        if (finite.length) {
          expect(drawn.some(([, v]) => v === Math.min(...finite))).toBe(true);
          expect(drawn.some(([, v]) => v === Math.max(...finite))).toBe(true);
        }
        line.push(...drawn);
      }
      expect(s.count).toBe(cols.reduce((n, c) => n + c.length, 0));
      expect(s.x.length).toBe(line.length);
      for (let k = 1; k < s.x.length; k++) expect(s.x[k]!).toBeGreaterThanOrEqual(s.x[k - 1]!);
    },
  );

  it('keeps a single peak among a million points at any width', () => {
    const n = 1_000_000;
    const b = new TimeSeriesBuffer({ capacity: n });
    for (let i = 0; i < n; i++) b.push(i, i === 777_777 ? 10 : 0);
    for (const width of [1, 7, 1000, 4096]) {
      const s = b.decimate(width);
      expect([s.max, Math.max(...s.columns.max), Math.max(...s.y)]).toEqual([10, 10, 10]);
      expect(s.x.length).toBeLessThanOrEqual(4 * width);
    }
  });

  it('decimates a ring that wrapped around', () => {
    const b = new TimeSeriesBuffer({ capacity: 10 });
    for (let i = 0; i < 25; i++) b.push(i, i % 10 === 9 ? 100 + i : i);
    const s = b.decimate(2);
    expect([s.from, s.to, s.count]).toEqual([15, 24, 10]);
    expect(Array.from(s.columns.max)).toEqual([119, 24]);
    expect(Array.from(s.columns.first)).toEqual([15, 20]);
  });

  it('puts every point in column 0 when the range is a single instant', () => {
    const s = decimateRing(
      { times: new Float64Array([5, 5, 5]), values: new Float64Array([1, 3, 2]), start: 0, length: 3 },
      4,
      5,
      5,
    );
    expect([s.columns.min[0], s.columns.max[0], s.count]).toEqual([1, 3, 3]);
    expect(Number.isNaN(s.columns.max[1]!)).toBe(true);
  });

  it('refuses a bad width or range with what would be valid', () => {
    const b = new TimeSeriesBuffer({ capacity: 2 });
    expect(() => b.decimate(0)).toThrow(/width must be a positive integer \(pixel columns\), got 0/);
    expect(() => b.decimate(2.5)).toThrow(/got 2.5/);
    expect(() => b.decimate(2, 10, 5)).toThrow(/from \(10\) must not be after to \(5\)/);
  });

  it('a 256-point spectrum that is 0 except one 10 keeps its 10 at every width', () => {
    const v = new Float64Array(256);
    v[97] = 10;
    for (let width = 1; width <= 300; width++) {
      const s = decimateArray(v, width);
      expect(Math.max(...s.columns.max.filter((x) => !Number.isNaN(x)))).toBe(10);
      expect(Math.max(...s.y)).toBe(10);
    }
  });

  test.prop([fc.array(fc.double({ noNaN: true }), { maxLength: 200 }), fc.integer({ min: 1, max: 80 })])(
    'decimates a spectrum by index: each column the brute-force min and max, every point kept when it fits',
    (xs, width) => {
      const s = decimateArray(Float64Array.from(xs), width);
      const cols = bruteColumns(
        xs.map((v, i) => [i, v]),
        width,
        0,
        Math.max(0, xs.length - 1),
      );
      // index columns: floor(k * width / n) for n points
      const n = xs.length;
      const byIndex = Array.from({ length: width }, (_, c) =>
        xs.filter((_, k) => Math.min(width - 1, Math.floor((k * width) / n)) === c),
      );
      for (let c = 0; c < width; c++) {
        const col = byIndex[c]!;
        expect(s.columns.max[c]).toBe(col.length ? Math.max(...col) : Number.NaN);
        expect(s.columns.min[c]).toBe(col.length ? Math.min(...col) : Number.NaN);
        expect(s.columns.count[c]).toBe(col.length);
      }
      if (n <= width) expect(Array.from(s.y)).toEqual(xs);
      expect(cols.length).toBe(width);
      expect(s.count).toBe(n);
    },
  );
});
