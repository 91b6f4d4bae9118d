/**
 * Backends loaded on first use: a scheme whose backend module is heavy (the
 * eval evaluator with mathjs, the OLDB stores) gives the manager a stand-in
 * backend that imports the real one dynamically the first time an attribute
 * is opened, so a bundler splits it out and a page that never uses the
 * scheme never downloads it. Until the module has arrived, each source is a
 * stand-in with the mode the real one will have; its reads and writes wait
 * for the module and its start is replayed. Once the module is loaded (or
 * provided at start by an entry that imports it anyway), sources are opened
 * directly, exactly as without this layer. Browser-safe.
 *
 * @module
 */
import { TkError, WriteError } from '../errors/tk-error.js';
import type {
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  SchemeBackend,
  SourceReadOptions,
  SourceWriteOptions,
} from './contract.js';

/** A module loaded once, on first use, or provided before. */
export interface LazyModule<T> {
  /** The module's value when it is here. */
  readonly loaded: T | undefined;
  /** Loads it (once); rejects with a `CONFIG` TkError naming `what` when it cannot be loaded. */
  load(): Promise<T>;
  /** Makes it available at once (for entries that import it anyway). */
  provide(value: T): void;
}

/** A {@link LazyModule} whose value `importer` loads (a dynamic `import()` the bundler splits out). */
export function lazyModule<T>(what: string, importer: () => Promise<T>): LazyModule<T> {
  let value: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    get loaded() {
      return value;
    },
    load() {
      if (value !== undefined) return Promise.resolve(value);
      loading ??= importer().then(
        (v) => (value ??= v),
        (err: unknown) => {
          loading = undefined;
          throw new TkError('CONFIG', `${what} could not be loaded: ${(err as Error).message}`, {
            cause: err,
          });
        },
      );
      return loading;
    },
    provide(v) {
      value ??= v;
    },
  };
}

/**
 * A backend that creates the real one with `create` once `module` is here,
 * and stands in for it until then. `modeOf` tells each source's mode from
 * its full name alone (it must agree with the real backend's); `lists`:
 * the real backend lists children (the stand-in then offers the listings,
 * which wait for it).
 */
export function createDeferredBackend<T>(
  module: LazyModule<T>,
  create: (m: T) => SchemeBackend,
  modeOf: (fullName: string) => 'push' | 'poll',
  options: { readonly lists?: boolean } = {},
): SchemeBackend {
  let real: SchemeBackend | undefined;
  let disposed = false;
  const now = (): SchemeBackend | undefined => {
    if (real === undefined && module.loaded !== undefined && !disposed) real = create(module.loaded);
    return real;
  };
  let pending: Promise<SchemeBackend> | undefined;
  const later = (): Promise<SchemeBackend> =>
    (pending ??= module.load().then(() => {
      const b = now();
      if (b === undefined) throw new TkError('DISPOSED', 'The backend was disposed before it loaded');
      return b;
    }));
  const backend: SchemeBackend = {
    openAttribute(target, sink) {
      const b = now();
      if (b !== undefined) return b.openAttribute(target, sink);
      return new DeferredSource(later(), target, sink, modeOf(target.fullName));
    },
    describe() {
      return now()?.describe?.() ?? { backend: 'not loaded yet' };
    },
    dispose() {
      disposed = true;
      return real?.dispose?.();
    },
  };
  if (options.lists !== true) return backend;
  return {
    ...backend,
    async listChildren(fullName, options) {
      const b = await later();
      if (b.listChildren === undefined) throw new TkError('NOT_FOUND', `${fullName} has no children to list`);
      return b.listChildren(fullName, options);
    },
    async listChildEntries(fullName, options) {
      const b = await later();
      if (b.listChildEntries !== undefined) return b.listChildEntries(fullName, options);
      if (b.listChildren === undefined) throw new TkError('NOT_FOUND', `${fullName} has no children to list`);
      const names = await b.listChildren(fullName, options);
      return names.map((n) => ({ fullName: n, container: true, attribute: true }));
    },
  };
}

/** An attribute's source while its backend is on its way. */
class DeferredSource implements AttributeSource {
  readonly mode: 'push' | 'poll';
  readonly #ready: Promise<AttributeSource>;
  #real: AttributeSource | undefined;
  #started = false;
  #closed = false;

  constructor(
    backend: Promise<SchemeBackend>,
    target: AttributeTarget,
    sink: AttributeSink,
    mode: 'push' | 'poll',
  ) {
    this.mode = mode;
    this.#ready = backend.then((b) => {
      if (this.#closed)
        throw new TkError('DISPOSED', `${target.fullName} was released before its backend loaded`);
      const s = b.openAttribute(target, sink);
      this.#real = s;
      if (s.config !== undefined) sink.config({ writable: s.write !== undefined, ...s.config });
      else if (s.write === undefined) sink.config({ writable: false });
      if (this.#started) s.start?.();
      return s;
    });
    this.#ready.catch((err: unknown) => {
      if (this.#started && !this.#closed) sink.error(err);
    });
  }

  get typeFollowsValue(): boolean | undefined {
    return this.#real?.typeFollowsValue;
  }

  get describesOnWrite(): boolean | undefined {
    return this.#real?.describesOnWrite;
  }

  async read(options: SourceReadOptions) {
    return (await this.#ready).read(options);
  }

  async write(value: unknown, options: SourceWriteOptions) {
    const s = await this.#ready;
    if (s.write === undefined) throw new WriteError('NOT_WRITABLE', 'The attribute is read-only');
    return s.write(value, options);
  }

  start(): void {
    this.#started = true;
    this.#real?.start?.();
  }

  stop(): void {
    this.#started = false;
    this.#real?.stop?.();
  }

  close(): void {
    this.#closed = true;
    this.#real?.close();
  }

  describe(): Record<string, unknown> {
    return this.#real?.describe?.() ?? { backend: 'loading' };
  }
}
