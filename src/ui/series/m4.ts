/**
 * M4 decimation (Jugel, Jerzak, Hackenbroich, Markl: "M4: A
 * Visualization-Oriented Time Series Data Aggregation", VLDB 2014): to draw
 * a series `width` pixels wide, keep per pixel column its first, last,
 * minimum and maximum point. A line through those points covers the same
 * pixels as a line through every point, so peaks survive (an average would
 * flatten them).
 *
 * One pass over the data, with no work per point beyond a minimum/maximum
 * comparison: column boundaries are found by binary search over the times
 * (or by arithmetic over indices), not computed point by point.
 *
 * @module
 */

/** The columns of a decimated series: one entry per pixel column, `NaN` where a column holds no point. */
export interface M4Columns {
  /** Value of the column's first point. */
  readonly first: Float64Array;
  /** Value of the column's last point. */
  readonly last: Float64Array;
  /** Smallest value in the column (`NaN` values are skipped). */
  readonly min: Float64Array;
  /** Largest value in the column (`NaN` values are skipped). */
  readonly max: Float64Array;
  /**
   * Points of the source in the column: 0 for an empty column (no data: a
   * line may be drawn across it), more when it holds points, which may all be
   * `NaN` (a gap: `min` is then `NaN` and a line must break there).
   */
  readonly count: Uint32Array;
}

/** A series decimated to a pixel width. */
export interface M4Series {
  /** Number of columns. */
  readonly width: number;
  /** Start of the x range (a time in ms, or an index). */
  readonly from: number;
  /** End of the x range (inclusive). */
  readonly to: number;
  /** Points of the source within the range. */
  readonly count: number;
  /** Smallest value within the range, `NaN` values skipped (`NaN` when none). */
  readonly min: number;
  /** Largest value within the range, `NaN` values skipped (`NaN` when none). */
  readonly max: number;
  /** Per-column first, last, minimum and maximum. */
  readonly columns: M4Columns;
  /** x of the points to draw (times or indices), ascending; at most 4 per column. */
  readonly x: Float64Array;
  /** y of the points to draw (`NaN` marks a gap). */
  readonly y: Float64Array;
}

/** A ring buffer as the decimation sees it: physical arrays, the oldest point's slot, the point count. */
export interface RingView {
  /** Times, ascending in logical order (oldest at `start`). */
  readonly times: Float64Array;
  /** Values. */
  readonly values: Float64Array;
  /** Physical index of the oldest point. */
  readonly start: number;
  /** Number of points. */
  readonly length: number;
}

/** Checks a decimation width: a positive integer. */
export function checkWidth(width: number, what = 'width'): number {
  if (!Number.isSafeInteger(width) || width < 1) {
    throw new RangeError(`${what} must be a positive integer (pixel columns), got ${String(width)}`);
  }
  return width;
}

interface Output {
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly count: Uint32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  n: number;
  lo: number;
  hi: number;
}

function output(width: number): Output {
  const first = new Float64Array(width).fill(Number.NaN);
  return {
    first,
    last: first.slice(),
    min: first.slice(),
    max: first.slice(),
    count: new Uint32Array(width),
    x: new Float64Array(4 * width),
    y: new Float64Array(4 * width),
    n: 0,
    lo: Number.POSITIVE_INFINITY,
    hi: Number.NEGATIVE_INFINITY,
  };
}

function finish(out: Output, width: number, from: number, to: number, count: number): M4Series {
  return {
    width,
    from,
    to,
    count,
    min: out.lo === Number.POSITIVE_INFINITY ? Number.NaN : out.lo,
    max: out.hi === Number.NEGATIVE_INFINITY ? Number.NaN : out.hi,
    columns: { first: out.first, last: out.last, min: out.min, max: out.max, count: out.count },
    x: out.x.subarray(0, out.n),
    y: out.y.subarray(0, out.n),
  };
}

/**
 * Scans the logical range [a, b) of a ring (physical slots wrap at
 * `cap`) and records column `c`: its first, last, min and max, and the line
 * points in logical order. x is the time of a point, or its logical index plus `xOffset` without times.
 */
function column(
  out: Output,
  c: number,
  values: Float64Array,
  start: number,
  cap: number,
  a: number,
  b: number,
  times: Float64Array | undefined,
  xOffset: number,
): void {
  let pa = start + a;
  if (pa >= cap) pa -= cap;
  let pb = start + b;
  if (pb > cap) pb -= cap;
  let mn: number;
  let mx: number;
  let imn: number;
  let imx: number;
  if (pa < pb) {
    scan(values, pa, pb);
    mn = acc[0]!;
    imn = acc[1]!;
    mx = acc[2]!;
    imx = acc[3]!;
  } else {
    // the range wraps: [pa, cap) then [0, pb); the first occurrence of an extreme wins
    scan(values, pa, cap);
    mn = acc[0]!;
    imn = acc[1]!;
    mx = acc[2]!;
    imx = acc[3]!;
    scan(values, 0, pb);
    if (acc[1]! >= 0) {
      if (imn < 0 || acc[0]! < mn) {
        mn = acc[0]!;
        imn = acc[1]!;
      }
      if (imx < 0 || acc[2]! > mx) {
        mx = acc[2]!;
        imx = acc[3]!;
      }
    }
  }
  const pl = pb === 0 ? cap - 1 : pb - 1;
  out.count[c] = b - a;
  out.first[c] = values[pa]!;
  out.last[c] = values[pl]!;
  if (imn >= 0) {
    out.min[c] = mn;
    out.max[c] = mx;
    if (mn < out.lo) out.lo = mn;
    if (mx > out.hi) out.hi = mx;
  }
  // the line: first, then min and max in the order they came, then last; each point once
  const lf = a;
  const ll = b - 1;
  const lmn = imn < 0 ? -1 : logical(imn, start, cap);
  const lmx = imx < 0 ? -1 : logical(imx, start, cap);
  emit(out, lf, values, start, cap, times, xOffset);
  const p = Math.min(lmn, lmx);
  const q = Math.max(lmn, lmx);
  if (p > lf && p < ll) emit(out, p, values, start, cap, times, xOffset);
  if (q > lf && q < ll && q !== p) emit(out, q, values, start, cap, times, xOffset);
  if (ll > lf) emit(out, ll, values, start, cap, times, xOffset);
}

/** What {@link scan} found: minimum, its index, maximum, its index (indices -1 when every value was NaN). */
const acc = new Float64Array(4);

/**
 * The minimum and maximum of `values[lo..hi)` and where they first occur,
 * `NaN` skipped, into {@link acc}. A small function of its own with one
 * comparison per value in the common case: it compiles to a loop as tight as
 * a bare min/max loop (inlined into the column code it was twice as slow).
 */
function scan(values: Float64Array, lo: number, hi: number): void {
  let i = lo;
  while (i < hi && Number.isNaN(values[i]!)) i++;
  if (i >= hi) {
    acc[1] = -1;
    acc[3] = -1;
    return;
  }
  let mn = values[i]!;
  let mx = mn;
  let imn = i;
  let imx = i;
  for (i++; i < hi; i++) {
    const v = values[i]!;
    // once mn <= mx hold real values, a value below mn cannot be above mx
    if (v < mn) {
      mn = v;
      imn = i;
    } else if (v > mx) {
      mx = v;
      imx = i;
    }
  }
  acc[0] = mn;
  acc[1] = imn;
  acc[2] = mx;
  acc[3] = imx;
}

function logical(p: number, start: number, cap: number): number {
  const k = p - start;
  return k < 0 ? k + cap : k;
}

function emit(
  out: Output,
  k: number,
  values: Float64Array,
  start: number,
  cap: number,
  times: Float64Array | undefined,
  xOffset: number,
): void {
  let p = start + k;
  if (p >= cap) p -= cap;
  out.x[out.n] = times === undefined ? k + xOffset : times[p]!;
  out.y[out.n] = values[p]!;
  out.n++;
}

function timeOf(times: Float64Array, start: number, cap: number, k: number): number {
  const p = start + k;
  return times[p >= cap ? p - cap : p]!;
}

/**
 * M4 decimation of the points of a ring buffer whose times lie in
 * `[from, to]`, into `width` columns of equal time span: a point at time `t`
 * falls in column `floor((t - from) * width / (to - from))` (the last column
 * also takes `t = to`; all points fall in column 0 when `from = to`).
 */
export function decimateRing(ring: RingView, width: number, from: number, to: number): M4Series {
  checkWidth(width);
  if (!(from <= to)) {
    throw new RangeError(`decimation range: from (${from}) must not be after to (${to})`);
  }
  const { times, values, start, length } = ring;
  const cap = values.length;
  const out = output(width);
  // the points within [from, to]
  let i0 = 0;
  let hi = length;
  while (i0 < hi) {
    const mid = (i0 + hi) >>> 1;
    if (timeOf(times, start, cap, mid) < from) i0 = mid + 1;
    else hi = mid;
  }
  let i1 = i0;
  hi = length;
  while (i1 < hi) {
    const mid = (i1 + hi) >>> 1;
    if (timeOf(times, start, cap, mid) <= to) i1 = mid + 1;
    else hi = mid;
  }
  const span = to - from;
  const scale = span > 0 ? width / span : 0;
  let a = i0;
  for (let c = 0; c < width && a < i1; c++) {
    // first index whose column is past c: the next column starts at the first point of column > c
    let b = i1;
    if (c < width - 1) {
      // the column of the point at a, then a binary search for the end of that column
      const ca = Math.floor((timeOf(times, start, cap, a) - from) * scale);
      if (ca > c) {
        // column c is empty: jump to the point's column
        c = Math.min(ca, width - 1) - 1;
        continue;
      }
      // galloping search from a: the end of a column is near its start, so the search stays within a few
      // cache lines (a binary search over the whole buffer missed the cache at every step)
      let lo = a + 1;
      let step = 1;
      let h = lo + step;
      while (h < i1 && Math.floor((timeOf(times, start, cap, h) - from) * scale) <= c) {
        lo = h + 1;
        step *= 2;
        h = lo + step;
      }
      if (h > i1) h = i1;
      while (lo < h) {
        const mid = (lo + h) >>> 1;
        if (Math.floor((timeOf(times, start, cap, mid) - from) * scale) <= c) lo = mid + 1;
        else h = mid;
      }
      b = lo;
    }
    if (b > a) column(out, c, values, start, cap, a, b, times, 0);
    a = b;
  }
  return finish(out, width, from, to, i1 - i0);
}

/**
 * M4 decimation of an array indexed by position (a spectrum): the indices
 * `from..to` (inclusive; default the whole array) into `width` columns of
 * equal index span. x of each point is its index. With no more points than
 * columns, every point is kept.
 */
export function decimateArray(
  values: Float64Array,
  width: number,
  from = 0,
  to = values.length - 1,
  length = values.length,
): M4Series {
  checkWidth(width);
  const out = output(width);
  const lo = Math.max(0, Math.ceil(from));
  const hi = Math.min(length - 1, Math.floor(to));
  const n = hi - lo + 1;
  if (n <= 0) return finish(out, width, from, to, 0);
  const cap = values.length;
  let a = 0;
  for (let c = 0; c < width && a < n; c++) {
    // column c holds the indices k with floor(k * width / n) === c
    const b = c === width - 1 ? n : Math.min(n, Math.ceil(((c + 1) * n) / width));
    if (b > a) column(out, c, values, lo, cap, a, b, undefined, lo);
    a = b;
  }
  return finish(out, width, from, to, n);
}
