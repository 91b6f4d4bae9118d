/**
 * The one write path of every scheme: what `attribute.write(value)` accepts
 * and how it becomes what the backend is sent. Numbers, strings with or
 * without units (`'2 cm'`, `'2'`) and Quantities are converted to the
 * attribute's units; the type, the shape and the range are checked; anything
 * refused is a {@link WriteError} with a code, before anything is sent.
 *
 * The core runs {@link coerceWriteValue} against the attribute's
 * configuration before it calls a source's `write`; a scheme whose metadata
 * may have changed since (a remote datapoint) runs it again against what its
 * backend says now.
 *
 * @module
 */

import type { AttributeConfig, Limits } from '../core/config.js';
import { DataFormat, DataType } from '../core/enums.js';
import { dataFormatOf, dataTypeOf } from '../core/reading.js';
import { describeValue, nameInMessage } from '../errors/quote.js';
import { WriteError } from '../errors/tk-error.js';
import { excerpt, type Magnitude, Quantity } from '../units/quantity.js';

/**
 * Marks a value as a scheme's own write request (such as `cii.oldb`'s
 * `withDeclaration(value)`): the core hands it to the source unchanged, and
 * the source checks what it carries (with {@link coerceWriteValue}).
 */
export const WRITE_REQUEST: unique symbol = Symbol.for('tk-core.writeRequest') as never;

/** Whether `value` is a scheme's own write request (see {@link WRITE_REQUEST}). */
export function isWriteRequest(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WRITE_REQUEST] === true
  );
}

/** What a write is checked against: the attribute's name and the parts of its configuration that matter. */
export interface WriteTarget {
  /** The attribute (or datapoint) named in messages. */
  readonly name: string;
  /** The value type; a value of any type is passed on unchanged when undefined, Bytes or Object. */
  readonly type: DataType | undefined;
  /**
   * The shape (scalar, spectrum, image); any shape when undefined. An
   * `Integer` type is enforced only when declared: see `integers`.
   */
  readonly dataFormat: DataFormat | undefined;
  /** The units values are stored in (`''`: dimensionless). */
  readonly units: string;
  /** Values outside are refused (`OUT_OF_RANGE`). */
  readonly range: Limits;
  /** Whether an `Integer` type refuses non-integers (default true). */
  readonly integers?: boolean;
}

/**
 * The write target of an attribute: its configuration, with the type and
 * shape of its latest reading when the backend declared none. An `Integer`
 * type is enforced only when declared, not when it is the type of the latest
 * value (`typeFollowsValue`, or no type in `config`): a value that happens
 * to be whole says nothing of what may be written.
 */
export function writeTargetOf(
  name: string,
  config: AttributeConfig,
  reading: { readonly rvalue: unknown; readonly error?: unknown } | undefined,
  typeFollowsValue = false,
): WriteTarget {
  const known = reading !== undefined && reading.error === undefined && reading.rvalue !== null;
  return {
    name,
    type: config.type ?? (known ? dataTypeOf(reading.rvalue) : undefined),
    dataFormat: config.dataFormat ?? (known ? dataFormatOf(reading.rvalue) : undefined),
    units: config.units,
    range: config.range,
    integers: config.type !== undefined && !typeFollowsValue,
  };
}

/** The longest text read as a number with units: no number with units is longer. */
const MAX_NUMBER_TEXT = 256;

/**
 * Converts `value` to what an attribute described by `target` holds, or
 * throws a {@link WriteError} naming the attribute, the value and the reason
 * (`TYPE_MISMATCH`, `UNIT_MISMATCH`, `OUT_OF_RANGE`). Returns:
 *
 * - numeric types (`Integer`, `Float`): a {@link Quantity} in `target.units`,
 *   of a number (scalar) or of an array of numbers (spectrum, image); numbers
 *   are taken in the target's units, strings are read as a number with
 *   optional units (`'2 cm'`, `'2'`) or, for arrays, as a JSON array, and
 *   Quantities are converted; `NaN` and `Infinity` are refused by name;
 * - `Boolean`: booleans (`true`, `false`, `0`, `1`, `'true'`, `'false'`);
 * - `String`: strings;
 * - any other type, or none known: the value as given (undefined, `NaN` and
 *   `Infinity` are still refused).
 *
 * A scheme's own write request ({@link WRITE_REQUEST}) is returned unchanged.
 *
 * @example
 * ```ts
 * const target = { name: 'loc:/m/x', type: DataType.Float, dataFormat: DataFormat.Scalar, units: 'mm', range: [0, 100] as const };
 * String(coerceWriteValue('1.5 cm', target)); // "15 mm"
 * coerceWriteValue(Number.NaN, target); // throws WriteError TYPE_MISMATCH: NaN is not a finite number
 * ```
 */
export function coerceWriteValue(value: unknown, target: WriteTarget): unknown {
  if (isWriteRequest(value)) return value;
  const c = new Coercion(value, target);
  if (value === undefined || value === null) c.refuse('TYPE_MISMATCH', 'there is no value to write');
  switch (target.type) {
    case DataType.Integer:
    case DataType.Float:
      return c.numeric();
    case DataType.Boolean:
      return c.shaped(value, (x, at) => c.boolean(x, at));
    case DataType.String:
      return c.shaped(value, (x, at) => c.text(x, at));
    default:
      c.finiteOrRefuse(value);
      return value;
  }
}

/** One coercion: the value, the target, and how to refuse. */
class Coercion {
  readonly #value: unknown;
  readonly #t: WriteTarget;

  constructor(value: unknown, target: WriteTarget) {
    this.#value = value;
    this.#t = target;
  }

  refuse(code: 'TYPE_MISMATCH' | 'UNIT_MISMATCH' | 'OUT_OF_RANGE', why: string, at?: number): never {
    const where = at === undefined ? '' : ` (element ${at})`;
    throw new WriteError(
      code,
      `Cannot write ${describeValue(this.#value)} to ${nameInMessage(this.#t.name)}${where}: ${why}; nothing was written`,
      {
        details: {
          name: this.#t.name,
          value: describeValue(this.#value),
          ...(at === undefined ? {} : { index: at }),
        },
      },
    );
  }

  /** Refuses NaN and infinities anywhere in a number, a Quantity or an array (of any depth, without recursion). */
  finiteOrRefuse(value: unknown): void {
    const stack: unknown[] = [value];
    let seen = 0;
    while (stack.length > 0 && seen++ < 10_000_000) {
      const v = stack.pop();
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) this.refuse('TYPE_MISMATCH', `${v} is not a finite number`);
      } else if (Quantity.isQuantity(v)) stack.push(v.magnitude);
      else if (Array.isArray(v)) for (const x of v) stack.push(x);
    }
  }

  // ------------------------------------------------------------ shapes

  /** Applies `one` to a scalar, or to each element of a spectrum or an image (arrays of at most 2 dimensions). */
  shaped(value: unknown, one: (x: unknown, at: number | undefined) => unknown): unknown {
    const v = this.#arrayFromText(value);
    const format = this.#t.dataFormat;
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) {
      if (format === DataFormat.Spectrum || format === DataFormat.Image)
        this.refuse('TYPE_MISMATCH', `expected ${this.#shapeText()}`);
      return one(v, undefined);
    }
    if (format === DataFormat.Scalar) this.refuse('TYPE_MISMATCH', `expected a single value, not an array`);
    const list = Array.from(v as ArrayLike<unknown>);
    const rows = list.length > 0 && Array.isArray(list[0]);
    if (format === DataFormat.Spectrum && rows) this.refuse('TYPE_MISMATCH', `expected ${this.#shapeText()}`);
    if (format === DataFormat.Image && !rows && list.length > 0)
      this.refuse('TYPE_MISMATCH', `expected ${this.#shapeText()}`);
    let k = 0;
    if (!rows) return list.map((x) => this.#leaf(one, x, k++));
    const width = (list[0] as unknown[]).length;
    return list.map((row) => {
      if (!Array.isArray(row) || row.length !== width)
        this.refuse('TYPE_MISMATCH', `expected ${this.#shapeText()} (rows of equal length)`);
      return row.map((x) => this.#leaf(one, x, k++));
    });
  }

  #leaf(one: (x: unknown, at: number | undefined) => unknown, x: unknown, at: number): unknown {
    if (Array.isArray(x))
      this.refuse('TYPE_MISMATCH', 'arrays of more than 2 dimensions are not written', at);
    return one(x, at);
  }

  #shapeText(): string {
    const kind =
      this.#t.type === DataType.String ? 'texts' : this.#t.type === DataType.Boolean ? 'booleans' : 'numbers';
    return this.#t.dataFormat === DataFormat.Image ? `an array of rows of ${kind}` : `an array of ${kind}`;
  }

  /** A JSON array text (`'[1, 2]'`) written to an array attribute is that array. */
  #arrayFromText(v: unknown): unknown {
    if (typeof v !== 'string' || this.#t.dataFormat === DataFormat.Scalar) return v;
    const text = v.trim();
    if (!text.startsWith('[')) return v;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return this.refuse('TYPE_MISMATCH', `expected ${this.#shapeText()} as JSON, such as [1, 2, 3]`);
    }
  }

  // ------------------------------------------------------------ element types

  boolean(x: unknown, at: number | undefined): boolean {
    if (typeof x === 'boolean') return x;
    if (x === 0 || x === 1) return x === 1;
    if (typeof x === 'string') {
      const t = x.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
    }
    return this.refuse('TYPE_MISMATCH', 'expected true or false', at);
  }

  text(x: unknown, at: number | undefined): string {
    if (typeof x === 'string') return x;
    return this.refuse('TYPE_MISMATCH', 'expected a text (a string)', at);
  }

  // ------------------------------------------------------------ numbers

  /** The value as a Quantity in the target's units, checked. */
  numeric(): Quantity {
    const t = this.#t;
    const v = this.#value;
    let magnitude: Magnitude;
    if (Quantity.isQuantity(v)) {
      // converted as a whole (one conversion for an array), then checked element by element
      const converted = v.units !== t.units;
      const m = this.#convert(v.magnitude, v.units, undefined);
      magnitude = this.shaped(m, (x, at) => this.#checkNumber(x as number, at, converted)) as Magnitude;
    } else {
      magnitude = this.shaped(v, (x, at) => this.#number(x, at)) as Magnitude;
    }
    return new Quantity(magnitude, t.units);
  }

  /** One element: a number in the target's units, a numeric text with optional units, or a Quantity. */
  #number(x: unknown, at: number | undefined): number {
    if (typeof x === 'number') return this.#checkNumber(x, at, false);
    if (Quantity.isQuantity(x)) {
      if (typeof x.magnitude !== 'number')
        this.refuse('TYPE_MISMATCH', 'expected a number, not an array', at);
      return this.#checkNumber(
        this.#convert(x.magnitude, x.units, at) as number,
        at,
        x.units !== this.#t.units,
      );
    }
    if (typeof x === 'string') {
      if (x.length > MAX_NUMBER_TEXT) {
        this.refuse(
          'TYPE_MISMATCH',
          `expected a number${this.#unitsHint()}, not a text of ${x.length.toLocaleString('en-US')} characters`,
          at,
        );
      }
      let q: Quantity<number>;
      try {
        q = Quantity.parse(x);
      } catch {
        return this.refuse('TYPE_MISMATCH', `expected a number${this.#unitsHint()}`, at);
      }
      // a number without units is in the attribute's units
      if (q.units === '' || q.units === this.#t.units) return this.#checkNumber(q.magnitude, at, false);
      return this.#checkNumber(this.#convert(q.magnitude, q.units, at) as number, at, true);
    }
    return this.refuse('TYPE_MISMATCH', `expected a number${this.#unitsHint()}`, at);
  }

  #unitsHint(): string {
    const u = this.#t.units;
    return u === '' ? ', such as 12.5' : ` in ${u} or compatible units, such as "12.5 ${u}"`;
  }

  /** `m` in `from` converted to the target's units. */
  #convert(m: Magnitude, from: string, at: number | undefined): Magnitude {
    const to = this.#t.units;
    if (from === to) return m;
    const q = new Quantity(m, from);
    if (!q.isCompatible(to)) {
      const show = (u: string) => (u === '' ? 'dimensionless' : excerpt(u));
      this.refuse(
        'UNIT_MISMATCH',
        `${from === '' ? 'a dimensionless value is' : `the units ${show(from)} are`} not compatible with its units, ${show(to)}`,
        at,
      );
    }
    return q.to(to).magnitude;
  }

  /**
   * Finite, an integer when the type says so, inside the range. A value
   * `converted` from other units may be off an integer by rounding only
   * (1.1 cm is 11.000000000000002 mm): it is rounded.
   */
  #checkNumber(n: number, at: number | undefined, converted: boolean): number {
    const t = this.#t;
    if (typeof n !== 'number') return this.refuse('TYPE_MISMATCH', 'expected a number', at);
    if (!Number.isFinite(n)) this.refuse('TYPE_MISMATCH', `${n} is not a finite number`, at);
    let v = n;
    if (t.type === DataType.Integer && t.integers !== false && !Number.isInteger(v)) {
      const r = Math.round(v);
      if (!converted || Math.abs(v - r) > 1e-12 * Math.max(1, Math.abs(v))) {
        this.refuse('TYPE_MISMATCH', `${v}${t.units === '' ? '' : ` ${t.units}`} is not an integer`, at);
      }
      v = r;
    }
    const [lo, hi] = t.range;
    if ((lo !== undefined && v < lo) || (hi !== undefined && v > hi)) {
      this.refuse(
        'OUT_OF_RANGE',
        `${v}${t.units === '' ? '' : ` ${t.units}`} is outside the range [${lo ?? '-inf'}, ${hi ?? 'inf'}]`,
        at,
      );
    }
    return v;
  }
}
