/**
 * Writes through the `cii.oldb` scheme: converting a value to a datapoint's
 * units and type, checking its range, and the explicit request to declare
 * an undeclared datapoint ({@link withDeclaration}).
 *
 * @module
 */
import { WriteError } from '../../errors/tk-error.js';
import { findOutOfRange } from '../../oldb/limits.js';
import type { OldbMetadata, OldbType, OldbValue } from '../../oldb/types.js';
import { checkValue, isNumericType } from '../../oldb/values.js';
import { Quantity } from '../../units/quantity.js';

const DECLARE = Symbol.for('tk-core.oldb.withDeclaration');

/** A value to write that asks for the datapoint to be declared when it is not. */
export interface OldbDeclaringValue {
  /** @internal brand */
  readonly [DECLARE]: true;
  /** The value. */
  readonly value: unknown;
  /** The type to declare; inferred from the value when absent (numbers: `double`). */
  readonly type?: OldbType | undefined;
  /** The metadata to declare; the units of a Quantity value when absent. */
  readonly metadata?: OldbMetadata | undefined;
}

/**
 * Wraps a value so that writing it declares the datapoint first when it is
 * not declared (a write to an undeclared datapoint is otherwise an error).
 *
 * @example
 * ```ts
 * await m.attribute('cii.oldb:/root/ui/setpoint').write(withDeclaration(Quantity.of(2, 'mm')));
 * ```
 */
export function withDeclaration(
  value: unknown,
  declaration: { type?: OldbType; metadata?: OldbMetadata } = {},
): OldbDeclaringValue {
  return Object.freeze({
    [DECLARE]: true as const,
    value,
    type: declaration.type,
    metadata: declaration.metadata,
  });
}

/** Whether `v` was made by {@link withDeclaration}. */
export function isDeclaringValue(v: unknown): v is OldbDeclaringValue {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[DECLARE] === true;
}

/** The type a value would be declared with. */
export function inferType(path: string, value: unknown): OldbType {
  const v = Quantity.isQuantity(value) ? value.magnitude : value;
  const scalar = (x: unknown): 'double' | 'boolean' | 'string' | undefined =>
    typeof x === 'number'
      ? 'double'
      : typeof x === 'boolean'
        ? 'boolean'
        : typeof x === 'string'
          ? 'string'
          : undefined;
  if (Array.isArray(v) && v.length > 0) {
    const t = scalar(v[0]);
    if (t !== undefined) return `${t}[]`;
  }
  const t = scalar(v);
  if (t !== undefined) return t;
  throw new WriteError(
    'TYPE_MISMATCH',
    `Cannot declare OLDB datapoint ${path} from this value: give a number, boolean, string, Quantity or a non-empty array of them, or a type in withDeclaration(value, { type })`,
    { details: { path } },
  );
}

function unitsText(u: string): string {
  return u === '' ? 'dimensionless' : `"${u}"`;
}

/**
 * Converts `value` to what is stored in a datapoint of `type` with `md`:
 * Quantities are converted to the datapoint's units; the type and the range
 * are checked. Throws a {@link WriteError} naming the datapoint and the reason.
 */
export function toStoredValue(path: string, type: OldbType, md: OldbMetadata, value: unknown): OldbValue {
  let v = value;
  const units = md.units ?? '';
  if (Quantity.isQuantity(v)) {
    if (!isNumericType(type)) {
      throw new WriteError(
        'TYPE_MISMATCH',
        `Cannot write the quantity ${String(v)} to OLDB datapoint ${path} of type ${type}: expected a ${type}`,
        { details: { path, type } },
      );
    }
    if (!v.isCompatible(units)) {
      throw new WriteError(
        'UNIT_MISMATCH',
        `Cannot write ${String(v)} to OLDB datapoint ${path}: its units are ${unitsText(units)}, and ${unitsText(v.units)} cannot be converted to them`,
        { details: { path, from: v.units, to: units } },
      );
    }
    v = v.to(units).magnitude;
  }
  const checked = checkValue(path, type, v);
  const out = findOutOfRange(checked, md.range);
  if (out !== null) {
    const [lo, hi] = md.range!;
    throw new WriteError(
      'OUT_OF_RANGE',
      `Cannot write ${out.value}${units === '' ? '' : ` ${units}`}${out.index === undefined ? '' : ` (element ${out.index})`} to OLDB datapoint ${path}: outside its range [${lo ?? '-inf'}, ${hi ?? '+inf'}]`,
      { details: { path, value: out.value, range: [lo, hi] } },
    );
  }
  return checked;
}
