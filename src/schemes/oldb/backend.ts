/**
 * The `cii.oldb` backend of one manager: the stores (one per server, shared
 * by every attribute of that server), attribute sources and device listing.
 *
 * A store this backend created is counted in users: each open attribute
 * source and each listing in flight. When the last one goes (a source is
 * closed when its attribute was released, after the manager's grace period)
 * the store is closed and forgotten; the next name of that server opens a
 * new one. So servers named once in a URI (`cii.oldb://h:6390/...`) do not
 * keep connections, reconnection attempts and memory for the manager's life.
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';
import { isValidPath } from '../../oldb-store/path.js';
import { createRedisStore, type RedisOldbStore } from '../../oldb-store/redis-store.js';
import { parseRedisUrl } from '../../oldb-store/redis-url.js';
import type { OldbStore } from '../../oldb-store/types.js';
import type { SchemeValidators } from '../../validators/name-validator.js';
import type {
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  SchemeBackend,
  SchemeChild,
  SchemeContext,
} from '../contract.js';
import {
  fullAuthority,
  type OldbServerRef,
  parseCanonicalAttributeName,
  parseFullName,
} from './names/validators.js';
import { openOldbStore } from './open-store.js';
import { type OldbSchemeOptions, type ResolvedOldbOptions, resolveOldbOptions } from './options.js';
import { OldbAttributeSource } from './source.js';

interface StoreEntry {
  readonly store: OldbStore;
  /** Whether this backend created it (and closes it after its last user, or on dispose). */
  readonly owned: boolean;
  /** Open attribute sources and listings in flight using it. */
  users: number;
  /** The key of the entry in the map of stores; undefined for the default store. */
  readonly hostPort: string | undefined;
}

/** Creates the `cii.oldb` backend for one manager. */
export function createOldbBackend(
  context: SchemeContext,
  pluginOptions: OldbSchemeOptions,
  validators: SchemeValidators,
): SchemeBackend {
  const options: ResolvedOldbOptions = resolveOldbOptions(pluginOptions, context.options);
  const log = context.log;
  const stores = new Map<string, StoreEntry>();
  let defaultEntry: StoreEntry | undefined;
  let disposed = false;
  const target = options.target;
  // the default server's host:port as names spell it; for a cluster, each of its seed nodes (a name of
  // one of them means the cluster); a Sentinel URL names sentinels, never the data server
  const defaultHostPorts = new Set<string>();
  if (target.kind === 'redis') {
    const server = parseRedisUrl(target.url);
    const t = server.topology;
    if (t.kind === 'server') defaultHostPorts.add(server.hostPort);
    else if (t.kind === 'cluster') {
      for (const n of t.nodes)
        defaultHostPorts.add(`${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`);
    }
  }

  function defaultStore(): StoreEntry {
    if (defaultEntry === undefined) {
      const opened = openOldbStore(target, {
        prefix: options.prefix,
        durability: options.durability,
        clock: context.clock,
      });
      defaultEntry = { ...opened, users: 0, hostPort: undefined };
      log.debug('default OLDB', { store: defaultEntry.store.description, from: target.source });
    }
    return defaultEntry;
  }

  /** The store of `server`, counted as used once more: {@link release} it. */
  function acquire(server: OldbServerRef): StoreEntry {
    if (disposed) throw new TkError('DISPOSED', 'The cii.oldb backend of this manager is disposed');
    const hostPort = server.host === undefined ? undefined : fullAuthority(server).slice(2);
    let e: StoreEntry | undefined;
    if (hostPort === undefined || defaultHostPorts.has(hostPort)) e = defaultStore();
    else {
      e = stores.get(hostPort);
      if (e === undefined) {
        e = {
          store: createRedisStore({
            url: `redis://${hostPort}`,
            prefix: options.prefix,
            durability: options.durability,
            clock: context.clock,
          }),
          owned: true,
          users: 0,
          hostPort,
        };
        stores.set(hostPort, e);
        log.debug('OLDB server', { store: e.store.description });
      }
    }
    e.users++;
    return e;
  }

  /** One user of `e` less; the last one of a store this backend created closes it. */
  function release(e: StoreEntry): void {
    if (--e.users > 0 || !e.owned || disposed) return;
    if (e.hostPort === undefined) {
      if (defaultEntry === e) defaultEntry = undefined;
    } else if (stores.get(e.hostPort) === e) stores.delete(e.hostPort);
    log.debug('OLDB server released', { store: e.store.description });
    e.store.close().catch((err: unknown) => log.error('closing an OLDB store failed', { error: err }));
  }

  function resolve(fullName: string): { entry: StoreEntry; path: string; authority: string } {
    const ref = parseFullName(fullName, validators);
    if (ref === null) {
      throw new TkError('INVALID_NAME', `Not a cii.oldb name: ${JSON.stringify(fullName)}`, {
        details: { input: fullName },
      });
    }
    return { entry: acquire(ref), path: ref.path, authority: fullAuthority(ref) };
  }

  async function childEntries(fullName: string, opts?: { signal?: AbortSignal }): Promise<SchemeChild[]> {
    const { entry, path, authority } = resolve(fullName);
    let children: Awaited<ReturnType<OldbStore['listChildren']>>;
    try {
      children = await entry.store.listChildren(path, { signal: opts?.signal });
    } finally {
      release(entry);
    }
    // every node is a device; a datapoint directly under "/" (another client's) has no device, so no name
    return children
      .filter((c) => c.kind === 'node' || isValidPath(c.path))
      .map((c) => ({
        fullName: `cii.oldb:${authority}${c.path}`,
        container: c.kind === 'node',
        attribute: c.kind === 'datapoint',
      }));
  }

  return {
    openAttribute(t: AttributeTarget, sink: AttributeSink): AttributeSource {
      // the full name is canonical: its server and path are read off it, with no match of the name
      const ref = parseCanonicalAttributeName(t.fullName);
      const { entry, path } =
        ref !== undefined ? { entry: acquire(ref), path: ref.path } : resolve(t.fullName);
      log.trace('open', { name: t.fullName, store: entry.store.description });
      return new OldbAttributeSource({
        store: entry.store,
        path,
        simpleName: t.simpleName,
        sink,
        clock: context.clock,
        log,
        writeTimeout: options.writeTimeout,
        onClose: () => release(entry),
      });
    },

    async listChildren(fullName: string, opts?: { signal?: AbortSignal }): Promise<readonly string[]> {
      return (await childEntries(fullName, opts)).map((c) => c.fullName);
    },

    listChildEntries: childEntries,

    describe(): Record<string, unknown> {
      const all = [...(defaultEntry ? [defaultEntry] : []), ...stores.values()];
      return {
        default: target.kind === 'redis' ? parseRedisUrl(target.url).display : target.kind,
        configuredBy: target.source,
        servers: all.map((e) =>
          e.store.kind === 'redis'
            ? (e.store as RedisOldbStore).stats()
            : { server: e.store.description, state: e.store.connectionState },
        ),
      };
    },

    async dispose(): Promise<void> {
      disposed = true;
      const owned = [
        ...(defaultEntry?.owned ? [defaultEntry] : []),
        ...[...stores.values()].filter((e) => e.owned),
      ];
      stores.clear();
      defaultEntry = undefined;
      await Promise.all(owned.map((e) => e.store.close()));
    },
  };
}
