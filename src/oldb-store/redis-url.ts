/**
 * Redis server URLs (`redis://[user:password@]host[:port][/db]`,
 * `rediss://` for TLS), Redis Cluster URLs
 * (`redis+cluster://[user:password@]h1:p1,h2:p2[/]`, `rediss+cluster://`)
 * and Sentinel URLs (`redis+sentinel://[user:password@]s1:p1,s2:p2/mastername[/db]`):
 * parsed into connection options, and shown without credentials, always.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** The default OLDB server. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The default Redis port. */
export const DEFAULT_REDIS_PORT = 6379;

/** A host and port. */
export interface RedisHostPort {
  /** Host name or address (IPv6 without brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/** How the servers of a URL are organised: one server, a Redis Cluster, or a Sentinel-managed master. */
export type RedisTopology =
  | {
      /** One Redis server. */
      readonly kind: 'server';
    }
  | {
      /** A Redis Cluster. */
      readonly kind: 'cluster';
      /** The seed nodes the URL names. */
      readonly nodes: readonly RedisHostPort[];
    }
  | {
      /** A master watched by Sentinel. */
      readonly kind: 'sentinel';
      /** The sentinels the URL names. */
      readonly sentinels: readonly RedisHostPort[];
      /** The master's name, as the sentinels know it. */
      readonly name: string;
    };

/** A parsed server URL. */
export interface RedisServer {
  /** One server, a cluster (its seed nodes) or a Sentinel set-up (its sentinels and master name). */
  readonly topology: RedisTopology;
  /** Host name or address (IPv6 without brackets); the first node or sentinel of a cluster or Sentinel URL. */
  readonly host: string;
  /** TCP port (of that first node or sentinel). */
  readonly port: number;
  /** Database index (always 0 on a cluster). */
  readonly db: number;
  /** Whether to use TLS (`rediss:`). */
  readonly tls: boolean;
  /** User name, if any (never shown). */
  readonly username?: string | undefined;
  /** Password, if any (never shown). */
  readonly password?: string | undefined;
  /** The URL without credentials: `redis://host:port/db`. */
  readonly display: string;
  /** `host:port`, the key of the server in names (IPv6 in brackets). */
  readonly hostPort: string;
}

/** Removes any `user:password@` from text that may hold a URL (for error messages). */
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** The syntax of the URLs {@link parseRedisUrl} accepts, for its errors. */
const VALID_URLS =
  'expected redis://[user:password@]host[:port][/db], rediss://..., redis+cluster://host:port,host:port,... or redis+sentinel://host:port,host:port,.../mastername[/db]';

/** A host list `h1[:p1],[::1]:p2,...` of a cluster or Sentinel URL. */
const HOST_ITEM = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/;

function configError(url: string, what: string): TkError {
  return new TkError('CONFIG', `Invalid OLDB server URL ${JSON.stringify(redactCredentials(url))}: ${what}`, {
    details: { url: redactCredentials(url) },
  });
}

function showHost(h: RedisHostPort): string {
  return `${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
}

/** Parses a cluster or Sentinel URL (`redis+cluster://...`, `redis+sentinel://...`). */
function parseMultiHostUrl(url: string): RedisServer {
  const m = /^(rediss?)\+(cluster|sentinel):\/\/(?:([^@/]*)@)?([^/?#@]*)(?:\/([^?#]*))?$/.exec(url);
  if (m === null) throw configError(url, VALID_URLS);
  const [, scheme, kind, creds, hostList, path = ''] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
    string | undefined,
  ];
  const hosts: RedisHostPort[] = [];
  for (const item of hostList.split(',')) {
    const h = HOST_ITEM.exec(item);
    const port = h?.[3] === undefined ? DEFAULT_REDIS_PORT : Number(h[3]);
    if (h === null || !(port >= 1 && port <= 65535)) {
      throw configError(url, `${JSON.stringify(item)} is not host[:port] (ports 1-65535; IPv6 in brackets)`);
    }
    hosts.push({ host: h[1] ?? h[2]!, port });
  }
  let username: string | undefined;
  let password: string | undefined;
  if (creds !== undefined && creds !== '') {
    const i = creds.indexOf(':');
    const user = i < 0 ? creds : creds.slice(0, i);
    username = user === '' ? undefined : decodeURIComponent(user);
    password = i < 0 ? undefined : decodeURIComponent(creds.slice(i + 1));
  }
  const tls = scheme === 'rediss';
  const first = hosts[0]!;
  const list = hosts.map(showHost).join(',');
  if (kind === 'cluster') {
    if (path !== '' && path !== '0') {
      throw configError(url, `a cluster has database 0 only: no path, or /0, not /${path}`);
    }
    return {
      topology: { kind: 'cluster', nodes: hosts },
      host: first.host,
      port: first.port,
      db: 0,
      tls,
      username,
      password,
      display: `${scheme}+cluster://${list}`,
      hostPort: showHost(first),
    };
  }
  const pm = /^([A-Za-z0-9._-]+)(?:\/(\d{1,5}))?$/.exec(path);
  if (pm === null) {
    throw configError(
      url,
      `the path must name the master, /mastername[/db] (e.g. /mymaster or /mymaster/0), not /${path}`,
    );
  }
  const db = pm[2] === undefined ? 0 : Number(pm[2]);
  return {
    topology: { kind: 'sentinel', sentinels: hosts, name: pm[1]! },
    host: first.host,
    port: first.port,
    db,
    tls,
    username,
    password,
    display: `${scheme}+sentinel://${list}/${pm[1]}/${db}`,
    hostPort: showHost(first),
  };
}

/** Parses a Redis URL. Throws a CONFIG {@link TkError} naming the URL (without credentials) and what is valid. */
export function parseRedisUrl(url: string): RedisServer {
  if (/^rediss?\+(cluster|sentinel):/i.test(url)) return parseMultiHostUrl(url);
  let u: URL;
  const shown = JSON.stringify(redactCredentials(url));
  try {
    u = new URL(url);
  } catch {
    throw new TkError('CONFIG', `Invalid OLDB server URL ${shown}: ${VALID_URLS}`, {
      details: { url: redactCredentials(url) },
    });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new TkError(
      'CONFIG',
      `Invalid OLDB server URL ${shown}: the scheme must be redis: or rediss: (or redis+cluster:, redis+sentinel:), not ${u.protocol}`,
      { details: { url: redactCredentials(url) } },
    );
  }
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) {
    throw new TkError(
      'CONFIG',
      `Invalid OLDB server URL ${shown}: the path must be a database number (e.g. /0), not /${dbText}`,
      { details: { url: redactCredentials(url) } },
    );
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = u.port === '' ? DEFAULT_REDIS_PORT : Number(u.port);
  const db = dbText === '' ? 0 : Number(dbText);
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    topology: { kind: 'server' },
    host,
    port,
    db,
    tls: u.protocol === 'rediss:',
    username: u.username === '' ? undefined : decodeURIComponent(u.username),
    password: u.password === '' ? undefined : decodeURIComponent(u.password),
    display: `${u.protocol}//${hostPort}/${db}`,
    hostPort,
  };
}

/** A URL naming the nodes of a cluster: `redis+cluster://h1:p1,h2:p2` (for `createOldbScheme({ cluster })`). */
export function clusterUrl(nodes: readonly (string | RedisHostPort)[]): string {
  return `redis+cluster://${nodes.map((n) => (typeof n === 'string' ? n : showHost(n))).join(',')}`;
}
