/**
 * Configuration of the `cii.oldb` scheme: where the default OLDB is.
 *
 * Precedence: the manager's `schemeOptions['cii.oldb']`, then the options
 * given to {@link createOldbScheme}, then the environment (`TK_OLDB=embedded`
 * or `TK_OLDB_URL=redis://...`), then `redis://127.0.0.1:6379`. An
 * unreachable server is reported as such, never replaced by the embedded store.
 *
 * @module
 */

import { closestChoice } from '../../errors/closest-choice.js';
import { describeValue, quoteInput } from '../../errors/quote.js';
import { TkError } from '../../errors/tk-error.js';
import {
  clusterUrl,
  DEFAULT_REDIS_URL,
  parseRedisUrl,
  type RedisHostPort,
  redactCredentials,
} from '../../oldb-store/redis-url.js';
import type { OldbDurability, OldbStore } from '../../oldb-store/types.js';

/** Options of the `cii.oldb` scheme. */
export interface OldbSchemeOptions {
  /**
   * URL of the default OLDB server, `redis://[user:password@]host[:port][/db]`; a Redis
   * Cluster `redis+cluster://h1:p1,h2:p2`; a master managed by Sentinel
   * `redis+sentinel://s1:p1,s2:p2/mastername[/db]`.
   */
  readonly url?: string | undefined;
  /** The nodes of a Redis Cluster as the default OLDB (`'host:port'` or `{ host, port }`; any of its nodes), instead of `url`. */
  readonly cluster?: readonly (string | RedisHostPort)[] | undefined;
  /** A store to use as the default OLDB, or `'embedded'` for the process-wide embedded store. */
  readonly store?: OldbStore | 'embedded' | undefined;
  /** Time limit of a write in ms, including waiting for an unreachable server; 3000 by default. */
  readonly writeTimeout?: number | undefined;
  /** Key and channel prefix in Redis; `oldb:` by default. */
  readonly prefix?: string | undefined;
  /** What a write's acknowledgement promises on the Redis stores the scheme opens: `acknowledged` (default) or `replicated` (see docs/oldb.md). */
  readonly durability?: OldbDurability | undefined;
}

/** Where the default OLDB is, resolved. */
export type ResolvedOldbTarget =
  | { readonly kind: 'store'; readonly store: OldbStore; readonly source: string }
  | { readonly kind: 'embedded'; readonly source: string }
  | { readonly kind: 'redis'; readonly url: string; readonly source: string };

/** Resolved options. */
export interface ResolvedOldbOptions {
  readonly target: ResolvedOldbTarget;
  readonly writeTimeout: number;
  readonly prefix: string | undefined;
  readonly durability: OldbDurability | undefined;
}

function env(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

function configError(message: string): TkError {
  return new TkError('CONFIG', message);
}

/** The options of the `cii.oldb` scheme (the keys of {@link OldbSchemeOptions}). */
export const OLDB_OPTION_KEYS = ['url', 'cluster', 'store', 'writeTimeout', 'prefix', 'durability'] as const;

/**
 * Checks options of the `cii.oldb` scheme without resolving them (no
 * environment, no connection): every key known, every value of the right
 * kind. Throws a `CONFIG` {@link TkError} naming the option. The manager runs
 * it when it is created, so a mistake is an error at once.
 */
export function checkOldbOptions(
  options: Readonly<Record<string, unknown>>,
  where = 'cii.oldb option',
): void {
  const known: readonly string[] = OLDB_OPTION_KEYS;
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      const near = closestChoice(k, known);
      throw configError(
        `Unknown ${where} ${quoteInput(k, 40)}${near === undefined ? '' : ` (did you mean "${near}"?)`}: the options are ${known.join(', ')}`,
      );
    }
  }
  const o = options as OldbSchemeOptions;
  if (o.writeTimeout !== undefined) {
    const t = o.writeTimeout;
    if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t)) {
      throw configError(
        `Invalid ${where} writeTimeout ${describeValue(t)}: expected a positive number of ms`,
      );
    }
  }
  if (o.url !== undefined) {
    if (typeof o.url !== 'string') throw configError(`Invalid ${where} url: expected a redis:// URL string`);
    parseRedisUrl(o.url); // throws a CONFIG error naming what is wrong (without credentials)
  }
  if (o.cluster !== undefined) {
    const bad = `Invalid ${where} cluster: expected a non-empty list of nodes, 'host:port' or { host, port }`;
    if (!Array.isArray(o.cluster) || o.cluster.length === 0) throw configError(bad);
    for (const n of o.cluster as unknown[]) {
      const ok =
        typeof n === 'string' ||
        (typeof n === 'object' &&
          n !== null &&
          typeof (n as RedisHostPort).host === 'string' &&
          Number.isInteger((n as RedisHostPort).port));
      if (!ok) throw configError(`${bad}, not ${describeValue(n)}`);
    }
    parseRedisUrl(clusterUrl(o.cluster)); // names a node that is not host:port
    if (o.url !== undefined || o.store !== undefined) {
      throw configError(
        `The ${where}s cluster and ${o.url !== undefined ? 'url' : 'store'} are both given: give one of them`,
      );
    }
  }
  if (o.durability !== undefined && o.durability !== 'acknowledged' && o.durability !== 'replicated') {
    throw configError(
      `Invalid ${where} durability ${describeValue(o.durability)}: expected 'acknowledged' or 'replicated'`,
    );
  }
  if (o.prefix !== undefined && typeof o.prefix !== 'string') {
    throw configError(`Invalid ${where} prefix: expected a string such as "oldb:"`);
  }
  if (o.store !== undefined && o.store !== 'embedded') {
    if (typeof o.store !== 'object' || o.store === null || typeof o.store.subscribe !== 'function') {
      throw configError(`Invalid ${where} store: expected an OldbStore or 'embedded'`);
    }
  }
  if (o.url !== undefined && o.store !== undefined) {
    throw configError(
      `The ${where}s url (${redactCredentials(o.url)}) and store are both given: give one of them`,
    );
  }
}

/** Checks and merges the options (context options win over plugin options), then the environment. */
export function resolveOldbOptions(
  pluginOptions: OldbSchemeOptions,
  contextOptions: Readonly<Record<string, unknown>>,
): ResolvedOldbOptions {
  checkOldbOptions(contextOptions);
  const o = { ...pluginOptions, ...(contextOptions as OldbSchemeOptions) };
  checkOldbOptions(o as Record<string, unknown>);
  const writeTimeout = o.writeTimeout ?? 3000;
  let target: ResolvedOldbTarget;
  if (o.store === 'embedded') target = { kind: 'embedded', source: 'options.store' };
  else if (o.store !== undefined) {
    target = { kind: 'store', store: o.store, source: 'options.store' };
  } else if (o.url !== undefined) target = { kind: 'redis', url: o.url, source: 'options.url' };
  else if (o.cluster !== undefined) {
    target = { kind: 'redis', url: clusterUrl(o.cluster), source: 'options.cluster' };
  } else {
    const e = env();
    const mode = e.TK_OLDB;
    if (mode !== undefined && mode !== '' && mode !== 'embedded' && mode !== 'redis') {
      throw configError(`Invalid TK_OLDB=${JSON.stringify(mode)}: expected "embedded" or "redis"`);
    }
    if (mode === 'embedded') target = { kind: 'embedded', source: 'TK_OLDB' };
    else if (e.TK_OLDB_URL) {
      parseRedisUrl(e.TK_OLDB_URL); // a CONFIG error naming what is wrong, as for options.url
      target = { kind: 'redis', url: e.TK_OLDB_URL, source: 'TK_OLDB_URL' };
    } else target = { kind: 'redis', url: DEFAULT_REDIS_URL, source: 'default' };
  }
  return { target, writeTimeout, prefix: o.prefix, durability: o.durability };
}
