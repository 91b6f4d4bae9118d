/**
 * One attribute served by a gateway: subscribed once on the manager however
 * many clients watch it, each reading encoded to JSON once and shared by
 * every subscription, metadata changes turned into patches once.
 *
 * @module
 */
import type { Subscription as RxSubscription } from 'rxjs';
import type { AttributeModel } from '../attribute/attribute.js';
import type { ListenerSubscription, TkEvent } from '../attribute/events.js';
import { ConnectionState, Quality } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import { TkError } from '../errors/tk-error.js';
import { configPatch, encodeConfig, readingJson } from '../protocol/readings.js';
import type { Json } from '../protocol/values.js';
import type { AttributeConfig } from '../schemes/contract.js';
import type { Subscription } from './subscription.js';

/** The hubs of one gateway, by full name. */
export class HubRegistry {
  readonly #hubs = new Map<string, AttributeHub>();

  /** Attributes being served. */
  get size(): number {
    return this.#hubs.size;
  }

  /** The hub of `attr`, started when new. */
  hubOf(attr: AttributeModel): AttributeHub {
    let hub = this.#hubs.get(attr.fullName);
    if (hub === undefined) {
      hub = new AttributeHub(attr, () => this.#hubs.delete(attr.fullName));
      this.#hubs.set(attr.fullName, hub);
      hub.start();
    }
    return hub;
  }

  /** The hub of a full name, if it is served. */
  get(fullName: string): AttributeHub | undefined {
    return this.#hubs.get(fullName);
  }
}

/** One attribute and the subscriptions of every client to it. */
export class AttributeHub {
  readonly attr: AttributeModel;
  readonly #subs = new Set<Subscription>();
  readonly #onEmpty: () => void;
  #events: ListenerSubscription | undefined;
  #connection: RxSubscription | undefined;
  #config: AttributeConfig;
  #configWire: { [key: string]: Json } | undefined;
  /** The latest reading's JSON text (shared by every subscription). */
  #readingText: string | undefined;
  #state: ConnectionState = ConnectionState.Idle;

  constructor(attr: AttributeModel, onEmpty: () => void) {
    this.attr = attr;
    this.#onEmpty = onEmpty;
    this.#config = attr.config;
  }

  /** Subscriptions to this attribute. */
  get size(): number {
    return this.#subs.size;
  }

  /** Subscribes on the manager; the attribute replays its configuration, state and latest reading. */
  start(): void {
    this.#connection = this.attr.connection$.subscribe(this.#onState);
    this.#events = this.attr.addListener(this.#onEvent);
    this.#config = this.attr.config;
    this.#configWire = undefined;
  }

  /** Adds a subscription and gives it the whole current state. */
  add(sub: Subscription): void {
    this.#subs.add(sub);
    this.#configWire ??= encodeConfig(this.#config);
    sub.pushMeta(this.#configWire, this.attr.names);
    sub.pushState(this.#state);
    if (this.#readingText !== undefined) sub.pushValue(this.#readingText);
  }

  /** Removes a subscription; the last one ends the manager subscription. */
  remove(sub: Subscription): void {
    if (!this.#subs.delete(sub) || this.#subs.size > 0) return;
    this.#events?.unsubscribe();
    this.#connection?.unsubscribe();
    this.#events = undefined;
    this.#connection = undefined;
    this.#onEmpty();
  }

  readonly #onState = (state: ConnectionState): void => {
    this.#state = state;
    for (const s of this.#subs) s.pushState(state);
  };

  readonly #onEvent = (e: TkEvent): void => {
    if (e.type === 'config') {
      const patch = configPatch(this.#config, e.config);
      this.#config = e.config;
      this.#configWire = undefined;
      if (patch !== null) for (const s of this.#subs) s.pushMeta(patch);
      return;
    }
    if (e.type === 'periodic') return;
    const text = encodeReadingSafely(e.reading, this.attr.fullName);
    this.#readingText = text;
    for (const s of this.#subs) s.pushValue(text);
  };
}

/** A reading's JSON text; a value that cannot be sent becomes an INVALID reading saying why. */
function encodeReadingSafely(r: Reading, name: string): string {
  try {
    return readingJson(r);
  } catch (err) {
    const error = new TkError(
      'LIMIT_EXCEEDED',
      `The value of ${name} cannot be sent through the gateway: ${(err as Error).message}`,
    );
    return readingJson({ rvalue: null, time: r.time, quality: Quality.INVALID, error });
  }
}
