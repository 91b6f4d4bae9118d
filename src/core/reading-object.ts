/**
 * The object behind every reading the core builds: the fields of a
 * {@link Reading}, plus how it prints. `String(reading)` is a short line
 * (`12.5 mm (VALID)`); Node's `util.inspect` and `console.log` show every
 * field (`Reading { rvalue: Quantity<12.5 mm>, quality: VALID, time: 2026-...Z }`).
 * The methods live on the prototype: a reading's own keys stay `rvalue`,
 * `time`, `quality` (and `wvalue`, `error` when set), and a copy
 * (`{ ...reading }`) is a plain object.
 *
 * @module
 */
import type { TkError } from '../errors/tk-error.js';
import { INSPECT_CUSTOM, type InspectFunction, type InspectOptions, stylize } from '../util/inspect.js';
import type { Quality } from './enums.js';
import { formatValue } from './format.js';
import type { Reading } from './reading.js';

/** A reading as the core builds it (see the module). */
export class ReadingObject<T = unknown> implements Reading<T> {
  readonly rvalue: T;
  readonly time: number;
  readonly quality: Quality;
  // declared, not defined: a reading without a set-point or an error has no such keys
  declare wvalue?: T | undefined;
  declare error?: TkError | undefined;

  constructor(rvalue: T, time: number, quality: Quality) {
    this.rvalue = rvalue;
    this.time = time;
    this.quality = quality;
  }

  /** `12.5 mm (VALID)`, `12.5 mm, set-point 10 mm (VALID)`, `error: <message> (INVALID)`. */
  toString(): string {
    return readingToString(this);
  }

  /** Every field, for Node's `util.inspect` and `console.log`. */
  [INSPECT_CUSTOM](depth?: number, options?: InspectOptions, inspect?: InspectFunction): string {
    return inspectReading(this, depth, options, inspect);
  }
}

/** The short line of {@link ReadingObject.toString}, for any reading. */
export function readingToString(r: Reading): string {
  if (r.error !== undefined) return `error: ${r.error.message} (${r.quality})`;
  const set = r.wvalue !== undefined ? `, set-point ${formatValue(r.wvalue)}` : '';
  return `${formatValue(r.rvalue)}${set} (${r.quality})`;
}

/** The time of a reading as ISO text (UTC), or the number when it is not a time. */
function timeText(time: number): string {
  return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : String(time);
}

/** `Reading { rvalue: ..., wvalue: ..., quality: ..., time: ..., error: ... }`, for any reading. */
export function inspectReading(
  r: Reading,
  depth = 2,
  options: InspectOptions & { depth?: number | null } = {},
  inspect?: InspectFunction,
): string {
  if (depth < 0) return stylize(options, '[Reading]', 'special');
  const inner = { ...options, depth: options.depth == null ? options.depth : options.depth - 1 };
  const show = (v: unknown) => (inspect !== undefined ? inspect(v, inner) : formatValue(v));
  const parts = [`rvalue: ${show(r.rvalue)}`];
  if (r.wvalue !== undefined) parts.push(`wvalue: ${show(r.wvalue)}`);
  parts.push(`quality: ${stylize(options, r.quality, 'special')}`);
  parts.push(`time: ${stylize(options, timeText(r.time), 'date')}`);
  if (r.error !== undefined) parts.push(`error: ${r.error.name} [${r.error.code}]: ${r.error.message}`);
  return `Reading { ${parts.join(', ')} }`;
}
