/**
 * Values on the wire. JSON carries strings, booleans, null and finite
 * numbers as they are; everything else is an object tagged by a `"$"` key:
 *
 * | value | wire |
 * |---|---|
 * | `Quantity` | `{"$":"q","m":<magnitude>,"u":"mm"}` (`u` left out when dimensionless) |
 * | numeric array (rectangular, up to 4 dimensions) | `{"$":"nd","dt":"f64","sh":[rows,cols],"b64":"..."}`: little-endian |
 * | `Uint8Array` | `{"$":"bytes","b64":"..."}` |
 * | NaN, ±Infinity, -0 | `{"$":"num","v":"NaN"}`; as a magnitude, just `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"` |
 * | `undefined` | `{"$":"undef"}` (e.g. a missing limit in `[low, high]`) |
 * | `bigint` | `{"$":"big","v":"123"}` |
 * | an error | `{"$":"err","code":...,"message":...}` |
 * | an object with a `"$"` key | `{"$":"o","v":{...}}` |
 *
 * Other objects are JSON objects of encoded values; other arrays, JSON arrays
 * of encoded values. A typed array's `dt` is `i32` when every element is an
 * integer in its range, `f32` when every element is exactly a 32-bit float,
 * else `f64`: no precision is ever lost. Decoding gives plain (nested) number
 * arrays, as readings hold them. Browser-safe.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import { type Magnitude, Quantity } from '../units/quantity.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { MAX_VALUE_DEPTH } from './constants.js';
import { decodeError, encodeError, ProtocolError } from './errors.js';

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Element types of a typed array on the wire. */
export const WIRE_DTYPES = ['f64', 'f32', 'i32', 'i16', 'i8', 'u32', 'u16', 'u8'] as const;
/** One of {@link WIRE_DTYPES}. */
export type WireDtype = (typeof WIRE_DTYPES)[number];

const MAX_DIMS = 4;
const MAX_ELEMENTS = 1 << 27;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SIZE: Record<WireDtype, number> = { f64: 8, f32: 4, i32: 4, i16: 2, i8: 1, u32: 4, u16: 2, u8: 1 };

// ------------------------------------------------------------------ encoding

/** The wire form of any value a reading, a fragment or a write can hold. */
export function encodeValue(v: unknown): Json {
  return enc(v, 0);
}

function enc(v: unknown, depth: number): Json {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { $: 'num', v: numberText(v) };
    case 'bigint':
      return { $: 'big', v: String(v) };
    case 'undefined':
      return { $: 'undef' };
    case 'object':
      break;
    default:
      return String(v);
  }
  if (v === null) return null;
  if (depth >= MAX_VALUE_DEPTH)
    throw new TkError(
      'LIMIT_EXCEEDED',
      `A value nested deeper than ${MAX_VALUE_DEPTH} levels cannot be sent`,
    );
  if (Quantity.isQuantity(v)) {
    const m = encodeMagnitude(v.magnitude);
    return v.units === '' ? { $: 'q', m } : { $: 'q', m, u: v.units };
  }
  if (v instanceof Uint8Array) return { $: 'bytes', b64: bytesToBase64(v) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return encodeNumbers(Array.from(v as unknown as ArrayLike<number | bigint>, Number), [
      (v as unknown as ArrayLike<number>).length,
    ]);
  }
  if (Array.isArray(v)) {
    const shape = numericShape(v);
    if (shape !== null) return encodeNumbers(flatten(v, shape.length), shape);
    return v.map((x) => enc(x, depth + 1));
  }
  if (v instanceof TkError) return { $: 'err', ...encodeError(v) } as Json;
  if (v instanceof Error) return { $: 'err', code: 'INTERNAL', message: v.message };
  const json = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return enc(json.call(v), depth + 1);
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(v)) out[k] = enc((v as Record<string, unknown>)[k], depth + 1);
  return '$' in out ? { $: 'o', v: out } : out;
}

/** The text of a number JSON cannot hold (NaN, ±Infinity, -0). */
function numberText(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

function encodeMagnitude(m: Magnitude): Json {
  if (typeof m === 'number') return Number.isFinite(m) && !Object.is(m, -0) ? m : numberText(m);
  const shape = numericShape(m);
  if (shape !== null) return encodeNumbers(flatten(m, shape.length), shape);
  return m.map(encodeMagnitude);
}

/** The shape of a non-empty rectangular array of numbers up to {@link MAX_DIMS} deep, else null. */
function numericShape(v: readonly unknown[]): number[] | null {
  if (v.length === 0) return null;
  const first = v[0];
  if (typeof first === 'number') {
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return null;
    return [v.length];
  }
  if (!Array.isArray(first)) return null;
  const inner = numericShape(first);
  if (inner === null || inner.length >= MAX_DIMS) return null;
  for (let i = 1; i < v.length; i++) {
    const x = v[i];
    if (!Array.isArray(x) || x.length !== inner[0]) return null;
    const s = numericShape(x);
    if (s === null || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return null;
  }
  return [v.length, ...inner];
}

function flatten(v: readonly unknown[], dims: number): number[] {
  if (dims === 1) return v as number[];
  const out: number[] = [];
  for (const x of v) for (const y of flatten(x as unknown[], dims - 1)) out.push(y);
  return out;
}

function dtypeFor(values: readonly number[]): WireDtype {
  let ints = true;
  let f32 = true;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (ints && !(Number.isInteger(x) && x >= -2147483648 && x <= 2147483647 && !Object.is(x, -0)))
      ints = false;
    if (f32 && Math.fround(x) !== x && !Number.isNaN(x)) f32 = false;
    if (!ints && !f32) break;
  }
  return ints ? 'i32' : f32 ? 'f32' : 'f64';
}

function encodeNumbers(values: readonly number[], shape: readonly number[]): Json {
  const dt = dtypeFor(values);
  const n = values.length;
  const bytes = new Uint8Array(n * SIZE[dt]);
  if (LITTLE_ENDIAN) {
    const view =
      dt === 'i32'
        ? new Int32Array(bytes.buffer)
        : dt === 'f32'
          ? new Float32Array(bytes.buffer)
          : new Float64Array(bytes.buffer);
    for (let i = 0; i < n; i++) view[i] = values[i]!;
  } else {
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < n; i++) {
      if (dt === 'i32') dv.setInt32(i * 4, values[i]!, true);
      else if (dt === 'f32') dv.setFloat32(i * 4, values[i]!, true);
      else dv.setFloat64(i * 8, values[i]!, true);
    }
  }
  return { $: 'nd', dt, sh: [...shape], b64: bytesToBase64(bytes) };
}

// ------------------------------------------------------------------ decoding

/**
 * The value of wire form `w`. Throws a {@link ProtocolError} naming the path
 * (`value.m[2]`) and what is valid when `w` is not a wire value.
 */
export function decodeValue(w: unknown, path = 'value'): unknown {
  return dec(w, path, 0);
}

function dec(w: unknown, path: string, depth: number): unknown {
  switch (typeof w) {
    case 'string':
    case 'boolean':
      return w;
    case 'number':
      return w;
    case 'object':
      break;
    default:
      throw new ProtocolError(`${path} is not a JSON value`, { path });
  }
  if (w === null) return null;
  if (depth >= MAX_VALUE_DEPTH)
    throw new ProtocolError(`${path} is nested deeper than ${MAX_VALUE_DEPTH} levels`, { path });
  if (Array.isArray(w)) return w.map((x, i) => dec(x, `${path}[${i}]`, depth + 1));
  const o = w as Record<string, unknown>;
  if (!Object.hasOwn(o, '$')) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
      if (k === '__proto__') continue;
      out[k] = dec(o[k], `${path}.${k}`, depth + 1);
    }
    return out;
  }
  switch (o.$) {
    case 'q': {
      const units = o.u === undefined ? '' : o.u;
      if (typeof units !== 'string')
        throw new ProtocolError(`${path}.u must be a string of units`, { path: `${path}.u` });
      return new Quantity(decodeMagnitude(o.m, `${path}.m`, depth + 1), units);
    }
    case 'nd':
      return decodeNumbers(o, path);
    case 'bytes': {
      const bytes = typeof o.b64 === 'string' ? base64ToBytes(o.b64) : null;
      if (bytes === null)
        throw new ProtocolError(`${path}.b64 must be padded base64`, { path: `${path}.b64` });
      return bytes;
    }
    case 'num':
      return nonFinite(o.v, `${path}.v`);
    case 'undef':
      return undefined;
    case 'big':
      if (typeof o.v !== 'string' || !/^-?\d{1,400}$/.test(o.v))
        throw new ProtocolError(`${path}.v must be the decimal digits of an integer`, { path: `${path}.v` });
      return BigInt(o.v);
    case 'err':
      return decodeError(o, path);
    case 'o': {
      if (typeof o.v !== 'object' || o.v === null || Array.isArray(o.v))
        throw new ProtocolError(`${path}.v must be an object`, { path: `${path}.v` });
      const inner = o.v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(inner)) {
        if (k === '__proto__') continue;
        out[k] = dec(inner[k], `${path}.v.${k}`, depth + 1);
      }
      return out;
    }
    default:
      throw new ProtocolError(
        `${path} has the unknown tag ${JSON.stringify(o.$)}: valid tags are q, nd, bytes, num, undef, big, err, o`,
        { path: `${path}.$` },
      );
  }
}

function nonFinite(v: unknown, path: string): number {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === '-0') return -0;
  throw new ProtocolError(`${path} must be "NaN", "Infinity", "-Infinity" or "-0"`, { path });
}

function decodeMagnitude(w: unknown, path: string, depth: number): Magnitude {
  if (typeof w === 'number') return w;
  if (typeof w === 'string') return nonFinite(w, path);
  if (depth >= MAX_VALUE_DEPTH)
    throw new ProtocolError(`${path} is nested deeper than ${MAX_VALUE_DEPTH} levels`, { path });
  if (Array.isArray(w)) return w.map((x, i) => decodeMagnitude(x, `${path}[${i}]`, depth + 1));
  if (typeof w === 'object' && w !== null && (w as Record<string, unknown>).$ === 'nd')
    return decodeNumbers(w as Record<string, unknown>, path);
  throw new ProtocolError(
    `${path} must be a magnitude: a number, "NaN", "Infinity", "-Infinity", "-0", an array of magnitudes or a typed array {"$":"nd",...}`,
    { path },
  );
}

function decodeNumbers(o: Record<string, unknown>, path: string): number[] {
  const dt = o.dt;
  if (typeof dt !== 'string' || !(WIRE_DTYPES as readonly string[]).includes(dt))
    throw new ProtocolError(`${path}.dt must be one of ${WIRE_DTYPES.join(', ')}`, { path: `${path}.dt` });
  const sh = o.sh;
  if (
    !Array.isArray(sh) ||
    sh.length < 1 ||
    sh.length > MAX_DIMS ||
    !sh.every((d) => Number.isSafeInteger(d) && (d as number) >= 1)
  )
    throw new ProtocolError(`${path}.sh must be a shape: 1 to ${MAX_DIMS} positive integers`, {
      path: `${path}.sh`,
    });
  let count = 1;
  for (const d of sh as number[]) {
    count *= d;
    if (count > MAX_ELEMENTS)
      throw new ProtocolError(`${path}.sh holds more than ${MAX_ELEMENTS} elements`, { path: `${path}.sh` });
  }
  const bytes = typeof o.b64 === 'string' ? base64ToBytes(o.b64) : null;
  if (bytes === null) throw new ProtocolError(`${path}.b64 must be padded base64`, { path: `${path}.b64` });
  const size = SIZE[dt as WireDtype];
  if (bytes.byteLength !== count * size)
    throw new ProtocolError(
      `${path}.b64 holds ${bytes.byteLength} bytes where shape [${sh.join(', ')}] of ${dt} needs ${count * size}`,
      { path: `${path}.b64` },
    );
  const flat = readNumbers(bytes, dt as WireDtype, count);
  return reshape(flat, sh as number[]);
}

function readNumbers(bytes: Uint8Array, dt: WireDtype, count: number): number[] {
  const out = new Array<number>(count);
  if (LITTLE_ENDIAN) {
    // a view needs an aligned offset: copy the bytes when they are not
    const aligned = bytes.byteOffset % SIZE[dt] === 0 ? bytes : bytes.slice();
    const { buffer, byteOffset } = aligned;
    const view =
      dt === 'f64'
        ? new Float64Array(buffer, byteOffset, count)
        : dt === 'f32'
          ? new Float32Array(buffer, byteOffset, count)
          : dt === 'i32'
            ? new Int32Array(buffer, byteOffset, count)
            : dt === 'i16'
              ? new Int16Array(buffer, byteOffset, count)
              : dt === 'i8'
                ? new Int8Array(buffer, byteOffset, count)
                : dt === 'u32'
                  ? new Uint32Array(buffer, byteOffset, count)
                  : dt === 'u16'
                    ? new Uint16Array(buffer, byteOffset, count)
                    : new Uint8Array(buffer, byteOffset, count);
    for (let i = 0; i < count; i++) out[i] = view[i]!;
    return out;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = SIZE[dt];
  for (let i = 0; i < count; i++) {
    const at = i * size;
    out[i] =
      dt === 'f64'
        ? dv.getFloat64(at, true)
        : dt === 'f32'
          ? dv.getFloat32(at, true)
          : dt === 'i32'
            ? dv.getInt32(at, true)
            : dt === 'i16'
              ? dv.getInt16(at, true)
              : dt === 'i8'
                ? dv.getInt8(at)
                : dt === 'u32'
                  ? dv.getUint32(at, true)
                  : dt === 'u16'
                    ? dv.getUint16(at, true)
                    : dv.getUint8(at);
  }
  return out;
}

function reshape(flat: number[], shape: readonly number[]): number[] {
  if (shape.length === 1) return flat;
  const [rows, ...rest] = shape as [number, ...number[]];
  const step = flat.length / rows;
  const out: unknown[] = [];
  for (let r = 0; r < rows; r++) out.push(reshape(flat.slice(r * step, (r + 1) * step), rest));
  return out as number[];
}
