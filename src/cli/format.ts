/**
 * How `tk` shows qualities, times, ages and fragment values (values
 * themselves: value-text.ts, as tk-core/ui displays show them).
 *
 * @module
 */
import pc from 'picocolors';
import { Quantity } from '../units/quantity.js';
import { paintQuality } from './theme.js';

/** The colour functions `tk` uses (all identity when colours are off). */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colours for a stream: on when it is a terminal and `NO_COLOR` is not set (picocolors' rules), or when forced. */
export function colorsFor(stream: { isTTY?: boolean }, force?: boolean): Colors {
  const env = process.env;
  const enabled =
    force ?? (!('NO_COLOR' in env) && (stream.isTTY === true || 'FORCE_COLOR' in env) && env.TERM !== 'dumb');
  return pc.createColors(enabled);
}

function shortNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(4);
  return String(Number(n.toPrecision(6)));
}

function formatMagnitude(m: unknown, maxItems: number): string {
  if (typeof m === 'number') return shortNumber(m);
  if (Array.isArray(m)) {
    const shown = m.slice(0, maxItems).map((x) => formatMagnitude(x, maxItems));
    return `[${shown.join(', ')}${m.length > maxItems ? `, ... (${m.length})` : ''}]`;
  }
  return String(m);
}

/** The value of a reading without units (`12.5`, `[1, 2, ...] (256)`, `"text"`, `true`). */
export function formatMagnitudeOf(value: unknown, maxItems = 6): string {
  if (Quantity.isQuantity(value)) return formatMagnitude(value.magnitude, maxItems);
  if (typeof value === 'number') return shortNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return formatMagnitude(value, maxItems);
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * A fragment's value: text as it is (`X position`), limits and arrays as
 * `[0, 100]` with `-` for an open side, anything else as {@link formatMagnitudeOf}.
 */
export function formatFragmentValue(value: unknown, maxItems = 6): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const shown = value
      .slice(0, maxItems)
      .map((x) => (x === undefined || x === null ? '-' : formatMagnitudeOf(x)));
    return `[${shown.join(', ')}${value.length > maxItems ? `, ... (${value.length})` : ''}]`;
  }
  return formatMagnitudeOf(value, maxItems);
}

/** The units of a reading's value (`''` for none). */
export function unitsOf(value: unknown): string {
  return Quantity.isQuantity(value) ? value.units : '';
}

/**
 * A quality, coloured as tk-core/ui colours it (Taurus's quality palette, see
 * {@link paintQuality}): VALID green, WARNING and ALARM orange (yellow),
 * CHANGING light blue (cyan), INVALID gray; ALARM and INVALID bold.
 */
export function colorQuality(q: string, c: Colors): string {
  return paintQuality(q, c);
}

/** An ISO time. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** An age for people: `0.4s`, `12s`, `3m`, `2h`. */
export function formatAge(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.round(ms / 3_600_000)}h`;
}

/** Visible width of text holding ANSI colour codes. */
export function visibleWidth(text: string): number {
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** `text` cut to `width` characters, ending with `...` when cut (a long array in a table cell). */
export function clipText(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 3))}...`;
}
