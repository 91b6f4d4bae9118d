/**
 * `createForm` and `restoreForm`: Taurus's `TaurusForm`, headless. Each item
 * has a label, a read widget kind, a write widget kind (`none` when
 * read-only) and a units widget kind, chosen as Taurus's `TaurusValue`
 * chooses them, with its display controller and, when writable, its input
 * controller. `apply()` and `reset()` act on every pending item; `add`,
 * `remove` and `move` serve drag and drop between forms; `toJSON()` saves a
 * versioned configuration that `restoreForm` brings back.
 *
 * @module
 */
import type { AttributeModel } from '../../attribute/attribute.js';
import { TkError } from '../../errors/tk-error.js';
import type { Manager } from '../../manager/manager.js';
import { type BindingOptions, joinModel } from '../binding/model-binding.js';
import { createDisplay, type DisplaySnapshot } from '../display/display.js';
import { createInput, type InputSnapshot } from '../input/input.js';
import { Controller } from '../store/controller.js';
import {
  checkItemSpec,
  checkMappings,
  FORM_CONFIG_KIND,
  FORM_CONFIG_VERSION,
  type FormConfig,
  type FormItemSpec,
  parseFormConfig,
} from './form-config.js';
import { type FormItem, ItemState, itemKinds, itemSnapshot, sameItem } from './form-item.js';
import { type CustomMappings, checkKind } from './widget-kinds.js';

/** Options of {@link createForm} and {@link restoreForm}. */
export interface FormOptions extends BindingOptions {
  /** The model relative items are joined to (Taurus's `useParentModel`), e.g. `cii.oldb:/root/example/double`. */
  readonly parentModel?: string | undefined;
  /** Custom widget maps by attribute type or device. */
  readonly customMappings?: CustomMappings | undefined;
}

/** What a form shows. */
export interface FormSnapshot {
  /** The items, in order. */
  readonly items: readonly FormItem[];
  /** How many items have a pending edit. */
  readonly pending: number;
  /** How many items have a problem (invalid model, or an input's problem). */
  readonly problems: number;
  /** An `apply()` is under way. */
  readonly applying: boolean;
  /** The parent model. */
  readonly parentModel: string | undefined;
}

/** The outcome of {@link FormController.apply}. */
export interface FormApplyResult {
  /** Items written. */
  readonly applied: number;
  /** Items whose write was refused or failed (see their input's `problem`). */
  readonly failed: number;
}

/** The controller of a form. Create with {@link createForm} or {@link restoreForm}. */
export class FormController extends Controller<FormSnapshot> {
  readonly #manager: Manager | undefined;
  readonly #parentModel: string | undefined;
  readonly #mappings: CustomMappings | undefined;
  #items: ItemState[] = [];
  #pending = 0;
  #problems = 0;
  #applying = 0;
  #batch = 0;

  /** @internal use {@link createForm} or {@link restoreForm}. */
  constructor(options: FormOptions) {
    super({ items: [], pending: 0, problems: 0, applying: false, parentModel: options.parentModel });
    this.#manager = options.manager;
    this.#parentModel = options.parentModel;
    this.#mappings = options.customMappings;
  }

  /** The parent model relative items are joined to. */
  get parentModel(): string | undefined {
    return this.#parentModel;
  }

  /**
   * Adds an item (a URI, an attribute, or an item spec, such as one
   * {@link FormController.remove} returned from another form) at `index`
   * (default: the end). Returns the item. Never throws for a bad model: the
   * item then carries a `problem` and the other items keep working.
   */
  add(item: string | AttributeModel | FormItemSpec, index?: number): FormItem {
    this.#batch++;
    let state: ItemState;
    try {
      state = this.#makeItem(item, this.#items.length);
    } finally {
      this.#batch--;
    }
    const at = index === undefined ? this.#items.length : clampIndex(index, this.#items.length);
    this.#items = [...this.#items.slice(0, at), state, ...this.#items.slice(at)];
    this.#publish();
    return state.snapshot;
  }

  /**
   * Removes an item (by id or item) and lets go of its controllers; returns
   * its spec with an absolute model, ready for another form's `add` (drag
   * and drop), or undefined when the item is not in this form.
   */
  remove(item: string | FormItem): FormItemSpec | undefined {
    const id = typeof item === 'string' ? item : item.id;
    const state = this.#items.find((s) => s.id === id);
    if (state === undefined) return undefined;
    this.#items = this.#items.filter((s) => s !== state);
    this.#release(state);
    this.#publish();
    return { ...state.spec, model: state.model };
  }

  /** Moves an item (by id or item) to `index`; returns whether it was found. */
  move(item: string | FormItem, index: number): boolean {
    const id = typeof item === 'string' ? item : item.id;
    const from = this.#items.findIndex((s) => s.id === id);
    if (from < 0) return false;
    const rest = this.#items.filter((_, i) => i !== from);
    const to = clampIndex(index, rest.length);
    this.#items = [...rest.slice(0, to), this.#items[from]!, ...rest.slice(to)];
    this.#publish();
    return true;
  }

  /** Writes every pending item (Taurus's Apply). Never rejects: failures are counted and shown in the items' inputs. */
  async apply(): Promise<FormApplyResult> {
    const targets = this.#items.filter((s) => s.input?.getSnapshot().pending === true);
    if (targets.length === 0) return { applied: 0, failed: 0 };
    this.#applying++;
    this.#publish();
    try {
      const results = await Promise.all(targets.map((s) => s.input!.apply()));
      const applied = results.filter(Boolean).length;
      return { applied, failed: results.length - applied };
    } finally {
      this.#applying--;
      this.#publish();
    }
  }

  /** Drops every pending edit (Taurus's Reset). */
  reset(): void {
    this.#batch++;
    try {
      for (const s of this.#items) s.input?.reset();
    } finally {
      this.#batch--;
    }
    this.#publish();
  }

  /** The versioned configuration: models (as given, relative ones too), widget kinds, roles, order. */
  toJSON(): FormConfig {
    return {
      kind: FORM_CONFIG_KIND,
      version: FORM_CONFIG_VERSION,
      ...(this.#parentModel !== undefined ? { parentModel: this.#parentModel } : {}),
      ...(this.#mappings !== undefined ? { customMappings: this.#mappings } : {}),
      items: this.#items.map((s) => ({ ...s.spec })),
    };
  }

  /** @internal adds many items, publishing once. */
  addAll(items: readonly unknown[]): void {
    this.#batch++;
    let states: ItemState[];
    try {
      states = items.map((raw, i) => this.#makeItem(raw, this.#items.length + i));
    } finally {
      this.#batch--;
    }
    this.#items = [...this.#items, ...states];
    this.#publish();
  }

  #makeItem(raw: unknown, index: number): ItemState {
    let spec: FormItemSpec;
    let problem: string | undefined;
    const isAttr = typeof raw === 'object' && raw !== null && 'fullName' in raw && 'hold' in raw;
    try {
      spec = isAttr ? { model: (raw as AttributeModel).fullName } : checkItemSpec(raw, index);
    } catch (err) {
      spec = { model: typeof raw === 'string' ? raw : String((raw as { model?: unknown })?.model ?? '') };
      problem = (err as Error).message;
    }
    let model = spec.model;
    if (problem === undefined) {
      try {
        model = joinModel(this.#parentModel, spec.model);
      } catch (err) {
        problem = (err as Error).message;
      }
    }
    const state = new ItemState(spec, model);
    if (problem === undefined) {
      try {
        checkKind(spec.readWidget, 'read widget', model);
        checkKind(spec.writeWidget, 'write widget', model);
        checkKind(spec.unitsWidget, 'units widget', model);
        const target = isAttr ? (raw as AttributeModel) : model;
        state.display = createDisplay(target, {
          manager: this.#manager,
          fgRole: spec.fgRole,
          bgRole: spec.bgRole,
          format: spec.format,
          showUnits: false, // the units widget shows them (Taurus's DefaultReadWidgetLabel shows rvalue.magnitude)
        });
      } catch (err) {
        problem = `${model}: ${(err as Error).message}`;
      }
    }
    state.problem = problem;
    if (problem !== undefined) this.#problems++;
    this.#settle(state);
    if (state.display !== undefined) {
      const d = state.display;
      const stop = d.subscribe((s) => this.#onDisplay(state, s));
      state.stops.push(stop);
    }
    return state;
  }

  /** Chooses the kinds once the attribute's type is known; makes the input when it is writable. */
  #onDisplay(state: ItemState, s: DisplaySnapshot): void {
    if (state.settled) {
      const label = state.spec.label ?? s.label;
      if (label !== state.snapshot.label) {
        state.snapshot = Object.freeze({ ...state.snapshot, label });
        if (this.#batch === 0) this.#publish();
      }
      return;
    }
    if (this.#settle(state) && this.#batch === 0) this.#publish();
  }

  /** Recomputes an item's snapshot; returns whether it changed. */
  #settle(state: ItemState): boolean {
    const a = state.display?.attribute;
    const type = a?.type;
    const known =
      a !== undefined && (type !== undefined || (a.reading !== undefined && a.reading.error !== undefined));
    const kinds = itemKinds(state.spec, a, type, this.#mappings);
    if (known) state.settled = true;
    if (a !== undefined && kinds.write !== 'none' && state.input === undefined && known) {
      try {
        const input = createInput(a, { manager: this.#manager, showUnits: false });
        state.input = input;
        state.stops.push(input.subscribe((s) => this.#onInput(state, s)));
      } catch (err) {
        state.problem = `${state.model}: ${(err as Error).message}`;
        this.#problems++;
      }
    }
    const prev = state.snapshot;
    const next = itemSnapshot(state, a, kinds);
    if (prev !== undefined && sameItem(prev, next)) return false;
    state.snapshot = Object.freeze(next);
    return true;
  }

  #onInput(state: ItemState, s: InputSnapshot): void {
    const problem = s.problem !== undefined;
    if (s.pending === state.pending && problem === state.inputProblem) return;
    this.#pending += (s.pending ? 1 : 0) - (state.pending ? 1 : 0);
    this.#problems += (problem ? 1 : 0) - (state.inputProblem ? 1 : 0);
    state.pending = s.pending;
    state.inputProblem = problem;
    if (this.#batch === 0) this.#publish();
  }

  #release(state: ItemState): void {
    for (const stop of state.stops) stop();
    state.stops = [];
    if (state.pending) this.#pending--;
    if (state.inputProblem) this.#problems--;
    if (state.problem !== undefined) this.#problems--;
    state.pending = false;
    state.inputProblem = false;
    state.input?.dispose();
    state.display?.dispose();
  }

  #publish(): void {
    if (this.disposed) return;
    const prev = this.getSnapshot();
    const items = this.#items.map((s) => s.snapshot);
    const same = items.length === prev.items.length && items.every((it, i) => it === prev.items[i]);
    this.publish({
      items: same ? prev.items : Object.freeze(items),
      pending: this.#pending,
      problems: this.#problems,
      applying: this.#applying > 0,
      parentModel: this.#parentModel,
    });
  }

  protected onDispose(): void {
    for (const s of this.#items) this.#release(s);
    this.#items = [];
  }
}

function clampIndex(i: number, length: number): number {
  if (!Number.isInteger(i)) {
    throw new TkError(
      'CONFIG',
      `An item index must be a whole number from 0 to ${length}, got ${String(i)}`,
      {
        details: { index: i },
      },
    );
  }
  return Math.max(0, Math.min(length, i < 0 ? length + 1 + i : i));
}

/**
 * A form of `models` (URIs, attributes, or item specs with overrides).
 * Invalid models become items with a `problem`; the others work.
 *
 * @example
 * ```ts
 * const form = createForm(['/sine', '/cosine'], { parentModel: 'cii.oldb:/root/example/double' });
 * form.subscribe(({ items, pending }) => render(items, pending));
 * ```
 */
export function createForm(
  models: readonly (string | AttributeModel | FormItemSpec)[],
  options: FormOptions = {},
): FormController {
  if (!Array.isArray(models)) {
    throw new TkError(
      'CONFIG',
      `createForm(models): models must be a list of URIs or item specs, got ${typeof models}`,
    );
  }
  const form = new FormController({ ...options, customMappings: checkMappings(options.customMappings) });
  form.addAll(models);
  return form;
}

/**
 * A form brought back from {@link FormController.toJSON}'s configuration
 * (an object or its JSON text). Throws a `CONFIG` TkError for a document of
 * another kind or version; an invalid item becomes an item with a `problem`.
 * `options.parentModel` and `options.customMappings`, when given, replace
 * the saved ones.
 */
export function restoreForm(json: unknown, options: FormOptions = {}): FormController {
  const { config, rawItems } = parseFormConfig(json);
  const form = new FormController({
    manager: options.manager,
    parentModel: options.parentModel ?? config.parentModel,
    customMappings: checkMappings(options.customMappings) ?? config.customMappings,
  });
  form.addAll(rawItems);
  return form;
}
