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
import { TkError } from '../../errors/tk-error.js';
import { DEFAULT_REDIS_URL, redactCredentials } from '../../oldb/redis-url.js';
import type { OldbStore } from '../../oldb/types.js';

/** Options of the `cii.oldb` scheme. */
export interface OldbSchemeOptions {
  /** URL of the default OLDB server, `redis://[user:password@]host[:port][/db]`. */
  readonly url?: string | undefined;
  /** A store to use as the default OLDB, or `'embedded'` for the process-wide embedded store. */
  readonly store?: OldbStore | 'embedded' | undefined;
  /** Time limit of a write in ms, including waiting for an unreachable server; 3000 by default. */
  readonly writeTimeout?: number | undefined;
  /** Key and channel prefix in Redis; `oldb:` by default. */
  readonly prefix?: string | undefined;
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
}

function env(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

function configError(message: string): TkError {
  return new TkError('CONFIG', message);
}

/** Checks and merges the options (context options win over plugin options), then the environment. */
export function resolveOldbOptions(
  pluginOptions: OldbSchemeOptions,
  contextOptions: Readonly<Record<string, unknown>>,
): ResolvedOldbOptions {
  const known = ['url', 'store', 'writeTimeout', 'prefix'];
  for (const k of Object.keys(contextOptions)) {
    if (!known.includes(k)) {
      throw configError(`Unknown cii.oldb option "${k}": the options are ${known.join(', ')}`);
    }
  }
  const o = { ...pluginOptions, ...(contextOptions as OldbSchemeOptions) };
  const writeTimeout = o.writeTimeout ?? 3000;
  if (typeof writeTimeout !== 'number' || !(writeTimeout > 0) || !Number.isFinite(writeTimeout)) {
    throw configError(
      `Invalid cii.oldb option writeTimeout ${String(writeTimeout)}: expected a positive number of ms`,
    );
  }
  if (o.url !== undefined && typeof o.url !== 'string') {
    throw configError('Invalid cii.oldb option url: expected a redis:// URL string');
  }
  if (o.url !== undefined && o.store !== undefined) {
    throw configError(
      `The cii.oldb options url (${redactCredentials(o.url)}) and store are both given: give one of them`,
    );
  }
  let target: ResolvedOldbTarget;
  if (o.store === 'embedded') target = { kind: 'embedded', source: 'options.store' };
  else if (o.store !== undefined) {
    if (typeof o.store !== 'object' || o.store === null || typeof o.store.subscribe !== 'function') {
      throw configError("Invalid cii.oldb option store: expected an OldbStore or 'embedded'");
    }
    target = { kind: 'store', store: o.store, source: 'options.store' };
  } else if (o.url !== undefined) target = { kind: 'redis', url: o.url, source: 'options.url' };
  else {
    const e = env();
    const mode = e.TK_OLDB;
    if (mode !== undefined && mode !== '' && mode !== 'embedded' && mode !== 'redis') {
      throw configError(`Invalid TK_OLDB=${JSON.stringify(mode)}: expected "embedded" or "redis"`);
    }
    if (mode === 'embedded') target = { kind: 'embedded', source: 'TK_OLDB' };
    else if (e.TK_OLDB_URL) target = { kind: 'redis', url: e.TK_OLDB_URL, source: 'TK_OLDB_URL' };
    else target = { kind: 'redis', url: DEFAULT_REDIS_URL, source: 'default' };
  }
  return { target, writeTimeout, prefix: o.prefix };
}
