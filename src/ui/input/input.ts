/**
 * `createInput`: the controller of a writable widget (Taurus's
 * `TaurusValueLineEdit` and its `TaurusBaseWritableWidget` base). Text typed
 * is parsed with units and checked against the attribute's type and range
 * before anything is written; `pending` says the edited value differs from
 * the latest read value (the blue, bold text of Taurus's writable widgets);
 * a refused or failed write becomes `problem`, never an unhandled rejection.
 *
 * @module
 */
import type { AttributeModel } from '../../attribute/attribute.js';
import type { TkEvent } from '../../attribute/events.js';
import type { Reading } from '../../core/reading.js';
import { TkError } from '../../errors/tk-error.js';
import type { AttributeConfig } from '../../schemes/contract.js';
import { Quantity } from '../../units/quantity.js';
import {
  type AttributeBinding,
  type AttributeInput,
  type BindingOptions,
  bindAttribute,
} from '../binding/model-binding.js';
import { pythonStr } from '../format/python-str.js';
import { Controller } from '../store/controller.js';
import { type ParsedInput, parseInput, sameInputValue } from './parse-input.js';

/** Options of {@link createInput}. */
export interface InputOptions extends BindingOptions {
  /** Show units in the text (default true; a form's write widget shows the magnitude, units beside it). */
  readonly showUnits?: boolean | undefined;
}

/**
 * How Taurus styles the text of a writable widget: `normal` (black),
 * `pending` (blue, bold), `invalid` (gray: the text is not a value), `alarm`
 * (orange: the value is outside the alarm limits).
 */
export type InputStyle = 'normal' | 'pending' | 'invalid' | 'alarm';

/** What an input shows. Immutable; the same object until something in it changes. */
export interface InputSnapshot {
  /** The text in the input: what was typed, or the latest read value while nothing is edited. */
  readonly text: string;
  /** The edited value differs from the latest read value (it has not been applied, or not read back yet). */
  readonly pending: boolean;
  /** The text is a value the attribute accepts (type, units, range). */
  readonly valid: boolean;
  /** What is wrong: the text (and what would be valid), or why the last write failed. Undefined when all is well. */
  readonly problem: string | undefined;
  /** The latest read value as text (the set-point when the attribute has one). */
  readonly lastRead: string;
  /** Text was typed since the last apply or reset. */
  readonly editing: boolean;
  /** A write is under way. */
  readonly applying: boolean;
  /** Taurus's text style for the state above. */
  readonly style: InputStyle;
  /** Units of the value (`''` for none). */
  readonly units: string;
  /** Whether the attribute can be written. */
  readonly writable: boolean;
}

/**
 * The controller of a writable widget. Create with {@link createInput}. `T`
 * is the type of the attribute's values (see {@link AttributeModel}).
 */
export class InputController<T = unknown> extends Controller<InputSnapshot> {
  /** The attribute edited. */
  readonly attribute: AttributeModel<T>;
  readonly #binding: AttributeBinding<T>;
  readonly #showUnits: boolean;
  readonly #stop: () => void;
  #edited: string | undefined;
  #parsed: ParsedInput | undefined;
  #parsedFor: AttributeConfig | undefined;
  #applying = 0;
  #writeProblem: string | undefined;
  #applied: unknown = NOTHING;

  /** @internal use {@link createInput}. */
  constructor(binding: AttributeBinding<T>, options: InputOptions) {
    super(initial(binding.attribute));
    this.attribute = binding.attribute;
    this.#binding = binding;
    this.#showUnits = options.showUnits ?? true;
    const sub = this.attribute.addListener((e: TkEvent<T>) => {
      if (e.type === 'config') this.#parsedFor = undefined;
      this.#onReading();
    });
    this.#stop = () => sub.unsubscribe();
    this.#update();
  }

  /**
   * The value the text stands for, when it is valid (what `apply()` writes):
   * of the attribute's value type (a `Quantity` for numbers).
   */
  get value(): T | undefined {
    const p = this.#parse();
    return p?.ok ? (p.value as T) : undefined;
  }

  /** Replaces the text being edited (a keystroke, a paste). Never throws for bad text: see `problem`. */
  edit(text: string): void {
    if (this.disposed) return;
    this.#edited = typeof text === 'string' ? text : String(text);
    this.#parsed = undefined;
    this.#writeProblem = undefined;
    this.#applied = NOTHING;
    this.#update();
  }

  /** Drops the edit: the text shows the latest read value again. */
  reset(): void {
    if (this.disposed) return;
    this.#edited = undefined;
    this.#parsed = undefined;
    this.#writeProblem = undefined;
    this.#applied = NOTHING;
    this.#update();
  }

  /**
   * Writes the edited value when it is valid and pending. Resolves `true`
   * once the backend acknowledged the write (or when there was nothing to
   * write), `false` when the text is not valid or the write was refused or
   * failed; the reason is then the snapshot's `problem`. Never rejects.
   */
  async apply(): Promise<boolean> {
    if (this.disposed) return false;
    const s = this.getSnapshot();
    if (this.#edited === undefined || !s.pending) return true;
    const parsed = this.#parse();
    if (parsed === undefined || !parsed.ok) {
      this.#update();
      return false;
    }
    if (!this.attribute.writable && this.attribute.isOpen) {
      this.#writeProblem = `${this.attribute.fullName} is read-only: nothing was written`;
      this.#update();
      return false;
    }
    const value = parsed.value;
    this.#applying++;
    this.#writeProblem = undefined;
    this.#update();
    try {
      // the parsed text is checked by the attribute's write path: written as to an untyped attribute
      await (this.attribute as AttributeModel).write(value);
      if (this.disposed) return true;
      this.#applied = value;
      return true;
    } catch (err) {
      if (this.disposed) return false;
      this.#writeProblem =
        err instanceof TkError
          ? err.message
          : `Writing ${this.attribute.fullName} failed: ${String((err as Error)?.message ?? err)}`;
      return false;
    } finally {
      this.#applying--;
      if (!this.disposed) this.#onReading();
    }
  }

  /** The latest read value the edit is compared with: the set-point when there is one. */
  #current(r: Reading<T> | undefined): T | undefined {
    if (r === undefined || r.error !== undefined) return undefined;
    return r.wvalue !== undefined ? r.wvalue : r.rvalue;
  }

  #onReading(): void {
    // once the value applied is read back, the edit is done: the text follows the attribute again
    if (this.#applied !== NOTHING && this.#applying === 0) {
      const cur = this.#current(this.attribute.reading);
      if (cur !== undefined && sameInputValue(this.#applied, cur)) {
        this.#edited = undefined;
        this.#parsed = undefined;
        this.#applied = NOTHING;
      }
    }
    this.#update();
  }

  #config(): AttributeConfig {
    const a = this.attribute;
    const c = a.config;
    const type = a.type;
    const dataFormat = a.dataFormat;
    return type === c.type && dataFormat === c.dataFormat ? c : { ...c, type, dataFormat };
  }

  #parse(): ParsedInput | undefined {
    if (this.#edited === undefined) return undefined;
    const config = this.attribute.config;
    if (this.#parsed === undefined || this.#parsedFor !== config) {
      this.#parsed = parseInput(this.#edited, this.#config());
      this.#parsedFor = config;
    }
    return this.#parsed;
  }

  #text(v: unknown): string {
    if (v === undefined || v === null) return '';
    const asFloat = this.attribute.type === 'Float';
    if (Quantity.isQuantity(v)) return pythonStr(this.#showUnits ? v : v.magnitude, asFloat);
    return pythonStr(v, asFloat);
  }

  #update(): void {
    if (this.disposed) return;
    const a = this.attribute;
    const reading = a.reading;
    const cur = this.#current(reading);
    const lastRead = this.#text(cur);
    const parsed = this.#parse();
    const editing = this.#edited !== undefined;
    const valid = parsed === undefined ? cur !== undefined || reading === undefined : parsed.ok;
    const pending =
      editing &&
      (parsed === undefined || !parsed.ok || cur === undefined || !sameInputValue(parsed.value, cur));
    const problem = parsed !== undefined && !parsed.ok ? parsed.problem : this.#writeProblem;
    let style: InputStyle = !valid ? 'invalid' : pending ? 'pending' : 'normal';
    const shown = parsed?.ok ? parsed.value : cur;
    if (valid && isOutside(shown, a.config.alarms)) style = 'alarm';
    const units = Quantity.isQuantity(cur) ? cur.units : a.config.units;
    this.publish({
      text: editing ? (this.#edited as string) : lastRead,
      pending,
      valid,
      problem,
      lastRead,
      editing,
      applying: this.#applying > 0,
      style,
      units,
      writable: a.config.writable,
    });
  }

  protected onDispose(): void {
    this.#stop();
    this.#binding.dispose();
  }
}

const NOTHING = Symbol('nothing');

function isOutside(v: unknown, [low, high]: AttributeConfig['alarms']): boolean {
  const m = Quantity.isQuantity(v) ? v.magnitude : v;
  if (typeof m !== 'number') return false;
  return (low !== undefined && m < low) || (high !== undefined && m > high);
}

function initial(a: AttributeModel<unknown>): InputSnapshot {
  return {
    text: '',
    pending: false,
    valid: true,
    problem: undefined,
    lastRead: '',
    editing: false,
    applying: false,
    style: 'normal',
    units: a.config.units,
    writable: a.config.writable,
  };
}

/**
 * The controller of a writable widget for `model` (an attribute or its URI;
 * `{ manager }` resolves URIs, default the default manager). It subscribes
 * to the attribute at once and holds it until `dispose()`. Throws a TkError
 * for an invalid model.
 *
 * @example
 * ```ts
 * const input = createInput('loc:/ui/stage/x?type=float&units=mm&min=0&max=100');
 * input.edit('1.5 cm');          // pending, valid: 15 mm
 * await input.apply();           // true once written; pending clears when read back
 * input.edit('2 s');             // problem: "2 s" is in "s", which cannot be converted to "mm"...
 * ```
 */
export function createInput<T = unknown>(
  model: AttributeInput<T>,
  options: InputOptions = {},
): InputController<T> {
  const binding = bindAttribute<T>(model, options);
  try {
    return new InputController<T>(binding, options);
  } catch (err) {
    binding.dispose();
    throw err;
  }
}
