/**
 * Which widgets show an item of a form, chosen as Taurus's `TaurusValue`
 * chooses them (`getDefaultReadWidgetClass`, `getDefaultWriteWidgetClass`,
 * `getDefaultUnitsWidgetClass` in Taurus's `taurusvalue.py`): a boolean
 * reads as a LED, a numeric spectrum as a plot, other spectra and images as
 * a table; scalars are written in a line edit (a check box for booleans),
 * spectra in a table. Kinds are names, so a front end can map them to its
 * own components, and custom kinds are allowed.
 *
 * @module
 */

import type { DataFormat, DataType } from '../../core/enums.js';
import { TkError } from '../../errors/tk-error.js';

/** The read widgets Taurus picks from (custom names are allowed too). */
export type ReadWidgetKind = 'label' | 'led' | 'plot' | 'table' | 'image' | (string & {});
/** The write widgets Taurus picks from; `none` for read-only items (custom names are allowed too). */
export type WriteWidgetKind =
  | 'lineEdit'
  | 'checkBox'
  | 'spinBox'
  | 'wheelEdit'
  | 'tableEdit'
  | 'none'
  | (string & {});
/** The units widget: Taurus's `DefaultUnitsWidget` (`units`), or `none`. */
export type UnitsWidgetKind = 'units' | 'none' | (string & {});

/** The Taurus widget class each built-in kind stands for (for documentation and the differential tests). */
export const TAURUS_WIDGET_CLASSES: Readonly<Record<string, string>> = Object.freeze({
  label: 'DefaultReadWidgetLabel',
  led: 'CenteredLed',
  plot: 'TaurusPlotButton',
  table: 'TaurusValuesTableButton',
  image: 'TaurusImageButton',
  lineEdit: 'UnitLessLineEdit',
  checkBox: 'DefaultTaurusValueCheckBox',
  spinBox: 'TaurusValueSpinBox',
  wheelEdit: 'TaurusWheelEdit',
  tableEdit: 'TaurusValuesTableButton_W',
  units: 'DefaultUnitsWidget',
  none: 'None',
});

/** The three widgets of an item. */
export interface WidgetKinds {
  /** The read widget. */
  readonly read: ReadWidgetKind;
  /** The write widget (`none` when read-only). */
  readonly write: WriteWidgetKind;
  /** The units widget. */
  readonly units: UnitsWidgetKind;
}

/** A partial choice of widgets (an override, or an entry of custom mappings). */
export interface WidgetChoice {
  /** The read widget. */
  readonly read?: ReadWidgetKind | undefined;
  /** The write widget. */
  readonly write?: WriteWidgetKind | undefined;
  /** The units widget. */
  readonly units?: UnitsWidgetKind | undefined;
}

/**
 * Custom widget maps (the seed's "Form Custom Widget Map"): choices by
 * attribute type (`Boolean`, `Float`, ..., or type and shape such as
 * `Float/spectrum`) and by device (its full, normal or simple name). A device
 * entry wins over a type entry; an item's own choice wins over both.
 */
export interface CustomMappings {
  /** Choices by attribute type, or `Type/shape`. */
  readonly byAttributeType?: Readonly<Record<string, WidgetChoice>> | undefined;
  /** Choices by device name. */
  readonly byDevice?: Readonly<Record<string, WidgetChoice>> | undefined;
}

/** What the kinds are chosen from. */
export interface KindInputs {
  /** The value type, when known. */
  readonly type: DataType | undefined;
  /** The value shape, when known. */
  readonly dataFormat: DataFormat | undefined;
  /** Whether the attribute can be written. */
  readonly writable: boolean;
}

/** `getDefaultReadWidgetClass`: the first (default) entry of Taurus's list. */
export function defaultReadWidget({ type, dataFormat }: KindInputs): ReadWidgetKind {
  const numeric = type === 'Float' || type === 'Integer';
  if (type === 'Boolean' && (dataFormat === 'scalar' || dataFormat === undefined)) return 'led';
  if (dataFormat === 'spectrum') return numeric ? 'plot' : 'table';
  if (dataFormat === 'image') return 'table'; // Taurus offers an image button only with guiqwt installed
  return 'label';
}

/** `getDefaultWriteWidgetClass`: `none` for read-only attributes. */
export function defaultWriteWidget({ type, dataFormat, writable }: KindInputs): WriteWidgetKind {
  if (!writable) return 'none';
  if (dataFormat === 'spectrum' || dataFormat === 'image') return 'tableEdit';
  if (type === 'Boolean') return 'checkBox';
  return 'lineEdit';
}

/** `getDefaultUnitsWidgetClass`: every attribute item has a units widget. */
export function defaultUnitsWidget(): UnitsWidgetKind {
  return 'units';
}

/** Checks a kind name given by a user or a saved form; throws a `CONFIG` TkError naming it. */
export function checkKind(kind: unknown, what: string, item: string): string | undefined {
  if (kind === undefined) return undefined;
  if (typeof kind !== 'string' || kind.trim() === '' || kind.length > 200) {
    throw new TkError(
      'CONFIG',
      `Invalid ${what} for ${item}: expected a widget kind name such as ${what === 'read widget' ? "'label', 'led', 'plot' or 'table'" : what === 'write widget' ? "'lineEdit', 'checkBox', 'tableEdit' or 'none'" : "'units' or 'none'"} (or a custom name), got ${JSON.stringify(kind) ?? String(kind)}`,
      { details: { item, what } },
    );
  }
  return kind;
}

/**
 * The widgets of an item: its own choice, else the custom mapping of its
 * device, else that of its type, else Taurus's defaults. A read-only item
 * gets no write widget whatever the mappings say.
 */
export function chooseKinds(
  inputs: KindInputs,
  own: WidgetChoice,
  mappings: CustomMappings | undefined,
  deviceNames: readonly string[],
): WidgetKinds {
  let device: WidgetChoice | undefined;
  for (const n of deviceNames) {
    const hit = mappings?.byDevice?.[n];
    if (hit !== undefined && Object.hasOwn(mappings!.byDevice!, n)) {
      device = hit;
      break;
    }
  }
  const byType = mappings?.byAttributeType;
  const typeKey = inputs.type === undefined ? undefined : `${inputs.type}/${inputs.dataFormat ?? 'scalar'}`;
  const type =
    typeKey !== undefined && byType !== undefined
      ? ((Object.hasOwn(byType, typeKey) ? byType[typeKey] : undefined) ??
        (Object.hasOwn(byType, inputs.type!) ? byType[inputs.type!] : undefined))
      : undefined;
  const pick = <K extends keyof WidgetChoice>(k: K, fallback: string): string =>
    own[k] ?? device?.[k] ?? type?.[k] ?? fallback;
  const write = inputs.writable ? pick('write', defaultWriteWidget(inputs)) : 'none';
  return Object.freeze({
    read: pick('read', defaultReadWidget(inputs)),
    write,
    units: pick('units', defaultUnitsWidget()),
  });
}
