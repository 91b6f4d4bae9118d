/**
 * One item of a form: {@link FormItem}, what a front end shows of it, and
 * `ItemState`, the form's live state behind it (its display and input
 * controllers, whether it is pending or has a problem), with the helpers
 * that build and compare its snapshots.
 *
 * @module
 */
import type { AttributeModel } from '../../attribute/attribute.js';
import type { DataType } from '../../core/enums.js';
import type { DisplayController } from '../display/display.js';
import type { InputController } from '../input/input.js';
import type { FormItemSpec } from './form-config.js';
import { type CustomMappings, chooseKinds, type WidgetKinds } from './widget-kinds.js';

/** One item of a form. Immutable; a new object when something in it changes (its controllers stay the same). */
export interface FormItem {
  /** A key stable for the item's life in this form (for lists in UI frameworks). */
  readonly id: string;
  /** What the item was given (its model possibly relative, its overrides). */
  readonly spec: FormItemSpec;
  /** The model URI after joining a relative model to the parent. */
  readonly model: string;
  /** The attribute's full name; undefined when the model is invalid. */
  readonly fullName: string | undefined;
  /** The label: the item's own, else the attribute's. */
  readonly label: string;
  /** The read widget kind. */
  readonly readWidget: string;
  /** The write widget kind (`none` when read-only). */
  readonly writeWidget: string;
  /** The units widget kind. */
  readonly unitsWidget: string;
  /** The read widget's controller; undefined when the model is invalid. */
  readonly display: DisplayController | undefined;
  /** The write widget's controller; undefined when read-only (or not known to be writable yet) or invalid. */
  readonly input: InputController | undefined;
  /** Why the item cannot work (an invalid model, a bad option), naming it and what would be valid. */
  readonly problem: string | undefined;
}

let nextId = 1;

/** @internal the live state behind one item: its controllers, counts it adds to the form, and its snapshot. */
export class ItemState {
  readonly id = `item-${nextId++}`;
  snapshot!: FormItem;
  display: DisplayController | undefined;
  input: InputController | undefined;
  problem: string | undefined;
  settled = false;
  pending = false;
  inputProblem = false;
  stops: (() => void)[] = [];
  constructor(
    readonly spec: FormItemSpec,
    readonly model: string,
  ) {}
}

/** @internal whether two snapshots of an item hold the same fields. */
export function sameItem(a: FormItem, b: FormItem): boolean {
  for (const k of Object.keys(b) as (keyof FormItem)[]) if (a[k] !== b[k]) return false;
  return true;
}

/** The names of an attribute's device (full, normal, simple) that custom widget maps may be keyed by. */
function deviceNames(a: AttributeModel): string[] {
  const p = a.parentName;
  if (p === undefined) return [];
  try {
    const d = a.parent;
    return d === undefined ? [p] : [d.fullName, d.normalName, d.simpleName];
  } catch {
    return [p];
  }
}

/**
 * @internal the widget kinds of an item: the item's own or the defaults
 * while its attribute is not there, else chosen as Taurus chooses them from
 * the attribute's `type` (as known so far), format and writability.
 */
export function itemKinds(
  spec: FormItemSpec,
  a: AttributeModel | undefined,
  type: DataType | undefined,
  mappings: CustomMappings | undefined,
): WidgetKinds {
  return a === undefined
    ? { read: spec.readWidget ?? 'label', write: 'none', units: spec.unitsWidget ?? 'units' }
    : chooseKinds(
        { type, dataFormat: a.dataFormat, writable: a.writable },
        { read: spec.readWidget, write: spec.writeWidget, units: spec.unitsWidget },
        mappings,
        deviceNames(a),
      );
}

/** @internal a new snapshot of an item from its state, its attribute (undefined for an invalid model) and its kinds. */
export function itemSnapshot(state: ItemState, a: AttributeModel | undefined, kinds: WidgetKinds): FormItem {
  return {
    id: state.id,
    spec: state.spec,
    model: state.model,
    fullName: a?.fullName,
    label: state.spec.label ?? (a !== undefined ? a.label : state.spec.model),
    readWidget: kinds.read,
    writeWidget: kinds.write,
    unitsWidget: kinds.units,
    display: state.display,
    input: state.input,
    problem: state.problem,
  };
}
