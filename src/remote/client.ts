/**
 * The connection of a page or a program to a gateway: one WebSocket,
 * requests matched to their replies by id (each with a time limit),
 * subscriptions by sid that survive reconnections (every live one is sent
 * again after each welcome), heartbeats, and reconnection with backoff and
 * jitter. What it knows of the link is its {@link GatewayState}, an
 * observable of its own. The parts live in files of their own: the
 * subscriptions (subscription-table.ts), the requests awaiting replies
 * (pending-requests.ts), the heartbeat (heartbeat.ts). Browser-safe.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { BackendUnavailableError, TimeoutError, TkError } from '../errors/tk-error.js';
import { getLogger } from '../log/logger.js';
import { CloseCode, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../protocol/constants.js';
import { decodeServerFrame } from '../protocol/decode-server.js';
import { type ClientRequest, encodeClientMessage, type RequestType } from '../protocol/requests.js';
import type { RequestResults, ServerMessage, WelcomeMessage } from '../protocol/server-messages.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { BehaviorSubject } from '../util/rx-subject.js';
import { backoffDelay } from './backoff.js';
import type { GatewayClientOptions } from './client-options.js';
import { Heartbeat } from './heartbeat.js';
import { asError, closeReason, detach, disposed } from './link-errors.js';
import type { GatewayState } from './link-state.js';
import { PendingRequests } from './pending-requests.js';
import { loadWebSocket, textOf, type WebSocketLike } from './socket.js';
import { type SubscriptionHandler, SubscriptionTable } from './subscription-table.js';

export type { GatewayClientOptions } from './client-options.js';
export type { GatewayState, GatewayStatus } from './link-state.js';
export type { SubscriptionHandler } from './subscription-table.js';

const OPEN = 1;
/** Close code the client uses when it gives up on a link (no welcome, no pong, a frame it cannot read). */
const CLIENT_GIVES_UP = 4000;

/**
 * One client's link to a gateway. Created by `connectGateway`; shared by the
 * remote schemes of its manager.
 */
export class GatewayClient {
  /** The gateway's URL. */
  readonly url: string;
  readonly #o: GatewayClientOptions;
  readonly #clock: Clock;
  readonly #log = getLogger('remote');
  readonly #state$: BehaviorSubject<GatewayState>;
  readonly #subs = new SubscriptionTable();
  readonly #pending = new PendingRequests();
  readonly #heartbeat: Heartbeat<WebSocketLike>;
  #flushQueued = false;
  #ws: WebSocketLike | undefined;
  #nextId = 1;
  #attempt = 0;
  #retryTimer: TimerHandle | undefined;
  #welcomeTimer: TimerHandle | undefined;
  #closed = false;

  constructor(url: string, options: GatewayClientOptions = {}) {
    this.url = url;
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#state$ = new BehaviorSubject<GatewayState>({
      status: 'connecting',
      url,
      attempt: 0,
      since: this.#clock.now(),
    });
    this.#heartbeat = new Heartbeat(this.#clock, options.heartbeat, {
      ping: () => {
        const ws = this.#ws;
        if (ws === undefined || this.state.status !== 'connected') return undefined;
        this.#send(encodeClientMessage({ type: 'ping', id: this.#nextId++ }));
        return ws;
      },
      dead: (ws, why) => this.#giveUp(ws, why),
    });
    void this.#connect();
  }

  /** The link's state: the current one at once, then each change. */
  get state$(): Observable<GatewayState> {
    return this.#state$.asObservable();
  }

  /** The link's current state. */
  get state(): GatewayState {
    return this.#state$.value;
  }

  /** Live subscriptions (kept across reconnections). */
  get subscriptionCount(): number {
    return this.#subs.size;
  }

  /**
   * Subscribes to `name`: sent at once when the link is up (batched with
   * the others of the same turn), and again after every reconnection.
   * Returns the function that ends it.
   */
  subscribe(name: string, handler: SubscriptionHandler, maxRate?: number): () => void {
    if (this.#closed) {
      handler.lost(disposed(`The link to the gateway ${this.url} is closed`));
      return () => {};
    }
    const sid = this.#subs.add(name, handler, maxRate);
    if (this.state.status === 'connected') {
      this.#subs.queueSubscribe(sid);
      this.#queueFlush();
    } else if (this.state.status === 'disconnected' && this.state.error !== undefined) {
      handler.lost(this.state.error);
    } else {
      handler.connecting();
    }
    return () => {
      if (!this.#subs.remove(sid)) return; // gone already, or never sent
      if (this.state.status === 'connected') {
        this.#subs.queueUnsubscribe(sid);
        this.#queueFlush();
      }
    };
  }

  /**
   * Sends a request and resolves with its decoded result. Rejects at once
   * with `BACKEND_UNAVAILABLE` when the link is down (nothing was sent), with
   * the gateway's error when it refuses, with `TIMEOUT` after the time limit,
   * and with `BACKEND_UNAVAILABLE` when the link goes down before the reply.
   * Never retried. `what` names the operation in those errors.
   */
  request<T extends RequestType>(
    type: T,
    body: Omit<Extract<ClientRequest, { type: T }>, 'type' | 'id'>,
    what: string,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<RequestResults[T]> {
    const ws = this.#ws;
    if (this.#closed) return Promise.reject(disposed(`${what}: the link to the gateway is closed`));
    if (ws === undefined || this.state.status !== 'connected' || ws.readyState !== OPEN) {
      const s = this.state;
      return Promise.reject(
        new BackendUnavailableError(
          `${what}: the gateway ${this.url} is not connected (${s.status}${s.error ? `: ${s.error.message}` : ''}); nothing was sent`,
          { details: { url: this.url, status: s.status, sent: false } },
        ),
      );
    }
    const id = this.#nextId++;
    const limit = type === 'write' ? (this.#o.writeTimeout ?? 15_000) : (this.#o.requestTimeout ?? 15_000);
    const sent = this.#pending.open<RequestResults[T]>(id, {
      type,
      what,
      clock: this.#clock,
      limit,
      timeoutError: () =>
        new TimeoutError(
          `${what}: the gateway ${this.url} did not answer within ${limit} ms${type === 'write' ? ' (the write may or may not have been done)' : ''}`,
          { details: { url: this.url, timeoutMs: limit } },
        ),
      signal: options.signal,
    });
    if (this.#pending.has(id)) this.#send(encodeClientMessage({ type, id, ...body } as ClientRequest));
    return sent;
  }

  /** Closes the link for good: pending requests fail, subscriptions end, no more attempts. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#retryTimer?.cancel();
    this.#stopTimers();
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws !== undefined) {
      detach(ws);
      try {
        ws.close(CloseCode.Normal, 'client closed');
      } catch {
        // already closing
      }
    }
    this.#pending.failAll(() => disposed('The link to the gateway was closed before the reply'));
    this.#subs.clear();
    this.#setState({ status: 'closed', url: this.url, attempt: this.#attempt, since: this.#clock.now() });
    this.#state$.complete();
  }

  // ------------------------------------------------------------ connecting

  async #connect(): Promise<void> {
    if (this.#closed) return;
    this.#retryTimer = undefined;
    if (this.state.status !== 'connecting')
      this.#setState({
        status: 'connecting',
        url: this.url,
        attempt: this.#attempt,
        since: this.#clock.now(),
      });
    let ws: WebSocketLike;
    try {
      const Ctor = await loadWebSocket(this.#o.WebSocket);
      const protocols = [SUBPROTOCOL];
      const token = typeof this.#o.token === 'function' ? await this.#o.token() : this.#o.token;
      if (token !== undefined && token !== '') protocols.push(TOKEN_SUBPROTOCOL_PREFIX + token);
      if (this.#closed) return;
      ws = new Ctor(this.url, protocols);
    } catch (err) {
      this.#lost(asError(err, `Cannot connect to the gateway ${this.url}`));
      return;
    }
    this.#ws = ws;
    let lastError: string | undefined;
    ws.onerror = (e) => {
      lastError =
        (e as { message?: string; error?: Error }).message ?? (e as { error?: Error }).error?.message;
    };
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      const why = closeReason(e.code, e.reason, lastError);
      this.#lost(
        new BackendUnavailableError(`The gateway ${this.url} closed the connection: ${why}`, {
          details: { url: this.url, code: e.code },
        }),
      );
    };
    ws.onmessage = (e) => {
      if (this.#ws !== ws) return;
      this.#heartbeat.heard();
      const text = textOf(e.data);
      let messages: ServerMessage[];
      try {
        if (text === undefined) throw new TkError('BAD_REQUEST', 'a frame that is not text');
        messages = decodeServerFrame(text);
      } catch (err) {
        // a frame that cannot be read may have held an update: start again from a clean state
        this.#giveUp(ws, `it sent a message the client cannot read (${(err as Error).message})`);
        return;
      }
      for (const m of messages) this.#receive(m);
    };
    this.#welcomeTimer = this.#clock.setTimeout(() => {
      this.#giveUp(ws, `no welcome within ${this.#o.connectTimeout ?? 10_000} ms`);
    }, this.#o.connectTimeout ?? 10_000);
  }

  /** Drops a link the client no longer trusts and starts again. */
  #giveUp(ws: WebSocketLike, why: string): void {
    if (this.#ws !== ws) return;
    this.#ws = undefined;
    detach(ws);
    try {
      ws.close(CLIENT_GIVES_UP, 'client gave up');
    } catch {
      // already closed
    }
    this.#lost(
      new BackendUnavailableError(`The gateway ${this.url} is not answering: ${why}`, {
        details: { url: this.url },
      }),
    );
  }

  #lost(error: TkError): void {
    if (this.#closed) return;
    this.#stopTimers();
    this.#subs.clearQueued();
    this.#pending.failAll((p) =>
      p.type === 'write'
        ? new BackendUnavailableError(
            `${p.what}: the connection to the gateway ${this.url} was lost before it answered; the write may or may not have been done (${error.message})`,
            { details: { url: this.url, sent: true } },
          )
        : new BackendUnavailableError(`${p.what}: ${error.message}`, { details: { url: this.url } }),
    );
    const wasUp = this.state.status === 'connected';
    const delay = backoffDelay(this.#attempt, this.#o.reconnect);
    this.#attempt++;
    const now = this.#clock.now();
    if (wasUp) this.#log.warning(`lost the gateway ${this.url}: ${error.message}`);
    else this.#log.debug(`no gateway at ${this.url}: ${error.message}; retry in ${Math.round(delay)} ms`);
    this.#setState({
      status: 'disconnected',
      url: this.url,
      attempt: this.#attempt,
      error,
      retryAt: now + delay,
      since: now,
    });
    for (const h of this.#subs.handlers()) h.lost(error);
    this.#retryTimer = this.#clock.setTimeout(() => void this.#connect(), delay);
  }

  #welcome(m: WelcomeMessage): void {
    this.#welcomeTimer?.cancel();
    this.#welcomeTimer = undefined;
    this.#attempt = 0;
    this.#log.info(`connected to ${this.url} as ${m.user} (session ${m.session})`);
    this.#setState({ status: 'connected', url: this.url, attempt: 0, welcome: m, since: this.#clock.now() });
    this.#heartbeat.start();
    // every live subscription again: the gateway keeps nothing of a previous connection
    this.#subs.queueAll();
    this.#flush();
  }

  // ------------------------------------------------------------ messages

  #receive(m: ServerMessage): void {
    switch (m.type) {
      case 'value':
        this.#subs.handler(m.sid)?.value(m.reading);
        return;
      case 'conn':
        this.#subs.handler(m.sid)?.conn(m.state);
        return;
      case 'meta':
        this.#subs.handler(m.sid)?.meta(m);
        return;
      case 'welcome':
        this.#welcome(m);
        return;
      case 'pong':
        return;
      case 'result':
      case 'error': {
        if (m.id === null || typeof m.id !== 'number') {
          if (m.type === 'error') this.#log.warning(`the gateway reported: ${m.error.message}`);
          return;
        }
        this.#pending.settle(m.id, m);
      }
    }
  }

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#flush();
    });
  }

  /** Sends the subscriptions and unsubscriptions gathered in this turn, in batches under `maxPayload`. */
  #flush(): void {
    const welcome = this.state.welcome;
    if (this.state.status !== 'connected' || welcome === undefined) return;
    const sids = this.#subs.takeUnsubscribes();
    if (sids.length > 0) this.#send(encodeClientMessage({ type: 'unsubscribe', id: this.#nextId++, sids }));
    for (const batch of this.#subs.takeSubscribeBatches(welcome.limits.maxPayload)) {
      const id = this.#nextId++;
      const timer = this.#clock.setTimeout(() => this.#pending.take(id), this.#o.requestTimeout ?? 15_000);
      this.#pending.add(id, {
        type: 'subscribe',
        what: 'Subscribing',
        timer,
        resolve: ((r: RequestResults['subscribe']) => {
          for (const x of r.refused) this.#subs.handler(x.sid)?.refused(x.error);
        }) as (v: never) => void,
        reject: (err: unknown) => {
          // the whole batch refused (rate limit, bad request): each of its subscriptions says why
          const e = asError(err, 'Subscribing failed');
          if (e.code === 'BACKEND_UNAVAILABLE' || e.code === 'DISPOSED') return; // reported by lost()
          for (const it of batch) this.#subs.handler(it.sid)?.refused(e);
        },
      });
      this.#send(encodeClientMessage({ type: 'subscribe', id, items: batch }));
    }
  }

  #send(text: string): void {
    try {
      this.#ws?.send(text);
    } catch (err) {
      const ws = this.#ws;
      if (ws !== undefined) this.#giveUp(ws, `sending failed (${(err as Error).message})`);
    }
  }

  #stopTimers(): void {
    this.#welcomeTimer?.cancel();
    this.#welcomeTimer = undefined;
    this.#heartbeat.stop();
  }

  #setState(s: GatewayState): void {
    if (!this.#state$.closed) this.#state$.next(s);
  }
}
