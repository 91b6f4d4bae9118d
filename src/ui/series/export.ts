/**
 * Exports of chart data: CSV (RFC 4180, one column per curve, rows merged by
 * x) and JSON (versioned, one object per curve with its columns).
 *
 * @module
 */

/** How times are written in an export. */
export type TimeFormat = 'iso' | 'ms';

/** Options of a trend or plot export. */
export interface ExportOptions {
  /** Times as ISO 8601 text in UTC (`'iso'`, the default) or as milliseconds since the epoch (`'ms'`). */
  readonly time?: TimeFormat | undefined;
  /** Only the points from this x on (a time in ms, or an index for a plot). */
  readonly from?: number | undefined;
  /** Only the points up to this x (inclusive). */
  readonly to?: number | undefined;
}

/** One curve's points for an export. */
export interface ExportColumn {
  /** Column title: the label, with the units in brackets. */
  readonly title: string;
  /** x of each point, ascending (times in ms, or indices). */
  readonly x: Float64Array;
  /** y of each point (`NaN` for an invalid reading). */
  readonly y: Float64Array;
}

/** Checks a time format option. */
export function checkTimeFormat(time: unknown, what: string): TimeFormat {
  if (time === undefined) return 'iso';
  if (time !== 'iso' && time !== 'ms') {
    throw new TypeError(`${what}: time must be 'iso' or 'ms', got ${JSON.stringify(time) ?? String(time)}`);
  }
  return time;
}

/**
 * A CSV field: quoted when it holds a comma, a quote or a line break; text
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
 * carriage return first) is prefixed with `'` so that it stays text.
 */
export function csvText(text: string): string {
  let t = text;
  if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A number as CSV writes it: shortest round-trip text; `NaN` for an invalid value. */
export function csvNumber(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(v);
}

/** A time in the chosen format. */
export function timeText(ms: number, format: TimeFormat): string {
  return format === 'ms' ? String(ms) : new Date(ms).toISOString();
}

/**
 * A CSV table: a header (`xTitle`, then each column's title), then one row
 * per distinct x across the columns, in ascending order; a cell is empty
 * where a curve has no point at that x. Points of one curve at the same x
 * each get a row of their own. Lines end with CRLF (RFC 4180).
 */
export function toCsv(
  xTitle: string,
  columns: readonly ExportColumn[],
  xText: (x: number) => string,
): string {
  const lines = [[csvText(xTitle), ...columns.map((c) => csvText(c.title))].join(',')];
  const at = columns.map(() => 0);
  const cells: string[] = new Array(columns.length + 1);
  for (;;) {
    let x = Number.POSITIVE_INFINITY;
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      if (at[c]! < col.x.length && col.x[at[c]!]! < x) x = col.x[at[c]!]!;
    }
    if (x === Number.POSITIVE_INFINITY) break;
    cells[0] = xText(x);
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const i = at[c]!;
      if (i < col.x.length && col.x[i] === x) {
        cells[c + 1] = csvNumber(col.y[i]!);
        at[c] = i + 1;
      } else cells[c + 1] = '';
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A column title: the label with its units (`Position [mm]`). */
export function columnTitle(label: string, units: string): string {
  return units === '' ? label : `${label} [${units}]`;
}

/** A value as JSON holds it: JSON has no NaN or infinities, so `NaN` is `null` and infinities are the strings `"Infinity"`, `"-Infinity"`. */
export type JsonNumber = number | null | 'Infinity' | '-Infinity';

/** Values for JSON (see {@link JsonNumber}). */
export function jsonNumbers(values: Float64Array): JsonNumber[] {
  const out: JsonNumber[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isFinite(v) ? v : Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
  }
  return out;
}
