/**
 * What `tk trend` and `tk plot` show: a header (label, value, quality,
 * minimum and maximum) and a chart, both from tk-core/ui controllers: a
 * display (`createDisplay`) formats the text as a label on a web page would,
 * and a trend (`createTrend`) or plot (`createPlot`) keeps the points and
 * decimates them to the terminal's width with M4, so peaks survive.
 *
 * @module
 */
import type { Manager } from '../../manager/manager.js';
import { createDisplay, type DisplayController, NONE_VALUE } from '../../ui/display/display.js';
import { createPlot, type PlotController } from '../../ui/plot/plot.js';
import type { M4Series } from '../../ui/series/m4.js';
import { createTrend, type TrendController } from '../../ui/trend/trend.js';
import { type Colors, clipText } from '../format.js';
import { paintQuality } from '../theme.js';
import { drawChart, plotColumns } from './chart.js';

/** `trend`: a scalar over time; `plot`: a 1-D array by index. */
export type ChartKind = 'trend' | 'plot';

/** Options of {@link ChartView}. */
export interface ChartViewOptions {
  /** The manager that resolves the URI. */
  readonly manager: Manager;
  /** Time span shown by a trend, in ms (default: everything recorded). */
  readonly window?: number | undefined;
}

/** Size and colours of one frame. */
export interface FrameOptions {
  /** Columns, labels included. */
  readonly width: number;
  /** Rows of the chart (the header comes on top). */
  readonly height: number;
  /** The colours of the output. */
  readonly colors: Colors;
}

/** The models behind one `tk trend` or `tk plot`: a display for the header, a trend or plot for the chart. */
export class ChartView implements Disposable {
  /** What is charted. */
  readonly kind: ChartKind;
  /** The header's display controller. */
  readonly display: DisplayController;
  readonly #trend: TrendController | undefined;
  readonly #plot: PlotController | undefined;

  /** Opens `uri` in `options.manager`; throws the manager's error for an invalid name. */
  constructor(kind: ChartKind, uri: string, options: ChartViewOptions) {
    this.kind = kind;
    const manager = options.manager;
    const attr = manager.attribute(uri); // an invalid name fails here, before anything is opened
    this.display = createDisplay(attr, { manager });
    try {
      if (kind === 'trend') this.#trend = createTrend(attr, { manager, window: options.window });
      else this.#plot = createPlot(attr, { manager });
    } catch (err) {
      this.display.dispose();
      throw err;
    }
  }

  /** Readings taken into the chart so far (a trend's points, a plot's arrays). */
  get taken(): number {
    return this.#trend?.getSnapshot().points ?? this.#plot!.getSnapshot().updates;
  }

  /** Calls `listener` after any change of the header or the chart; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    let ready = false;
    const call = () => {
      if (ready) listener();
    };
    const stops = [this.display.subscribe(call), (this.#trend ?? this.#plot!).subscribe(call)];
    ready = true;
    return () => {
      for (const stop of stops) stop();
    };
  }

  /**
   * Why the attribute's value cannot be charted by this command (an array
   * for `trend`, anything but a 1-D numeric array for `plot`), naming the
   * attribute and the command to use; undefined when it can, or while there
   * is no value.
   */
  get wrongType(): string | undefined {
    const attr = this.display.attribute;
    const r = attr.reading;
    if (r === undefined || r.error !== undefined) return undefined;
    const shown = clipText(this.display.getSnapshot().value, 60);
    if (this.#trend !== undefined) {
      const curves = this.#trend.getSnapshot().curves;
      const array = curves.length !== 1 || curves[0]!.key !== curves[0]!.model;
      if (array || curves[0]!.error !== undefined) {
        return `${attr.fullName} is not a numeric scalar (${shown}): use tk plot for arrays, tk watch for other values`;
      }
      return undefined;
    }
    const curve = this.#plot!.getSnapshot().curves[0]!;
    if (curve.error !== undefined && curve.length === 0) {
      return `${attr.fullName} is not a 1-D numeric array (${shown}): use tk trend for numeric scalars`;
    }
    return undefined;
  }

  /** The M4 series of the chart, `columns` wide. */
  series(columns: number): M4Series {
    return (this.#trend ?? this.#plot!).series(columns)[0]!;
  }

  /** The header line and the chart's lines. */
  lines(options: FrameOptions): string[] {
    const series = this.series(plotColumns(options.width));
    const chart = drawChart(series, {
      width: options.width,
      height: options.height,
      color: options.colors.isColorSupported,
    });
    return [this.#header(series, options.colors), ...chart];
  }

  #header(series: M4Series, c: Colors): string {
    const s = this.display.getSnapshot();
    const label = c.bold(s.label);
    if (s.time === undefined) return `${label}  ${c.dim('(waiting)')}`;
    const quality = paintQuality(s.quality!, c);
    if (s.error !== undefined && s.value === NONE_VALUE) {
      return `${label}  ${c.red(`error: ${s.error}`)}  ${quality}`;
    }
    const units = this.#trend?.getSnapshot().curves[0]?.units ?? this.#plot?.getSnapshot().curves[0]?.units;
    const range =
      series.count === 0
        ? ''
        : `  min ${this.display.formatValue(series.min)}  max ${this.display.formatValue(series.max)}${units ? ` ${units}` : ''}`;
    if (this.#trend !== undefined) {
      const n = series.count;
      return `${label}  ${s.value}  ${quality}  ${c.dim(`${n} sample${n === 1 ? '' : 's'}${range}`)}`;
    }
    const n = this.#plot!.getSnapshot().curves[0]!.length;
    return `${label}  ${quality}  ${c.dim(`${n} point${n === 1 ? '' : 's'}${range}`)}`;
  }

  /** Lets go of the controllers (and so of the attribute). */
  dispose(): void {
    this.#trend?.dispose();
    this.#plot?.dispose();
    this.display.dispose();
  }

  /** Same as {@link ChartView.dispose}. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
