/**
 * One value's text in every `tk` command: what a tk-core/ui display
 * (`createDisplay`, Taurus's TaurusLabel) shows for it. `tk watch`, `trend`,
 * `plot` and `demo` show displays; `tk read`, `tk write` and `tk oldb` format
 * with the same pieces (the attribute's format, else Taurus's default text,
 * floats as floats), so `12` of a double datapoint is `12.0 mm` in each.
 *
 * @module
 */
import type { AttributeConfig } from '../core/config.js';
import type { Reading } from '../core/reading.js';
import type { OldbMetadata, OldbType } from '../oldb-store/types.js';
import { NONE_VALUE } from '../ui/display/display.js';
import { cachedFormat, defaultFormat } from '../ui/format/value-format.js';
import { Quantity } from '../units/quantity.js';

/** Most characters of a value on a plain line or in a table cell (a long array is cut, with `...`; `--json` has it all). */
export const PLAIN_VALUE_WIDTH = 120;

/** How a value is shown: the display's inputs. */
export interface ValueTextOptions {
  /** The attribute's format (printf or Python style); one that does not suit the value falls back to the default. */
  readonly format?: string | undefined;
  /** The attribute's type is Float: integral numbers print as floats (`12.0`). */
  readonly asFloat?: boolean | undefined;
  /** Units shown when the value is not a Quantity (the attribute's configured units). */
  readonly units?: string | undefined;
}

/** The value without units, as a display with `showUnits: false` shows it (`-----` for none). */
export function valueText(value: unknown, options: ValueTextOptions = {}): string {
  if (value === undefined || value === null) return NONE_VALUE;
  const v = Quantity.isQuantity(value) ? value.magnitude : value;
  const asFloat = options.asFloat === true;
  if (options.format !== undefined && options.format !== '') {
    try {
      return cachedFormat(options.format).format(v, asFloat);
    } catch {
      // Taurus falls back to its default when a format does not suit a value; so does the display
    }
  }
  return defaultFormat(v, { asFloat });
}

/** The units shown after a value: its own (a Quantity's), else the configured ones. */
export function unitsText(value: unknown, options: ValueTextOptions = {}): string {
  return Quantity.isQuantity(value) ? value.units : (options.units ?? '');
}

/** The value with its units (`25.0 m`), as `tk watch` prints it on a plain line. */
export function valueWithUnits(value: unknown, options: ValueTextOptions = {}): string {
  const text = valueText(value, options);
  const units = value === undefined || value === null ? '' : unitsText(value, options);
  return units === '' ? text : `${text} ${units}`;
}

/** What a display takes from an attribute's configuration. */
export function attributeTextOptions(config: AttributeConfig): ValueTextOptions {
  return { format: config.format, asFloat: config.type === 'Float', units: config.units };
}

/** A reading of an attribute: its value with units, or `error: <message>` for an error reading. */
export function readingText(r: Reading, config: AttributeConfig): string {
  if (r.error !== undefined && (r.rvalue === undefined || r.rvalue === null))
    return `error: ${r.error.message}`;
  return valueWithUnits(r.rvalue, attributeTextOptions(config));
}

/** What the `cii.oldb` scheme gives a display for a datapoint of `type` with `metadata`. */
export function oldbTextOptions(type: OldbType | undefined, metadata: OldbMetadata): ValueTextOptions {
  return {
    format: metadata.format,
    asFloat: type?.startsWith('double') === true,
    units: metadata.units ?? '',
  };
}
