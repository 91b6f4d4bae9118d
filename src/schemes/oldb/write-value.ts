/**
 * Writes through the `cii.oldb` scheme: converting a value to a datapoint's
 * units and type, checking its range, and the explicit request to declare
 * an undeclared datapoint ({@link withDeclaration}).
 *
 * @module
 */
import { coerceWriteValue, WRITE_REQUEST } from '../../attribute/write-coercion.js';
import { WriteError } from '../../errors/tk-error.js';
import type { OldbMetadata, OldbType, OldbValue } from '../../oldb-store/types.js';
import { checkValue } from '../../oldb-store/values.js';
import { Quantity } from '../../units/quantity.js';
import { configOf } from './mapping.js';

const DECLARE = Symbol.for('tk-core.oldb.withDeclaration');

/** A value to write that asks for the datapoint to be declared when it is not. */
export interface OldbDeclaringValue {
  /** @internal brand */
  readonly [DECLARE]: true;
  /** A scheme's own write request: the core hands it to the source unchanged. */
  readonly [WRITE_REQUEST]: true;
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
    [WRITE_REQUEST]: true as const,
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

/** Options of {@link toStoredValue}. */
export interface StoredValueOptions {
  /**
   * Whether a value outside the datapoint's range is refused (default true,
   * as every write through the scheme). `tk oldb set`, which edits the store
   * as it is, gives false.
   */
  readonly range?: boolean;
}

/**
 * Converts `value` to what is stored in a datapoint of `type` with `md`, by
 * the write path every scheme shares (`coerceWriteValue`): numbers, strings
 * with or without units (`'2 cm'`, `'2'`) and Quantities are converted to the
 * datapoint's units, the type, shape and range are checked; then the OLDB's
 * own limits of its type (integer bounds). Throws a {@link WriteError} naming
 * the datapoint and the reason. The one conversion of values to a
 * datapoint's units: the scheme's writes and `tk oldb set|declare` use it.
 */
export function toStoredValue(
  path: string,
  type: OldbType,
  md: OldbMetadata,
  value: unknown,
  options: StoredValueOptions = {},
): OldbValue {
  const config = configOf(type, md, path);
  const converted = coerceWriteValue(value, {
    name: `OLDB datapoint ${path}`,
    type: config.type,
    dataFormat: config.dataFormat,
    units: config.units ?? '',
    range: options.range === false ? [undefined, undefined] : (config.range ?? [undefined, undefined]),
  });
  const plain = Quantity.isQuantity(converted) ? converted.magnitude : converted;
  return checkValue(path, type, plain);
}
