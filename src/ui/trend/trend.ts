/**
 * `createTrend(models)`: the model of a trend chart (Taurus's TaurusTrend).
 * Each attribute gets a bounded time series (a ring buffer over typed
 * arrays, with a capacity and a time window); `series(width)` decimates each
 * to a pixel width keeping every column's first, last, minimum and maximum
 * (M4), so peaks survive at any zoom. Pause freezes the time range shown
 * while recording goes on; CSV and JSON exports.
 *
 * @module
 */

import { type Clock, systemClock } from '../../util/clock.js';
import {
  type AttributeBinding,
  type AttributeInput,
  type BindingOptions,
  bindAttribute,
} from '../binding/model-binding.js';
import {
  checkTimeFormat,
  columnTitle,
  type ExportOptions,
  type JsonNumber,
  jsonNumbers,
  timeText,
  toCsv,
} from '../series/export.js';
import { checkWidth, type M4Series } from '../series/m4.js';
import { checkSeriesOptions } from '../series/time-series.js';
import { Controller } from '../store/controller.js';
import { type CurveSlot, type TrendCurve, TrendSetState } from './curve.js';

/** Points kept per curve unless `capacity` says otherwise. */
export const DEFAULT_TREND_CAPACITY = 65_536;

/** Options of {@link createTrend}. */
export interface TrendOptions extends BindingOptions {
  /** Most points kept per curve (default {@link DEFAULT_TREND_CAPACITY}); the oldest go first. */
  readonly capacity?: number | undefined;
  /** Time span kept and shown, in ms (default: everything the capacity holds). */
  readonly window?: number | undefined;
  /** Start paused (the range shown frozen at creation). */
  readonly paused?: boolean | undefined;
}

/** The snapshot of a {@link TrendController}. */
export interface TrendSnapshot {
  /** One entry per curve, in the order the models were given; each keeps its identity until it changes. */
  readonly curves: readonly TrendCurve[];
  /** Whether the range shown is frozen. */
  readonly paused: boolean;
  /** The range frozen by {@link TrendController.pause}, while paused. */
  readonly pausedRange: TimeRange | undefined;
  /** Points recorded since creation: changes with every point (the signal to redraw). */
  readonly points: number;
}

/** A time range (ms since the epoch), both ends included. */
export interface TimeRange {
  /** Start. */
  readonly from: number;
  /** End. */
  readonly to: number;
}

/** One curve decimated for drawing: its legend fields and its M4 series. */
export interface TrendSeries extends M4Series {
  /** The curve's key (the attribute's full name). */
  readonly key: string;
  /** Label. */
  readonly label: string;
  /** Units of y. */
  readonly units: string;
}

/** The JSON export of a trend (`toJSON()`): versioned, one object per curve. */
export interface TrendJson {
  /** Always `tk-core/trend`. */
  readonly format: 'tk-core/trend';
  /** Format version: 1. */
  readonly version: 1;
  /** How times are written: `iso` (ISO 8601 text, UTC) or `ms` (ms since the epoch). */
  readonly time: 'iso' | 'ms';
  /** The curves. */
  readonly curves: readonly {
    /** The attribute's full name. */
    readonly key: string;
    /** Label. */
    readonly label: string;
    /** Units of `value`. */
    readonly units: string;
    /** Time of each point. */
    readonly time: readonly (string | number)[];
    /** Value of each point (`null` for an invalid reading). */
    readonly value: readonly JsonNumber[];
  }[];
}

/**
 * The controller of a trend. Create with {@link createTrend}; bind it to a
 * UI through `subscribe`/`getSnapshot`, and on each snapshot draw
 * `series(width)`.
 */
export class TrendController extends Controller<TrendSnapshot> {
  /** One entry per attribute (its curves are its slots). */
  readonly #curves: TrendSetState[] = [];
  readonly #capacity: number;
  readonly #window: number | undefined;
  readonly #bindingOptions: BindingOptions;
  readonly #clock: Clock;
  #points = 0;
  #pausedRange: TimeRange | undefined;
  #paused: boolean;
  #building = true;

  /** @internal use {@link createTrend}. */
  constructor(models: readonly AttributeInput[], options: TrendOptions) {
    super({ curves: [], paused: false, pausedRange: undefined, points: 0 });
    const capacity = options.capacity ?? DEFAULT_TREND_CAPACITY;
    checkSeriesOptions({ capacity, window: options.window }, 'createTrend');
    this.#capacity = capacity;
    this.#window = options.window;
    this.#bindingOptions = { manager: options.manager };
    this.#paused = false;
    try {
      for (const m of models) this.#add(m);
    } catch (err) {
      for (const c of this.#curves) c.dispose();
      this.#curves.length = 0;
      throw err;
    }
    const manager = options.manager ?? this.#curves[0]?.binding.manager;
    this.#clock = manager?.clock ?? systemClock;
    if (options.paused === true) {
      this.#pausedRange = this.range();
      this.#paused = true;
    }
    this.#building = false;
    this.#publish();
  }

  /** Adds a curve for `model` (an attribute or a URI); a model already shown is not added twice. Returns its key. */
  add(model: AttributeInput): string {
    const key = this.#add(model);
    this.#publish();
    return key;
  }

  /** Removes the curves of the attribute with this full name (all of them for an array); returns whether there were any. */
  remove(key: string): boolean {
    const i = this.#curves.findIndex((c) => c.key === key);
    if (i < 0) return false;
    this.#curves[i]!.dispose();
    this.#curves.splice(i, 1);
    this.#publish();
    return true;
  }

  /** Freezes the time range shown (recording goes on; {@link resume} shows what came meanwhile). */
  pause(): void {
    if (this.#paused || this.disposed) return;
    this.#pausedRange = this.range();
    this.#paused = true;
    this.#publish();
  }

  /** Follows the newest points again. */
  resume(): void {
    if (!this.#paused || this.disposed) return;
    this.#paused = false;
    this.#pausedRange = undefined;
    this.#publish();
  }

  /** Forgets every point recorded so far (the curves stay). */
  clear(): void {
    for (const c of this.#slots()) c.buffer.clear();
    this.#publish();
  }

  /**
   * The time range shown: frozen while paused; else from the window's start
   * (or the oldest point) to the present (or the newest point, when it is
   * stamped later than the clock). `undefined` while there is no point.
   */
  range(): TimeRange | undefined {
    if (this.#paused) return this.#pausedRange;
    let newest = Number.NEGATIVE_INFINITY;
    let oldest = Number.POSITIVE_INFINITY;
    for (const c of this.#slots()) {
      const n = c.buffer.newestTime;
      if (n === undefined) continue;
      if (n > newest) newest = n;
      const o = c.buffer.oldestTime!;
      if (o < oldest) oldest = o;
    }
    if (newest === Number.NEGATIVE_INFINITY) return undefined;
    const to = Math.max(newest, this.#clock.now());
    const from = this.#window === undefined ? oldest : to - this.#window;
    return { from: Math.min(from, to), to };
  }

  /**
   * Every curve decimated to `width` pixel columns over the range shown (or
   * `from`/`to`): per column the first, last, minimum and maximum point, in
   * time order, so a line through them covers the pixels a line through all
   * points would.
   */
  series(width: number, options: Partial<TimeRange> = {}): TrendSeries[] {
    checkWidth(width, 'series(width): width');
    const shown = this.range();
    const from = options.from ?? shown?.from ?? 0;
    const to = options.to ?? shown?.to ?? from;
    return this.#slots().map((c) => {
      const { key, label, units } = c.info;
      return { key, label, units, ...c.buffer.decimate(width, from, Math.max(from, to)) };
    });
  }

  /**
   * The points as CSV: a `time` column, then one column per curve titled
   * with its label and units; one row per distinct time, a cell empty where a
   * curve has no point then, `NaN` for an invalid reading.
   */
  toCSV(options: ExportOptions = {}): string {
    const time = checkTimeFormat(options.time, 'toCSV');
    const columns = this.#slots().map((c) => {
      const { time: x, value: y } = c.buffer.toArrays(options.from, options.to);
      return { title: columnTitle(c.info.label, c.info.units), x, y };
    });
    return toCsv('time', columns, (ms) => timeText(ms, time));
  }

  /** The points as a versioned JSON object (see {@link TrendJson}); `JSON.stringify` it to save. */
  toJSON(options: ExportOptions = {}): TrendJson {
    const time = checkTimeFormat(options.time, 'toJSON');
    return {
      format: 'tk-core/trend',
      version: 1,
      time,
      curves: this.#slots().map((c) => {
        const a = c.buffer.toArrays(options.from, options.to);
        return {
          key: c.info.key,
          label: c.info.label,
          units: c.info.units,
          time: time === 'ms' ? Array.from(a.time) : Array.from(a.time, (t) => timeText(t, 'iso')),
          value: jsonNumbers(a.value),
        };
      }),
    };
  }

  #add(model: AttributeInput): string {
    if (this.disposed) throw new TypeError('add(model): the trend was disposed');
    const binding: AttributeBinding = bindAttribute(model, this.#bindingOptions);
    const key = binding.attribute.fullName;
    if (this.#curves.some((c) => c.key === key)) {
      binding.dispose();
      return key;
    }
    // the attribute's latest reading is replayed while the curve is made: published once it is in the list
    const building = this.#building;
    this.#building = true;
    try {
      const curve = new TrendSetState(binding, this.#capacity, this.#window, (appended) => {
        if (appended) this.#points++;
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

  /** Every curve, in order: one per scalar attribute, one per element of an array attribute. */
  #slots(): CurveSlot[] {
    if (this.#curves.length === 1) return this.#curves[0]!.slots;
    const all: CurveSlot[] = [];
    for (const c of this.#curves) for (const s of c.slots) all.push(s);
    return all;
  }

  #publish(): void {
    if (this.disposed) return;
    const prev = this.getSnapshot().curves;
    // the same array while every curve is the same object (only points were added)
    let same = true;
    let n = 0;
    for (const c of this.#curves) {
      for (const s of c.slots) {
        if (prev[n] !== s.info) same = false;
        n++;
      }
    }
    const curves = same && n === prev.length ? prev : this.#slots().map((s) => s.info);
    this.publish({ curves, paused: this.#paused, pausedRange: this.#pausedRange, points: this.#points });
  }

  /** Lets go of every attribute. */
  protected onDispose(): void {
    for (const c of this.#curves) c.dispose();
    this.#curves.length = 0;
  }
}

/**
 * A trend of `models` (attributes or URIs; `{ manager }` resolves URIs,
 * default the default manager). Each attribute is held and listened to until
 * `dispose()`. Throws a TkError naming the model when one is invalid (the
 * others are let go again), a RangeError for a bad capacity or window.
 *
 * @example
 * ```ts
 * const trend = createTrend(['cii.oldb:/root/example/double/sine', 'cii.oldb:/root/example/double/cosine'], { window: 60_000 });
 * trend.subscribe(() => draw(trend.series(canvas.width))); // each: x (ms), y, columns.min/max, label, units
 * trend.pause(); // the range stops moving; trend.resume() follows again
 * const csv = trend.toCSV();
 * trend.dispose();
 * ```
 */
export function createTrend(
  models: AttributeInput | readonly AttributeInput[],
  options?: TrendOptions,
): TrendController {
  return new TrendController(
    Array.isArray(models) ? (models as readonly AttributeInput[]) : [models as AttributeInput],
    options ?? {},
  );
}
