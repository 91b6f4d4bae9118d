/**
 * Readings, metadata and names on the wire. A reading travels as
 * `{ rvalue, wvalue?, time, quality, error? }` with values in their wire form
 * (see values.ts); metadata as the attribute configuration's own keys, limits
 * as `[low, high]` with `null` for "no limit". Browser-safe.
 *
 * @module
 */

import { ConnectionState, DataFormat, DataType, Quality } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import type { AttributeConfig, Limits } from '../schemes/contract.js';
import type { ModelNames } from '../validators/name-validator.js';
import { decodeError, encodeError, ProtocolError } from './errors.js';
import { decodeValue, encodeValue, type Json } from './values.js';

const QUALITIES = new Set<string>(Object.values(Quality));
const CONNECTION_STATES = new Set<string>(Object.values(ConnectionState));
const DATA_TYPES = new Set<string>(Object.values(DataType));
const DATA_FORMATS = new Set<string>(Object.values(DataFormat));

// ------------------------------------------------------------------ readings

/** The wire form of a reading. */
export function encodeReading(r: Reading): Json {
  const out: { [key: string]: Json } = {
    rvalue: encodeValue(r.rvalue),
    time: Number.isFinite(r.time) ? r.time : 0,
    quality: r.quality,
  };
  if (r.wvalue !== undefined) out.wvalue = encodeValue(r.wvalue);
  if (r.error !== undefined) out.error = encodeError(r.error) as unknown as Json;
  return out;
}

/** The JSON text of a reading's wire form (what the gateway builds once per update and shares). */
export function readingJson(r: Reading): string {
  return JSON.stringify(encodeReading(r));
}

/** A reading from its wire form; throws a {@link ProtocolError} naming the field when `w` is not one. */
export function decodeReading(w: unknown, path = 'reading'): Reading {
  const o = object(w, path);
  if (typeof o.time !== 'number' || !Number.isFinite(o.time))
    throw new ProtocolError(`${path}.time must be a number of milliseconds since the epoch`, {
      path: `${path}.time`,
    });
  if (typeof o.quality !== 'string' || !QUALITIES.has(o.quality))
    throw new ProtocolError(`${path}.quality must be one of ${[...QUALITIES].join(', ')}`, {
      path: `${path}.quality`,
    });
  if (!Object.hasOwn(o, 'rvalue'))
    throw new ProtocolError(`${path}.rvalue is missing`, { path: `${path}.rvalue` });
  const r: { -readonly [K in keyof Reading]: Reading[K] } = {
    rvalue: decodeValue(o.rvalue, `${path}.rvalue`),
    time: o.time,
    quality: o.quality as Quality,
  };
  if (o.wvalue !== undefined) r.wvalue = decodeValue(o.wvalue, `${path}.wvalue`);
  if (o.error !== undefined) {
    r.error = decodeError(o.error, `${path}.error`);
    r.quality = Quality.INVALID; // an error is never shown as a valid value
  }
  return r;
}

// ------------------------------------------------------------------ connection state

/** Whether `s` is a connection state. */
export function isConnectionState(s: unknown): s is ConnectionState {
  return typeof s === 'string' && CONNECTION_STATES.has(s);
}

// ------------------------------------------------------------------ metadata

const CONFIG_KEYS = [
  'label',
  'description',
  'writable',
  'type',
  'dataFormat',
  'units',
  'range',
  'alarms',
  'warnings',
  'format',
  'extra',
] as const satisfies readonly (keyof AttributeConfig)[];
type ConfigKey = (typeof CONFIG_KEYS)[number];

function encodeConfigEntry(key: ConfigKey, v: unknown): Json {
  if (key === 'range' || key === 'alarms' || key === 'warnings') {
    const [lo, hi] = (v ?? [undefined, undefined]) as Limits;
    return [limitEnd(lo), limitEnd(hi)];
  }
  if (key === 'extra') return encodeValue(v ?? {});
  return v === undefined ? null : (v as Json);
}

function limitEnd(x: number | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** The wire form of a whole configuration. */
export function encodeConfig(c: AttributeConfig): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const k of CONFIG_KEYS) {
    const v = c[k];
    if ((k === 'format' || k === 'extra') && v === undefined) continue;
    out[k] = encodeConfigEntry(k, v);
  }
  return out;
}

/** The keys of `next` that differ from `prev`, in wire form; null when nothing changed. */
export function configPatch(prev: AttributeConfig, next: AttributeConfig): { [key: string]: Json } | null {
  let out: { [key: string]: Json } | null = null;
  for (const k of CONFIG_KEYS) {
    if (prev[k] === next[k]) continue;
    const a = encodeConfigEntry(k, prev[k]);
    const b = encodeConfigEntry(k, next[k]);
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out ??= {};
    out[k] = b;
  }
  return out;
}

/**
 * A configuration (or a patch of one) from its wire form. Keys this version
 * does not know are ignored (a newer gateway may send more); known keys are
 * checked.
 */
export function decodeConfig(w: unknown, path = 'config'): Partial<AttributeConfig> {
  const o = object(w, path);
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) {
    if (!Object.hasOwn(o, k)) continue;
    const v = o[k];
    const at = `${path}.${k}`;
    switch (k) {
      case 'label':
      case 'description':
      case 'units':
        if (typeof v !== 'string') throw new ProtocolError(`${at} must be a string`, { path: at });
        out[k] = v;
        break;
      case 'format':
        if (v !== null && typeof v !== 'string')
          throw new ProtocolError(`${at} must be a string or null`, { path: at });
        out[k] = v ?? undefined;
        break;
      case 'writable':
        if (typeof v !== 'boolean') throw new ProtocolError(`${at} must be true or false`, { path: at });
        out[k] = v;
        break;
      case 'type':
        if (v !== null && (typeof v !== 'string' || !DATA_TYPES.has(v)))
          throw new ProtocolError(`${at} must be null or one of ${[...DATA_TYPES].join(', ')}`, { path: at });
        out[k] = v ?? undefined;
        break;
      case 'dataFormat':
        if (v !== null && (typeof v !== 'string' || !DATA_FORMATS.has(v)))
          throw new ProtocolError(`${at} must be null or one of ${[...DATA_FORMATS].join(', ')}`, {
            path: at,
          });
        out[k] = v ?? undefined;
        break;
      case 'range':
      case 'alarms':
      case 'warnings':
        out[k] = decodeLimits(v, at);
        break;
      case 'extra': {
        const x = decodeValue(v, at);
        if (typeof x !== 'object' || x === null || Array.isArray(x))
          throw new ProtocolError(`${at} must be an object`, { path: at });
        out[k] = x;
        break;
      }
    }
  }
  return out as Partial<AttributeConfig>;
}

function decodeLimits(v: unknown, path: string): Limits {
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    !v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))
  )
    throw new ProtocolError(`${path} must be [low, high]: numbers, or null for no limit`, { path });
  return Object.freeze([v[0] ?? undefined, v[1] ?? undefined] as const) as Limits;
}

// ------------------------------------------------------------------ names

/** The wire form of an element's names. */
export function encodeNames(n: ModelNames): { fullName: string; normalName: string; simpleName: string } {
  return { fullName: n.fullName, normalName: n.normalName, simpleName: n.simpleName };
}

/** Names from their wire form. */
export function decodeNames(w: unknown, path = 'names'): ModelNames {
  const o = object(w, path);
  for (const k of ['fullName', 'normalName', 'simpleName'] as const) {
    if (typeof o[k] !== 'string')
      throw new ProtocolError(`${path}.${k} must be a string`, { path: `${path}.${k}` });
  }
  return {
    fullName: o.fullName as string,
    normalName: o.normalName as string,
    simpleName: o.simpleName as string,
  };
}

/** `w` as a plain object, or a {@link ProtocolError}. */
export function object(w: unknown, path: string): Record<string, unknown> {
  if (typeof w !== 'object' || w === null || Array.isArray(w))
    throw new ProtocolError(`${path} must be a JSON object`, { path });
  return w as Record<string, unknown>;
}
