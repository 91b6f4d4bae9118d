/**
 * What `createGateway` takes, and the bounds it enforces with their defaults.
 *
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { TkError } from '../errors/tk-error.js';
import type { Manager } from '../manager/manager.js';
import { DEFAULT_LIMITS } from '../protocol/constants.js';
import type { Clock } from '../util/clock.js';
import type { AccessPolicy } from './access.js';
import type { AuthOption } from './auth.js';

/** The bounds of a gateway; every one is optional in {@link GatewayOptions.limits}. */
export interface GatewayLimits {
  /** Largest message either way, in bytes (default 1 MiB). A larger message closes the connection with 1009. */
  readonly maxPayload: number;
  /** Live subscriptions per connection (default 10,000). */
  readonly maxSubscriptions: number;
  /** Sustained requests per second per connection (default 200). */
  readonly requestsPerSecond: number;
  /** Requests above the sustained rate allowed at once (default 400). */
  readonly requestBurst: number;
  /** Longest name or URI in a request, in characters (default 4096). */
  readonly maxNameLength: number;
  /** Requests of one connection running at once (reads, writes, fragments, children; default 64). */
  readonly maxPendingRequests: number;
  /** Connections at once (default 1,000); more are refused with 503. */
  readonly maxConnections: number;
  /** Bytes waiting on a connection's socket above which its updates are coalesced (default 256 KiB). */
  readonly highWaterMark: number;
  /** Replies queued for a connection that does not read; past it the connection is closed with 4008 (default 1,000). */
  readonly maxQueuedReplies: number;
  /** Time limit of a write, in ms (default 10,000): then the reply is TIMEOUT. */
  readonly writeTimeoutMs: number;
  /** Time limit of a read, fragment or children request, in ms (default 10,000). */
  readonly readTimeoutMs: number;
  /** Interval of the gateway's pings, in ms (default 30,000); a connection that misses one is closed. */
  readonly heartbeatMs: number;
}

/** The defaults of {@link GatewayLimits}. */
export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = Object.freeze({
  ...DEFAULT_LIMITS,
  maxPendingRequests: 64,
  maxConnections: 1000,
  highWaterMark: 256 * 1024,
  maxQueuedReplies: 1000,
  writeTimeoutMs: 10_000,
  readTimeoutMs: 10_000,
  heartbeatMs: 30_000,
});

/** Options of `createGateway`. */
export interface GatewayOptions {
  /** The manager whose attributes the gateway serves (its schemes, its OLDB). */
  readonly manager: Manager;
  /** Port to listen on when the gateway makes its own server (default 0: any free port). */
  readonly port?: number;
  /** Host to listen on when the gateway makes its own server (default 127.0.0.1). */
  readonly host?: string;
  /**
   * An HTTP or HTTPS server to attach to instead of making one (TLS: pass an
   * `https` server). The gateway handles its `upgrade` events on {@link path};
   * route `/healthz` and `/metrics` to `gateway.handleRequest(req, res)`.
   * The caller listens and closes it.
   */
  readonly server?: HttpServer | HttpsServer;
  /** The URL path of the WebSocket endpoint (default `/`); an upgrade on another path is refused with 404. */
  readonly path?: string;
  /**
   * Who may connect: tokens from a table, JWTs, a function, or `'none'` for
   * anonymous access. Left out, the gateway serves anonymously only on a
   * loopback host of its own server, and refuses to start otherwise.
   */
  readonly auth?: AuthOption;
  /** What each role may read and write (default: read anything but eval expressions and loc points, write nothing). */
  readonly access?: AccessPolicy;
  /**
   * Origins allowed to connect (`https://ops.example.org`); any other
   * `Origin` header is refused with 403. Requests without an `Origin` (not
   * from a browser) are allowed. Default: none but the gateway's own origin
   * (the same host and port), so that a page of another site cannot use a
   * user's cookie. `['*']` allows every origin.
   */
  readonly origins?: readonly string[];
  /** Bounds (see {@link GatewayLimits}). */
  readonly limits?: Partial<GatewayLimits>;
  /** Source of time and timers (default: the manager's clock). */
  readonly clock?: Clock;
  /**
   * Where every write is recorded (who, what, old value, new value, result).
   * Default: the logger area `gateway.audit` at Info, which the gateway turns
   * on when it is off (the log goes through the logger's sink: `setLogSink`).
   */
  readonly audit?: (record: AuditRecord) => void;
  /** The server's name in the welcome message (default `tk-core gateway`). */
  readonly name?: string;
}

/** One write, as the audit records it. */
export interface AuditRecord {
  /** Milliseconds since the epoch, when the write was answered. */
  readonly time: number;
  /** The authenticated user. */
  readonly user: string;
  /** The user's roles. */
  readonly roles: readonly string[];
  /** The connection's session id. */
  readonly session: string;
  /** The client's address. */
  readonly address: string;
  /** The attribute's full name (or the name as sent, when it was invalid). */
  readonly name: string;
  /** The value before the write, as text (`"1.5 mm"`), or undefined when unknown. */
  readonly oldValue: string | undefined;
  /** The value the client asked to write, as text. */
  readonly requested: string;
  /** The value after the write, as text, when the backend reported it. */
  readonly newValue: string | undefined;
  /** `ok`, or the error code that refused the write. */
  readonly result: string;
  /** Time the write took, in ms. */
  readonly durationMs: number;
}

/** The limits with defaults filled in; throws a CONFIG error for a value that is not a positive number. */
export function resolveLimits(given: Partial<GatewayLimits> = {}): GatewayLimits {
  const out: Record<string, number> = { ...DEFAULT_GATEWAY_LIMITS };
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined) continue;
    if (!(k in DEFAULT_GATEWAY_LIMITS))
      throw new TkError(
        'CONFIG',
        `Unknown gateway limit "${k}": valid limits are ${Object.keys(DEFAULT_GATEWAY_LIMITS).join(', ')}`,
      );
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new TkError('CONFIG', `Gateway limit ${k} must be a positive number, not ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return Object.freeze(out) as unknown as GatewayLimits;
}
