/**
 * The error of a message that is not what the protocol says, and the JSON
 * form errors take on the wire. Browser-safe.
 *
 * @module
 */
import { TkError, type TkErrorCode } from '../errors/tk-error.js';

/**
 * A message (or a part of one) that does not follow the protocol: code
 * `BAD_REQUEST` (or `UNKNOWN_TYPE`), a message naming the field by its path
 * (`items[3].name`) and what would be valid, and the request id when the
 * message had a readable one.
 */
export class ProtocolError extends TkError {
  /** The `id` of the request, when it could be read (replies carry it). */
  readonly requestId: number | string | null;
  constructor(
    message: string,
    options: {
      code?: 'BAD_REQUEST' | 'UNKNOWN_TYPE';
      path?: string;
      requestId?: number | string | null;
    } = {},
  ) {
    super(options.code ?? 'BAD_REQUEST', message, {
      details: options.path === undefined ? {} : { path: options.path },
    });
    this.requestId = options.requestId ?? null;
  }
}

/** An error on the wire: `{ code, message, details? }`. */
export interface WireError {
  /** A {@link TkErrorCode}; a client keeps a code it does not know as it is. */
  readonly code: string;
  /** For people: names the input and what would have been valid. */
  readonly message: string;
  /** Structured details (plain JSON), when there are any. */
  readonly details?: Readonly<Record<string, unknown>>;
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The wire form of any error (a `TkError` keeps its code; anything else is `INTERNAL`). */
export function encodeError(err: unknown): WireError {
  if (err instanceof TkError) {
    const details = plainDetails(err.details);
    return details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** A `TkError` from its wire form; throws a {@link ProtocolError} when `w` is not one. */
export function decodeError(w: unknown, path = 'error'): TkError {
  if (typeof w !== 'object' || w === null || Array.isArray(w))
    throw new ProtocolError(`${path} must be an object { code, message, details? }`, { path });
  const o = w as Record<string, unknown>;
  if (typeof o.code !== 'string' || !CODE.test(o.code))
    throw new ProtocolError(`${path}.code must be an error code such as "NOT_WRITABLE"`, {
      path: `${path}.code`,
    });
  if (typeof o.message !== 'string')
    throw new ProtocolError(`${path}.message must be a string`, { path: `${path}.message` });
  let details: Record<string, unknown> | undefined;
  if (o.details !== undefined) {
    if (typeof o.details !== 'object' || o.details === null || Array.isArray(o.details))
      throw new ProtocolError(`${path}.details must be an object`, { path: `${path}.details` });
    details = o.details as Record<string, unknown>;
  }
  return new TkError(o.code as TkErrorCode, o.message, details === undefined ? {} : { details });
}

/** Details reduced to plain JSON data (a detail that cannot be serialized becomes its text). */
function plainDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(details)) {
    const v = details[k];
    if (v === undefined) continue;
    out ??= {};
    out[k] = plain(v, 0);
  }
  return out;
}

function plain(v: unknown, depth: number): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return String(v);
  if (depth > 8) return '…';
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => plain(x, depth + 1));
  if (v instanceof Error) return v.message;
  if (typeof v === 'object') {
    const json = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return plain(json.call(v), depth + 1);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).slice(0, 100))
      out[k] = plain((v as Record<string, unknown>)[k], depth + 1);
    return out;
  }
  return String(v);
}
