/**
 * Opening the store a resolved `cii.oldb` target names: the one way the
 * scheme's backend and `tk oldb` get their default OLDB (after
 * `resolveOldbOptions` decided which it is).
 *
 * @module
 */
import { sharedEmbeddedStore } from '../../oldb-store/embedded-store.js';
import { createRedisStore, type RedisStoreOptions } from '../../oldb-store/redis-store.js';
import type { OldbStore } from '../../oldb-store/types.js';
import type { ResolvedOldbTarget } from './options.js';

/** A store opened by {@link openOldbStore}, and whether the caller owns it (closes it when done). */
export interface OpenedOldbStore {
  /** The store. */
  readonly store: OldbStore;
  /** True for a Redis store opened here; false for a given store or the shared embedded one. */
  readonly owned: boolean;
}

/**
 * The store of `target`: the store given, the shared embedded store, or a
 * new Redis store on the target's URL with `redis` options (prefix,
 * durability, time limit, clock).
 */
export function openOldbStore(
  target: ResolvedOldbTarget,
  redis: Omit<RedisStoreOptions, 'url' | 'cluster'> = {},
): OpenedOldbStore {
  if (target.kind === 'store') return { store: target.store, owned: false };
  if (target.kind === 'embedded') return { store: sharedEmbeddedStore(), owned: false };
  return { store: createRedisStore({ ...redis, url: target.url }), owned: true };
}
