/**
 * `createGateway`: a WebSocket server for a manager's attributes, on the
 * `ws` package. The upgrade is authenticated and checked (path, origin,
 * subprotocol, connection limit) in the HTTP server's `upgrade` event before
 * `handleUpgrade`; each connection becomes a session.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import { WebSocketServer } from 'ws';
import { TkError } from '../errors/tk-error.js';
import { getLogger, setLogLevel } from '../log/logger.js';
import { CloseCode, SUBPROTOCOL } from '../protocol/constants.js';
import { AccessControl, DEFAULT_ACCESS } from './access.js';
import { type AuthOption, createAuthenticator, tokenOf } from './auth.js';
import { GatewayContext } from './context.js';
import { HubRegistry } from './hub.js';
import { type AuditRecord, type GatewayOptions, resolveLimits } from './options.js';
import { Session } from './session.js';
import { GatewayCounters, type GatewayStats, prometheusText, statsOf } from './stats.js';

/** A running gateway. */
export interface Gateway {
  /** The WebSocket URL clients connect to (`ws://127.0.0.1:8765/`, `wss://...` on an https server). */
  readonly url: string;
  /** The HTTP(S) server the gateway listens on (its own, or the one it was given). */
  readonly server: HttpServer | HttpsServer;
  /** Figures: clients, subscriptions, updates sent and coalesced, refusals, write latency. */
  stats(): GatewayStats;
  /** The Prometheus text exposition served at `/metrics`. */
  metrics(): string;
  /**
   * Answers `GET /healthz` and `GET /metrics`; returns false for any other
   * request (route those yourself when you gave the gateway your server).
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Ends every connection (close code 1001) and subscription, and stops
   * listening (its own server; a server it was given is left to its owner).
   * After it, the manager holds nothing for the gateway.
   */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/**
 * Starts a gateway for `options.manager`.
 *
 * @example
 * ```ts
 * const gw = await createGateway({ manager, port: 8765, auth: { tokens: [{ user: 'op', roles: ['operator'], token }] } });
 * console.log(gw.url);
 * await gw.close();
 * ```
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { manager } = options;
  if (manager === undefined || manager.disposed)
    throw new TkError('CONFIG', 'createGateway needs a manager that is not disposed');
  const log = getLogger('gateway');
  const limits = resolveLimits(options.limits);
  const clock = options.clock ?? manager.clock;
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/';
  const own = options.server === undefined;
  const auth = createAuthenticator(defaultAuth(options.auth, own, host));
  if (auth.anonymous && options.auth === undefined)
    log.warning(`no auth given: serving anonymous users on ${host} (loopback only)`);
  const origins = normalizeOrigins(options.origins ?? []);
  const counters = new GatewayCounters();
  const ctx = new GatewayContext({
    manager,
    access: new AccessControl(options.access ?? DEFAULT_ACCESS, manager),
    limits,
    clock,
    counters,
    hubs: new HubRegistry(),
    log,
    audit: options.audit ?? defaultAudit(),
    serverName: options.name ?? 'tk-core gateway',
  });
  const sessions = new Set<Session>();
  let closing = false;
  const startedAt = Date.now();

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  const gauges = () => {
    let subscriptions = 0;
    let blockedClients = 0;
    let bufferedBytes = 0;
    let pendingSubscriptions = 0;
    let pendingReplies = 0;
    for (const s of sessions) {
      subscriptions += s.subscriptions;
      if (s.blocked) blockedClients++;
      bufferedBytes += s.bufferedBytes;
      pendingSubscriptions += s.outbox.queuedSubscriptions;
      pendingReplies += s.outbox.queuedReplies;
    }
    return {
      clients: sessions.size,
      subscriptions,
      attributes: ctx.hubs.size,
      blockedClients,
      bufferedBytes,
      pendingSubscriptions,
      pendingReplies,
    };
  };

  const refuse = (socket: Socket, status: number, message: string) => {
    counters.upgradeRefused(status);
    log.debug(`upgrade refused with ${status}: ${message}`);
    if (socket.destroyed) return;
    const body = `${message}\n`;
    const extra = status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.destroySoon();
  };

  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    socket.on('error', (err) => log.debug(`upgrade socket error: ${err.message}`));
    void upgrade(req, socket, head).catch((err: unknown) => {
      ctx.internal(err, 'upgrading a connection');
      refuse(socket, 500, 'The gateway failed to accept the connection');
    });
  };

  const upgrade = async (req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> => {
    if (closing) return refuse(socket, 503, 'The gateway is shutting down');
    if (pathOf(req.url) !== path)
      return refuse(socket, 404, `No WebSocket endpoint here: connect to ${path}`);
    if (!originAllowed(req, origins))
      return refuse(
        socket,
        403,
        `Origin ${String(req.headers.origin)} is not allowed to connect to this gateway`,
      );
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    if (!offered.includes(SUBPROTOCOL))
      return refuse(
        socket,
        400,
        `Offer the subprotocol ${SUBPROTOCOL} (Sec-WebSocket-Protocol): this gateway speaks it only`,
      );
    if (sessions.size >= limits.maxConnections)
      return refuse(socket, 503, `The gateway serves at most ${limits.maxConnections} connections`);
    let identity = null;
    try {
      identity = await auth.authenticate(tokenOf(req), req);
    } catch (err) {
      log.debug(`token refused: ${(err as Error).message}`);
    }
    if (socket.destroyed) return;
    if (closing) return refuse(socket, 503, 'The gateway is shutting down');
    if (identity === null)
      return refuse(socket, 401, 'A valid token is needed (tk-token.<token> subprotocol or tk_token cookie)');
    if (identity.expiresAt !== undefined && identity.expiresAt <= clock.now())
      return refuse(socket, 401, 'The token has expired');
    const who = identity;
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) {
        ws.close(CloseCode.GoingAway, 'gateway shutting down');
        return;
      }
      const address = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      const session = new Session(ctx, ws, who, address, randomBytes(6).toString('hex'), (s) => {
        sessions.delete(s);
        log.info(`session ${s.id} (${s.identity.user}@${s.address}) ended`);
      });
      sessions.add(session);
      counters.connectionsAccepted++;
      log.info(`session ${session.id}: ${who.user} (${who.roles.join(', ') || 'no role'}) from ${address}`);
      session.start();
    });
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    const p = pathOf(req.url);
    if (p !== '/healthz' && p !== '/metrics') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
      return true;
    }
    if (p === '/metrics') {
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
        .end(prometheusText(counters, gauges()));
      return true;
    }
    const g = gauges();
    const body = JSON.stringify({
      status: closing ? 'closing' : 'ok',
      clients: g.clients,
      subscriptions: g.subscriptions,
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
    });
    res.writeHead(closing ? 503 : 200, { 'Content-Type': 'application/json' }).end(body);
    return true;
  };

  const server: HttpServer | HttpsServer =
    options.server ??
    createServer((req, res) => {
      if (!handleRequest(req, res)) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
    });
  server.on('upgrade', onUpgrade);
  if (own) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  let heartbeat = clock.setTimeout(function beat() {
    for (const s of sessions) s.heartbeat();
    heartbeat = clock.setTimeout(beat, limits.heartbeatMs);
  }, limits.heartbeatMs);
  let second = clock.setTimeout(function tick() {
    counters.tick();
    second = clock.setTimeout(tick, 1000);
  }, 1000);

  const urlOf = (): string => {
    const a = server.address() as AddressInfo | string | null;
    const scheme = server instanceof TlsServer ? 'wss' : 'ws';
    if (a === null || typeof a === 'string') return `${scheme}://${host}${path}`;
    const h = a.family === 'IPv6' || a.address.includes(':') ? `[${a.address}]` : a.address;
    return `${scheme}://${h}:${a.port}${path}`;
  };
  log.info(`gateway on ${urlOf()}: auth ${auth.description}, ${origins.size} extra origin(s)`);

  return {
    get url() {
      return urlOf();
    },
    server,
    stats: () => statsOf(counters, gauges()),
    metrics: () => prometheusText(counters, gauges()),
    handleRequest,
    async close() {
      if (closing) return;
      closing = true;
      heartbeat.cancel();
      second.cancel();
      server.off('upgrade', onUpgrade);
      for (const s of [...sessions]) s.close(CloseCode.GoingAway, 'gateway shutting down');
      sessions.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (own) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as HttpServer).closeAllConnections?.();
        });
      }
      log.info('gateway closed');
    },
  };
}

function defaultAuth(given: AuthOption | undefined, own: boolean, host: string): AuthOption {
  if (given !== undefined) return given;
  if (own && LOOPBACK.has(host)) return 'none';
  throw new TkError(
    'CONFIG',
    own
      ? `createGateway on ${host} needs auth (tokens, jwt or a function); auth: 'none' serves anonymous users on purpose`
      : "createGateway on a server of yours needs auth (tokens, jwt or a function); auth: 'none' serves anonymous users on purpose",
  );
}

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

function normalizeOrigins(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const o of list) {
    if (o === '*') {
      out.add('*');
      continue;
    }
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new TkError(
        'CONFIG',
        `Origin ${JSON.stringify(o)} is not a URL origin such as https://ops.example.org`,
      );
    }
    out.add(u.origin.toLowerCase());
  }
  return out;
}

function originAllowed(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser: a browser always sends Origin on a WebSocket handshake
  if (allowed.has('*')) return true;
  const o = origin.toLowerCase();
  if (allowed.has(o)) return true;
  // the gateway's own pages: the same host and port as the request
  try {
    const u = new URL(o);
    return u.host === String(req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

function defaultAudit(): (r: AuditRecord) => void {
  const log = getLogger('gateway.audit');
  if (!log.isEnabled('info')) setLogLevel('info', 'gateway.audit');
  return (r) => {
    log.info(
      `write ${r.name} by ${r.user} from ${r.address}: ${r.oldValue ?? '?'} -> ${r.requested}: ${r.result}${r.newValue === undefined ? '' : ` (now ${r.newValue})`}`,
      { ...r },
    );
  };
}
