/**
 * Text typed into an input, checked before anything is written: numbers with
 * optional units (converted to the attribute's units, checked against its
 * type and range), booleans, text, and arrays of them. Untrusted input: every
 * refusal names the text and says what would be valid; nothing is evaluated.
 *
 * @module
 */
import type { AttributeConfig } from '../../schemes/contract.js';
import { areUnitsCompatible, Quantity } from '../../units/quantity.js';

/** Text that is a value. */
export interface ParsedValue {
  /** The text is a value. */
  readonly ok: true;
  /** The value to write. */
  readonly value: unknown;
}

/** Text that is not a value. */
export interface InputProblem {
  /** The text is not a value. */
  readonly ok: false;
  /** Why, naming the text and what would be valid. */
  readonly problem: string;
}

/** The outcome of parsing: a value to write, or why there is none. */
export type ParsedInput = ParsedValue | InputProblem;

/** The longest text an input accepts (a pasted novel is refused, not parsed). */
export const MAX_INPUT_LENGTH = 100_000;

const NUMBER = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$/s;

function fail(problem: string): ParsedInput {
  return { ok: false, problem };
}

function show(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** How a value is described for messages: `12.5 mm`, `[0, 10] mm`. */
function limitText(v: number, units: string): string {
  return units === '' ? String(v) : `${v} ${units}`;
}

function parseNumber(text: string, config: AttributeConfig, integer: boolean): ParsedInput {
  const m = NUMBER.exec(text);
  if (m === null) {
    return fail(
      `${show(text)} is not a number: type a number${config.units ? ` with optional units, e.g. "1.5 ${config.units}"` : ', e.g. "1.5"'}`,
    );
  }
  let magnitude = Number(m[1]);
  const units = m[2] ?? '';
  const target = config.units;
  if (units !== '' && units !== target) {
    if (!areUnitsCompatible(units, target)) {
      return fail(
        `${show(text)} is in "${units}", which cannot be converted to ${target === '' ? 'a dimensionless value' : `"${target}"`}: type a value in ${target === '' ? 'no units' : `"${target}" or compatible units`}`,
      );
    }
    magnitude = Quantity.of(magnitude, units).to(target).magnitude;
  }
  if (!Number.isFinite(magnitude)) return fail(`${show(text)} is not a finite number`);
  if (integer) {
    const rounded = Math.round(magnitude);
    if (Math.abs(rounded - magnitude) > 1e-9 * Math.max(1, Math.abs(magnitude))) {
      return fail(`${show(text)} is not a whole number: this attribute takes integers`);
    }
    magnitude = rounded;
  }
  const [low, high] = config.range;
  if ((low !== undefined && magnitude < low) || (high !== undefined && magnitude > high)) {
    const lo = low === undefined ? '-inf' : limitText(low, target);
    const hi = high === undefined ? 'inf' : limitText(high, target);
    return fail(`${show(text)} is outside the range [${lo}, ${hi}]`);
  }
  return { ok: true, value: Quantity.of(magnitude, target) };
}

const TRUE = new Set(['true', 'True', 'TRUE', '1', 'on', 'yes']);
const FALSE = new Set(['false', 'False', 'FALSE', '0', 'off', 'no']);

function parseBoolean(text: string): ParsedInput {
  const t = text.trim();
  if (TRUE.has(t)) return { ok: true, value: true };
  if (FALSE.has(t)) return { ok: true, value: false };
  return fail(`${show(text)} is not a boolean: type true or false (also 1/0, on/off, yes/no)`);
}

function splitArray(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  const inner = t.slice(1, -1).trim();
  if (inner === '') return [];
  // JSON first (quoted strings with commas), then a plain list separated by commas or spaces
  try {
    const parsed: unknown = JSON.parse(t);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x !== 'object' || x === null)) {
      return parsed.map((x) => (typeof x === 'string' ? x : String(x)));
    }
  } catch {
    // not JSON
  }
  return inner.split(inner.includes(',') ? ',' : /\s+/).map((s) => s.trim().replace(/^(['"])(.*)\1$/s, '$2'));
}

/**
 * Parses `text` for the attribute described by `config` (its type, format,
 * units and range). Numbers may carry units compatible with the attribute's;
 * a number without units is in the attribute's units.
 */
export function parseInput(text: string, config: AttributeConfig): ParsedInput {
  if (typeof text !== 'string') return fail(`The input must be text, got ${typeof text}`);
  if (text.length > MAX_INPUT_LENGTH) {
    return fail(`The text typed is ${text.length} characters long: at most ${MAX_INPUT_LENGTH} are accepted`);
  }
  const type = config.type;
  if (config.dataFormat === 'spectrum') {
    const items = splitArray(text);
    if (items === undefined)
      return fail(`${show(text)} is not a list: type values in brackets, e.g. [1, 2, 3]`);
    const values: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const one = parseScalar(items[i]!, config, type);
      if (!one.ok) return fail(`Item ${i + 1} of ${show(text)}: ${one.problem}`);
      values.push(Quantity.isQuantity(one.value) ? one.value.magnitude : one.value);
    }
    return {
      ok: true,
      value: type === 'Integer' || type === 'Float' ? Quantity.of(values as number[], config.units) : values,
    };
  }
  if (config.dataFormat === 'image') return fail('Images cannot be typed into an input');
  return parseScalar(text, config, type);
}

function parseScalar(text: string, config: AttributeConfig, type: AttributeConfig['type']): ParsedInput {
  switch (type) {
    case 'Integer':
      return parseNumber(text, config, true);
    case 'Float':
      return parseNumber(text, config, false);
    case 'Boolean':
      return parseBoolean(text);
    case 'String':
      return { ok: true, value: text };
    case 'Bytes':
      return { ok: true, value: new TextEncoder().encode(text) };
    case undefined:
      // the backend has not said: a number when the text is one, else text
      return NUMBER.test(text) ? parseNumber(text, config, false) : { ok: true, value: text };
    default:
      return fail(`Values of type ${type} cannot be typed into an input`);
  }
}

/** Whether two values are the same for an input: numbers within a relative 1e-12 after unit conversion. */
export function sameInputValue(a: unknown, b: unknown): boolean {
  if (Quantity.isQuantity(a) && Quantity.isQuantity(b)) {
    let bb = b;
    if (a.units !== b.units) {
      if (!b.isCompatible(a.units)) return false;
      bb = b.to(a.units);
    }
    return sameMagnitude(a.magnitude, bb.magnitude);
  }
  if (Quantity.isQuantity(a) || Quantity.isQuantity(b)) {
    const q = (Quantity.isQuantity(a) ? a : b) as Quantity;
    const other = Quantity.isQuantity(a) ? b : a;
    return q.units === '' && typeof other === 'number' && sameMagnitude(q.magnitude, other);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameInputValue(x, b[i]));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return Object.is(a, b);
}

function sameMagnitude(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameMagnitude(x, b[i]));
  return false;
}
