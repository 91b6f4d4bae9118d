/**
 * Line charts drawn in the terminal with asciichart, resampled to fit.
 *
 * @module
 */
import asciichart from 'asciichart';

/** Options of {@link drawChart}. */
export interface ChartOptions {
  /** Columns available, labels included. */
  readonly width: number;
  /** Rows of the plot area. */
  readonly height: number;
  /** Colour the line. */
  readonly color: boolean;
}

/** Width of the y-axis labels plus the axis. */
export const LABEL_WIDTH = 13;

/**
 * Averages `values` into at most `n` bins (1-D arrays longer than the
 * screen is wide); shorter inputs are returned as they are.
 */
export function resample(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j]!;
    out.push(sum / (to - from));
  }
  return out;
}

function label(x: number): string {
  const a = Math.abs(x);
  const t =
    a !== 0 && (a < 1e-3 || a >= 1e7) ? x.toExponential(2) : x.toFixed(a >= 1000 ? 0 : a >= 10 ? 2 : 3);
  return t.padStart(LABEL_WIDTH - 2);
}

/** The chart of `values` as lines (empty when there is nothing finite to draw). */
export function drawChart(values: readonly number[], options: ChartOptions): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  const points = resample(finite, Math.max(2, options.width - LABEL_WIDTH));
  const text = asciichart.plot(points, {
    height: Math.max(2, options.height),
    format: label,
    ...(options.color ? { colors: [asciichart.cyan] } : {}),
  });
  return text.split('\n');
}
