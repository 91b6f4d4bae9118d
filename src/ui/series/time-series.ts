/**
 * A bounded time series: a ring buffer over two `Float64Array`s (times and
 * values) with a capacity and an optional time window. Appending a point is
 * O(1) and allocates nothing; the oldest point is overwritten once the
 * buffer is full, and points older than the window (measured from the newest
 * point) are dropped when the series is read.
 *
 * @module
 */
import { decimateRing, type M4Series } from './m4.js';

/** Options of {@link TimeSeriesBuffer}. */
export interface TimeSeriesOptions {
  /** Most points kept (a positive integer); the oldest is overwritten beyond it. */
  readonly capacity: number;
  /**
   * Time span kept, in milliseconds, measured back from the newest point
   * (default `Infinity`: only the capacity bounds the series).
   */
  readonly window?: number | undefined;
}

/** Checks a capacity (a positive safe integer) and a window (a positive number or Infinity). */
export function checkSeriesOptions(options: TimeSeriesOptions, what: string): void {
  const { capacity, window } = options;
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`${what}: capacity must be a positive integer, got ${String(capacity)}`);
  }
  if (window !== undefined && !(typeof window === 'number' && window > 0)) {
    throw new RangeError(
      `${what}: window must be a positive number of milliseconds (or Infinity), got ${String(window)}`,
    );
  }
}

/**
 * The ring buffer behind a trend curve. Times never go backwards: a point
 * stamped earlier than the newest one is stored at the newest one's time, so
 * the series stays ordered (and binary searches stay valid); such points are
 * counted in {@link TimeSeriesBuffer.reordered}. A point whose time is not a
 * finite number is refused.
 *
 * Values may be `NaN`: a gap (an invalid reading), skipped by minima and
 * maxima and kept so that a line breaks there.
 */
export class TimeSeriesBuffer {
  /** Most points kept. */
  readonly capacity: number;
  /** Time span kept (ms), measured back from the newest point. */
  readonly window: number;
  readonly #times: Float64Array;
  readonly #values: Float64Array;
  #start = 0;
  #length = 0;
  #reordered = 0;
  #overwritten = 0;

  /** @param options - capacity and window. */
  constructor(options: TimeSeriesOptions) {
    checkSeriesOptions(options, 'TimeSeriesBuffer');
    this.capacity = options.capacity;
    this.window = options.window ?? Number.POSITIVE_INFINITY;
    this.#times = new Float64Array(this.capacity);
    this.#values = new Float64Array(this.capacity);
  }

  /**
   * Appends a point: O(1), no allocation. Returns `false` (and stores
   * nothing) when `time` is not a finite number.
   */
  push(time: number, value: number): boolean {
    if (!(time > Number.NEGATIVE_INFINITY && time < Number.POSITIVE_INFINITY)) return false;
    const cap = this.capacity;
    const len = this.#length;
    let i = this.#start + len;
    if (i >= cap) i -= cap;
    if (len > 0) {
      const last = this.#times[i === 0 ? cap - 1 : i - 1]!;
      if (time < last) {
        time = last;
        this.#reordered++;
      }
    }
    this.#times[i] = time;
    this.#values[i] = value;
    if (len < cap) this.#length = len + 1;
    else {
      this.#start = i + 1 === cap ? 0 : i + 1;
      this.#overwritten++;
    }
    return true;
  }

  /** Forgets every point (the memory is kept). */
  clear(): void {
    this.#start = 0;
    this.#length = 0;
  }

  /** Points kept, after dropping those older than the window. */
  get length(): number {
    this.#trim();
    return this.#length;
  }

  /** Points stamped earlier than their predecessor (stored at its time). */
  get reordered(): number {
    return this.#reordered;
  }

  /** Points lost because the buffer was full. */
  get overwritten(): number {
    return this.#overwritten;
  }

  /** Time of the newest point, or `undefined` when empty. */
  get newestTime(): number | undefined {
    if (this.#length === 0) return undefined;
    return this.#times[this.#physical(this.#length - 1)];
  }

  /** Time of the oldest point within the window, or `undefined` when empty. */
  get oldestTime(): number | undefined {
    this.#trim();
    if (this.#length === 0) return undefined;
    return this.#times[this.#start];
  }

  /** Time of the `i`-th point, oldest first (`0 <= i < length`). */
  timeAt(i: number): number {
    return this.#times[this.#physical(this.#check(i))]!;
  }

  /** Value of the `i`-th point, oldest first (`0 <= i < length`). */
  valueAt(i: number): number {
    return this.#values[this.#physical(this.#check(i))]!;
  }

  /** Index of the first point at or after `time` (`length` when none). */
  indexAtOrAfter(time: number): number {
    this.#trim();
    return this.#lowerBound(0, this.#length, time);
  }

  /** Copies of the points in `[from, to]` (every point when omitted), oldest first. */
  toArrays(
    from = Number.NEGATIVE_INFINITY,
    to = Number.POSITIVE_INFINITY,
  ): {
    /** Times (ms since the epoch). */
    readonly time: Float64Array;
    /** Values (`NaN` for gaps). */
    readonly value: Float64Array;
  } {
    this.#trim();
    const a = this.#lowerBound(0, this.#length, from);
    const b = this.#upperBound(a, this.#length, to);
    const time = new Float64Array(b - a);
    const value = new Float64Array(b - a);
    for (let k = a; k < b; k++) {
      const p = this.#physical(k);
      time[k - a] = this.#times[p]!;
      value[k - a] = this.#values[p]!;
    }
    return { time, value };
  }

  /**
   * M4 decimation of the points in `[from, to]` into `width` columns of equal
   * time span: per column the first, last, minimum and maximum point (Jugel
   * et al., VLDB 2014), so that a line drawn from them covers the same pixels
   * as one drawn from every point. `from`/`to` default to the oldest and
   * newest points kept.
   */
  decimate(width: number, from?: number, to?: number): M4Series {
    this.#trim();
    const lo = from ?? this.#times[this.#start] ?? 0;
    const hi = to ?? this.newestTime ?? lo;
    return decimateRing(
      { times: this.#times, values: this.#values, start: this.#start, length: this.#length },
      width,
      lo,
      hi,
    );
  }

  #physical(i: number): number {
    const p = this.#start + i;
    return p >= this.capacity ? p - this.capacity : p;
  }

  #check(i: number): number {
    this.#trim();
    if (!Number.isInteger(i) || i < 0 || i >= this.#length) {
      throw new RangeError(`index ${i} is outside the series (0 to ${this.#length - 1})`);
    }
    return i;
  }

  /** First logical index in [lo, hi) whose time is >= t. */
  #lowerBound(lo: number, hi: number, t: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#times[this.#physical(mid)]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First logical index in [lo, hi) whose time is > t. */
  #upperBound(lo: number, hi: number, t: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#times[this.#physical(mid)]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops the points older than the window. */
  #trim(): void {
    if (this.window === Number.POSITIVE_INFINITY || this.#length === 0) return;
    const newest = this.#times[this.#physical(this.#length - 1)]!;
    const drop = this.#lowerBound(0, this.#length, newest - this.window);
    if (drop === 0) return;
    this.#start = this.#physical(drop);
    this.#length -= drop;
  }
}
