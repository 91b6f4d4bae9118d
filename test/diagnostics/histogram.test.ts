import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/diagnostics/histogram.js';
import { formatDuration } from '../../src/diagnostics/table.js';

const durations = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 });

function exactQuantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

describe('LatencyHistogram', () => {
  test.prop([durations, fc.double({ min: 0.001, max: 0.999, noNaN: true })], { seed: 7001 })(
    'a quantile is within 2.5% (or 1 µs) of the exact nearest-rank value',
    (values, q) => {
      const h = new LatencyHistogram();
      for (const v of values) h.record(v);
      const sorted = [...values].sort((a, b) => a - b);
      const exact = exactQuantile(sorted, q);
      const est = h.quantile(q);
      expect(Math.abs(est - exact)).toBeLessThanOrEqual(Math.max(exact * 0.025, 1e-3));
    },
  );

  test.prop([durations], { seed: 7002 })(
    'count, total, min, max are exact and quantiles are ordered',
    (values) => {
      const h = new LatencyHistogram();
      for (const v of values) h.record(v);
      const s = h.summary();
      expect(s.count).toBe(values.length);
      expect(s.total).toBeCloseTo(
        values.reduce((a, b) => a + b, 0),
        6,
      );
      expect(s.min).toBe(Math.min(...values));
      expect(s.max).toBe(Math.max(...values));
      expect(s.min).toBeLessThanOrEqual(s.p50);
      expect(s.p50).toBeLessThanOrEqual(s.p90);
      expect(s.p90).toBeLessThanOrEqual(s.p99);
      expect(s.p99).toBeLessThanOrEqual(s.max);
    },
  );

  test.prop([durations, durations], { seed: 7003 })(
    'merging equals recording everything into one',
    (a, b) => {
      const ha = new LatencyHistogram();
      const hb = new LatencyHistogram();
      const all = new LatencyHistogram();
      for (const v of a) {
        ha.record(v);
        all.record(v);
      }
      for (const v of b) {
        hb.record(v);
        all.record(v);
      }
      const merged = ha.merge(hb).summary();
      const direct = all.summary();
      expect(merged.count).toBe(direct.count);
      expect(merged.p50).toBe(direct.p50);
      expect(merged.p99).toBe(direct.p99);
      expect(merged.max).toBe(direct.max);
    },
  );

  it('ignores negative and non-finite durations and is all zeros when empty', () => {
    const h = new LatencyHistogram();
    h.record(-1);
    h.record(Number.NaN);
    h.record(Number.POSITIVE_INFINITY);
    expect(h.summary()).toEqual({ count: 0, total: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0'],
    [0.00085, '0.85µs'],
    [0.85, '850µs'],
    [1, '1ms'],
    [12.34, '12.3ms'],
    [100, '100ms'],
    [999.9, '1s'],
    [1500, '1.5s'],
    [59_990, '1m0s'],
    [125_000, '2m5s'],
  ])('%s ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
