/**
 * Whether two snapshots of one datapoint say the same: a recheck that finds
 * what the watchers already have delivers nothing.
 *
 * @module
 */
import type { OldbSnapshot } from './types.js';

/** Whether two values are the same (arrays element by element). */
function sameValue(a: OldbSnapshot['value'], b: OldbSnapshot['value']): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Whether two limit pairs are the same. */
function sameLimits(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]);
}

/** Whether two snapshots of one datapoint say the same. */
export function sameSnapshot(a: OldbSnapshot, b: OldbSnapshot): boolean {
  if (a.seq !== b.seq || a.type !== b.type || a.timestamp !== b.timestamp || a.quality !== b.quality)
    return false;
  if (!sameValue(a.value, b.value)) return false;
  const x = a.metadata;
  const y = b.metadata;
  return (
    x.description === y.description &&
    x.label === y.label &&
    x.units === y.units &&
    x.format === y.format &&
    x.writable === y.writable &&
    sameLimits(x.range, y.range) &&
    sameLimits(x.alarms, y.alarms) &&
    sameLimits(x.warnings, y.warnings)
  );
}
