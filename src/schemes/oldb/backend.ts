/**
 * The `cii.oldb` backend of one manager: the stores (one per server, shared
 * by every attribute of that server), attribute sources and device listing.
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';
import { sharedEmbeddedStore } from '../../oldb/embedded-store.js';
import { createRedisStore, type RedisOldbStore } from '../../oldb/redis-store.js';
import { parseRedisUrl } from '../../oldb/redis-url.js';
import type { OldbStore } from '../../oldb/types.js';
import type { SchemeValidators } from '../../validators/name-validator.js';
import type {
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  SchemeBackend,
  SchemeChild,
  SchemeContext,
} from '../contract.js';
import { fullAuthority, type OldbServerRef, parseFullName, serverOf } from './names.js';
import { type OldbSchemeOptions, type ResolvedOldbOptions, resolveOldbOptions } from './options.js';
import { OldbAttributeSource } from './source.js';

interface StoreEntry {
  readonly store: OldbStore;
  /** Whether this backend created it (and closes it on dispose). */
  readonly owned: boolean;
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
  const defaultHostPort = target.kind === 'redis' ? parseRedisUrl(target.url).hostPort : undefined;

  function defaultStore(): StoreEntry {
    if (defaultEntry === undefined) {
      if (target.kind === 'store') defaultEntry = { store: target.store, owned: false };
      else if (target.kind === 'embedded') defaultEntry = { store: sharedEmbeddedStore(), owned: false };
      else {
        defaultEntry = {
          store: createRedisStore({ url: target.url, prefix: options.prefix, clock: context.clock }),
          owned: true,
        };
      }
      log.debug('default OLDB', { store: defaultEntry.store.description, from: target.source });
    }
    return defaultEntry;
  }

  function storeFor(server: OldbServerRef): OldbStore {
    if (disposed) throw new TkError('DISPOSED', 'The cii.oldb backend of this manager is disposed');
    if (server.host === undefined) return defaultStore().store;
    const hostPort = fullAuthority(server).slice(2);
    if (hostPort === defaultHostPort) return defaultStore().store;
    let e = stores.get(hostPort);
    if (e === undefined) {
      e = {
        store: createRedisStore({ url: `redis://${hostPort}`, prefix: options.prefix, clock: context.clock }),
        owned: true,
      };
      stores.set(hostPort, e);
      log.debug('OLDB server', { store: e.store.description });
    }
    return e.store;
  }

  function resolve(fullName: string): { store: OldbStore; path: string; authority: string } {
    const ref = parseFullName(fullName, validators);
    if (ref === null) {
      throw new TkError('INVALID_NAME', `Not a cii.oldb name: ${JSON.stringify(fullName)}`, {
        details: { input: fullName },
      });
    }
    return { store: storeFor(ref), path: ref.path, authority: fullAuthority(ref) };
  }

  async function childEntries(fullName: string, opts?: { signal?: AbortSignal }): Promise<SchemeChild[]> {
    const { store, path, authority } = resolve(fullName);
    const children = await store.listChildren(path, { signal: opts?.signal });
    return children
      .filter((c) => c.path === '/root' || c.path.startsWith('/root/'))
      .map((c) => ({
        fullName: `cii.oldb:${authority}${c.path}`,
        container: c.kind === 'node',
        attribute: c.kind === 'datapoint',
      }));
  }

  return {
    openAttribute(t: AttributeTarget, sink: AttributeSink): AttributeSource {
      // the core parsed the name already: its groups say the server and the path (no second regex match)
      const g = t.groups;
      const { store, path } =
        g.devname !== undefined && g.attrname !== undefined
          ? { store: storeFor(serverOf(g)), path: `${g.devname}/${g.attrname}` }
          : resolve(t.fullName);
      log.trace('open', { name: t.fullName, store: store.description });
      return new OldbAttributeSource({
        store,
        path,
        simpleName: t.simpleName,
        sink,
        clock: context.clock,
        log,
        writeTimeout: options.writeTimeout,
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
