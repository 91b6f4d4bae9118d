/**
 * `createDisplay`: the controller behind a label (Taurus's `TaurusLabel` and
 * its controller). It turns the readings and metadata of one attribute into
 * what a label shows: text, prefix and suffix, units, quality colours, LED
 * state, tooltip, connection and error.
 *
 * @module
 */
import type { AttributeModel } from '../../attribute/attribute.js';
import type { TkEvent } from '../../attribute/events.js';
import type { ConnectionState, Quality } from '../../core/enums.js';
import type { Reading } from '../../core/reading.js';
import { TkError } from '../../errors/tk-error.js';
import type { AttributeConfig, FragmentView } from '../../schemes/contract.js';
import { Quantity } from '../../units/quantity.js';
import {
  type AttributeBinding,
  type AttributeInput,
  type BindingOptions,
  bindAttribute,
} from '../binding/model-binding.js';
import {
  type ColorPair,
  colorsOfValue,
  type LedState,
  ledOf,
  NO_BACKGROUND,
  qualityColors,
  type UiColor,
} from '../format/colors.js';
import { FormatError } from '../format/format-spec.js';
import { pythonStr } from '../format/python-str.js';
import { cachedFormat, compileFormat, defaultFormat, type ValueFormat } from '../format/value-format.js';
import { Controller } from '../store/controller.js';
import { type BgRole, compileRole, type FgRole, type RoleReader } from './roles.js';
import { tooltipOf } from './tooltip.js';

/** Taurus's text for "no value" (`DefaultNoneValue`). */
export const NONE_VALUE = '-----';

/** Options of {@link createDisplay}. */
export interface DisplayOptions extends BindingOptions {
  /** What the text shows (default `rvalue`, or the fragment written in the model's URI). */
  readonly fgRole?: FgRole | undefined;
  /** What colours the background (default `quality`). */
  readonly bgRole?: BgRole | undefined;
  /** Text before the value. */
  readonly prefix?: string | undefined;
  /** Text after the value. */
  readonly suffix?: string | undefined;
  /**
   * A format for this display (Taurus's `setFormat`), overriding the
   * attribute's own: printf style (`%6.3f`) or Python style (`{:.3f}`).
   * An invalid one throws at creation.
   */
  readonly format?: string | undefined;
  /** Decimal places for numbers when no format applies (Taurus's attribute precision). */
  readonly precision?: number | undefined;
  /** Show the units after numbers (default true; a form's read widget shows them in a units widget instead). */
  readonly showUnits?: boolean | undefined;
  /** Text shown when there is no value (default `-----`). */
  readonly noneValue?: string | undefined;
}

/** What a display shows. Immutable; the same object until something in it changes. */
export interface DisplaySnapshot {
  /** The whole text: prefix, value, suffix. */
  readonly text: string;
  /** The value alone, formatted (or the none value). */
  readonly value: string;
  /** The prefix. */
  readonly prefix: string;
  /** The suffix. */
  readonly suffix: string;
  /** Units of the value (`''` for none). */
  readonly units: string;
  /** Quality of the latest reading; undefined before the first one. */
  readonly quality: Quality | undefined;
  /** Background colour (by `bgRole`). */
  readonly background: UiColor;
  /** Text colour on that background. */
  readonly foreground: UiColor;
  /** LED state for boolean values; undefined otherwise. */
  readonly led: LedState | undefined;
  /** The attribute's label. */
  readonly label: string;
  /** Tooltip: name, model, description and limits, one per line. */
  readonly tooltip: string;
  /** Connection state of the backend. */
  readonly connection: ConnectionState;
  /** Why no value can be shown (the reading's error, or a format that cannot be used); undefined when all is well. */
  readonly error: string | undefined;
  /** Time of the latest reading (ms since the epoch); undefined before the first one. */
  readonly time: number | undefined;
  /** Whether the attribute can be written. */
  readonly writable: boolean;
}

/**
 * The controller of a label. Create with {@link createDisplay}; bind it to
 * any UI framework through `subscribe`/`getSnapshot`; `dispose()` when done.
 * `T` is the type of the attribute's values (see {@link AttributeModel}).
 */
export class DisplayController<T = unknown> extends Controller<DisplaySnapshot> {
  /** The attribute shown. */
  readonly attribute: AttributeModel<T>;
  /** The text role. */
  readonly fgRole: string;
  /** The background role. */
  readonly bgRole: string;
  readonly #binding: AttributeBinding<T>;
  readonly #fg: RoleReader;
  readonly #bg: RoleReader;
  readonly #prefix: string;
  readonly #suffix: string;
  readonly #format: ValueFormat | undefined;
  readonly #precision: number | undefined;
  readonly #showUnits: boolean;
  readonly #none: string;
  /** The text role shows a value (rvalue, wvalue or a path into them): formats apply to it. */
  readonly #valueRole: boolean;
  readonly #stopEvents: () => void;
  readonly #stopConnection: () => void;
  #connection: ConnectionState;
  #config: AttributeConfig | undefined;
  #tooltip = '';
  #tooltipQuantity: boolean | undefined;
  #configFormat: ValueFormat | FormatError | undefined;

  /** @internal use {@link createDisplay}. */
  constructor(setup: DisplaySetup<T>) {
    super(placeholder(setup.binding.attribute, setup.none));
    const attribute = setup.binding.attribute;
    this.attribute = attribute;
    this.fgRole = setup.fgRole;
    this.bgRole = setup.bgRole;
    this.#binding = setup.binding;
    this.#fg = setup.fg;
    this.#bg = setup.bg;
    this.#prefix = setup.prefix;
    this.#suffix = setup.suffix;
    this.#format = setup.format;
    this.#precision = setup.precision;
    this.#showUnits = setup.showUnits;
    this.#none = setup.none;
    this.#valueRole = /^(?:rvalue|wvalue|value|w_value)(?:$|[.[])/.test(setup.fgRole);
    this.#connection = attribute.connectionState;
    const onConnection = (s: ConnectionState) => {
      if (s === this.#connection) return;
      this.#connection = s;
      this.#update();
    };
    const sub = attribute.connection$.subscribe(onConnection);
    this.#stopConnection = () => sub.unsubscribe();
    const onEvent = (e: TkEvent<T>) => {
      if (e.type === 'config') this.#config = undefined;
      this.#update();
    };
    const listener = attribute.addListener(onEvent);
    this.#stopEvents = () => listener.unsubscribe();
    this.#update();
  }

  /** Recomputes the snapshot from the attribute's current state. */
  #update(): void {
    if (this.disposed) return;
    const a = this.attribute;
    const config = a.config;
    if (config !== this.#config) {
      this.#config = config;
      this.#configFormat = undefined;
      this.#tooltipQuantity = undefined;
    }
    const reading = a.reading;
    const view: FragmentView = { names: a.names, config, reading };
    let error = reading?.error?.message;
    let value = this.#none;
    let units = '';
    let led: LedState | undefined;
    const fg = this.#fg;
    if (fg.kind === 'value') {
      let v: unknown;
      try {
        v = fg.read(view);
      } catch (err) {
        error ??= (err as Error).message;
        v = undefined;
      }
      if (Quantity.isQuantity(v)) units = v.units;
      if (v !== undefined && v !== null) {
        if (!this.#showUnits && Quantity.isQuantity(v)) v = v.magnitude;
        const shown = this.#valueRole ? this.#text(v, config) : { text: pythonStr(v) };
        value = shown.text;
        if (shown.error !== undefined) error ??= shown.error;
      }
      if (typeof v === 'boolean' || config.type === 'Boolean') led = ledOf(v);
    } else {
      value = '';
    }
    if (units === '' && this.fgRole === 'rvalue') units = config.units;
    let colors: ColorPair;
    const bg = this.#bg;
    if (bg.kind === 'none') colors = NO_BACKGROUND;
    else if (this.bgRole === 'quality') colors = qualityColors(reading?.quality);
    else {
      let item: unknown;
      try {
        item = bg.read(view);
      } catch {
        item = undefined;
      }
      colors = colorsOfValue(item);
    }
    const isQuantity = reading !== undefined && Quantity.isQuantity(reading.rvalue);
    if (isQuantity !== this.#tooltipQuantity) {
      this.#tooltipQuantity = isQuantity;
      this.#tooltip = tooltipOf(a.fullName, config, isQuantity);
    }
    const prefix = this.#prefix;
    const suffix = this.#suffix;
    this.publish({
      text: prefix === '' && suffix === '' ? value : prefix + value + suffix,
      value,
      prefix,
      suffix,
      units,
      quality: reading?.quality,
      background: colors.background,
      foreground: colors.foreground,
      led,
      label: config.label,
      tooltip: this.#tooltip,
      connection: this.#connection,
      error,
      time: reading?.time,
      writable: config.writable,
    });
  }

  /**
   * Formats `value` as this display formats the attribute's own values (the
   * display's or the attribute's format, else Taurus's default with the
   * precision given): for other values a front end shows next to the label,
   * such as a trend's minimum and maximum. Never throws: a format that does
   * not suit the value falls back to the default, as for the label itself.
   */
  formatValue(value: unknown): string {
    if (value === undefined || value === null) return this.#none;
    return this.#text(value, this.attribute.config).text;
  }

  #text(v: unknown, config: AttributeConfig): { text: string; error?: string } {
    const asFloat = config.type === 'Float';
    let format = this.#format;
    let error: string | undefined;
    if (format === undefined && config.format !== undefined && config.format !== '') {
      if (this.#configFormat === undefined) {
        try {
          this.#configFormat = cachedFormat(config.format);
        } catch (err) {
          this.#configFormat =
            err instanceof FormatError ? err : new FormatError(String((err as Error).message), config.format);
        }
      }
      if (this.#configFormat instanceof FormatError) error = this.#configFormat.message;
      else format = this.#configFormat;
    }
    if (format !== undefined) {
      try {
        return { text: format.format(v, asFloat) };
      } catch (err) {
        // Taurus falls back to "{0}" when a format does not suit a value; so do we, and say why
        error = `${this.attribute.fullName}: format ${JSON.stringify(format.source)} cannot show ${defaultFormat(v)}: ${(err as Error).message}`;
      }
    }
    const text = defaultFormat(v, { precision: this.#precision, asFloat });
    return error === undefined ? { text } : { text, error };
  }

  protected onDispose(): void {
    this.#stopEvents();
    this.#stopConnection();
    this.#binding.dispose();
  }
}

/** What a display is made of, checked before it starts. */
interface DisplaySetup<T> {
  readonly binding: AttributeBinding<T>;
  readonly fgRole: string;
  readonly bgRole: string;
  readonly fg: RoleReader;
  readonly bg: RoleReader;
  readonly prefix: string;
  readonly suffix: string;
  readonly format: ValueFormat | undefined;
  readonly precision: number | undefined;
  readonly showUnits: boolean;
  readonly none: string;
}

/** Binds the model and checks the options; lets the model go again when an option is refused. */
function setupDisplay<T>(model: AttributeInput<T>, options: DisplayOptions): DisplaySetup<T> {
  const binding = bindAttribute<T>(model, options);
  const name = binding.attribute.fullName;
  try {
    const fgRole = options.fgRole ?? binding.fragment ?? 'rvalue';
    const bgRole = options.bgRole ?? 'quality';
    return {
      binding,
      fgRole: String(fgRole),
      bgRole: String(bgRole),
      fg: compileRole(fgRole, 'fgRole', binding.schemeFragments, name),
      bg: compileRole(bgRole, 'bgRole', binding.schemeFragments, name),
      prefix: checkText(options.prefix, 'prefix', name),
      suffix: checkText(options.suffix, 'suffix', name),
      format: options.format === undefined ? undefined : compileFormat(options.format),
      precision: checkPrecision(options.precision, name),
      showUnits: options.showUnits ?? true,
      none: checkText(options.noneValue ?? NONE_VALUE, 'noneValue', name),
    };
  } catch (err) {
    binding.dispose();
    throw err;
  }
}

function checkText(v: unknown, option: string, model: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') {
    throw new TkError('CONFIG', `Invalid ${option} for ${model}: expected text, got ${typeof v}`, {
      details: { option, model },
    });
  }
  return v;
}

function checkPrecision(p: unknown, model: string): number | undefined {
  if (p === undefined) return undefined;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100) {
    throw new TkError(
      'CONFIG',
      `Invalid precision ${JSON.stringify(p) ?? String(p)} for ${model}: expected a whole number of decimal places from 0 to 100`,
      { details: { option: 'precision', model } },
    );
  }
  return p;
}

function placeholder(attribute: AttributeModel<unknown>, none: string): DisplaySnapshot {
  const colors = qualityColors(undefined);
  return {
    text: none,
    value: none,
    prefix: '',
    suffix: '',
    units: '',
    quality: undefined,
    background: colors.background,
    foreground: colors.foreground,
    led: undefined,
    label: attribute.label,
    tooltip: '',
    connection: attribute.connectionState,
    error: undefined,
    time: undefined,
    writable: attribute.writable,
  };
}

/**
 * A label's controller for `model` (an attribute or its URI; `{ manager }`
 * resolves URIs, default the default manager). It subscribes to the
 * attribute at once and holds it until `dispose()`.
 *
 * Throws a TkError for an invalid model (`INVALID_NAME`, `UNKNOWN_SCHEME`),
 * an unknown role or a format that cannot be used (`CONFIG`), naming the
 * model and what would be valid.
 *
 * @example
 * ```ts
 * const d = createDisplay('eval:Q("12.5m")');
 * const stop = d.subscribe((s) => console.log(s.text, s.background.css)); // "12.5 m" "#00ff00"
 * ```
 */
export function createDisplay<T = unknown>(
  model: AttributeInput<T>,
  options?: DisplayOptions,
): DisplayController<T> {
  return new DisplayController<T>(setupDisplay<T>(model, options ?? {}));
}

export type { Reading };
