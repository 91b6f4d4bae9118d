/**
 * Line charts drawn in the terminal from an M4 series (tk-core/ui's
 * decimation: the first, last, minimum and maximum of each column, the same
 * series a web page draws on a canvas). Each character column is drawn from
 * its minimum to its maximum, joined to its neighbours, so a single peak
 * among thousands of points reaches its height. Empty columns between two
 * drawn ones are bridged by a straight line; a column whose points are all
 * invalid (`NaN`) breaks the line.
 *
 * @module
 */
import type { M4Series } from '../../ui/series/m4.js';

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

/** Columns of the plot area for a chart `width` characters wide (labels included), at least 2. */
export function plotColumns(width: number): number {
  return Math.max(2, width - LABEL_WIDTH);
}

const CYAN = '\x1b[36m';
const RESET = '\x1b[39m';

/** An axis label: about four significant digits, exponents for very small and very large values. */
function label(x: number): string {
  const a = Math.abs(x);
  const t =
    a !== 0 && (a < 1e-3 || a >= 1e7) ? x.toExponential(2) : x.toFixed(a >= 1000 ? 0 : a >= 10 ? 2 : 3);
  return t.padStart(LABEL_WIDTH - 2);
}

/** One column as drawn: where the line enters, its extremes, where it leaves; `undefined` ends of a break. */
interface Column {
  readonly enter: number | undefined;
  readonly min: number;
  readonly max: number;
  readonly exit: number | undefined;
}

function finite(x: number): number | undefined {
  return Number.isFinite(x) ? x : undefined;
}

/** The columns to draw: data columns as M4 gave them, empty ones between two joined data columns bridged. */
function columnsOf(series: M4Series): (Column | undefined)[] {
  const { first, last, min, max, count } = series.columns;
  const w = series.width;
  const out: (Column | undefined)[] = new Array(w).fill(undefined);
  for (let c = 0; c < w; c++) {
    const lo = min[c]!;
    if (count[c]! === 0 || Number.isNaN(lo)) continue;
    out[c] = { enter: finite(first[c]!), min: lo, max: max[c]!, exit: finite(last[c]!) };
  }
  // bridge runs of empty columns (count 0) between a column the line leaves and one it enters
  let prev = -1;
  for (let c = 0; c < w; c++) {
    const col = out[c];
    if (col === undefined) {
      if (count[c]! > 0) prev = -1; // a gap: nothing is bridged across it
      continue;
    }
    const from = prev >= 0 ? out[prev]!.exit : undefined;
    if (from !== undefined && col.enter !== undefined && c - prev > 1) {
      for (let k = prev + 1; k < c; k++) {
        const v = from + ((col.enter - from) * (k - prev)) / (c - prev);
        out[k] = { enter: v, min: v, max: v, exit: v };
      }
    }
    prev = c;
  }
  return out;
}

/**
 * The chart of an M4 series as lines: one row per `height`, each starting
 * with its y label and the axis (`┤`), the plot area `series.width`
 * characters wide. Empty when the series holds no finite value.
 */
export function drawChart(series: M4Series, options: ChartOptions): string[] {
  if (Number.isNaN(series.min)) return [];
  const h = Math.max(2, Math.floor(options.height));
  let lo = series.min;
  let hi = series.max;
  if (hi === lo) {
    // a flat line: drawn in the middle of a range around it
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const rowOf = (v: number) => Math.round(((v - lo) / (hi - lo)) * (h - 1));
  const w = series.width;
  const grid: string[][] = Array.from({ length: h }, () => new Array<string>(w).fill(' '));
  const cols = columnsOf(series);
  for (let c = 0; c < w; c++) {
    const col = cols[c];
    if (col === undefined) continue;
    const before = c > 0 ? cols[c - 1] : undefined;
    // the line comes in at the previous column's last value when both sides are joined
    const from = before?.exit !== undefined && col.enter !== undefined ? before.exit : col.enter;
    const rIn = rowOf(from ?? col.min);
    const rOut = rowOf(col.exit ?? col.max);
    const top = Math.max(rowOf(col.max), rIn, rOut);
    const bottom = Math.min(rowOf(col.min), rIn, rOut);
    if (top === bottom) {
      grid[top]![c] = '─';
      continue;
    }
    for (let r = bottom; r <= top; r++) grid[r]![c] = '│';
    if (rIn === bottom && rOut === top) {
      grid[bottom]![c] = '╯';
      grid[top]![c] = '╭';
    } else if (rIn === top && rOut === bottom) {
      grid[top]![c] = '╮';
      grid[bottom]![c] = '╰';
    }
  }
  const lines: string[] = [];
  for (let r = h - 1; r >= 0; r--) {
    const plot = grid[r]!.join('').trimEnd();
    const value = lo + ((hi - lo) * r) / (h - 1);
    lines.push(`${label(value)} ┤${options.color && plot !== '' ? CYAN + plot + RESET : plot}`);
  }
  return lines;
}
