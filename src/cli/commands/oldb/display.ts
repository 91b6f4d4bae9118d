/**
 * How `tk oldb` shows datapoints: values with units as the cii.oldb scheme
 * formats them, qualities in the colours of the Taurus qualities they map
 * to, a datapoint's line in a listing.
 *
 * @module
 */
import type { OldbQuality, OldbSnapshot } from '../../../oldb-store/types.js';
import { taurusQuality } from '../../../schemes/oldb/mapping.js';
import { clipText, colorQuality } from '../../format.js';
import type { CliRuntime } from '../../runtime.js';
import { oldbTextOptions, PLAIN_VALUE_WIDTH, valueWithUnits } from '../../value-text.js';

/** OLDB quality in the colour of the Taurus quality it maps to (the scheme's mapping, `taurusQuality`). */
export function colorOldbQuality(q: OldbQuality, runtime: CliRuntime): string {
  return colorQuality(taurusQuality(q), runtime.colors).replace(/VALID|WARNING|INVALID/, q);
}

/** Most characters of a value in a line of tk oldb ls or tree. */
export const LIST_VALUE_WIDTH = 48;

/**
 * A datapoint's value with units as `tk read`, `tk watch` and a tk-core/ui
 * display show it through the cii.oldb scheme (its format, doubles as floats).
 */
export function valueText(s: OldbSnapshot, width = PLAIN_VALUE_WIDTH): string {
  return clipText(valueWithUnits(s.value, oldbTextOptions(s.type, s.metadata)), width);
}

/** A datapoint's line in tk oldb ls: name, type, value, quality. */
export function datapointLine(name: string, s: OldbSnapshot, runtime: CliRuntime): string {
  return `${name.padEnd(24)} ${s.type.padEnd(10)} ${valueText(s, LIST_VALUE_WIDTH).padEnd(24)} ${colorOldbQuality(s.quality, runtime)}`;
}
