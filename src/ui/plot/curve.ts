/**
 * The curve of one attribute in a plot: the attribute held, its latest 1-D
 * array copied into a bounded `Float64Array` (in the units of the first
 * one), and what a legend shows of it.
 *
 * @module
 */
import type { TkEvent } from '../../attribute/events.js';
import type { ConnectionState, Quality } from '../../core/enums.js';
import { Quantity } from '../../units/quantity.js';
import type { AttributeBinding } from '../binding/model-binding.js';
import { arrayInto } from '../series/values.js';

/** What a legend shows of a plot curve. Immutable: a new object when one of its fields changes. */
export interface PlotCurve {
  /** The curve's key: the attribute's full name. */
  readonly key: string;
  /** The attribute's label. */
  readonly label: string;
  /** Units of the values (those of the first array; later ones are converted to them). */
  readonly units: string;
  /** Quality of the latest reading; undefined before the first one. */
  readonly quality: Quality | undefined;
  /** Connection state of the attribute's backend. */
  readonly connection: ConnectionState;
  /** Why the latest reading could not be drawn (its error, or a value that is not a 1-D numeric array). */
  readonly error: string | undefined;
  /** Points of the array shown. */
  readonly length: number;
  /** Points of the array read, when more than the capacity (then `length` of them are shown). */
  readonly truncatedFrom: number | undefined;
  /** Time of the array shown (ms since the epoch); undefined before the first one. */
  readonly time: number | undefined;
}

/**
 * @internal the live state of one curve: the attribute's binding and
 * listeners, its latest array in a bounded `Float64Array`, and its legend.
 */
export class PlotCurveState {
  readonly key: string;
  readonly binding: AttributeBinding;
  readonly #capacity: number;
  values: Float64Array;
  info: PlotCurve;
  #units: string | undefined;
  /** The reading taken last (shown, or refused). */
  taken: unknown;
  paused: boolean;
  readonly #stop: (() => void)[] = [];
  readonly #onChange: (taken: boolean) => void;

  constructor(
    binding: AttributeBinding,
    capacity: number,
    paused: boolean,
    onChange: (taken: boolean) => void,
  ) {
    const a = binding.attribute;
    this.key = a.fullName;
    this.binding = binding;
    this.#capacity = capacity;
    this.paused = paused;
    this.values = new Float64Array(Math.min(capacity, 256));
    this.#onChange = onChange;
    this.info = {
      key: a.fullName,
      label: a.label,
      units: a.config.units,
      quality: undefined,
      connection: a.connectionState,
      error: undefined,
      length: 0,
      truncatedFrom: undefined,
      time: undefined,
    };
    const listener = a.addListener((e) => this.#event(e));
    this.#stop.push(() => listener.unsubscribe());
    const sub = a.connection$.subscribe((connection) => {
      if (connection !== this.info.connection) this.#set({ ...this.info, connection }, false);
    });
    this.#stop.push(() => sub.unsubscribe());
  }

  #event(e: TkEvent): void {
    if (e.type === 'config') {
      const label = e.config.label;
      const units = this.#units ?? e.config.units;
      if (label !== this.info.label || units !== this.info.units)
        this.#set({ ...this.info, label, units }, false);
      return;
    }
    if (this.paused) return;
    this.take(e.reading);
  }

  /** Shows a reading's array (or its error, keeping the array shown). */
  take(r: {
    readonly rvalue: unknown;
    readonly time: number;
    readonly quality: Quality;
    readonly error?: { message: string } | undefined;
  }): void {
    const i = this.info;
    this.taken = r;
    if (r.error !== undefined) {
      this.#set({ ...i, quality: r.quality, error: r.error.message }, false);
      return;
    }
    const need = Math.min(this.#capacity, lengthOf(r.rvalue));
    let into = this.values;
    if (need > into.length) {
      // grows by doubling, up to the capacity: an array of the same length as before costs no allocation
      let size = into.length;
      while (size < need) size *= 2;
      into = new Float64Array(Math.min(size, this.#capacity));
    }
    // a plot shows the latest array only: units that do not convert to the previous ones simply replace them
    const q = r.rvalue;
    if (Quantity.isQuantity(q) && this.#units !== undefined && !q.isCompatible(this.#units))
      this.#units = undefined;
    const got = arrayInto(r.rvalue, into, this.#units);
    if (got.problem !== undefined) {
      // the array shown stays as it was
      this.#set({ ...i, quality: r.quality, error: got.problem }, false);
      return;
    }
    this.values = into;
    // units are fixed by the first Quantity (an empty or boolean array has none to give)
    if (Quantity.isQuantity(r.rvalue)) this.#units ??= got.units;
    this.#set(
      {
        ...i,
        quality: r.quality,
        error:
          got.total > got.count
            ? `the array has ${got.total} points: the first ${got.count} are shown (capacity)`
            : undefined,
        units: this.#units ?? i.units,
        length: got.count,
        truncatedFrom: got.total > got.count ? got.total : undefined,
        time: r.time,
      },
      true,
    );
  }

  #set(info: PlotCurve, taken: boolean): void {
    this.info = info;
    this.#onChange(taken);
  }

  dispose(): void {
    for (const stop of this.#stop) stop();
    this.binding.dispose();
  }
}

/** The number of values of an array value (of a Quantity's magnitude), 0 for anything else. */
function lengthOf(v: unknown): number {
  const m =
    typeof v === 'object' && v !== null && 'magnitude' in v ? (v as { magnitude: unknown }).magnitude : v;
  if (Array.isArray(m)) return m.length;
  if (ArrayBuffer.isView(m) && !(m instanceof DataView)) return (m as unknown as ArrayLike<unknown>).length;
  return 0;
}
