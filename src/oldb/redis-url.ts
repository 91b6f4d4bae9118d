/**
 * Redis server URLs (`redis://[user:password@]host[:port][/db]`,
 * `rediss://` for TLS): parsed into connection options, and shown without
 * credentials, always.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** The default OLDB server. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The default Redis port. */
export const DEFAULT_REDIS_PORT = 6379;

/** A parsed server URL. */
export interface RedisServer {
  /** Host name or address (IPv6 without brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Database index. */
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

/** Parses a Redis URL. Throws a CONFIG {@link TkError} naming the URL (without credentials) and what is valid. */
export function parseRedisUrl(url: string): RedisServer {
  let u: URL;
  const shown = JSON.stringify(redactCredentials(url));
  try {
    u = new URL(url);
  } catch {
    throw new TkError(
      'CONFIG',
      `Invalid OLDB server URL ${shown}: expected redis://[user:password@]host[:port][/db] or rediss://...`,
      { details: { url: redactCredentials(url) } },
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new TkError(
      'CONFIG',
      `Invalid OLDB server URL ${shown}: the scheme must be redis: or rediss:, not ${u.protocol}`,
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
