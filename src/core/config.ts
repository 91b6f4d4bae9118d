/**
 * Attribute metadata (Taurus's attribute configuration): its shape, the
 * defaults, merging of scheme patches, and the quality a value gets from
 * alarm and warning limits.
 *
 * @module
 */

import { Quantity } from '../units/quantity.js';
import { type DataFormat, type DataType, Quality } from './enums.js';

/** A `[low, high]` pair; either end may be absent (no limit). */
export type Limits = readonly [low: number | undefined, high: number | undefined];

/** The metadata of an attribute (Taurus's attribute configuration). */
export interface AttributeConfig {
  /** Short human label; defaults to the simple name. */
  readonly label: string;
  /** Longer description. */
  readonly description: string;
  /** Whether `write()` is possible. */
  readonly writable: boolean;
  /** Value type, when known. */
  readonly type: DataType | undefined;
  /** Value shape, when known. */
  readonly dataFormat: DataFormat | undefined;
  /** Units of numeric values (`''` for dimensionless). */
  readonly units: string;
  /** Display range. */
  readonly range: Limits;
  /** Alarm limits: a value outside reads as ALARM. */
  readonly alarms: Limits;
  /** Warning limits: a value outside reads as WARNING. */
  readonly warnings: Limits;
  /** A display format hint (printf-like, e.g. `%6.3f`), when the backend has one. */
  readonly format?: string | undefined;
  /** Scheme-specific metadata, exposed as fragments when the scheme declares them. */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/** No limits. */
export const NO_LIMITS: Limits = Object.freeze([undefined, undefined] as const);

/** The configuration of an attribute nobody has described yet: labelled by its simple name, read-only. */
export function defaultConfig(simpleName: string): AttributeConfig {
  return Object.freeze(defaultFields(simpleName, false)) as unknown as AttributeConfig;
}

/** The default entries, as a new mutable record (the one list of defaults, in their order). */
function defaultFields(simpleName: string, writable: boolean): Record<string, unknown> {
  return {
    label: simpleName,
    description: '',
    writable,
    type: undefined,
    dataFormat: undefined,
    units: '',
    range: NO_LIMITS,
    alarms: NO_LIMITS,
    warnings: NO_LIMITS,
  };
}

/**
 * The configuration of an attribute whose source was just opened, built as
 * one object: the defaults, then what the source says at open (`writable`
 * from its write path unless its `opened` metadata says; an entry given as
 * undefined leaves the default), then `described`, the backend's first
 * description, if any. The same as merging them one after the other.
 */
export function openedConfig(
  simpleName: string,
  writable: boolean,
  opened: Partial<AttributeConfig> | undefined,
  described?: Partial<AttributeConfig>,
): AttributeConfig {
  const out = defaultFields(
    simpleName,
    opened !== undefined && 'writable' in opened ? (opened.writable ?? false) : writable,
  );
  if (opened !== undefined) assignDefined(out, opened);
  if (described !== undefined) assignDefined(out, described);
  return Object.freeze(out) as unknown as AttributeConfig;
}

function assignDefined(out: Record<string, unknown>, patch: Partial<AttributeConfig>): void {
  const p = patch as Record<string, unknown>;
  for (const k in p) {
    const v = p[k];
    if (v !== undefined) out[k] = v;
  }
}

/** `base` with `patch` applied; undefined entries of the patch leave the base as it is. */
export function mergeConfig(base: AttributeConfig, patch: Partial<AttributeConfig>): AttributeConfig {
  const out: Record<string, unknown> = { ...base };
  assignDefined(out, patch);
  return Object.freeze(out) as unknown as AttributeConfig;
}

/** Whether applying `patch` to `base` changes anything. */
export function configChanges(base: AttributeConfig, patch: Partial<AttributeConfig>): boolean {
  const b = base as unknown as Record<string, unknown>;
  const p = patch as Record<string, unknown>;
  for (const k in p) {
    const v = p[k];
    if (v !== undefined && !sameConfigValue(b[k], v)) return true;
  }
  return false;
}

/** Equality of configuration values: primitives, limit pairs, and plain data (`extra`). */
function sameConfigValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function outside(v: number, [low, high]: Limits): boolean {
  return (low !== undefined && v < low) || (high !== undefined && v > high);
}

/**
 * The quality of a VALID numeric scalar under alarm and warning limits:
 * ALARM outside the alarm limits, else WARNING outside the warning limits.
 * Any other quality, and non-scalar values, are returned unchanged.
 */
export function qualityFromLimits(value: unknown, config: AttributeConfig, quality: Quality): Quality {
  if (quality !== Quality.VALID) return quality;
  const v = Quantity.isQuantity(value) ? value.magnitude : value;
  if (typeof v !== 'number' || Number.isNaN(v)) return quality;
  if (outside(v, config.alarms)) return Quality.ALARM;
  if (outside(v, config.warnings)) return Quality.WARNING;
  return quality;
}
