/**
 * The curves of one attribute in a trend: the attribute held, its events
 * appended to one {@link TimeSeriesBuffer} per curve, and what a legend shows
 * of each. A scalar gives one curve; a 1-D array gives one curve per element
 * (`label[0]`, `label[1]`, ...), as Taurus's trend sets do.
 *
 * @module
 */
import type { TkEvent } from '../../attribute/events.js';
import type { ConnectionState, Quality } from '../../core/enums.js';
import type { Reading } from '../../core/reading.js';
import { Quantity } from '../../units/quantity.js';
import type { AttributeBinding } from '../binding/model-binding.js';
import { TimeSeriesBuffer } from '../series/time-series.js';
import { scalarOf } from '../series/values.js';

/** What a legend shows of a curve. Immutable: a new object when one of its fields changes. */
export interface TrendCurve {
  /** The curve's key: the attribute's full name, with `[i]` for element `i` of an array attribute. */
  readonly key: string;
  /** The attribute's full name. */
  readonly model: string;
  /** The attribute's label (with `[i]` for an element of an array). */
  readonly label: string;
  /** Units of the values (those of the first reading; later ones are converted to them). */
  readonly units: string;
  /** Quality of the latest reading; undefined before the first one. */
  readonly quality: Quality | undefined;
  /** Connection state of the attribute's backend. */
  readonly connection: ConnectionState;
  /** Why the latest reading could not be drawn (its error, or a value that is not a number); undefined when drawn. */
  readonly error: string | undefined;
}

/** @internal one curve: what it shows and its points. */
export interface CurveSlot {
  info: TrendCurve;
  readonly buffer: TimeSeriesBuffer;
}

/** @internal the live state of one attribute's curves. */
export class TrendSetState {
  readonly key: string;
  readonly binding: AttributeBinding;
  /** The curves: one for a scalar, one per element of an array. */
  slots: CurveSlot[];
  /** Elements per reading: 0 for a scalar. */
  #elements = 0;
  /** Units fixed by the first Quantity. */
  #units: string | undefined;
  readonly #capacity: number;
  readonly #window: number | undefined;
  readonly #stopEvents: () => void;
  readonly #stopConnection: () => void;
  readonly #onChange: (appended: boolean) => void;
  #label: string;
  /** Units of the attribute's configuration, until a Quantity fixes the curve's units. */
  #configUnits: string;
  #connection: ConnectionState;
  #quality: Quality | undefined = undefined;
  #error: string | undefined = undefined;

  constructor(
    binding: AttributeBinding,
    capacity: number,
    window: number | undefined,
    onChange: (appended: boolean) => void,
  ) {
    const a = binding.attribute;
    this.key = a.fullName;
    this.binding = binding;
    this.#capacity = capacity;
    this.#window = window;
    this.#onChange = onChange;
    this.#label = a.label;
    this.#configUnits = a.config.units;
    this.#connection = a.connectionState;
    this.slots = [this.#slot(-1, this.#configUnits)];
    // events, not value$: a polled value equal to the previous one is a periodic event, and a trend
    // draws it (as Taurus's trend sets do); value$ leaves it out
    const listener = a.addListener((e) => this.#event(e));
    this.#stopEvents = () => listener.unsubscribe();
    const sub = a.connection$.subscribe((connection) => {
      if (connection === this.#connection) return;
      this.#connection = connection;
      this.#refresh(false);
    });
    this.#stopConnection = () => sub.unsubscribe();
  }

  #slot(i: number, units: string): CurveSlot {
    return {
      info: this.#info(i, units),
      buffer: new TimeSeriesBuffer({ capacity: this.#capacity, window: this.#window }),
    };
  }

  #info(i: number, units: string): TrendCurve {
    return {
      key: i < 0 ? this.key : `${this.key}[${i}]`,
      model: this.key,
      label: i < 0 ? this.#label : `${this.#label}[${i}]`,
      units,
      quality: this.#quality,
      connection: this.#connection,
      error: this.#error,
    };
  }

  #event(e: TkEvent): void {
    if (e.type === 'config') {
      if (e.config.label !== this.#label || e.config.units !== this.#configUnits) {
        this.#label = e.config.label;
        this.#configUnits = e.config.units;
        this.#refresh(false);
      }
      return;
    }
    this.#reading(e.reading);
  }

  #reading(r: Reading): void {
    const v = r.rvalue;
    let error: string | undefined;
    let appended = false;
    if (r.error !== undefined) {
      error = r.error.message;
      for (const s of this.slots) appended = s.buffer.push(r.time, Number.NaN) || appended;
    } else if (
      this.#elements === 0 &&
      Quantity.isQuantity(v) &&
      typeof v.magnitude === 'number' &&
      (v.units === this.#units || this.#units === undefined)
    ) {
      // the common case: a scalar in the curve's units
      this.#units ??= v.units;
      appended = this.slots[0]!.buffer.push(r.time, v.magnitude);
    } else {
      const out = this.#other(v, r.time);
      error = out.error;
      appended = out.appended;
    }
    const units = this.#units ?? this.#configUnits;
    this.#quality = r.quality;
    this.#error = error;
    const i = this.slots[0]!.info;
    if (i.quality !== r.quality || i.error !== error || i.units !== units) this.#refresh(appended);
    else if (appended) this.#onChange(true);
  }

  /**
   * Any value but a scalar Quantity in the curve's units: converted, an
   * array (one curve per element), or a problem (a gap). A new array length,
   * or units that do not convert, start new curves (as Taurus's trend sets
   * reset their buffers).
   */
  #other(v: unknown, time: number): { error: string | undefined; appended: boolean } {
    const q = Quantity.isQuantity(v) ? v : undefined;
    let m: unknown = q !== undefined ? q.magnitude : v;
    const isArray = Array.isArray(m) && m.length > 0 && !Array.isArray(m[0]);
    const elements = isArray ? (m as unknown[]).length : 0;
    let restart = elements !== this.#elements;
    if (q !== undefined && this.#units !== undefined && q.units !== this.#units) {
      if (!restart && q.isCompatible(this.#units)) m = q.to(this.#units).magnitude;
      else restart = true;
    }
    if (restart) this.#reshape(elements);
    if (q !== undefined) this.#units ??= q.units;
    if (!isArray) {
      const d = scalarOf(m, undefined);
      const y = d.problem === undefined ? d.value! : Number.NaN;
      return { error: d.problem, appended: this.slots[0]!.buffer.push(time, y) };
    }
    const values = m as unknown[];
    let appended = false;
    let error: string | undefined;
    for (let k = 0; k < this.slots.length; k++) {
      const x = values[k];
      const y = typeof x === 'number' ? x : typeof x === 'boolean' ? (x ? 1 : 0) : Number.NaN;
      if (typeof x !== 'number' && typeof x !== 'boolean') {
        error ??= `element ${k} of the array is not a number: a trend draws numbers and booleans`;
      }
      appended = this.slots[k]!.buffer.push(time, y) || appended;
    }
    return { error, appended };
  }

  /** New curves for `elements` values per reading (0: a scalar); the units are fixed again. */
  #reshape(elements: number): void {
    this.#elements = elements;
    this.#units = undefined;
    const units = this.#configUnits;
    this.slots =
      elements === 0
        ? [this.#slot(-1, units)]
        : Array.from({ length: elements }, (_, k) => this.#slot(k, units));
  }

  /** Rebuilds every curve's info from the current state. */
  #refresh(appended: boolean): void {
    const units = this.#units ?? this.#configUnits;
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[k]!;
      const next = this.#info(this.#elements === 0 ? -1 : k, units);
      const cur = s.info;
      if (
        cur.label !== next.label ||
        cur.units !== next.units ||
        cur.quality !== next.quality ||
        cur.connection !== next.connection ||
        cur.error !== next.error
      ) {
        s.info = next;
      }
    }
    this.#onChange(appended);
  }

  /** Stops listening and lets go of the attribute. */
  dispose(): void {
    this.#stopEvents();
    this.#stopConnection();
    this.binding.dispose();
  }
}
