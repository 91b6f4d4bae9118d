/**
 * A compact latency histogram with logarithmic buckets: 16 buckets per
 * doubling, so any percentile it reports is within about 2.2% of a value that
 * was recorded near that rank. Exact count, sum, min and max are kept too.
 *
 * @module
 */

/** Buckets per doubling of the value. */
const SUB_BUCKETS = 16;
/** Values at or below this (in ms: one microsecond) share bucket 0. */
const FLOOR = 1e-3;
/** Octaves above the floor covered by buckets (1 µs to about 71 minutes); larger values share the last bucket. */
const OCTAVES = 32;
/** Number of buckets. */
const BUCKETS = 2 + OCTAVES * SUB_BUCKETS;

/** Summary figures of a {@link LatencyHistogram}, in milliseconds. */
export interface LatencySummary {
  /** Number of recorded values. */
  readonly count: number;
  /** Sum of the values. */
  readonly total: number;
  /** Arithmetic mean (0 when empty). */
  readonly mean: number;
  /** Smallest value (0 when empty). */
  readonly min: number;
  /** Median estimate. */
  readonly p50: number;
  /** 90th percentile estimate. */
  readonly p90: number;
  /** 99th percentile estimate. */
  readonly p99: number;
  /** Largest value (0 when empty). */
  readonly max: number;
}

/** The summary of an empty histogram. */
export const EMPTY_SUMMARY: LatencySummary = Object.freeze({
  count: 0,
  total: 0,
  mean: 0,
  min: 0,
  p50: 0,
  p90: 0,
  p99: 0,
  max: 0,
});

function bucketOf(ms: number): number {
  if (!(ms > FLOOR)) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log2(ms / FLOOR) * SUB_BUCKETS));
}

/** Geometric middle of a bucket's bounds (0 for bucket 0, which holds values up to one microsecond). */
function middleOf(bucket: number): number {
  if (bucket === 0) return 0;
  return FLOOR * 2 ** ((bucket - 0.5) / SUB_BUCKETS);
}

/**
 * A histogram of durations in milliseconds. Recording is a logarithm and an
 * array increment; the counts (about 2 KB) are allocated on the first value.
 */
export class LatencyHistogram {
  #buckets: Uint32Array | undefined;
  #count = 0;
  #total = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  /** Records one duration (negative or non-finite values are ignored). */
  record(ms: number): void {
    if (!(ms >= 0) || ms === Number.POSITIVE_INFINITY) return;
    if (this.#buckets === undefined) this.#buckets = new Uint32Array(BUCKETS);
    this.#buckets[bucketOf(ms)]!++;
    this.#count++;
    this.#total += ms;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
  }

  /** Number of recorded values. */
  get count(): number {
    return this.#count;
  }

  /**
   * The value at quantile `q` (0..1) by nearest rank, estimated from the
   * buckets and clamped to the exact min and max. 0 when empty.
   */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    if (q <= 0) return this.#min;
    if (q >= 1) return this.#max;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    const buckets = this.#buckets!;
    let seen = 0;
    for (let k = 0; k < BUCKETS; k++) {
      seen += buckets[k]!;
      if (seen >= rank) return Math.min(this.#max, Math.max(this.#min, middleOf(k)));
    }
    return this.#max;
  }

  /** Adds every value of `other` to this histogram. */
  merge(other: LatencyHistogram): this {
    const theirs = other.#buckets;
    if (theirs !== undefined) {
      if (this.#buckets === undefined) this.#buckets = new Uint32Array(BUCKETS);
      for (let k = 0; k < BUCKETS; k++) this.#buckets[k]! += theirs[k]!;
    }
    this.#count += other.#count;
    this.#total += other.#total;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  /** Count, total, mean, min, p50, p90, p99 and max. */
  summary(): LatencySummary {
    if (this.#count === 0) return EMPTY_SUMMARY;
    return {
      count: this.#count,
      total: this.#total,
      mean: this.#total / this.#count,
      min: this.#min,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.#max,
    };
  }
}
