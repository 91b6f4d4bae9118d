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
import type { AuthorityModel } from '../authority/authority.js';
import { ELEMENT_TYPES, type ElementType } from '../core/enums.js';
import type { NameResolver } from '../core/name-resolver.js';
import type { DeviceModel } from '../device/device.js';
import { quoteInput } from '../errors/quote.js';
import { InvalidNameError, TkError, UnknownSchemeError } from '../errors/tk-error.js';
import type { CompiledFragment } from '../fragments/resolve-fragment.js';
import type { StandardFragmentName, StandardFragments } from '../fragments/standard-fragments.js';
import type { ModelCache } from '../lifetime/model-cache.js';
import { ReleaseQueue } from '../lifetime/release-queue.js';
import { getLogger, type Logger } from '../log/logger.js';
import type { ModelHost, ProfilerHooks } from '../model/host.js';
import { PollingTimers } from '../polling/polling.js';
import type { SchemeBackend, SchemePlugin } from '../schemes/contract.js';
import { type Clock, systemClock } from '../util/clock.js';
import { explicitScheme, type NameValidator } from '../validators/name-validator.js';
import {
  createElementKinds,
  type ElementKind,
  type ElementKinds,
  type ModelObject,
  newModel,
} from './element-kinds.js';
import { FragmentCompiler, fragmentObservable, fragmentValue, noFragmentError } from './fragment-access.js';
import { type FoundName, isValidAs, namesAs, validTypesOf } from './name-queries.js';
import {
  assertName,
  checkManagerOptions,
  checkSchemeOptions,
  type ManagerOptions,
  type ResolvedNames,
  type ValidationOptions,
} from './options.js';
import { schemeContext } from './scheme-context.js';
import { SchemeRegistry } from './scheme-registry.js';
import { buildSnapshot, type ManagerSnapshot } from './snapshot.js';

export type { ModelObject } from './element-kinds.js';
export type { ManagerOptions, ResolvedNames, ValidationOptions } from './options.js';

/**
 * A registry of schemes and the cache of their model objects. Most programs
 * use the default manager through `Attribute(uri)`; tests and embedders create
 * isolated ones with `createManager()`.
 */
export class Manager implements NameResolver {
  readonly #registry: SchemeRegistry;
  /** Cache, class and validator of each element kind. */
  readonly #kinds: ElementKinds;
  readonly #attributes: ModelCache<AttributeModel>; // the attributes' cache: the hot path's first stop
  readonly #releaseQueue: ReleaseQueue;
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
      (entry) => schemeContext(this, entry, options.schemeOptions?.[entry.plugin.scheme] ?? {}),
      options.pollingPeriod ?? 3000,
      this.#log,
    );
    this.clock = options.clock ?? systemClock;
    this.gcTime = options.gcTime ?? 5000;
    this.pollingPeriod = options.pollingPeriod ?? 3000;
    this.strict = options.strict ?? false;
    this.#defaultScheme = options.defaultScheme;
    this.#releaseQueue = new ReleaseQueue(this.clock, this.gcTime);
    const kinds = (this.#kinds = createElementKinds(this.#releaseQueue, this.#log));
    this.#attributes = kinds.Attribute.cache;
    this.#host = {
      clock: this.clock,
      polling: new PollingTimers(this.clock),
      assertOpen: (what, subject) => {
        if (!this.#disposed) return;
        const done = subject === undefined ? what : `${what} ${subject}`;
        throw new TkError('DISPOSED', `Cannot do ${done}: the manager was disposed`);
      },
      // a plain data property: reading it costs nothing measurable when profiling is off
      profiler: undefined,
      freezeReadings: options.freezeReadings === true,
      writeEpoch: 0,
      kinds,
      container: (fullName, type) => this.#get<DeviceModel | AuthorityModel>(fullName, this.#kinds[type]),
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
    for (const type of ELEMENT_TYPES) this.#kinds[type].cache.forgetInputs();
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
    return validTypesOf(this.#kinds, found, options.strict ?? this.strict);
  }

  /** Whether `name` is a valid model name (of the given types, if any). */
  isValidName(name: string, options: ValidationOptions = {}): boolean {
    assertName(name, 'isValidName(name)');
    const found = this.#findScheme(name);
    if (found === undefined) return false;
    return isValidAs(this.#kinds, found, options.types ?? ELEMENT_TYPES, options.strict ?? this.strict);
  }

  /** Names of `name` as its first valid element type, or null when invalid. */
  getNames(name: string, options: ValidationOptions = {}): ResolvedNames | null {
    assertName(name, 'getNames(name)');
    const found = this.#findScheme(name);
    if (found === undefined) return null;
    return namesAs(this.#kinds, found, options.types ?? ELEMENT_TYPES, options.strict ?? this.strict);
  }

  /** The validator of a scheme for an element type. */
  getValidator(scheme: string, type: ElementType): NameValidator {
    return this.#kinds[type].validator(this.#registry.require(scheme).runtime);
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
    const hit = this.#attributes.byInput(name);
    if (hit !== undefined) return hit as AttributeModel<T>;
    return this.#create(name, this.#kinds.Attribute) as AttributeModel<T>;
  }

  /** The device named `name`. */
  device(name: string): DeviceModel {
    return this.#get(name, this.#kinds.Device);
  }

  /** The authority named `name`. */
  authority(name: string): AuthorityModel {
    return this.#get(name, this.#kinds.Authority);
  }

  /** The model object of `name` as its first valid element type (Taurus's `Object`). */
  object(name: string): ModelObject {
    assertName(name, 'getObject(name)');
    const n = this.getNames(name);
    if (n === null) throw this.#invalid(name, 'Attribute');
    return this.#get<ModelObject>(name, this.#kinds[n.elementType]);
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
    this.#releaseQueue.flush();
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
          attributes: [...this.#attributes.live()].filter((a) => a.scheme === s),
          devices: [...this.#kinds.Device.cache.live()].filter((d) => d.scheme === s).map((d) => d.fullName),
          authorities: [...this.#kinds.Authority.cache.live()]
            .filter((d) => d.scheme === s)
            .map((d) => d.fullName),
        };
      }),
      polling: this.#host.polling.describe(),
      pendingReleases: this.#releaseQueue.size,
      releaseTimerArmed: this.#releaseQueue.timerArmed,
      releasedStillReferenced: this.#attributes.releasedCount,
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
    this.#releaseQueue.flush();
    for (const a of [...this.#attributes.live()]) a.end();
    this.#host.polling.clear();
    this.#disposed = true;
    for (const type of ELEMENT_TYPES) this.#kinds[type].cache.clear();
    await Promise.all(this.#registry.backends().map(async (b) => b.dispose?.()));
  }

  /** `await using m = createManager()` disposes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  // ------------------------------------------------------------ internals

  #findScheme(name: string): FoundName | undefined {
    return this.#registry.resolve(name, this.defaultScheme, this.#options.schemeOptions);
  }

  #invalid(name: string, type: ElementType): Error {
    const kind = this.#kinds[type];
    return this.#registry.invalidNameError(name, this.defaultScheme, this.#options.schemeOptions, (entry) =>
      kind.validator(entry.runtime),
    );
  }

  /** The model of `name` of a kind: one Map.get for a spelling seen before, else {@link #create}. */
  #get<M extends ModelObject>(name: string, kind: ElementKind<M>): M {
    return kind.cache.byInput(name) ?? this.#create(name, kind);
  }

  #create<M extends ModelObject>(input: string, kind: ElementKind<M>): M {
    assertName(input, `${kind.type}(name)`);
    if (this.#disposed) this.#host.assertOpen(`creating ${quoteInput(input)}`);
    const cache = kind.cache;
    // a released object still referenced somewhere, under a spelling already validated
    const again = cache.findReleased(input);
    if (again !== undefined) {
      again.found();
      cache.remember(input, again);
      return again;
    }
    const found = this.#findScheme(input);
    if (found === undefined) throw this.#invalid(input, kind.type);
    const validator = kind.validator(found.entry.runtime);
    const names = validator.isValid(found.name, { strict: this.strict })
      ? validator.getNames(found.name)
      : null;
    if (names === null) throw this.#invalid(input, kind.type);
    if (this.#log.tracing)
      this.#log.trace(() => `resolve ${kind.type} ${JSON.stringify(input)} -> ${names.fullName}`);
    const known = cache.find(names.fullName);
    if (known !== undefined) {
      known.found();
      // a spelling that finds a model again is remembered: from now on it is one Map.get
      cache.remember(input, known);
      return known;
    }
    // The input spelling is not remembered yet: most are used once (a widget keeps its object); one
    // used again is remembered then, above. So a creation costs no map entry for a spelling never reused.
    const model = newModel(kind, this.#host, found.entry.runtime, found.name, names);
    model.created();
    if (this.#log.tracing) this.#log.trace(() => `create ${kind.type} ${names.fullName}`);
    return model;
  }

  #fragmentOf(uri: string): { attr: AttributeModel; compiled: CompiledFragment } {
    assertName(uri, 'getFragment(uri)');
    const found = this.#findScheme(uri);
    const names = found ? this.getNames(uri, { types: ['Attribute'] }) : null;
    if (names === null) throw this.#invalid(uri, 'Attribute');
    if (names.fragment === undefined || names.fragment === '') throw noFragmentError(uri);
    const attr = this.attribute(uri);
    const extra = () => this.getBackend(attr.scheme).fragments ?? {};
    return { attr, compiled: this.#fragments.compile(attr.scheme, names.fragment, extra) };
  }
}
