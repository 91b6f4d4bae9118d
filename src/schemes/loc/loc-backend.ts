/**
 * The backend of the `loc` scheme: push-mode sources over an in-process
 * point store.
 *
 * @module
 */
import { qualityFromLimits } from '../../core/config.js';
import { ConnectionState, Quality } from '../../core/enums.js';
import type { ReadingInit } from '../../core/reading.js';
import { describeValue } from '../../errors/quote.js';
import { WriteError } from '../../errors/tk-error.js';
import { Quantity } from '../../units/quantity.js';
import type {
  AttributeConfig,
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  SchemeBackend,
  SchemeChild,
  SchemeContext,
} from '../contract.js';
import {
  configOf,
  fitsDefinition,
  type LocDefinition,
  nameInMessage,
  parseDeclaration,
} from './declaration.js';
import { LOC_DEFAULT_AUTHORITY } from './loc-names.js';
import { type LocPoint, LocPointStore } from './point-store.js';

/** Creates the loc backend of one manager. */
export function createLocBackend(context: SchemeContext): SchemeBackend {
  const store = new LocPointStore(context.clock);
  const devices = new Map<string, Set<string>>();

  // a name can be both an attribute of this device and a device of its own (loc:/a/b and loc:/a/b/c)
  function childEntries(fullName: string): SchemeChild[] {
    const prefix = fullName.endsWith('/') ? fullName : `${fullName}/`;
    const out = new Map<string, { container: boolean; attribute: boolean }>();
    const mark = (name: string, kind: 'container' | 'attribute') => {
      let e = out.get(name);
      if (e === undefined) out.set(name, (e = { container: false, attribute: false }));
      e[kind] = true;
    };
    for (const [dev, attrs] of devices) {
      if (dev === fullName) for (const a of attrs) mark(a, 'attribute');
      else if (dev.startsWith(prefix))
        mark(`${prefix}${dev.slice(prefix.length).split('/')[0]}`, 'container');
    }
    return [...out.keys()].sort().map((name) => ({ fullName: name, ...out.get(name)! }));
  }

  return {
    openAttribute(target: AttributeTarget, sink: AttributeSink): AttributeSource {
      const g = target.groups;
      const authority = g.authority ?? LOC_DEFAULT_AUTHORITY;
      const key = `${authority}${g.devname}/${g.attrname}`;
      const point = store.open(key, parseDeclaration(g.query), target.fullName);
      const deviceName = `loc:${authority}${g.devname}`;
      let children = devices.get(deviceName);
      if (children === undefined) devices.set(deviceName, (children = new Set()));
      children.add(`loc:${key}`);
      return new LocSource(point, store, sink, target.simpleName, target.fullName, context);
    },
    async listChildren(fullName) {
      return childEntries(fullName).map((c) => c.fullName);
    },
    async listChildEntries(fullName) {
      return childEntries(fullName);
    },
    describe: () => store.describe(),
  };
}

class LocSource implements AttributeSource {
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
