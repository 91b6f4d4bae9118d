/**
 * How values print in a console or a debugger: Node's `util.inspect` (and so
 * `console.log`) calls the method keyed by `nodejs.util.inspect.custom` on an
 * object. tk-core reaches that key through `Symbol.for`, so this module (and
 * everything that prints) stays browser-safe: no `node:util` import.
 *
 * @module
 */
import type { Magnitude } from '../units/quantity.js';

/** Node's `util.inspect.custom` key, without importing `node:util`. */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** The parts of Node's inspect options tk-core's printers use. */
export interface InspectOptions {
  /** Colours a piece of text by style name (`number`, `special`, ...); the identity without colours. */
  readonly stylize?: ((text: string, style: string) => string) | undefined;
  /** How many array items are shown (Node's default: 100). */
  readonly maxArrayLength?: number | null | undefined;
}

/** Node's inspect function, as it passes itself to a custom inspect method. */
export type InspectFunction = (value: unknown, options?: unknown) => string;

/** `text` coloured as `style` when the options colour, else as it is. */
export function stylize(options: InspectOptions | undefined, text: string, style: string): string {
  return typeof options?.stylize === 'function' ? options.stylize(text, style) : text;
}

/**
 * A magnitude as text: `12.5`, `[1, 2, 3]`, nested arrays nested; at most
 * `max` items per array (then `... N more`), as Node cuts long arrays.
 */
export function formatMagnitude(m: Magnitude, max = Number.POSITIVE_INFINITY): string {
  if (typeof m === 'number') return String(m);
  const n = m.length;
  const shown = n > max ? m.slice(0, Math.max(0, max)) : m;
  const parts = shown.map((x) => formatMagnitude(x, max));
  if (n > shown.length) parts.push(`... ${n - shown.length} more`);
  return `[${parts.join(', ')}]`;
}

/** `maxArrayLength` of Node's options (100 when absent, every item when null). */
export function arrayLimit(options: InspectOptions | undefined): number {
  const max = options?.maxArrayLength;
  if (max === null) return Number.POSITIVE_INFINITY;
  return typeof max === 'number' && max >= 0 ? max : 100;
}
