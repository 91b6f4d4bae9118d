/**
 * The embedded OLDB: an in-process store with the same semantics as the
 * Redis store (same path rules, type checks, change counter, tree of path
 * nodes and notifications, delivered asynchronously after the change like a
 * pub/sub message). Browser-safe: no Node built-ins.
 *
 * It is used when selected explicitly (`store: 'embedded'`, `TK_OLDB=embedded`)
 * and by the demo; it is never a fallback for an unreachable server.
 *
 * @module
 */

import { throwIfAborted } from '../errors/tk-error.js';
import { getLogger } from '../log/logger.js';
import { type Clock, systemClock } from '../util/clock.js';
import { declarationConflict, NotDeclaredError, storeClosed, typeChanged } from './errors.js';
import type { RawNotification } from './notification.js';
import { assertNodePath, assertPath, childPath, lastSegment, parentPath, pathSegments } from './path.js';
import type {
  OldbCallOptions,
  OldbChild,
  OldbConnectionEvent,
  OldbConnectionState,
  OldbDeclaration,
  OldbEvent,
  OldbIfExists,
  OldbMetadata,
  OldbSnapshot,
  OldbStore,
  OldbSubscription,
  OldbWrite,
  OldbWriteResult,
} from './types.js';
import {
  checkMetadata,
  checkQuality,
  checkTimestamp,
  checkType,
  checkValue,
  mergeMetadata,
  sortMetadata,
  zeroValue,
} from './values.js';
import { WatchRegistry } from './watch-registry.js';

/** Options of {@link createEmbeddedStore}. */
export interface EmbeddedStoreOptions {
  /** Where default timestamps come from (the system clock by default). */
  readonly clock?: Clock | undefined;
}

function freezeValue<T>(v: T): T {
  return Array.isArray(v) ? (Object.freeze([...v]) as T) : v;
}

class EmbeddedOldbStore implements OldbStore {
  readonly kind = 'embedded' as const;
  readonly description = 'embedded';
  readonly #clock: Clock;
  readonly #points = new Map<string, OldbSnapshot>();
  readonly #tree = new Map<string, Map<string, 'node' | 'datapoint'>>();
  readonly #log = getLogger('oldb.embedded');
  readonly #watches = new WatchRegistry(this.#log, (path, token) =>
    queueMicrotask(() => this.#watches.completeSync(path, this.#points.get(path), token)),
  );
  readonly #connectionListeners = new Set<(e: OldbConnectionEvent) => void>();
  #seq = 0;
  #closed = false;

  constructor(options: EmbeddedStoreOptions) {
    this.#clock = options.clock ?? systemClock;
  }

  get connectionState(): OldbConnectionState {
    return this.#closed ? 'closed' : 'connected';
  }

  #check(op: string, options?: OldbCallOptions): void {
    if (this.#closed) throw storeClosed(this.description, op);
    throwIfAborted(options?.signal, `OLDB ${op}`);
  }

  #publish(path: string, n: RawNotification): void {
    if (!this.#watches.has(path)) return;
    queueMicrotask(() => this.#watches.notify(path, n));
  }

  async declare(
    path: string,
    declaration: OldbDeclaration,
    options: OldbCallOptions & { readonly ifExists?: OldbIfExists | undefined } = {},
  ): Promise<OldbSnapshot> {
    this.#check(`declare ${path}`, options);
    assertPath(path);
    const type = checkType(path, declaration.type);
    const metadata = sortMetadata(checkMetadata(path, declaration.metadata));
    const ifExists = options.ifExists ?? 'error';
    const given = declaration.value !== undefined;
    const value = freezeValue(checkValue(path, type, given ? declaration.value : zeroValue(type)));
    const timestamp = checkTimestamp(path, declaration.timestamp ?? this.#clock.now());
    const quality = checkQuality(path, declaration.quality ?? 'OK');
    const existing = this.#points.get(path);
    if (existing !== undefined) {
      if (existing.type !== type) throw typeChanged(path, existing.type, type);
      if (ifExists === 'error') throw declarationConflict(path, 'it is declared already');
      if (ifExists === 'keep') return existing;
    } else {
      if (this.#tree.has(path)) throw declarationConflict(path, 'it is a path node with children');
      const segs = pathSegments(path);
      let node = '';
      for (let i = 0; i < segs.length - 1; i++) {
        node += `/${segs[i]}`;
        if (this.#points.has(node)) throw declarationConflict(path, `its ancestor ${node} is a datapoint`);
      }
    }
    const seq = ++this.#seq;
    const snap: OldbSnapshot =
      existing !== undefined && !given
        ? { ...existing, metadata, seq }
        : { path, type, value, timestamp, quality, metadata, seq };
    this.#points.set(path, snap);
    if (existing === undefined) this.#link(path);
    this.#log.trace('declare', { path, type, seq });
    this.#publish(path, {
      k: 'd',
      s: seq,
      type,
      t: snap.timestamp,
      q: snap.quality,
      v: snap.value,
      m: snap.metadata,
    });
    return snap;
  }

  #link(path: string): void {
    let child = path;
    let kind: 'node' | 'datapoint' = 'datapoint';
    for (;;) {
      const parent = parentPath(child);
      let set = this.#tree.get(parent);
      if (set === undefined) this.#tree.set(parent, (set = new Map()));
      const had = set.has(lastSegment(child));
      set.set(lastSegment(child), kind);
      if (had || parent === '/') return;
      child = parent;
      kind = 'node';
    }
  }

  #unlink(path: string): void {
    let child = path;
    for (;;) {
      const parent = parentPath(child);
      const set = this.#tree.get(parent);
      if (set === undefined) return;
      set.delete(lastSegment(child));
      if (set.size > 0) return;
      this.#tree.delete(parent);
      if (parent === '/') return;
      child = parent;
    }
  }

  async read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot> {
    this.#check(`read ${path}`, options);
    assertPath(path);
    const s = this.#points.get(path);
    if (s === undefined) throw new NotDeclaredError(path);
    return s;
  }

  async readMany(paths: readonly string[], options?: OldbCallOptions): Promise<(OldbSnapshot | undefined)[]> {
    this.#check('read datapoints', options);
    for (const p of paths) assertPath(p);
    return paths.map((p) => this.#points.get(p));
  }

  async write(path: string, write: OldbWrite, options?: OldbCallOptions): Promise<OldbWriteResult> {
    this.#check(`write ${path}`, options);
    assertPath(path);
    const cur = this.#points.get(path);
    if (cur === undefined) throw new NotDeclaredError(path);
    const value = freezeValue(checkValue(path, cur.type, write.value));
    const timestamp = checkTimestamp(path, write.timestamp ?? this.#clock.now());
    const quality = checkQuality(path, write.quality ?? 'OK');
    const seq = ++this.#seq;
    const snap: OldbSnapshot = { ...cur, value, timestamp, quality, seq };
    this.#points.set(path, snap);
    this.#log.trace('write', { path, seq });
    this.#publish(path, { k: 'v', s: seq, t: timestamp, q: quality, v: value });
    return { path, type: cur.type, value, timestamp, quality, seq };
  }

  async updateMetadata(path: string, patch: OldbMetadata, options?: OldbCallOptions): Promise<OldbMetadata> {
    this.#check(`update the metadata of ${path}`, options);
    assertPath(path);
    const checked = checkMetadata(path, patch);
    const cur = this.#points.get(path);
    if (cur === undefined) throw new NotDeclaredError(path);
    const metadata = mergeMetadata(cur.metadata, checked);
    const seq = ++this.#seq;
    this.#points.set(path, { ...cur, metadata, seq });
    this.#log.trace('metadata', { path, seq });
    this.#publish(path, { k: 'm', s: seq, m: metadata });
    return metadata;
  }

  async remove(path: string, options?: OldbCallOptions): Promise<boolean> {
    this.#check(`remove ${path}`, options);
    assertPath(path);
    if (!this.#points.delete(path)) return false;
    this.#unlink(path);
    const seq = ++this.#seq;
    this.#log.trace('remove', { path, seq });
    this.#publish(path, { k: 'x', s: seq });
    return true;
  }

  async listChildren(path: string, options?: OldbCallOptions): Promise<OldbChild[]> {
    this.#check(`list the children of ${path}`, options);
    assertNodePath(path);
    const set = this.#tree.get(path);
    if (set === undefined) return [];
    return [...set]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, kind]) => ({ name, kind, path: childPath(path, name) }));
  }

  subscribe(path: string, listener: (event: OldbEvent) => void): OldbSubscription {
    if (this.#closed) throw storeClosed(this.description, `watch ${path}`);
    assertPath(path);
    const { first, remove } = this.#watches.watch(path, listener);
    if (first) {
      const token = this.#watches.beginSync(path);
      queueMicrotask(() => this.#watches.completeSync(path, this.#points.get(path), token));
    }
    return { unsubscribe: () => void remove() };
  }

  onConnection(listener: (event: OldbConnectionEvent) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => void this.#connectionListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watches.clear();
    for (const l of [...this.#connectionListeners]) {
      try {
        l({ state: 'closed' });
      } catch {
        // a listener's failure is its own
      }
    }
    this.#connectionListeners.clear();
  }
}

/** Creates an embedded in-process OLDB store. */
export function createEmbeddedStore(options: EmbeddedStoreOptions = {}): OldbStore {
  return new EmbeddedOldbStore(options);
}

const SHARED_KEY = Symbol.for('tk-core.oldb.sharedEmbeddedStore');

/**
 * The process-wide embedded store, created on first use and kept on
 * `globalThis` (so two copies of tk-core share it): what `store: 'embedded'`
 * and `TK_OLDB=embedded` select, and where the demo's producer writes.
 */
export function sharedEmbeddedStore(): OldbStore {
  const g = globalThis as unknown as Record<symbol, OldbStore | undefined>;
  let s = g[SHARED_KEY];
  if (s === undefined || s.connectionState === 'closed') g[SHARED_KEY] = s = createEmbeddedStore();
  return s;
}
