/**
 * The contract between the model core and a scheme plugin. A scheme supplies
 * name validators and a backend; the backend opens sources for attributes and
 * pushes values, metadata and connection state into a sink. RxJS, caching,
 * replay, lifetimes, polling, fragments and errors-as-events all belong to
 * the core: a scheme only pushes values.
 *
 * @module
 */
import type { AttributeConfig } from '../core/config.js';
import type { ConnectionState, ElementType } from '../core/enums.js';
import type { FragmentGetter } from '../core/fragment-view.js';
import type { NameResolver } from '../core/name-resolver.js';
import type { Reading, ReadingInit } from '../core/reading.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import type { ModelNames, SchemeValidators, UriGroups } from '../validators/name-validator.js';

// The core's vocabulary the contract speaks in, defined below the schemes (src/core).
export type { AttributeConfig, Limits } from '../core/config.js';
export type { FragmentGetter, FragmentView } from '../core/fragment-view.js';
export type { NameResolver } from '../core/name-resolver.js';

/** What a source pushes into the core. Every method may be called at any time, from any callback. */
export interface AttributeSink {
  /** A new value. */
  reading(init: ReadingInit): void;
  /** Changed metadata (merged into the current configuration); emits a config event. */
  config(patch: Partial<AttributeConfig>): void;
  /** A failure: becomes an INVALID reading with this error and an error event; the stream goes on. */
  error(error: unknown): void;
  /** Connection state of the backend for this attribute. */
  connection(state: ConnectionState, error?: unknown): void;
}

/** Options passed to a source's `read`. */
export interface SourceReadOptions {
  /** Cancels the read. */
  readonly signal?: AbortSignal | undefined;
}

/** Options passed to a source's `write`. */
export interface SourceWriteOptions {
  /** Cancels the write (a write already sent may still have happened; the source says which in its error). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The backend side of one attribute. Created by {@link SchemeBackend.openAttribute}
 * when the attribute is first used, closed when it is released.
 */
export interface AttributeSource {
  /**
   * `push`: the source calls the sink on every change between `start()` and `stop()`.
   * `poll`: the core calls `read()` on the shared polling timer while there are subscribers.
   */
  readonly mode: 'push' | 'poll';
  /** Metadata known when the source is opened. */
  readonly config?: Partial<AttributeConfig> | undefined;
  /**
   * True when `config.type` describes the latest value rather than what the
   * attribute holds (an eval result is Integer when it is whole): a write is
   * then not refused for not being an integer.
   */
  readonly typeFollowsValue?: boolean | undefined;
  /**
   * True when the source reads the point's description from its backend at
   * every write, within the write's own time limit, and checks the value
   * against it with `coerceWriteValue` (as cii.oldb does). The core then
   * does not read an attribute it knows nothing about before writing it: that
   * read would have no write time limit, and would say nothing the source does
   * not learn again.
   */
  readonly describesOnWrite?: boolean | undefined;
  /** One fresh reading from the backend. Reject with a TkError to report a failure. */
  read(options: SourceReadOptions): Promise<ReadingInit>;
  /**
   * Writes a value; resolves when the backend acknowledged it, with the
   * resulting reading if known. The core has already converted and checked
   * `value` against the attribute's configuration (`coerceWriteValue`):
   * numbers come as a `Quantity` in `config.units`, booleans and texts as
   * such, arrays element by element; a scheme's own write request
   * (`WRITE_REQUEST`) comes unchanged. A source whose backend may describe the
   * point differently by now checks again with `coerceWriteValue`. Reject
   * with a `WriteError` when the write is refused.
   */
  write?(value: unknown, options: SourceWriteOptions): Promise<ReadingInit | undefined>;
  /** Push mode: start delivering to the sink (the first reading or error must follow). */
  start?(): void;
  /** Push mode: stop delivering. */
  stop?(): void;
  /** Releases every backend resource. Called once. */
  close(): void;
  /** Scheme-specific state for `manager.snapshot()` (e.g. an eval attribute's inputs). */
  describe?(): Record<string, unknown>;
}

/** What the core tells a backend about the attribute it opens. */
export interface AttributeTarget extends ModelNames {
  /** The named groups of the full name. */
  readonly groups: UriGroups;
}

/** Services the core gives a backend. */
export interface SchemeContext {
  /** The manager's clock. */
  readonly clock: Clock;
  /** The scheme's logger (`scheme.<name>`). */
  readonly log: Logger;
  /** Options given for this scheme in `createManager({ schemeOptions: { [scheme]: options } })`, checked against {@link SchemePlugin.options}. */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Subscribes to another attribute of the same manager (for schemes whose
   * attributes depend on others, like eval's references). Returns an unsubscribe function.
   */
  subscribeAttribute(
    name: string,
    onReading: (reading: Reading, source: ModelNames) => void,
  ): {
    /** Names of the subscribed attribute. */
    readonly names: ModelNames;
    /** Ends the subscription. */
    unsubscribe(): void;
  };
  /** Reads another attribute of the same manager once. */
  readAttribute(name: string, options?: { cache?: boolean; signal?: AbortSignal }): Promise<Reading>;
  /** Validates a name through the manager (any scheme). */
  isValidName(name: string, options?: { types?: readonly ElementType[]; strict?: boolean }): boolean;
  /** The names of any valid name through the manager (any scheme), or null. */
  getNames(name: string): ModelNames | null;
}

/** One child of a device or authority, with what it is (for tree browsers). */
export interface SchemeChild {
  /** The child's full name. */
  readonly fullName: string;
  /** Whether it has children of its own to browse (a device, an OLDB node). */
  readonly container: boolean;
  /** Whether it is an attribute to read (a data point). A name can be both (a loc device under another). */
  readonly attribute: boolean;
}

/** A scheme's backend for one manager. */
export interface SchemeBackend {
  /** Opens the backend side of an attribute. May throw a TkError (e.g. unknown evaluator). */
  openAttribute(target: AttributeTarget, sink: AttributeSink): AttributeSource;
  /** Lists the children of a device or authority, for schemes that can (e.g. an OLDB tree). */
  listChildren?(fullName: string, options?: { signal?: AbortSignal }): Promise<readonly string[]>;
  /**
   * The children with what each one is, for schemes that know (a tree shows a
   * data point as a leaf with its value and a container as a branch). Without
   * it, the core lists `listChildren` and judges each child by its name.
   */
  listChildEntries?(fullName: string, options?: { signal?: AbortSignal }): Promise<readonly SchemeChild[]>;
  /** Extra fragments this scheme adds (name → getter), merged into the standard table. */
  readonly fragments?: Readonly<Record<string, FragmentGetter>>;
  /** Connections and other live resources, for `manager.snapshot()`. */
  describe?(): Record<string, unknown>;
  /** Releases everything (on `manager.dispose()`). */
  dispose?(): Promise<void> | void;
}

/** The options a scheme takes; see {@link SchemePlugin.options}. */
export interface SchemeOptionsSpec {
  /** The option names; any other is an error naming it and these. */
  readonly keys: readonly string[];
  /**
   * Checks the values; throws a `CONFIG` TkError naming the option and what
   * would be valid. Called when the manager is created, so a mistake is an
   * error at once rather than at the scheme's first use.
   */
  check?(options: Readonly<Record<string, unknown>>): void;
}

/** A scheme plugin: one per kind of backend. */
export interface SchemePlugin {
  /** The scheme name (`eval`, `cii.oldb`, `loc`). */
  readonly scheme: string;
  /** Other names of the scheme (`evaluation`); they resolve to the same objects. */
  readonly aliases?: readonly string[];
  /**
   * The three name validators, or a function the manager calls once to build
   * them with itself as resolver (for grammars that embed other names).
   */
  readonly validators: SchemeValidators | ((resolver: NameResolver) => SchemeValidators);
  /** Default polling period in ms for poll-mode sources of this scheme. */
  readonly defaultPollingPeriod?: number;
  /**
   * The options this scheme takes in the manager's `schemeOptions[scheme]`
   * (its backend reads them as {@link SchemeContext.options}). The manager
   * refuses any other key, and runs `check`, when it is created. A plugin
   * without `options` takes none.
   */
  readonly options?: SchemeOptionsSpec;
  /** Creates the backend of this scheme for one manager. */
  createBackend(context: SchemeContext): SchemeBackend;
  /**
   * Alias schemes only (`res`): the URI that `name` (written with this
   * scheme) stands for, or undefined when it stands for nothing. The manager
   * then validates, names and creates the object of that URI, so the alias
   * and the URI give the same object (Taurus's resource scheme). `options`
   * are the manager's options for this scheme.
   */
  resolveAlias?(name: string, options: Readonly<Record<string, unknown>>): string | undefined;
}
