/**
 * One client connection: its identity, its subscriptions, its request rate,
 * its requests in flight and its outbox. Whatever a client sends, the worst
 * it gets is an error reply or a close with a code: a session never throws
 * into the gateway.
 *
 * @module
 */
import type { WebSocket } from 'ws';
import { TkError } from '../errors/tk-error.js';
import { CloseCode, PROTOCOL_VERSION } from '../protocol/constants.js';
import { decodeClientMessage } from '../protocol/decode-request.js';
import { ProtocolError } from '../protocol/errors.js';
import type { ClientRequest, RequestId, RequestType } from '../protocol/requests.js';
import {
  encodeErrorMessage,
  encodePong,
  encodeResult,
  encodeWelcome,
  type RefusedSubscription,
  type RequestResults,
} from '../protocol/server-messages.js';
import type { TimerHandle } from '../util/clock.js';
import type { Identity } from './auth.js';
import type { GatewayContext } from './context.js';
import { Outbox } from './outbox.js';
import { runRequest } from './requests.js';
import { Subscription, type SubscriptionHost } from './subscription.js';

const ID_PEEK = /"id"\s*:\s*(\d{1,16}|"(?:[^"\\]|\\.){1,128}")/;

/** A client's connection. */
export class Session implements SubscriptionHost {
  readonly id: string;
  readonly identity: Identity;
  readonly address: string;
  readonly outbox: Outbox;
  readonly #ctx: GatewayContext;
  readonly #ws: WebSocket;
  readonly #subs = new Map<number, Subscription>();
  readonly #abort = new AbortController();
  #tokens: number;
  #refilledAt: number;
  #pending = 0;
  #alive = true;
  #closed = false;
  #expiry: TimerHandle | undefined;
  #onEnd: (s: Session) => void;

  constructor(
    ctx: GatewayContext,
    ws: WebSocket,
    identity: Identity,
    address: string,
    id: string,
    onEnd: (s: Session) => void,
  ) {
    this.#ctx = ctx;
    this.#ws = ws;
    this.identity = identity;
    this.address = address;
    this.id = id;
    this.#onEnd = onEnd;
    this.#tokens = ctx.limits.requestBurst;
    this.#refilledAt = ctx.clock.now();
    this.outbox = new Outbox(ws, {
      highWaterMark: ctx.limits.highWaterMark,
      maxReplies: ctx.limits.maxQueuedReplies,
      counters: ctx.counters,
      now: () => ctx.clock.now(),
      onOverflow: () => this.close(CloseCode.SlowConsumer, 'replies not read'),
    });
  }

  get counters() {
    return this.#ctx.counters;
  }

  now(): number {
    return this.#ctx.clock.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#ctx.clock.setTimeout(fn, ms);
  }

  /** Live subscriptions. */
  get subscriptions(): number {
    return this.#subs.size;
  }

  /** Bytes written to the socket and not sent yet. */
  get bufferedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  /** Whether the outbox is holding updates back. */
  get blocked(): boolean {
    return this.outbox.blocked;
  }

  /** Sends the welcome and starts listening. */
  start(): void {
    const ctx = this.#ctx;
    const ws = this.#ws;
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('close', () => this.#end());
    ws.on('error', (err) => {
      ctx.log.debug(`session ${this.id}: socket error: ${err.message}`);
    });
    const exp = this.identity.expiresAt;
    if (exp !== undefined) {
      const ms = Math.min(exp - ctx.clock.now(), 2 ** 31 - 1);
      this.#expiry = ctx.clock.setTimeout(
        () => this.close(CloseCode.TokenExpired, 'token expired'),
        Math.max(0, ms),
      );
    }
    ws.send(
      encodeWelcome({
        protocol: PROTOCOL_VERSION,
        server: ctx.serverName,
        session: this.id,
        user: this.identity.user,
        roles: this.identity.roles,
        schemes: ctx.manager.schemes,
        defaultScheme: ctx.manager.defaultScheme ?? null,
        heartbeatMs: ctx.limits.heartbeatMs,
        limits: {
          maxPayload: ctx.limits.maxPayload,
          maxSubscriptions: ctx.limits.maxSubscriptions,
          requestsPerSecond: ctx.limits.requestsPerSecond,
          requestBurst: ctx.limits.requestBurst,
          maxNameLength: ctx.limits.maxNameLength,
        },
      }),
    );
  }

  /** One heartbeat: closes a connection that did not answer the previous ping, then pings. */
  heartbeat(): void {
    if (this.#closed) return;
    if (!this.#alive) {
      this.#ctx.log.info(
        `session ${this.id} (${this.identity.user}): no pong within ${this.#ctx.limits.heartbeatMs} ms, closing`,
      );
      this.#ctx.counters.close(1006);
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    try {
      this.#ws.ping();
    } catch {
      // a socket closing meanwhile: its close event ends the session
    }
  }

  /** Closes the connection with `code` (the session ends when the socket closes). */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#ctx.counters.close(code);
    this.#ctx.log.info(
      `session ${this.id} (${this.identity.user}@${this.address}): closing with ${code} (${reason})`,
    );
    this.#end();
    try {
      this.#ws.close(code, reason);
    } catch {
      // already closed
    }
    // a client that does not read will not complete the closing handshake
    const t = setTimeout(() => this.#ws.terminate(), 1000);
    t.unref();
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort(new TkError('ABORTED', 'The connection closed'));
    this.#expiry?.cancel();
    for (const s of this.#subs.values()) s.end();
    this.#subs.clear();
    this.outbox.close();
    this.#onEnd(this);
  }

  // ---------------------------------------------------------------- requests

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#closed) return;
    const ctx = this.#ctx;
    // the rate is checked before any parsing: a flood costs a counter per message
    const now = ctx.clock.now();
    const { requestsPerSecond, requestBurst } = ctx.limits;
    this.#tokens = Math.min(
      requestBurst,
      this.#tokens + ((now - this.#refilledAt) / 1000) * requestsPerSecond,
    );
    this.#refilledAt = now;
    this.#tokens -= 1;
    if (this.#tokens < 0) {
      ctx.counters.refuse('RATE_LIMITED');
      if (this.#tokens < -requestBurst) {
        this.close(CloseCode.Flood, 'far beyond the request rate');
        return;
      }
      const text = isBinary ? '' : data.toString('utf8', 0, Math.min(data.length, 512));
      const m = ID_PEEK.exec(text);
      let id: RequestId | null = null;
      if (m !== null) {
        try {
          id = JSON.parse(m[1]!) as RequestId;
        } catch {
          id = null;
        }
      }
      this.#replyError(
        id,
        new TkError(
          'RATE_LIMITED',
          `Over ${requestsPerSecond} requests per second (burst ${requestBurst}): the request was not run`,
        ),
      );
      return;
    }
    if (isBinary) {
      this.#replyError(
        null,
        new ProtocolError('Binary frames are not accepted: send each request as JSON text'),
      );
      return;
    }
    let request: ClientRequest;
    try {
      request = decodeClientMessage(data.toString('utf8'), { maxNameLength: ctx.limits.maxNameLength });
    } catch (err) {
      ctx.counters.request('invalid');
      this.#replyError(err instanceof ProtocolError ? err.requestId : null, err);
      return;
    }
    ctx.counters.request(request.type);
    try {
      this.#dispatch(request);
    } catch (err) {
      this.#replyError(request.id, err);
    }
  }

  #dispatch(r: ClientRequest): void {
    switch (r.type) {
      case 'ping':
        this.outbox.reply(encodePong(r.id));
        return;
      case 'subscribe':
        this.#reply('subscribe', r.id, { refused: this.#subscribe(r.items) });
        return;
      case 'unsubscribe': {
        let removed = 0;
        for (const sid of r.sids) {
          const s = this.#subs.get(sid);
          if (s === undefined) continue;
          this.#subs.delete(sid);
          s.end();
          removed++;
        }
        this.#reply('unsubscribe', r.id, { removed });
        return;
      }
      default:
        this.#runAsync(r);
    }
  }

  #subscribe(
    items: readonly { sid: number; name: string; maxRate?: number | undefined }[],
  ): RefusedSubscription[] {
    const ctx = this.#ctx;
    const refused: RefusedSubscription[] = [];
    const refuse = (sid: number, error: TkError) => {
      ctx.counters.refuse(error.code);
      refused.push({ sid, error });
    };
    for (const it of items) {
      if (this.#subs.has(it.sid)) {
        refuse(
          it.sid,
          new ProtocolError(
            `Subscription id ${it.sid} is already live: unsubscribe it first or choose another`,
          ),
        );
        continue;
      }
      if (this.#subs.size >= ctx.limits.maxSubscriptions) {
        refuse(
          it.sid,
          new TkError(
            'LIMIT_EXCEEDED',
            `A connection may hold ${ctx.limits.maxSubscriptions} subscriptions: ${it.name} was not subscribed`,
          ),
        );
        continue;
      }
      try {
        const attr = ctx.manager.attribute(it.name);
        ctx.checkRead(attr.fullName, attr.scheme, this.identity);
        const hub = ctx.hubs.hubOf(attr);
        const sub = new Subscription(it.sid, hub, this, it.maxRate);
        this.#subs.set(it.sid, sub);
        hub.add(sub);
      } catch (err) {
        refuse(it.sid, err instanceof TkError ? err : ctx.internal(err, `subscribing to ${it.name}`));
      }
    }
    return refused;
  }

  #runAsync(r: Exclude<ClientRequest, { type: 'ping' | 'subscribe' | 'unsubscribe' }>): void {
    const ctx = this.#ctx;
    if (this.#pending >= ctx.limits.maxPendingRequests) {
      this.#replyError(
        r.id,
        new TkError(
          'LIMIT_EXCEEDED',
          `${ctx.limits.maxPendingRequests} requests of this connection are running: wait for their replies`,
        ),
      );
      return;
    }
    this.#pending++;
    runRequest(ctx, r, this, this.#abort.signal).then(
      (result) => {
        this.#pending--;
        if (!this.#closed) this.#reply(r.type, r.id, result as never);
      },
      (err: unknown) => {
        this.#pending--;
        if (!this.#closed) this.#replyError(r.id, err);
      },
    );
  }

  #reply<T extends RequestType>(type: T, id: RequestId, result: RequestResults[T]): void {
    this.outbox.reply(encodeResult(type, id, result));
  }

  #replyError(id: RequestId | null, err: unknown): void {
    const e = err instanceof TkError ? err : this.#ctx.internal(err, 'serving a request');
    if (e.code !== 'RATE_LIMITED') this.#ctx.counters.refuse(e.code);
    this.outbox.reply(encodeErrorMessage(id, e));
  }
}
