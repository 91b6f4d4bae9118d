/**
 * Attribute metadata: defaults, merging of scheme patches, and the quality a
 * value gets from alarm and warning limits.
 *
 * @module
 */
import { Quality } from '../model/enums.js';
import type { AttributeConfig, Limits } from '../schemes/contract.js';
import { Quantity } from '../units/quantity.js';

/** No limits. */
export const NO_LIMITS: Limits = Object.freeze([undefined, undefined] as const);

/** The configuration of an attribute nobody has described yet: labelled by its simple name, read-only. */
export function defaultConfig(simpleName: string): AttributeConfig {
  return Object.freeze({
    label: simpleName,
    description: '',
    writable: false,
    type: undefined,
    dataFormat: undefined,
    units: '',
    range: NO_LIMITS,
    alarms: NO_LIMITS,
    warnings: NO_LIMITS,
  });
}

/** `base` with `patch` applied; undefined entries of the patch leave the base as it is. */
export function mergeConfig(base: AttributeConfig, patch: Partial<AttributeConfig>): AttributeConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return Object.freeze(out) as unknown as AttributeConfig;
}

/** Whether applying `patch` to `base` changes anything. */
export function configChanges(base: AttributeConfig, patch: Partial<AttributeConfig>): boolean {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const old = (base as unknown as Record<string, unknown>)[k];
    if (!sameJson(old, v)) return true;
  }
  return false;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
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
