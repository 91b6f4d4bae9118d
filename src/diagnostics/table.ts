/**
 * A plain-text table printer: columns padded to their widest cell, numbers
 * aligned right. No colours: callers that want them colour cells first and
 * give the visible width through `width`.
 *
 * @module
 */

/** One column of a {@link formatTable} table. */
export interface TableColumn {
  /** Header text. */
  readonly header: string;
  /** Alignment of the cells (default left). */
  readonly align?: 'left' | 'right';
}

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Visible width of a cell (default: its length); give one when cells hold escape sequences. */
  readonly width?: (cell: string) => number;
  /** Text between columns (default two spaces). */
  readonly gap?: string;
}

/** Lays `rows` out under `columns`; returns the lines (header first), without trailing spaces. */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const width = options.width ?? ((c: string) => c.length);
  const gap = options.gap ?? '  ';
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const pad = ' '.repeat(Math.max(0, widths[i]! - width(cell)));
        return c.align === 'right' ? pad + cell : cell + pad;
      })
      .join(gap)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

/** Three significant digits without trailing zeros (`12.3`, `850`, `1.5`). */
function threeDigits(x: number): string {
  const t = x.toPrecision(3);
  if (t.includes('e')) return String(Math.round(x));
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

/** A duration in ms for people: `850µs`, `12.3ms`, `1.25s`, `2m5s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0';
  if (ms < 0.9995) return `${threeDigits(ms * 1000)}µs`;
  if (ms < 999.5) return `${threeDigits(ms)}ms`;
  if (ms < 59_950) return `${threeDigits(ms / 1000)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
