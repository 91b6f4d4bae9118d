/**
 * The manager: a registry of scheme plugins and the factories' caches. It
 * turns names into the one shared model object per canonical name and owns
 * what those objects share: the clock, the polling timers and the release
 * queue.
 *
 * @module
 */
import { Observable } from 'rxjs';
import { AttributeModel } from '../attribute/attribute.js';
import type { Reading } from '../attribute/reading.js';
import { AuthorityModel } from '../authority/authority.js';
import { DeviceModel } from '../device/device.js';
import { InvalidNameError, TkError, UnknownSchemeError } from '../errors/tk-error.js';
import { ModelCache } from '../factory/model-cache.js';
import { PollingTimers } from '../factory/polling.js';
import { ReleaseQueue } from '../factory/release-queue.js';
import { type CompiledFragment, compileFragment } from '../fragments/resolve-fragment.js';
import type { StandardFragmentName, StandardFragments } from '../fragments/standard-fragments.js';
import { getLogger, type Logger } from '../log/logger.js';
import { ELEMENT_TYPES, type ElementType } from '../model/enums.js';
import type { HostedModel, ModelHost, ProfilerHooks, SchemeRuntime } from '../model/host.js';
import type { NameResolver, SchemeBackend, SchemeContext, SchemePlugin } from '../schemes/contract.js';
import { type Clock, systemClock } from '../util/clock.js';
import { explicitScheme, type ModelNames, type NameValidator } from '../validators/name-validator.js';
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

interface SchemeEntry {
  readonly plugin: SchemePlugin;
  readonly runtime: SchemeRuntime;
  backend: SchemeBackend | undefined;
}

const KIND_ORDER = ELEMENT_TYPES;

/**
 * A registry of schemes and the cache of their model objects. Most programs
 * use the default manager through `Attribute(uri)`; tests and embedders create
 * isolated ones with `createManager()`.
 */
export class Manager implements NameResolver {
  readonly #entries = new Map<string, SchemeEntry>();
  readonly #attrs = new ModelCache<AttributeModel>();
  readonly #devices = new ModelCache<DeviceModel>();
  readonly #authorities = new ModelCache<AuthorityModel>();
  readonly #fragments = new Map<string, CompiledFragment>();
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
    this.#options = options;
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
      container(fullName, kind) {
        return kind === 'Device' ? self.device(fullName) : self.authority(fullName);
      },
    };
    for (const p of options.schemes ?? []) this.registerScheme(p);
  }

  // ------------------------------------------------------------ schemes

  /** Registers a scheme plugin. A second plugin for a scheme (or alias) already taken is an error. */
  registerScheme(plugin: SchemePlugin): this {
    this.#host.assertOpen(`registering scheme ${plugin.scheme}`);
    const names = [plugin.scheme, ...(plugin.aliases ?? [])];
    for (const n of names) {
      const taken = this.#entries.get(n);
      if (taken !== undefined) {
        throw new TkError(
          'SCHEME_CONFLICT',
          `Cannot register a plugin for scheme "${n}": scheme "${taken.plugin.scheme}" already uses that name in this manager; create a separate manager with createManager() for another plugin`,
          { details: { scheme: n } },
        );
      }
    }
    const validators = typeof plugin.validators === 'function' ? plugin.validators(this) : plugin.validators;
    const log = getLogger(`scheme.${plugin.scheme}`);
    const entry: SchemeEntry = {
      plugin,
      backend: undefined,
      runtime: {
        scheme: plugin.scheme,
        validators,
        log,
        pollingPeriod: plugin.defaultPollingPeriod ?? this.pollingPeriod,
        fragments: {},
        backend: () => this.#backendOf(entry),
      },
    };
    for (const n of names) this.#entries.set(n, entry);
    this.#log.debug(
      `registered scheme ${plugin.scheme}${plugin.aliases?.length ? ` (aliases ${plugin.aliases.join(', ')})` : ''}`,
    );
    return this;
  }

  /** Registered scheme names (without aliases). */
  get schemes(): readonly string[] {
    return [...new Set([...this.#entries.values()].map((e) => e.plugin.scheme))];
  }

  /** The scheme assumed for names without one. */
  get defaultScheme(): string | undefined {
    return this.#defaultScheme ?? (this.#entries.has('eval') ? 'eval' : undefined);
  }

  /** Changes the scheme assumed for names without one. */
  setDefaultScheme(scheme: string | undefined): void {
    if (scheme !== undefined && !this.#entries.has(scheme))
      throw new UnknownSchemeError(`${scheme}:`, scheme, this.schemes);
    this.#defaultScheme = scheme;
    this.#attrs.forgetInputs();
    this.#devices.forgetInputs();
    this.#authorities.forgetInputs();
  }

  /** The plugin registered for `scheme` (or an alias), if any. */
  getPlugin(scheme: string): SchemePlugin | undefined {
    return this.#entries.get(scheme)?.plugin;
  }

  /** The backend of a scheme, created on first use. */
  getBackend(scheme: string): SchemeBackend {
    const entry = this.#entries.get(scheme);
    if (entry === undefined) throw new UnknownSchemeError(`${scheme}:`, scheme, this.schemes);
    return this.#backendOf(entry);
  }

  // ------------------------------------------------------------ names

  /** The scheme of `name`: the one written in it, else the default scheme (Taurus's getSchemeFromName). */
  getSchemeFromName(name: string): string | undefined {
    return explicitScheme(name) ?? this.defaultScheme;
  }

  /** Element types `name` is valid for, in Taurus's order (Attribute, Device, Authority). */
  getValidTypesForName(name: string, options: { strict?: boolean } = {}): ElementType[] {
    const found = this.#findScheme(name);
    if (found === undefined) return [];
    const strict = options.strict ?? this.strict;
    return KIND_ORDER.filter((k) => this.#validatorOf(found.entry, k).isValid(found.name, { strict }));
  }

  /** Whether `name` is a valid model name (of the given types, if any). */
  isValidName(name: string, options: ValidationOptions = {}): boolean {
    const found = this.#findScheme(name);
    if (found === undefined) return false;
    const strict = options.strict ?? this.strict;
    for (const k of options.types ?? KIND_ORDER) {
      if (this.#validatorOf(found.entry, k).isValid(found.name, { strict })) return true;
    }
    return false;
  }

  /** Names of `name` as its first valid element type, or null when invalid. */
  getNames(name: string, options: ValidationOptions = {}): ResolvedNames | null {
    const found = this.#findScheme(name);
    if (found === undefined) return null;
    const strict = options.strict ?? this.strict;
    for (const k of options.types ?? KIND_ORDER) {
      const v = this.#validatorOf(found.entry, k);
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
    const entry = this.#entries.get(scheme);
    if (entry === undefined) throw new UnknownSchemeError(`${scheme}:`, scheme, this.schemes);
    return this.#validatorOf(entry, type);
  }

  // ------------------------------------------------------------ factories

  /**
   * The attribute named `name` (one object per canonical name; a fragment is
   * ignored). Throws an {@link InvalidNameError} or {@link UnknownSchemeError}.
   */
  attribute(name: string): AttributeModel {
    const hit = this.#attrs.byInput(name);
    if (hit !== undefined) return hit;
    return this.#create(name, 'Attribute') as AttributeModel;
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
    if (!isMetadataOnly(compiled.key) || !attr.isOpen) await attr.read(options);
    return compiled.apply({ names: attr.names, config: attr.config, reading: attr.reading });
  }

  /** The fragment of `uri` as an observable: the current value at once, then every change. */
  fragment$<F extends StandardFragmentName>(uri: `${string}#${F}`): Observable<StandardFragments[F]>;
  fragment$(uri: string): Observable<unknown>;
  fragment$(uri: string): Observable<unknown> {
    const { attr, compiled } = this.#fragmentOf(uri);
    return new Observable<unknown>((subscriber) => {
      let last: unknown = NOTHING;
      const push = () => {
        let v: unknown;
        try {
          v = compiled.apply({ names: attr.names, config: attr.config, reading: attr.reading });
        } catch (err) {
          subscriber.error(err);
          return;
        }
        if (last !== NOTHING && sameJson(last, v)) return;
        last = v;
        subscriber.next(v);
      };
      const sub = attr.addListener(() => push());
      if (attr.reading !== undefined) push();
      return () => sub.unsubscribe();
    });
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
        const entry = this.#entries.get(s)!;
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
    const backends = new Set(
      [...this.#entries.values()].map((e) => e.backend).filter((b) => b !== undefined),
    );
    await Promise.all([...backends].map(async (b) => b.dispose?.()));
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

  #validatorOf(entry: SchemeEntry, kind: ElementType): NameValidator {
    const v = entry.runtime.validators;
    return kind === 'Attribute' ? v.attribute : kind === 'Device' ? v.device : v.authority;
  }

  #findScheme(name: string): { entry: SchemeEntry; name: string } | undefined {
    const written = explicitScheme(name);
    if (written !== undefined) {
      const entry = this.#entries.get(written);
      return entry === undefined ? undefined : { entry, name };
    }
    const d = this.defaultScheme;
    if (d === undefined) return undefined;
    const entry = this.#entries.get(d);
    return entry === undefined ? undefined : { entry, name: `${d}:${name}` };
  }

  #invalid(name: string, kind: ElementType): Error {
    const written = explicitScheme(name);
    if (written !== undefined && !this.#entries.has(written))
      return new UnknownSchemeError(name, written, this.schemes);
    const found = this.#findScheme(name);
    if (found === undefined) {
      return new InvalidNameError(
        name,
        `Invalid name ${JSON.stringify(name)}: it has no scheme and no default scheme is set; write it as <scheme>:..., with one of ${this.schemes.join(', ')}`,
        { part: 'scheme' },
      );
    }
    return this.#validatorOf(found.entry, kind).invalidNameError(found.name);
  }

  #create(input: string, kind: ElementType): ModelObject {
    this.#host.assertOpen(`creating ${input}`);
    const cache = this.#cacheOf(kind);
    // a released object still referenced somewhere, under a spelling already validated
    const again = cache.reviveByInput(input) as ModelObject | undefined;
    if (again !== undefined) {
      again.touch();
      return again;
    }
    const found = this.#findScheme(input);
    if (found === undefined) throw this.#invalid(input, kind);
    const validator = this.#validatorOf(found.entry, kind);
    const names = validator.isValid(found.name, { strict: this.strict })
      ? validator.getNames(found.name)
      : null;
    if (names === null) throw this.#invalid(input, kind);
    if (this.#log.tracing)
      this.#log.trace(() => `resolve ${kind} ${JSON.stringify(input)} -> ${names.fullName}`);
    const existing = cache.get(names.fullName);
    let model: ModelObject;
    if (existing !== undefined) {
      model = existing.model as unknown as ModelObject;
      if (existing.revived) model.touch();
    } else {
      const bare = { fullName: names.fullName, normalName: names.normalName, simpleName: names.simpleName };
      const rt = found.entry.runtime;
      model =
        kind === 'Attribute'
          ? new AttributeModel(this.#host, rt, names.fullName, bare)
          : kind === 'Device'
            ? new DeviceModel(this.#host, rt, names.fullName, bare)
            : new AuthorityModel(this.#host, rt, names.fullName, bare);
      cache.add(model);
      this.#host.releaseQueue.schedule(model);
      if (this.#log.tracing) this.#log.trace(() => `create ${kind} ${names.fullName}`);
    }
    cache.remember(input, model);
    return model;
  }

  #fragmentOf(uri: string): { attr: AttributeModel; compiled: CompiledFragment } {
    const found = this.#findScheme(uri);
    const names = found ? this.getNames(uri, { types: ['Attribute'] }) : null;
    if (names === null) throw this.#invalid(uri, 'Attribute');
    if (names.fragment === undefined || names.fragment === '') {
      throw new TkError(
        'UNKNOWN_FRAGMENT',
        `${JSON.stringify(uri)} has no fragment: append one such as #label or #rvalue.units`,
        {
          details: { input: uri },
        },
      );
    }
    const attr = this.attribute(uri);
    const key = `${attr.scheme}#${names.fragment}`;
    let compiled = this.#fragments.get(key);
    if (compiled === undefined) {
      const extra = this.#entries.get(attr.scheme)!;
      compiled = compileFragment(names.fragment, this.#backendOf(extra).fragments ?? {});
      if (this.#fragments.size > 1024) this.#fragments.clear();
      this.#fragments.set(key, compiled);
    }
    return { attr, compiled };
  }

  #backendOf(entry: SchemeEntry): SchemeBackend {
    if (entry.backend === undefined) {
      const scheme = entry.plugin.scheme;
      const context: SchemeContext = {
        clock: this.clock,
        log: entry.runtime.log,
        options: this.#options.schemeOptions?.[scheme] ?? {},
        subscribeAttribute: (name, onReading) => {
          const a = this.attribute(name);
          const sub = a.subscribe((r: Reading) => onReading(r, a.names));
          return { names: a.names, unsubscribe: () => sub.unsubscribe() };
        },
        readAttribute: (name, options) => this.attribute(name).read(options),
        isValidName: (name, options) => this.isValidName(name, options),
        getNames: (name) => this.getNames(name),
      };
      entry.backend = entry.plugin.createBackend(context);
      this.#log.debug(`created backend of scheme ${scheme}`);
    }
    return entry.backend;
  }
}

const NOTHING = Symbol('nothing');

function isMetadataOnly(key: string): boolean {
  return (
    key === 'name' || key === 'fullname' || key === 'normalname' || key === 'label' || key === 'description'
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
