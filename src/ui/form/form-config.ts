/**
 * The saved configuration of a form (the job of Taurus's
 * `BaseConfigurableClass`): a versioned JSON document with the models,
 * widget kinds, roles and order, checked field by field when it is read
 * back. It is untrusted input (a file, a paste): every refusal names the
 * item and the field and says what would be valid.
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';
import type { CustomMappings, WidgetChoice } from './widget-kinds.js';

/** The version of the configuration this build writes and reads. */
export const FORM_CONFIG_VERSION = 1;
/** The `kind` field of a saved form. */
export const FORM_CONFIG_KIND = 'tk-core.form';

/** One item of a form, as given to `createForm` or saved. */
export interface FormItemSpec {
  /** The model: a URI, or a relative one (`/sine`, `#label`) joined to the form's parent model. */
  readonly model: string;
  /** A label of its own (default: the attribute's label). */
  readonly label?: string | undefined;
  /** The read widget kind (default: chosen by type). */
  readonly readWidget?: string | undefined;
  /** The write widget kind (default: chosen by type; `none` when read-only). */
  readonly writeWidget?: string | undefined;
  /** The units widget kind (default `units`). */
  readonly unitsWidget?: string | undefined;
  /** The text role of the read widget. */
  readonly fgRole?: string | undefined;
  /** The background role of the read widget. */
  readonly bgRole?: string | undefined;
  /** A display format of its own. */
  readonly format?: string | undefined;
}

/** A saved form. */
export interface FormConfig {
  /** Always {@link FORM_CONFIG_KIND}. */
  readonly kind: typeof FORM_CONFIG_KIND;
  /** The configuration version ({@link FORM_CONFIG_VERSION}). */
  readonly version: number;
  /** The parent model relative items are joined to (Taurus's `useParentModel`). */
  readonly parentModel?: string | undefined;
  /** Custom widget maps. */
  readonly customMappings?: CustomMappings | undefined;
  /** The items, in order. */
  readonly items: readonly FormItemSpec[];
}

const ITEM_KEYS = [
  'model',
  'label',
  'readWidget',
  'writeWidget',
  'unitsWidget',
  'fgRole',
  'bgRole',
  'format',
] as const;
const MAX_ITEMS = 100_000;
const MAX_TEXT = 10_000;

function configError(message: string, details: Record<string, unknown> = {}): TkError {
  return new TkError('CONFIG', message, { details });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, where: string, field: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > MAX_TEXT) {
    throw configError(
      `${where}: "${field}" must be text (at most ${MAX_TEXT} characters), got ${describe(v)}`,
      {
        field,
      },
    );
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/**
 * Checks one item spec (from a program or a saved form); throws a `CONFIG`
 * TkError naming item `index` and the field.
 */
export function checkItemSpec(raw: unknown, index: number): FormItemSpec {
  const where = `Form item ${index + 1}`;
  if (typeof raw === 'string') return { model: raw };
  if (!isPlainObject(raw)) {
    throw configError(
      `${where} must be a model URI or an object { model, label?, readWidget?, ... }, got ${describe(raw)}`,
      {
        index,
      },
    );
  }
  for (const k of Object.keys(raw)) {
    if (!(ITEM_KEYS as readonly string[]).includes(k)) {
      throw configError(`${where} has an unknown field "${k}": valid fields are ${ITEM_KEYS.join(', ')}`, {
        index,
        field: k,
      });
    }
  }
  const model = text(raw.model, where, 'model');
  if (model === undefined || model === '') {
    throw configError(
      `${where} has no model: give "model" as a URI such as "eval:1" or a relative one such as "/sine"`,
      {
        index,
      },
    );
  }
  const out: Record<string, string> = { model };
  for (const k of ITEM_KEYS) {
    if (k === 'model') continue;
    const v = text(raw[k], `${where} (${model})`, k);
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as FormItemSpec;
}

function checkChoice(raw: unknown, where: string): WidgetChoice {
  if (!isPlainObject(raw))
    throw configError(`${where} must be an object { read?, write?, units? }, got ${describe(raw)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'read' && k !== 'write' && k !== 'units') {
      throw configError(`${where} has an unknown field "${k}": valid fields are read, write, units`);
    }
    const s = text(v, where, k);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** Checks custom mappings; throws a `CONFIG` TkError naming the entry. */
export function checkMappings(raw: unknown): CustomMappings | undefined {
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw))
    throw configError(
      `customMappings must be an object { byAttributeType?, byDevice? }, got ${describe(raw)}`,
    );
  const out: { byAttributeType?: Record<string, WidgetChoice>; byDevice?: Record<string, WidgetChoice> } = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'byAttributeType' && k !== 'byDevice') {
      throw configError(
        `customMappings has an unknown field "${k}": valid fields are byAttributeType, byDevice`,
      );
    }
    if (v === undefined) continue;
    if (!isPlainObject(v)) throw configError(`customMappings.${k} must be an object, got ${describe(v)}`);
    const table: Record<string, WidgetChoice> = Object.create(null);
    for (const [key, choice] of Object.entries(v))
      table[key] = checkChoice(choice, `customMappings.${k}[${JSON.stringify(key)}]`);
    out[k] = table;
  }
  return out;
}

/** A saved form checked by {@link parseFormConfig}: its settings, and its items still to be checked one by one. */
export interface ParsedFormConfig {
  /** The form's settings (its `items` left empty). */
  readonly config: FormConfig;
  /** The saved items, unchecked: each is checked when the form makes it, so one bad item does not stop the others. */
  readonly rawItems: readonly unknown[];
}

/**
 * Checks a saved form (an object, or its JSON text). Throws a `CONFIG`
 * TkError for another kind or version, or a malformed document; item
 * problems are left to the form (an invalid item does not stop the others).
 */
export function parseFormConfig(json: unknown): ParsedFormConfig {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (err) {
      throw configError(`A saved form must be JSON: ${(err as Error).message}`);
    }
  }
  if (!isPlainObject(doc))
    throw configError(`A saved form must be an object { kind, version, items }, got ${describe(doc)}`);
  if (doc.kind !== FORM_CONFIG_KIND) {
    throw configError(
      `This is not a saved form: "kind" is ${describe(doc.kind)}, expected "${FORM_CONFIG_KIND}"`,
    );
  }
  if (doc.version !== FORM_CONFIG_VERSION) {
    throw configError(
      `A saved form of version ${describe(doc.version)} cannot be read: this version of tk-core reads version ${FORM_CONFIG_VERSION}`,
      { version: doc.version, supported: FORM_CONFIG_VERSION },
    );
  }
  if (!Array.isArray(doc.items))
    throw configError(`A saved form needs "items", a list, got ${describe(doc.items)}`);
  if (doc.items.length > MAX_ITEMS)
    throw configError(`A saved form has ${doc.items.length} items: at most ${MAX_ITEMS}`);
  const parentModel = text(doc.parentModel, 'A saved form', 'parentModel');
  const customMappings = checkMappings(doc.customMappings);
  return {
    config: { kind: FORM_CONFIG_KIND, version: FORM_CONFIG_VERSION, parentModel, customMappings, items: [] },
    rawItems: doc.items,
  };
}
