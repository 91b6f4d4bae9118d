/**
 * One curve of a trend: an attribute held, its events appended to a
 * {@link TimeSeriesBuffer}, and what a legend shows of it.
 *
 * @module
 */
import type { TkEvent } from '../../attribute/events.js';
import type { ConnectionState, Quality } from '../../model/enums.js';
import { Quantity } from '../../units/quantity.js';
import type { AttributeBinding } from '../binding/model-binding.js';
import { TimeSeriesBuffer } from '../series/time-series.js';
import { scalarOf } from '../series/values.js';

/** What a legend shows of a curve. Immutable: a new object when one of its fields changes. */
export interface TrendCurve {
  /** The curve's key: the attribute's full name. */
  readonly key: string;
  /** The attribute's label. */
  readonly label: string;
  /** Units of the values (those of the first numeric reading; later ones are converted to them). */
  readonly units: string;
  /** Quality of the latest reading; undefined before the first one. */
  readonly quality: Quality | undefined;
  /** Connection state of the attribute's backend. */
  readonly connection: ConnectionState;
  /** Why the latest reading could not be drawn (its error, or a value that is not a number); undefined when drawn. */
  readonly error: string | undefined;
}

/** @internal the live state of one curve. */
export class CurveState {
  readonly key: string;
  readonly binding: AttributeBinding;
  readonly buffer: TimeSeriesBuffer;
  info: TrendCurve;
  /** Units fixed by the first numeric reading. */
  #units: string | undefined;
  readonly #stopEvents: () => void;
  readonly #stopConnection: () => void;
  readonly #onChange: (curve: CurveState, appended: boolean) => void;

  constructor(
    binding: AttributeBinding,
    capacity: number,
    window: number | undefined,
    onChange: (curve: CurveState, appended: boolean) => void,
  ) {
    const a = binding.attribute;
    this.key = a.fullName;
    this.binding = binding;
    this.buffer = new TimeSeriesBuffer({ capacity, window });
    this.#onChange = onChange;
    this.info = {
      key: a.fullName,
      label: a.label,
      units: a.config.units,
      quality: undefined,
      connection: a.connectionState,
      error: undefined,
    };
    // events, not value$: a polled value equal to the previous one is a periodic event, and a trend
    // draws it (as Taurus's trends do); value$ leaves it out
    const onEvent = (e: TkEvent) => this.#event(e);
    const listener = a.addListener(onEvent);
    this.#stopEvents = () => listener.unsubscribe();
    const sub = a.connection$.subscribe((connection) => {
      if (connection !== this.info.connection) this.#set({ ...this.info, connection }, false);
    });
    this.#stopConnection = () => sub.unsubscribe();
  }

  #event(e: TkEvent): void {
    if (e.type === 'config') {
      const label = e.config.label;
      const units = this.#units ?? e.config.units;
      if (label !== this.info.label || units !== this.info.units)
        this.#set({ ...this.info, label, units }, false);
      return;
    }
    const r = e.reading;
    let error: string | undefined;
    let y = Number.NaN;
    const v = r.rvalue;
    if (r.error !== undefined) error = r.error.message;
    else if (
      Quantity.isQuantity(v) &&
      typeof v.magnitude === 'number' &&
      (v.units === this.#units || this.#units === undefined)
    ) {
      // the common case, without a conversion
      y = v.magnitude;
      this.#units ??= v.units;
    } else {
      const d = scalarOf(v, this.#units);
      if (d.problem !== undefined) error = d.problem;
      else {
        y = d.value!;
        // units are fixed by the first Quantity (a boolean has none to give)
        if (Quantity.isQuantity(v)) this.#units ??= d.units;
      }
    }
    const appended = this.buffer.push(r.time, y);
    const i = this.info;
    const units = this.#units ?? i.units;
    if (i.quality !== r.quality || i.error !== error || i.units !== units) {
      this.#set({ ...i, quality: r.quality, error, units }, appended);
    } else if (appended) this.#onChange(this, true);
  }

  #set(info: TrendCurve, appended: boolean): void {
    this.info = info;
    this.#onChange(this, appended);
  }

  /** Stops listening and lets go of the attribute. */
  dispose(): void {
    this.#stopEvents();
    this.#stopConnection();
    this.binding.dispose();
  }
}
