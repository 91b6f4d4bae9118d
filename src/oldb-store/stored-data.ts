/**
 * Strict decoding of what the Redis store reads from the server: the hash
 * of a datapoint, field by field, against its declared type.
 *
 * Every byte read from Redis may have been written by another client, by
 * hand or by a faulty producer. A field that does not hold what the layout
 * says (docs/oldb.md) is a {@link StoredDataError} (code `DATA`) naming the
 * datapoint, the field and what was expected, with a short excerpt of what
 * was found: it is never read as a made-up value, never passed on
 * unchecked, and never a raw JavaScript error. Decoding never recurses, so
 * a deeply nested value costs one check.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import {
  OLDB_METADATA_FIELDS,
  OLDB_QUALITIES,
  OLDB_TYPES,
  type OldbMetadata,
  type OldbQuality,
  type OldbSnapshot,
  type OldbType,
  type OldbValue,
} from './types.js';
import {
  decodeMetadataObject,
  decodeParsedValue,
  isOldbQuality,
  isOldbType,
  metadataMismatch,
  valueMismatch,
} from './values.js';

/** The longest excerpt of stored text quoted in an error. */
const EXCERPT = 60;

/** `text` quoted, cut to a short excerpt with its length when it is long. */
export function excerpt(text: string): string {
  if (text.length <= EXCERPT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, EXCERPT))}... (${text.length} characters)`;
}

/**
 * A datapoint whose stored content does not fit the OLDB layout or its
 * declared type (code `DATA`). Its `details` carry `path` and `field`.
 */
export class StoredDataError extends TkError {
  /** The datapoint. */
  readonly path: string;
  /** The hash field (`v`, `t`, `q`, `s`, `type`, `m.units`, ...). */
  readonly field: string;

  /** `problem` says what was expected and what was found; `message` replaces the whole message. */
  constructor(path: string, field: string, problem: string, message?: string) {
    super('DATA', message ?? `OLDB datapoint ${path} holds malformed data in field "${field}": ${problem}`, {
      details: { path, field },
    });
    this.path = path;
    this.field = field;
  }

  /**
   * The error of an operation on datapoint `path` that found key `key`
   * holding another kind of Redis value than `expected` (field `key`).
   */
  static wrongKey(path: string, key: string, expected: string, what = ''): StoredDataError {
    const problem = `key ${excerpt(key)} does not hold ${expected}`;
    return new StoredDataError(path, 'key', problem, `OLDB datapoint ${path}: ${problem}${what}`);
  }
}

function missing(path: string, field: string, what: string): StoredDataError {
  return new StoredDataError(path, field, `the field is missing; expected ${what}`);
}

function parseJson(path: string, field: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StoredDataError(
      path,
      field,
      `expected ${what} as JSON, found text that is not JSON: ${excerpt(text)}`,
    );
  }
}

/** The value of field `v` of datapoint `path` of `type`, decoded strictly. */
export function decodeStoredValue(path: string, type: OldbType, text: string | undefined): OldbValue {
  if (text === undefined) throw missing(path, 'v', `the value (a ${type})`);
  const parsed = parseJson(path, 'v', text, `a value of type ${type}`);
  const value = decodeParsedValue(type, parsed);
  if (value === undefined) {
    throw new StoredDataError(
      path,
      'v',
      `type ${type}: ${valueMismatch(type, parsed)} (stored ${excerpt(text)})`,
    );
  }
  return value;
}

/** A number as JavaScript writes one (`String(x)`): `12`, `-1.5`, `1e+21`; no blanks, no hex, not empty. */
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function decodeTimestamp(path: string, text: string | undefined): number {
  const what = 'a finite number of milliseconds since the epoch';
  if (text === undefined) throw missing(path, 't', `the timestamp (${what})`);
  const t = NUMBER_TEXT.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(t)) throw new StoredDataError(path, 't', `expected ${what}, found ${excerpt(text)}`);
  return t;
}

const QUALITY_TEXT = `one of ${OLDB_QUALITIES.join(', ')}`;

function decodeQuality(path: string, text: string | undefined): OldbQuality {
  const what = QUALITY_TEXT;
  if (text === undefined) throw missing(path, 'q', `the quality (${what})`);
  if (!isOldbQuality(text)) throw new StoredDataError(path, 'q', `expected ${what}, found ${excerpt(text)}`);
  return text;
}

function decodeCounter(path: string, text: string | undefined): number {
  const what = 'the change counter (a whole number >= 0)';
  if (text === undefined) throw missing(path, 's', what);
  const s = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(s))
    throw new StoredDataError(path, 's', `expected ${what}, found ${excerpt(text)}`);
  return s;
}

const TYPE_TEXT = `one of ${OLDB_TYPES.join(', ')}`;

/** The declared type of datapoint `path` as stored in field `type`. */
export function decodeStoredType(path: string, text: string | undefined): OldbType {
  const what = TYPE_TEXT;
  if (text === undefined) throw missing(path, 'type', `the declared type (${what})`);
  if (!isOldbType(text)) {
    throw new StoredDataError(
      path,
      'type',
      `expected ${what}, found ${excerpt(text)}; tk-core neither reads nor writes this datapoint`,
    );
  }
  return text;
}

/**
 * The metadata of a hash: every `m.<field>` of a known field, decoded and
 * checked. Fields tk-core does not know are left aside (another producer
 * may keep more metadata).
 */
function decodeStoredMetadata(path: string, h: Readonly<Record<string, string>>): OldbMetadata {
  // the known fields looked up in their canonical order: the result needs no sorting, and no key is sliced
  const md: Record<string, unknown> = {};
  for (let i = 0; i < OLDB_METADATA_FIELDS.length; i++) {
    const field = METADATA_KEYS[i]!;
    const text = h[field];
    if (text === undefined) continue;
    const f = OLDB_METADATA_FIELDS[i]!;
    const x = parseJson(path, field, text, 'a metadata value');
    const expected = metadataMismatch(f, x);
    if (expected !== undefined) {
      throw new StoredDataError(path, field, `expected ${expected}, found ${excerpt(text)}`);
    }
    if (x !== undefined) md[f] = x;
  }
  return md as OldbMetadata;
}

/** The hash field of each metadata field, in the canonical order (`m.label`, `m.description`...). */
const METADATA_KEYS: readonly string[] = OLDB_METADATA_FIELDS.map((f) => `m.${f}`);

function isEmpty(h: Readonly<Record<string, string>>): boolean {
  for (const _ in h) return false;
  return true;
}

/**
 * The whole metadata of datapoint `path` as a store script returns it (a
 * JSON object assembled from the stored `m.*` fields), checked.
 */
export function decodeStoredMetadataJson(path: string, json: string): OldbMetadata {
  let m: unknown;
  try {
    m = JSON.parse(json);
  } catch {
    throw new StoredDataError(path, 'm.*', `a metadata field does not hold JSON: ${excerpt(json)}`);
  }
  const md = decodeMetadataObject(m);
  if (md === undefined) {
    throw new StoredDataError(path, 'm.*', `a metadata field does not hold a valid value: ${excerpt(json)}`);
  }
  return md;
}

/**
 * Decodes the hash of datapoint `path` (field → text, as `HGETALL` gives
 * it) strictly: undefined when the hash is empty (not declared); otherwise
 * the snapshot, or a {@link StoredDataError} for the first field that does
 * not fit.
 */
export function decodeDatapointHash(
  path: string,
  h: Readonly<Record<string, string>>,
): OldbSnapshot | undefined {
  if (h.type === undefined && isEmpty(h)) return undefined;
  const t = decodeStoredType(path, h.type); // fields without a type are malformed too
  return {
    path,
    type: t,
    value: decodeStoredValue(path, t, h.v),
    timestamp: decodeTimestamp(path, h.t),
    quality: decodeQuality(path, h.q),
    metadata: decodeStoredMetadata(path, h),
    seq: decodeCounter(path, h.s),
  };
}
