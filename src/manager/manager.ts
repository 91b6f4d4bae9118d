/**
 * The manager: a registry of scheme plugins and the factories' caches. It
 * turns names into the one shared model object per canonical name and owns
 * what those objects share: the clock, the polling timers and the release
 * queue.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { AttributeModel } from '../attribute/attribute.js';
import { AuthorityModel } from '../authority/authority.js';
import { ELEMENT_TYPES, type ElementType } from '../core/enums.js';
import type { NameResolver } from '../core/name-resolver.js';
import type { Reading } from '../core/reading.js';
import { DeviceModel } from '../device/device.js';
import { quoteInput } from '../errors/quote.js';
import { InvalidNameError, TkError, UnknownSchemeError } from '../errors/tk-error.js';
import type { CompiledFragment } from '../fragments/resolve-fragment.js';
import type { StandardFragmentName, StandardFragments } from '../fragments/standard-fragments.js';
import { ModelCache } from '../lifetime/model-cache.js';
import { ReleaseQueue } from '../lifetime/release-queue.js';
import { getLogger, type Logger } from '../log/logger.js';
import type { HostedModel, ModelHost, ProfilerHooks } from '../model/host.js';
import { PollingTimers } from '../polling/polling.js';
import type { SchemeBackend, SchemeContext, SchemePlugin } from '../schemes/contract.js';
import { type Clock, systemClock } from '../util/clock.js';
import { explicitScheme, type ModelNames, type NameValidator } from '../validators/name-validator.js';
import { FragmentCompiler, fragmentObservable, fragmentValue } from './fragment-access.js';
import { assertName, checkManagerOptions, checkSchemeOptions } from './options.js';
import { type SchemeEntry, SchemeRegistry, validatorOf } from './scheme-registry.js';
import { buildSnapshot, type ManagerSnapshot } from './snapshot.js';

/** Options of a manager. */
export interface ManagerOptions {
  /** Scheme plugins to register. */
  schemes?: readonly SchemePlugin[];
  /** Scheme assumed for names written without one (Taurus's DEFAULT_SCHEME); `eval` when registered. */
  defaultScheme?: string;
  /** Source of time and timers (a virtual clock in tests). */
  clock?: Clock;
  /** Grace period in ms before an unused model releases its backend resources (default 5000; 0: at once). */
  gcTime?: number;
  /** Default polling period in ms for poll-based schemes (default 3000, as Taurus). */
  pollingPeriod?: number;
  /** Options per scheme, given to its backend as `SchemeContext.options`. */
  schemeOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** When true, only strictly valid names are accepted (Taurus's STRICT_MODEL_NAMES). Default false. */
  strict?: boolean;
  /**
   * When true, every reading an attribute publishes is frozen, so that code
   * changing a reading (which all subscribers share) throws in strict mode.
   * Meant for an application's tests; default false, because freezing costs
   * about as much as the rest of building a reading. Readings are immutable
   * by their types either way.
   */
  freezeReadings?: boolean;
}

/** Names of a valid name plus the element type they were resolved as. */
export interface ResolvedNames extends ModelNames {
  /** The element type, the first valid one in Taurus's order (Attribute, Device, Authority). */
  readonly elementType: ElementType;
  /** The scheme. */
  readonly scheme: string;
}

/** Options of validation helpers. */
export interface ValidationOptions {
  /** Element types to accept (default: any). */
  types?: readonly ElementType[];
  /** Strict mode (default: the manager's). */
  strict?: boolean;
}

/** Any model object. */
export type ModelObject = AttributeModel | DeviceModel | AuthorityModel;

const KIND_ORDER = ELEMENT_TYPES;

/**
 * A registry of schemes and the cache of their model objects. Most programs
 * use the default manager through `Attribute(uri)`; tests and embedders create
 * isolated ones with `createManager()`.
 */
export class Manager implements NameResolver {
  readonly #registry: SchemeRegistry;
  readonly #attrs = new ModelCache<AttributeModel>();
  readonly #devices = new ModelCache<DeviceModel>();
  readonly #authorities = new ModelCache<AuthorityModel>();
  readonly #fragments = new FragmentCompiler();
  readonly #host: ModelHost;
  readonly #log: Logger = getLogger('factory');
  readonly #options: ManagerOptions;
  #defaultScheme: string | undefined;
  #disposed = false;

  /** The clock of this manager. */
  readonly clock: Clock;
  /** The grace period before unused models are released, in ms. */
  readonly gcTime: number;
  /** Default polling period in ms. */
  readonly pollingPeriod: number;
  /** Default strictness of name validation. */
  readonly strict: boolean;

  constructor(options: ManagerOptions = {}) {
    checkManagerOptions(options);
    this.#options = options;
    this.#registry = new SchemeRegistry(
      (entry) => this.#contextOf(entry),
      options.pollingPeriod ?? 3000,
      this.#log,
    );
    this.clock = options.clock ?? systemClock;
    this.gcTime = options.gcTime ?? 5000;
    this.pollingPeriod = options.pollingPeriod ?? 3000;
    this.strict = options.strict ?? false;
    this.#defaultScheme = options.defaultScheme;
    const releaseQueue = new ReleaseQueue(this.clock, this.gcTime);
    const polling = new PollingTimers(this.clock);
    const self = this;
    this.#host = {
      clock: this.clock,
      releaseQueue,
      polling,
      assertOpen(what) {
        if (self.#disposed) throw new TkError('DISPOSED', `Cannot do ${what}: the manager was disposed`);
      },
      revive(model, kind) {
        self.#cacheOf(kind).revive(model as never);
      },
      forget(model, kind) {
        if (self.#log.tracing) self.#log.trace(() => `release ${kind} ${model.fullName}`);
        self.#cacheOf(kind).release(model as never);
      },
      // a plain data property: reading it costs nothing measurable when profiling is off
      profiler: undefined,
      freezeReadings: options.freezeReadings === true,
      writeEpoch: 0,
      container(fullName, kind) {
        return kind === 'Device' ? self.device(fullName) : self.authority(fullName);
      },
    };
    for (const p of options.schemes ?? []) this.registerScheme(p);
    checkSchemeOptions(options.schemeOptions, (s) => this.getPlugin(s), this.schemes);
    if (options.defaultScheme !== undefined && !this.#registry.has(options.defaultScheme)) {
      throw new UnknownSchemeError(`${options.defaultScheme}:`, options.defaultScheme, this.schemes);
    }
  }

  // ------------------------------------------------------------ schemes

  /** Registers a scheme plugin. A second plugin for a scheme (or alias) already taken is an error. */
  registerScheme(plugin: SchemePlugin): this {
    this.#host.assertOpen(`registering scheme ${plugin.scheme}`);
    this.#registry.register(plugin, this);
    return this;
  }

  /** Registered scheme names (without aliases). */
  get schemes(): readonly string[] {
    return this.#registry.schemes;
  }

  /** The scheme assumed for names without one. */
  get defaultScheme(): string | undefined {
    return this.#defaultScheme ?? (this.#registry.has('eval') ? 'eval' : undefined);
  }

  /** Changes the scheme assumed for names without one. */
  setDefaultScheme(scheme: string | undefined): void {
    if (scheme !== undefined && !this.#registry.has(scheme))
      throw new UnknownSchemeError(`${scheme}:`, scheme, this.schemes);
    this.#defaultScheme = scheme;
    this.#attrs.forgetInputs();
    this.#devices.forgetInputs();
    this.#authorities.forgetInputs();
  }

  /** The plugin registered for `scheme` (or an alias), if any. */
  getPlugin(scheme: string): SchemePlugin | undefined {
    return this.#registry.get(scheme)?.plugin;
  }

  /** The backend of a scheme, created on first use. */
  getBackend(scheme: string): SchemeBackend {
    return this.#registry.backendOf(this.#registry.require(scheme));
  }

  // ------------------------------------------------------------ names

  /** The scheme of `name`: the one written in it, else the default scheme (Taurus's getSchemeFromName). */
  getSchemeFromName(name: string): string | undefined {
    assertName(name, 'getSchemeFromName(name)');
    return explicitScheme(name) ?? this.defaultScheme;
  }

  /** Element types `name` is valid for, in Taurus's order (Attribute, Device, Authority). */
  getValidTypesForName(name: string, options: { strict?: boolean } = {}): ElementType[] {
    assertName(name, 'getValidTypesForName(name)');
    const found = this.#findScheme(name);
    if (found === undefined) return [];
    const strict = options.strict ?? this.strict;
    return KIND_ORDER.filter((k) => validatorOf(found.entry, k).isValid(found.name, { strict }));
  }

  /** Whether `name` is a valid model name (of the given types, if any). */
  isValidName(name: string, options: ValidationOptions = {}): boolean {
    assertName(name, 'isValidName(name)');
    const found = this.#findScheme(name);
    if (found === undefined) return false;
    const strict = options.strict ?? this.strict;
    for (const k of options.types ?? KIND_ORDER) {
      if (validatorOf(found.entry, k).isValid(found.name, { strict })) return true;
    }
    return false;
  }

  /** Names of `name` as its first valid element type, or null when invalid. */
  getNames(name: string, options: ValidationOptions = {}): ResolvedNames | null {
    assertName(name, 'getNames(name)');
    const found = this.#findScheme(name);
    if (found === undefined) return null;
    const strict = options.strict ?? this.strict;
    for (const k of options.types ?? KIND_ORDER) {
      const v = validatorOf(found.entry, k);
      if (!v.isValid(found.name, { strict })) continue;
      const n = v.getNames(found.name);
      if (n !== null) {
        // explicit properties: a spread followed by more keys is slow in V8
        return {
          fullName: n.fullName,
          normalName: n.normalName,
          simpleName: n.simpleName,
          fragment: n.fragment,
          elementType: k,
          scheme: found.entry.plugin.scheme,
        };
      }
    }
    return null;
  }

  /** The validator of a scheme for an element type. */
  getValidator(scheme: string, type: ElementType): NameValidator {
    return validatorOf(this.#registry.require(scheme), type);
  }

  // ------------------------------------------------------------ factories

  /**
   * The attribute named `name` (one object per canonical name; a fragment is
   * ignored). Throws an {@link InvalidNameError} or {@link UnknownSchemeError}.
   * `T` types the values of its readings (`m.attribute<Quantity>(uri)`,
   * `m.attribute<boolean>(uri)`): the caller's statement, unchecked; numbers
   * arrive as Quantities (see {@link AttributeModel}).
   */
  attribute<T = unknown>(name: string): AttributeModel<T> {
    const hit = this.#attrs.byInput(name);
    if (hit !== undefined) return hit as AttributeModel<T>;
    return this.#create(name, 'Attribute') as AttributeModel<T>;
  }

  /** The device named `name`. */
  device(name: string): DeviceModel {
    const hit = this.#devices.byInput(name);
    if (hit !== undefined) return hit;
    return this.#create(name, 'Device') as DeviceModel;
  }

  /** The authority named `name`. */
  authority(name: string): AuthorityModel {
    const hit = this.#authorities.byInput(name);
    if (hit !== undefined) return hit;
    return this.#create(name, 'Authority') as AuthorityModel;
  }

  /** The model object of `name` as its first valid element type (Taurus's `Object`). */
  object(name: string): ModelObject {
    assertName(name, 'getObject(name)');
    const n = this.getNames(name);
    if (n === null) throw this.#invalid(name, 'Attribute');
    return n.elementType === 'Attribute'
      ? this.attribute(name)
      : n.elementType === 'Device'
        ? this.device(name)
        : this.authority(name);
  }

  /** The device an attribute belongs to, when its scheme has one. */
  parentOf(model: AttributeModel | DeviceModel): DeviceModel | AuthorityModel | undefined {
    const p = model.parentName;
    if (p === undefined) return undefined;
    return model instanceof AttributeModel ? this.device(p) : this.authority(p);
  }

  // ------------------------------------------------------------ fragments

  /**
   * The value of the fragment in `uri` (`...#rvalue.units`, `...#label`),
   * reading the attribute first when the fragment needs a value. Throws for
   * a URI without a fragment or an unknown fragment. Standard fragments are
   * typed: `getFragment('loc:/a/b#label')` is a `Promise<string>`.
   */
  getFragment<F extends StandardFragmentName>(
    uri: `${string}#${F}`,
    options?: { signal?: AbortSignal; cache?: boolean },
  ): Promise<StandardFragments[F]>;
  getFragment(uri: string, options?: { signal?: AbortSignal; cache?: boolean }): Promise<unknown>;
  async getFragment(uri: string, options: { signal?: AbortSignal; cache?: boolean } = {}): Promise<unknown> {
    const { attr, compiled } = this.#fragmentOf(uri);
    return fragmentValue(attr, compiled, options);
  }

  /** The fragment of `uri` as an observable: the current value at once, then every change. */
  fragment$<F extends StandardFragmentName>(uri: `${string}#${F}`): Observable<StandardFragments[F]>;
  fragment$(uri: string): Observable<unknown>;
  fragment$(uri: string): Observable<unknown> {
    const { attr, compiled } = this.#fragmentOf(uri);
    return fragmentObservable(attr, compiled);
  }

  // ------------------------------------------------------------ lifetime and diagnostics

  /** Releases every unused model now instead of after the grace period. */
  flush(): void {
    this.#host.releaseQueue.flush();
  }

  /** Live state: every live model by scheme, polling timers, connections, eval dependency edges. */
  snapshot(): ManagerSnapshot {
    return buildSnapshot({
      now: this.clock.now(),
      gcTime: this.gcTime,
      schemes: this.schemes.map((s) => {
        const entry = this.#registry.require(s);
        return {
          scheme: s,
          backend: entry.backend?.describe?.(),
          attributes: [...this.#attrs.live()].filter((a) => a.scheme === s),
          devices: [...this.#devices.live()].filter((d) => d.scheme === s).map((d) => d.fullName),
          authorities: [...this.#authorities.live()].filter((d) => d.scheme === s).map((d) => d.fullName),
        };
      }),
      polling: this.#host.polling.describe(),
      pendingReleases: this.#host.releaseQueue.size,
      releaseTimerArmed: this.#host.releaseQueue.timerArmed,
      releasedStillReferenced: this.#attrs.releasedCount,
    });
  }

  /** Installs (or removes, with undefined) profiler hooks. */
  setProfiler(hooks: ProfilerHooks | undefined): void {
    this.#host.profiler = hooks;
  }

  /** Whether {@link dispose} was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Closes every model and backend; the manager cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#host.releaseQueue.flush();
    for (const a of [...this.#attrs.live()]) a.shutdown();
    this.#host.polling.clear();
    this.#disposed = true;
    for (const cache of [this.#attrs, this.#devices, this.#authorities]) cache.clear();
    await Promise.all(this.#registry.backends().map(async (b) => b.dispose?.()));
  }

  /** `await using m = createManager()` disposes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  // ------------------------------------------------------------ internals

  #cacheOf(kind: ElementType): ModelCache<HostedModel & { fullName: string }> {
    return (
      kind === 'Attribute' ? this.#attrs : kind === 'Device' ? this.#devices : this.#authorities
    ) as never;
  }

  #findScheme(name: string): { entry: SchemeEntry; name: string } | undefined {
    let found = this.#registry.find(name, this.defaultScheme);
    // an alias scheme (res) hands over to the URI its name stands for; a bounded chain, so a cycle stays invalid
    for (let hops = 0; hops < 8 && found?.entry.plugin.resolveAlias !== undefined; hops++) {
      const plugin = found.entry.plugin;
      const target = plugin.resolveAlias!(found.name, this.#options.schemeOptions?.[plugin.scheme] ?? {});
      if (target === undefined) break;
      const next = this.#registry.find(target, this.defaultScheme);
      if (next === undefined) break;
      found = next;
    }
    return found;
  }

  #invalid(name: string, kind: ElementType): Error {
    const written = explicitScheme(name);
    if (written !== undefined && !this.#registry.has(written))
      return new UnknownSchemeError(name, written, this.schemes);
    const found = this.#findScheme(name);
    if (found === undefined) {
      return new InvalidNameError(
        name,
        `Invalid name ${quoteInput(name)}: it has no scheme and no default scheme is set; write it as <scheme>:..., with one of ${this.schemes.join(', ')}`,
        { part: 'scheme' },
      );
    }
    return validatorOf(found.entry, kind).invalidNameError(found.name);
  }

  #create(input: string, kind: ElementType): ModelObject {
    assertName(input, `${kind}(name)`);
    this.#host.assertOpen(`creating ${quoteInput(input)}`);
    const cache = this.#cacheOf(kind);
    // a released object still referenced somewhere, under a spelling already validated
    const again = cache.reviveByInput(input) as ModelObject | undefined;
    if (again !== undefined) {
      again.touch();
      return again;
    }
    const found = this.#findScheme(input);
    if (found === undefined) throw this.#invalid(input, kind);
    const validator = validatorOf(found.entry, kind);
    const names = validator.isValid(found.name, { strict: this.strict })
      ? validator.getNames(found.name)
      : null;
    if (names === null) throw this.#invalid(input, kind);
    if (this.#log.tracing)
      this.#log.trace(() => `resolve ${kind} ${JSON.stringify(input)} -> ${names.fullName}`);
    const existing = cache.get(names.fullName);
    if (existing !== undefined) {
      const known = existing.model as unknown as ModelObject;
      if (existing.revived) known.touch();
      // a spelling that finds a model again is remembered: from now on it is one Map.get
      cache.remember(input, known);
      return known;
    }
    // The input spelling is not remembered yet: most are used once (a widget keeps its object); one
    // used again is remembered then, above. So a creation costs no map entry for a spelling never reused.
    // The model computes its normal and simple names from its full name when first asked, as Taurus's
    // objects do: they do not depend on the spelling that created it.
    const rt = found.entry.runtime;
    const fullName = names.fullName;
    const model =
      kind === 'Attribute'
        ? new AttributeModel(this.#host, rt, fullName)
        : kind === 'Device'
          ? new DeviceModel(this.#host, rt, fullName)
          : new AuthorityModel(this.#host, rt, fullName);
    cache.add(model);
    this.#host.releaseQueue.schedule(model);
    if (this.#log.tracing) this.#log.trace(() => `create ${kind} ${names.fullName}`);
    return model;
  }

  #fragmentOf(uri: string): { attr: AttributeModel; compiled: CompiledFragment } {
    assertName(uri, 'getFragment(uri)');
    const found = this.#findScheme(uri);
    const names = found ? this.getNames(uri, { types: ['Attribute'] }) : null;
    if (names === null) throw this.#invalid(uri, 'Attribute');
    if (names.fragment === undefined || names.fragment === '') {
      throw new TkError(
        'UNKNOWN_FRAGMENT',
        `${quoteInput(uri)} has no fragment: append one such as #label or #rvalue.units`,
        {
          details: { input: uri },
        },
      );
    }
    const attr = this.attribute(uri);
    const fragment = names.fragment;
    const compiled = this.#fragments.compile(
      attr.scheme,
      fragment,
      () => this.getBackend(attr.scheme).fragments ?? {},
    );
    return { attr, compiled };
  }

  #contextOf(entry: SchemeEntry): SchemeContext {
    return {
      clock: this.clock,
      log: entry.runtime.log,
      options: this.#options.schemeOptions?.[entry.plugin.scheme] ?? {},
      subscribeAttribute: (name, onReading) => {
        const a = this.attribute(name);
        const names = a.names;
        const sub = a.subscribe((r: Reading) => onReading(r, names));
        return { names, unsubscribe: () => sub.unsubscribe() };
      },
      readAttribute: (name, options) => this.attribute(name).read(options),
      isValidName: (name, options) => this.isValidName(name, options),
      getNames: (name) => this.getNames(name),
    };
  }
}
