/**
 * The source of a `loc` attribute: one point of the manager's point store,
 * pushed to the attribute as it changes.
 *
 * @module
 */
import { qualityFromLimits } from '../../core/config.js';
import { ConnectionState, Quality } from '../../core/enums.js';
import type { ReadingInit } from '../../core/reading.js';
import { describeValue } from '../../errors/quote.js';
import { WriteError } from '../../errors/tk-error.js';
import { Quantity } from '../../units/quantity.js';
import type { AttributeConfig, AttributeSink, AttributeSource, SchemeContext } from '../contract.js';
import { configOf, fitsDefinition, type LocDefinition, nameInMessage } from './declaration.js';
import type { LocPoint, LocPointStore } from './point-store.js';

/** A push-mode source over one loc point. */
export class LocSource implements AttributeSource {
  readonly mode = 'push' as const;
  readonly #point: LocPoint;
  readonly #store: LocPointStore;
  readonly #sink: AttributeSink;
  readonly #simpleName: string;
  readonly #name: string;
  readonly #context: SchemeContext;
  /** The configuration of the point's current definition, and that definition. */
  #config: AttributeConfig;
  #configOf: LocDefinition;
  readonly #notify = () => this.#sink.reading(this.#current());
  /** A name declared what the point left to defaults: the attribute's metadata changes. */
  readonly #redefined = () => this.#sink.config(this.config);

  constructor(
    point: LocPoint,
    store: LocPointStore,
    sink: AttributeSink,
    simpleName: string,
    name: string,
    context: SchemeContext,
  ) {
    this.#point = point;
    this.#store = store;
    this.#sink = sink;
    this.#simpleName = simpleName;
    this.#name = name;
    this.#context = context;
    this.#configOf = point.definition;
    this.#config = configOf(point.definition, simpleName) as AttributeConfig;
    point.redefined.add(this.#redefined);
  }

  /** The metadata of the point as defined now. */
  get config(): AttributeConfig {
    if (this.#configOf !== this.#point.definition) {
      this.#configOf = this.#point.definition;
      this.#config = configOf(this.#configOf, this.#simpleName) as AttributeConfig;
    }
    return this.#config;
  }

  #current(): ReadingInit {
    const v = this.#point.value;
    return {
      rvalue: v,
      wvalue: v,
      time: this.#point.time,
      quality: qualityFromLimits(v, this.config, Quality.VALID),
    };
  }

  async read(): Promise<ReadingInit> {
    return this.#current();
  }

  /** Stores a value the core converted against this point's configuration (see `coerceWriteValue`). */
  async write(value: unknown): Promise<ReadingInit> {
    const def = this.#point.definition;
    const stored = Quantity.isQuantity(value) ? value.to(def.units).magnitude : value;
    // the core checked the value against the configuration it had; the point's definition decides
    const why = fitsDefinition(stored, def);
    if (why !== undefined) {
      throw new WriteError(
        'TYPE_MISMATCH',
        `Cannot write to ${nameInMessage(this.#name)}: the value ${why}; nothing was written`,
        {
          details: { name: this.#name },
        },
      );
    }
    if (this.#context.log.tracing)
      this.#context.log.trace(() => `set ${this.#point.key} = ${describeValue(stored)}`);
    this.#store.set(this.#point, stored);
    return this.#current();
  }

  start(): void {
    this.#point.listeners.add(this.#notify);
    this.#sink.connection(ConnectionState.Connected);
    this.#notify();
  }

  stop(): void {
    this.#point.listeners.delete(this.#notify);
  }

  close(): void {
    this.#point.listeners.delete(this.#notify);
    this.#point.redefined.delete(this.#redefined);
  }

  describe(): Record<string, unknown> {
    return {
      point: this.#point.key,
      type: this.#point.definition.type,
      watchers: this.#point.listeners.size,
    };
  }
}
