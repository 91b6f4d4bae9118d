/**
 * `createPlot(model)`: the model of a plot of spectrum (1-D array)
 * attributes, Taurus's TaurusPlot. Each attribute's latest array is copied
 * into a bounded `Float64Array`; `series(width)` decimates it by index to a
 * pixel width keeping every column's first, last, minimum and maximum (M4),
 * so a single peak among thousands of points is drawn at its height. Pause
 * keeps the arrays shown; CSV and JSON exports.
 *
 * @module
 */
import { type AttributeInput, type BindingOptions, bindAttribute } from '../binding/model-binding.js';
import {
  checkTimeFormat,
  columnTitle,
  type ExportOptions,
  type JsonNumber,
  jsonNumbers,
  timeText,
  toCsv,
} from '../series/export.js';
import { checkWidth, decimateArray, type M4Series } from '../series/m4.js';
import { Controller } from '../store/controller.js';
import { type PlotCurve, PlotCurveState } from './curve.js';

/** Most points kept of one array unless `capacity` says otherwise. */
export const DEFAULT_PLOT_CAPACITY = 1_000_000;

/** Options of {@link createPlot}. */
export interface PlotOptions extends BindingOptions {
  /** Most points kept of one array (default {@link DEFAULT_PLOT_CAPACITY}); longer arrays are cut, and the curve says so. */
  readonly capacity?: number | undefined;
  /** Start paused. */
  readonly paused?: boolean | undefined;
}

/** The snapshot of a {@link PlotController}. */
export interface PlotSnapshot {
  /** One entry per curve, in the order the models were given. */
  readonly curves: readonly PlotCurve[];
  /** Whether new arrays are held back (the arrays shown stay). */
  readonly paused: boolean;
  /** Arrays taken since creation: changes with every new array (the signal to redraw). */
  readonly updates: number;
}

/** One curve decimated for drawing: its legend fields and its M4 series (x is the index). */
export interface PlotSeries extends M4Series {
  /** The curve's key (the attribute's full name). */
  readonly key: string;
  /** Label. */
  readonly label: string;
  /** Units of y. */
  readonly units: string;
}

/** The JSON export of a plot (`toJSON()`). */
export interface PlotJson {
  /** Always `tk-core/plot`. */
  readonly format: 'tk-core/plot';
  /** Format version: 1. */
  readonly version: 1;
  /** How times are written: `iso` (ISO 8601 text, UTC) or `ms`. */
  readonly time: 'iso' | 'ms';
  /** The curves. */
  readonly curves: readonly {
    /** The attribute's full name. */
    readonly key: string;
    /** Label. */
    readonly label: string;
    /** Units of `value`. */
    readonly units: string;
    /** Time of the array (`null` before the first one). */
    readonly time: string | number | null;
    /** The values by index (`null` for NaN). */
    readonly value: readonly JsonNumber[];
  }[];
}

/**
 * The controller of a plot of spectrum attributes. Create with
 * {@link createPlot}; on each snapshot draw `series(width)`.
 */
export class PlotController extends Controller<PlotSnapshot> {
  readonly #curves: PlotCurveState[] = [];
  readonly #capacity: number;
  readonly #bindingOptions: BindingOptions;
  #paused: boolean;
  #updates = 0;
  #building = false;

  /** @internal use {@link createPlot}. */
  constructor(models: readonly AttributeInput[], options: PlotOptions) {
    super({ curves: [], paused: false, updates: 0 });
    const capacity = options.capacity ?? DEFAULT_PLOT_CAPACITY;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`createPlot: capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.#capacity = capacity;
    this.#bindingOptions = { manager: options.manager };
    this.#paused = options.paused ?? false;
    try {
      for (const m of models) this.#add(m);
    } catch (err) {
      for (const c of this.#curves) c.dispose();
      this.#curves.length = 0;
      throw err;
    }
    this.#publish();
  }

  /** Adds a curve for `model`; a model already shown is not added twice. Returns its key. */
  add(model: AttributeInput): string {
    const key = this.#add(model);
    this.#publish();
    return key;
  }

  /** Removes the curve with this key; returns whether there was one. */
  remove(key: string): boolean {
    const i = this.#curves.findIndex((c) => c.key === key);
    if (i < 0) return false;
    this.#curves[i]!.dispose();
    this.#curves.splice(i, 1);
    this.#publish();
    return true;
  }

  /** Keeps the arrays shown; new ones are held back until {@link resume}. */
  pause(): void {
    if (this.#paused || this.disposed) return;
    this.#paused = true;
    for (const c of this.#curves) c.paused = true;
    this.#publish();
  }

  /** Shows each attribute's latest array at once, then every new one. */
  resume(): void {
    if (!this.#paused || this.disposed) return;
    this.#paused = false;
    this.#building = true;
    try {
      for (const c of this.#curves) {
        c.paused = false;
        const r = c.binding.attribute.reading;
        if (r !== undefined && r !== c.taken) c.take(r);
      }
    } finally {
      this.#building = false;
    }
    this.#publish();
  }

  /**
   * Every curve decimated to `width` pixel columns over the indices
   * `from..to` (default: the whole longest array): per column the first,
   * last, minimum and maximum, so no peak is lost.
   */
  series(width: number, options: { readonly from?: number; readonly to?: number } = {}): PlotSeries[] {
    checkWidth(width, 'series(width): width');
    const longest = Math.max(0, ...this.#curves.map((c) => c.info.length));
    const from = options.from ?? 0;
    const to = options.to ?? longest - 1;
    return this.#curves.map((c) => {
      const { key, label, units, length } = c.info;
      return { key, label, units, ...decimateArray(c.values, width, from, to, length) };
    });
  }

  /** The arrays as CSV: an `index` column, then one column per curve titled with its label and units. */
  toCSV(options: ExportOptions = {}): string {
    checkTimeFormat(options.time, 'toCSV');
    const columns = this.#curves.map((c) => {
      const { x, y } = this.#points(c, options);
      return { title: columnTitle(c.info.label, c.info.units), x, y };
    });
    return toCsv('index', columns, String);
  }

  /** The arrays as a versioned JSON object (see {@link PlotJson}). */
  toJSON(options: ExportOptions = {}): PlotJson {
    const time = checkTimeFormat(options.time, 'toJSON');
    return {
      format: 'tk-core/plot',
      version: 1,
      time,
      curves: this.#curves.map((c) => ({
        key: c.key,
        label: c.info.label,
        units: c.info.units,
        time: c.info.time === undefined ? null : time === 'ms' ? c.info.time : timeText(c.info.time, 'iso'),
        value: jsonNumbers(this.#points(c, options).y),
      })),
    };
  }

  #points(c: PlotCurveState, options: ExportOptions): { x: Float64Array; y: Float64Array } {
    const n = c.info.length;
    const a = Math.max(0, Math.ceil(options.from ?? 0));
    const b = Math.min(n - 1, Math.floor(options.to ?? n - 1));
    const y = b >= a ? c.values.slice(a, b + 1) : new Float64Array(0);
    const x = new Float64Array(y.length);
    for (let i = 0; i < x.length; i++) x[i] = a + i;
    return { x, y };
  }

  #add(model: AttributeInput): string {
    if (this.disposed) throw new TypeError('add(model): the plot was disposed');
    const binding = bindAttribute(model, this.#bindingOptions);
    const key = binding.attribute.fullName;
    if (this.#curves.some((c) => c.key === key)) {
      binding.dispose();
      return key;
    }
    const building = this.#building;
    this.#building = true;
    try {
      const curve = new PlotCurveState(binding, this.#capacity, this.#paused, (taken) => {
        if (taken) this.#updates++;
        if (!this.#building) this.#publish();
      });
      this.#curves.push(curve);
    } catch (err) {
      binding.dispose();
      throw err;
    } finally {
      this.#building = building;
    }
    return key;
  }

  #publish(): void {
    if (this.disposed) return;
    const prev = this.getSnapshot().curves;
    const same = this.#curves.length === prev.length && this.#curves.every((c, i) => c.info === prev[i]);
    this.publish({
      curves: same ? prev : this.#curves.map((c) => c.info),
      paused: this.#paused,
      updates: this.#updates,
    });
  }

  /** Lets go of every attribute. */
  protected onDispose(): void {
    for (const c of this.#curves) c.dispose();
    this.#curves.length = 0;
  }
}

/**
 * A plot of spectrum `model`s (one attribute or URI, or several; `{ manager }`
 * resolves URIs). Throws a TkError naming a model that is invalid.
 *
 * @example
 * ```ts
 * const plot = createPlot('eval:rand(256)');
 * plot.subscribe(() => draw(plot.series(canvas.width))); // x: index, y, columns.min/max
 * plot.dispose();
 * ```
 */
export function createPlot(
  model: AttributeInput | readonly AttributeInput[],
  options?: PlotOptions,
): PlotController {
  return new PlotController(
    Array.isArray(model) ? (model as readonly AttributeInput[]) : [model as AttributeInput],
    options ?? {},
  );
}
