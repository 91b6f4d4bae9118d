/**
 * Type checks and the stored encoding of values, qualities, timestamps and
 * metadata, shared by both stores so that they accept and refuse exactly the
 * same things.
 *
 * Values are stored as JSON text; non-finite doubles, which JSON cannot
 * carry, are stored as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`
 * and read back as numbers because the datapoint's type is known.
 *
 * @module
 */
import { TkError, WriteError } from '../errors/tk-error.js';
import {
  OLDB_METADATA_FIELDS,
  OLDB_QUALITIES,
  OLDB_TYPES,
  type OldbLimits,
  type OldbMetadata,
  type OldbMetadataField,
  type OldbQuality,
  type OldbScalarType,
  type OldbType,
  type OldbValue,
} from './types.js';

/** Whether `x` names an {@link OldbType}. */
export function isOldbType(x: unknown): x is OldbType {
  return typeof x === 'string' && (OLDB_TYPES as readonly string[]).includes(x);
}

/** Whether `x` is an {@link OldbQuality}. */
export function isOldbQuality(x: unknown): x is OldbQuality {
  return typeof x === 'string' && (OLDB_QUALITIES as readonly string[]).includes(x);
}

/** Whether `type` is an array type. */
export function isArrayType(type: OldbType): boolean {
  return type.endsWith('[]');
}

/** The element type of `type` (itself for a scalar type). */
export function elementType(type: OldbType): OldbScalarType {
  return (type.endsWith('[]') ? type.slice(0, -2) : type) as OldbScalarType;
}

/** Whether values of `type` are numbers. */
export function isNumericType(type: OldbType): boolean {
  const e = elementType(type);
  return e === 'double' || e === 'integer';
}

/** The zero of a type: `0`, `false`, `''` or `[]`. */
export function zeroValue(type: OldbType): OldbValue {
  if (isArrayType(type)) return [];
  const e = elementType(type);
  return e === 'boolean' ? false : e === 'string' ? '' : 0;
}

/** A short description of a value for error messages (never its whole text). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string')
    return v.length > 40
      ? `the string ${JSON.stringify(v.slice(0, 40))}...`
      : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return `the ${typeof v} ${String(v)}`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  const name = (v as object).constructor?.name;
  return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
}

function scalarOk(e: OldbScalarType, v: unknown): boolean {
  switch (e) {
    case 'double':
      return typeof v === 'number';
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
  }
}

const EXPECTED: Record<OldbScalarType, string> = {
  double: 'a number',
  integer: 'a safe integer (a whole number within ±2^53-1)',
  boolean: 'true or false',
  string: 'a string',
};

/** What a stored value must be: as {@link EXPECTED}, and doubles may be the spellings of non-finite numbers. */
const EXPECTED_STORED: Record<OldbScalarType, string> = {
  ...EXPECTED,
  double: 'a number (or "NaN", "Infinity", "-Infinity")',
};

/** The elements of a stored array of each scalar type. */
const EXPECTED_ELEMENTS: Record<OldbScalarType, string> = {
  double: 'numbers (or "NaN", "Infinity", "-Infinity")',
  integer: 'safe integers',
  boolean: 'true or false values',
  string: 'strings',
};

/**
 * Checks `value` against `type` and returns it normalized (arrays copied as
 * plain arrays, typed arrays accepted for numeric array types). Throws a
 * TYPE_MISMATCH {@link WriteError} naming the datapoint otherwise.
 */
export function checkValue(path: string, type: OldbType, value: unknown): OldbValue {
  const e = elementType(type);
  if (!isArrayType(type)) {
    if (scalarOk(e, value)) return value as OldbValue;
    throw new WriteError(
      'TYPE_MISMATCH',
      `Cannot write ${describeValue(value)} to OLDB datapoint ${path} of type ${type}: expected ${EXPECTED[e]}`,
      { details: { path, type } },
    );
  }
  const list: unknown[] | null = Array.isArray(value)
    ? value
    : ArrayBuffer.isView(value) && !(value instanceof DataView) && (e === 'double' || e === 'integer')
      ? Array.from(value as unknown as ArrayLike<number>)
      : null;
  if (list === null) {
    throw new WriteError(
      'TYPE_MISMATCH',
      `Cannot write ${describeValue(value)} to OLDB datapoint ${path} of type ${type}: expected an array of ${EXPECTED[e].replace(/^an? /, '')} values`,
      { details: { path, type } },
    );
  }
  const out = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (!scalarOk(e, x)) {
      throw new WriteError(
        'TYPE_MISMATCH',
        `Cannot write to OLDB datapoint ${path} of type ${type}: element ${i} is ${describeValue(x)}, expected ${EXPECTED[e]}`,
        { details: { path, type, index: i } },
      );
    }
    out[i] = x;
  }
  return out as OldbValue;
}

/** Throws a WRITE_REJECTED {@link WriteError} unless `q` is an OLDB quality. */
export function checkQuality(path: string, q: unknown): OldbQuality {
  if (isOldbQuality(q)) return q;
  throw new WriteError(
    'WRITE_REJECTED',
    `Invalid quality ${describeValue(q)} for OLDB datapoint ${path}: expected one of ${OLDB_QUALITIES.join(', ')}`,
    { details: { path } },
  );
}

/** Throws a WRITE_REJECTED {@link WriteError} unless `t` is a finite timestamp in ms. */
export function checkTimestamp(path: string, t: unknown): number {
  if (typeof t === 'number' && Number.isFinite(t)) return t;
  throw new WriteError(
    'WRITE_REJECTED',
    `Invalid timestamp ${describeValue(t)} for OLDB datapoint ${path}: expected a finite number of milliseconds since the epoch`,
    { details: { path } },
  );
}

/** Throws a CONFIG {@link TkError} unless `type` is an OLDB type. */
export function checkType(path: string, type: unknown): OldbType {
  if (isOldbType(type)) return type;
  throw new TkError(
    'CONFIG',
    `Invalid type ${describeValue(type)} for OLDB datapoint ${path}: expected one of ${OLDB_TYPES.join(', ')}`,
    { details: { path } },
  );
}

function encodeNumber(x: number): string {
  return Number.isFinite(x) ? JSON.stringify(x) : `"${String(x)}"`;
}

/** The stored JSON text of a checked value. */
export function encodeValue(type: OldbType, value: OldbValue): string {
  if (elementType(type) !== 'double') return JSON.stringify(value);
  if (typeof value === 'number') return encodeNumber(value);
  return `[${(value as readonly number[]).map(encodeNumber).join(',')}]`;
}

/** A stored double: a number, or one of the spellings of the non-finite ones; undefined otherwise. */
function decodeDouble(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  switch (x) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/**
 * Decodes a stored or notified value of `type` (already parsed JSON),
 * strictly: undefined when it is not a value of that type (a string in an
 * integer datapoint, a fraction, an array in a scalar one, a nested array,
 * `null` in an array...). Non-finite doubles come as `"NaN"`, `"Infinity"`,
 * `"-Infinity"`. Never recurses: a deeply nested array costs one check.
 */
export function decodeParsedValue(type: OldbType, parsed: unknown): OldbValue | undefined {
  const e = elementType(type);
  if (!isArrayType(type)) {
    if (e === 'double') return decodeDouble(parsed);
    return scalarOk(e, parsed) ? (parsed as OldbValue) : undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (e !== 'double') {
    for (let i = 0; i < parsed.length; i++) if (!scalarOk(e, parsed[i])) return undefined;
    return parsed as OldbValue;
  }
  let out: unknown[] = parsed;
  for (let i = 0; i < parsed.length; i++) {
    const x = parsed[i];
    if (typeof x === 'number') continue;
    const d = decodeDouble(x);
    if (d === undefined) return undefined;
    if (out === parsed) out = [...parsed]; // never change the caller's array (it may be frozen)
    out[i] = d;
  }
  return out as number[];
}

/**
 * Why `parsed` is not a value of `type`, for an error message: what was
 * expected and, for an array, which element is wrong. Assumes
 * {@link decodeParsedValue} refused it.
 */
export function valueMismatch(type: OldbType, parsed: unknown): string {
  const e = elementType(type);
  const what = EXPECTED_STORED[e];
  if (!isArrayType(type)) return `expected ${what}, found ${describeValue(parsed)}`;
  const many = `an array of ${EXPECTED_ELEMENTS[e]}`;
  if (!Array.isArray(parsed)) return `expected ${many}, found ${describeValue(parsed)}`;
  for (let i = 0; i < parsed.length; i++) {
    const x = parsed[i];
    if (e === 'double' ? decodeDouble(x) === undefined : !scalarOk(e, x))
      return `expected ${many}, but element ${i} is ${describeValue(x)}`;
  }
  return `expected ${many}`;
}

function configError(path: string, field: string, value: unknown, expected: string): TkError {
  return new TkError(
    'CONFIG',
    `Invalid metadata field "${field}" (${describeValue(value)}) for OLDB datapoint ${path}: expected ${expected}`,
    { details: { path, field } },
  );
}

function limitsOk(v: unknown): v is OldbLimits {
  return (
    Array.isArray(v) &&
    v.length === 2 &&
    v.every((x) => x === null || (typeof x === 'number' && !Number.isNaN(x))) &&
    (v[0] === null || v[1] === null || (v[0] as number) <= (v[1] as number))
  );
}

/** Whether `field` names an OLDB metadata field. */
export function isMetadataField(field: string): field is OldbMetadataField {
  return (OLDB_METADATA_FIELDS as readonly string[]).includes(field);
}

/**
 * What a value of metadata field `field` must be, when `v` is not that;
 * undefined when `v` is a valid value of the field. The rules shared by
 * declarations (CONFIG errors) and what is read from a store (DATA errors).
 */
export function metadataMismatch(field: OldbMetadataField, v: unknown): string | undefined {
  switch (field) {
    case 'range':
    case 'alarms':
    case 'warnings':
      return limitsOk(v) ? undefined : 'a [low, high] pair of numbers or nulls with low <= high';
    case 'writable':
      return typeof v === 'boolean' ? undefined : 'true or false';
    default:
      return typeof v === 'string' ? undefined : 'a string';
  }
}

/**
 * Checks a metadata object or patch and returns a clean copy holding only
 * known fields; fields set to `undefined` are kept as `undefined` (meaning
 * "remove" in a patch). Throws a CONFIG {@link TkError} naming the field.
 */
export function checkMetadata(path: string, md: unknown): OldbMetadata {
  if (md === undefined || md === null) return {};
  if (typeof md !== 'object' || Array.isArray(md)) throw configError(path, '(metadata)', md, 'an object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(md as Record<string, unknown>)) {
    if (!isMetadataField(k)) {
      throw configError(path, k, v, `one of the fields ${OLDB_METADATA_FIELDS.join(', ')}`);
    }
    if (v === undefined) {
      out[k] = undefined;
      continue;
    }
    const expected = metadataMismatch(k, v);
    if (expected !== undefined) throw configError(path, k, v, expected);
    out[k] = Array.isArray(v) ? [v[0], v[1]] : v;
  }
  return out as OldbMetadata;
}

/**
 * Metadata read back (a notification's, a script's reply): the known fields,
 * checked; undefined when one does not fit or `m` is not an object. Fields
 * tk-core does not know are left aside.
 */
export function decodeMetadataObject(m: unknown): OldbMetadata | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k in m) {
    if (!Object.hasOwn(m, k) || !isMetadataField(k)) continue;
    const x = (m as Record<string, unknown>)[k];
    if (metadataMismatch(k, x) !== undefined) return undefined;
    out[k] = x;
  }
  return sortMetadata(out as OldbMetadata);
}

/** Applies a checked patch to metadata: `undefined` fields are removed. */
export function mergeMetadata(base: OldbMetadata, patch: OldbMetadata): OldbMetadata {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return sortMetadata(out as OldbMetadata);
}

/** A copy of metadata with its fields in the canonical order and no `undefined` fields. */
export function sortMetadata(md: OldbMetadata): OldbMetadata {
  const out: Record<string, unknown> = {};
  for (const f of OLDB_METADATA_FIELDS) if (md[f] !== undefined) out[f] = md[f];
  return out as OldbMetadata;
}
