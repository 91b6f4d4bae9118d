/**
 * The connection of a page or a program to a gateway: one WebSocket,
 * requests matched to their replies by id (each with a time limit),
 * subscriptions by sid that survive reconnections (every live one is sent
 * again after each welcome), heartbeats, and reconnection with backoff and
 * jitter. What it knows of the link is its {@link GatewayState}, an
 * observable of its own. Browser-safe.
 *
 * @module
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { Reading } from '../attribute/reading.js';
import { BackendUnavailableError, TimeoutError, TkError } from '../errors/tk-error.js';
import { getLogger } from '../log/logger.js';
import type { ConnectionState } from '../model/enums.js';
import { CloseCode, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../protocol/constants.js';
import {
  type ClientRequest,
  decodeResult,
  decodeServerFrame,
  encodeClientMessage,
  type MetaMessage,
  type RequestResults,
  type RequestType,
  type ServerMessage,
  type SubscribeItem,
  splitSubscribeItems,
  type WelcomeMessage,
} from '../protocol/messages.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { asError, closeReason, detach, disposed } from './link-errors.js';
import { loadWebSocket, textOf, type WebSocketConstructor, type WebSocketLike } from './socket.js';

/** Where the link to the gateway stands. */
export type GatewayStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** The state of the link to the gateway (a new object on each change). */
export interface GatewayState {
  /** `connecting` (first attempt or a retry under way), `connected` (welcomed), `disconnected` (waiting to retry), `closed` (by `close()`). */
  readonly status: GatewayStatus;
  /** The gateway's URL. */
  readonly url: string;
  /** Failed attempts since the last welcome. */
  readonly attempt: number;
  /** Why the link is not up (the last failure), when it is not. */
  readonly error?: TkError | undefined;
  /** When the next attempt starts (ms since the epoch, on the client's clock), while `disconnected`. */
  readonly retryAt?: number | undefined;
  /** The gateway's welcome, while `connected`. */
  readonly welcome?: WelcomeMessage | undefined;
  /** When this state began (client's clock). */
  readonly since: number;
}

/** What a subscription receives. */
export interface SubscriptionHandler {
  /** Metadata (whole first, then changes). */
  meta(message: MetaMessage): void;
  /** The connection state of the attribute's backend, as the gateway sees it. */
  conn(state: ConnectionState): void;
  /** A reading. */
  value(reading: Reading): void;
  /** The gateway refused the subscription (invalid name, forbidden, limit). */
  refused(error: TkError): void;
  /** The link to the gateway is being (re)established: nothing is known yet. */
  connecting(): void;
  /** The link to the gateway is down: whatever was known is no longer current. */
  lost(error: TkError): void;
}

/** Options of a {@link GatewayClient}. */
export interface GatewayClientOptions {
  /** A token offered as `tk-token.<token>` (a function is asked again before each attempt, e.g. for a fresh JWT). */
  readonly token?: string | (() => string | Promise<string>) | undefined;
  /** The WebSocket class (default: the global one, else the `ws` package). */
  readonly WebSocket?: WebSocketConstructor | undefined;
  /** Reconnection delays. */
  readonly reconnect?: BackoffOptions | undefined;
  /** Time limit of a request (read, fragment, names, children), in ms (default 15,000). */
  readonly requestTimeout?: number | undefined;
  /** Time limit of a write, in ms (default 15,000; the gateway's own, 10 s by default, usually answers first). */
  readonly writeTimeout?: number | undefined;
  /** Time limit from opening the socket to the welcome, in ms (default 10,000). */
  readonly connectTimeout?: number | undefined;
  /** Heartbeat: a ping every `interval` ms (default 15,000), the link is judged dead with no message for `timeout` ms after one (default 10,000). */
  readonly heartbeat?:
    | {
        /** Milliseconds between pings (default 15,000). */
        readonly interval?: number;
        /** Milliseconds without a message after a ping before the link is judged dead (default 10,000). */
        readonly timeout?: number;
      }
    | undefined;
  /** Timers and time (default the system clock). */
  readonly clock?: Clock | undefined;
}

interface Sub {
  readonly sid: number;
  readonly name: string;
  readonly maxRate: number | undefined;
  readonly handler: SubscriptionHandler;
}

interface Pending {
  readonly type: RequestType;
  readonly what: string;
  readonly resolve: (v: never) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: TimerHandle;
}

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
  readonly #subs = new Map<number, Sub>();
  readonly #pending = new Map<number, Pending>();
  /** sids to send in the next subscribe batch, and to end in the next unsubscribe. */
  readonly #toSubscribe = new Set<number>();
  readonly #toUnsubscribe = new Set<number>();
  #flushQueued = false;
  #ws: WebSocketLike | undefined;
  #nextSid = 1;
  #nextId = 1;
  #attempt = 0;
  #retryTimer: TimerHandle | undefined;
  #welcomeTimer: TimerHandle | undefined;
  #pingTimer: TimerHandle | undefined;
  #pongTimer: TimerHandle | undefined;
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
    const sid = this.#nextSid++;
    this.#subs.set(sid, { sid, name, maxRate, handler });
    if (this.state.status === 'connected') {
      this.#toSubscribe.add(sid);
      this.#queueFlush();
    } else if (this.state.status === 'disconnected' && this.state.error !== undefined) {
      handler.lost(this.state.error);
    } else {
      handler.connecting();
    }
    return () => {
      if (!this.#subs.delete(sid)) return;
      if (this.#toSubscribe.delete(sid)) return; // never sent
      if (this.state.status === 'connected') {
        this.#toUnsubscribe.add(sid);
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
    return new Promise<RequestResults[T]>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        reject(
          new TimeoutError(
            `${what}: the gateway ${this.url} did not answer within ${limit} ms${type === 'write' ? ' (the write may or may not have been done)' : ''}`,
            { details: { url: this.url, timeoutMs: limit } },
          ),
        );
      }, limit);
      this.#pending.set(id, { type, what, resolve: resolve as (v: never) => void, reject, timer });
      const signal = options.signal;
      if (signal !== undefined) {
        const onAbort = () => {
          const p = this.#pending.get(id);
          if (p === undefined) return;
          this.#pending.delete(id);
          p.timer.cancel();
          reject(signal.reason ?? new TkError('ABORTED', `${what}: aborted`));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.#send(encodeClientMessage({ type, id, ...body } as ClientRequest));
    });
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
    this.#failPending(() => disposed('The link to the gateway was closed before the reply'));
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
      this.#heard();
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
    this.#toSubscribe.clear();
    this.#toUnsubscribe.clear();
    this.#failPending((p) =>
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
    for (const s of [...this.#subs.values()]) s.handler.lost(error);
    this.#retryTimer = this.#clock.setTimeout(() => void this.#connect(), delay);
  }

  #welcome(m: WelcomeMessage): void {
    this.#welcomeTimer?.cancel();
    this.#welcomeTimer = undefined;
    this.#attempt = 0;
    this.#log.info(`connected to ${this.url} as ${m.user} (session ${m.session})`);
    this.#setState({ status: 'connected', url: this.url, attempt: 0, welcome: m, since: this.#clock.now() });
    this.#schedulePing();
    // every live subscription again: the gateway keeps nothing of a previous connection
    for (const s of this.#subs.values()) this.#toSubscribe.add(s.sid);
    this.#toUnsubscribe.clear();
    this.#flush();
  }

  // ------------------------------------------------------------ messages

  #receive(m: ServerMessage): void {
    switch (m.type) {
      case 'value':
        this.#subs.get(m.sid)?.handler.value(m.reading);
        return;
      case 'conn':
        this.#subs.get(m.sid)?.handler.conn(m.state);
        return;
      case 'meta':
        this.#subs.get(m.sid)?.handler.meta(m);
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
        const p = this.#pending.get(m.id);
        if (p === undefined) return; // timed out or aborted meanwhile
        this.#pending.delete(m.id);
        p.timer.cancel();
        if (m.type === 'error') {
          p.reject(m.error);
          return;
        }
        try {
          p.resolve(decodeResult(p.type, m.result) as never);
        } catch (err) {
          p.reject(err);
        }
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
    if (this.#toUnsubscribe.size > 0) {
      const sids = [...this.#toUnsubscribe];
      this.#toUnsubscribe.clear();
      this.#send(encodeClientMessage({ type: 'unsubscribe', id: this.#nextId++, sids }));
    }
    if (this.#toSubscribe.size === 0) return;
    const items: SubscribeItem[] = [];
    for (const sid of this.#toSubscribe) {
      const s = this.#subs.get(sid);
      if (s === undefined) continue;
      items.push(s.maxRate === undefined ? { sid, name: s.name } : { sid, name: s.name, maxRate: s.maxRate });
      s.handler.connecting();
    }
    this.#toSubscribe.clear();
    const { batches, tooLarge } = splitSubscribeItems(items, welcome.limits.maxPayload);
    for (const it of tooLarge) {
      this.#subs
        .get(it.sid)
        ?.handler.refused(
          new TkError(
            'LIMIT_EXCEEDED',
            `Cannot subscribe to a name of ${it.name.length} characters: the gateway takes messages of at most ${welcome.limits.maxPayload} bytes`,
            { details: { name: it.name.slice(0, 200) } },
          ),
        );
    }
    for (const batch of batches) {
      const id = this.#nextId++;
      const timer = this.#clock.setTimeout(() => this.#pending.delete(id), this.#o.requestTimeout ?? 15_000);
      this.#pending.set(id, {
        type: 'subscribe',
        what: 'Subscribing',
        timer,
        resolve: ((r: RequestResults['subscribe']) => {
          for (const x of r.refused) this.#subs.get(x.sid)?.handler.refused(x.error);
        }) as (v: never) => void,
        reject: (err: unknown) => {
          // the whole batch refused (rate limit, bad request): each of its subscriptions says why
          const e = asError(err, 'Subscribing failed');
          if (e.code === 'BACKEND_UNAVAILABLE' || e.code === 'DISPOSED') return; // reported by lost()
          for (const it of batch) this.#subs.get(it.sid)?.handler.refused(e);
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

  // ------------------------------------------------------------ heartbeat

  #schedulePing(): void {
    this.#pingTimer?.cancel();
    const interval = this.#o.heartbeat?.interval ?? 15_000;
    this.#pingTimer = this.#clock.setTimeout(() => {
      this.#pingTimer = undefined;
      const ws = this.#ws;
      if (ws === undefined || this.state.status !== 'connected') return;
      this.#send(encodeClientMessage({ type: 'ping', id: this.#nextId++ }));
      const timeout = this.#o.heartbeat?.timeout ?? 10_000;
      this.#pongTimer ??= this.#clock.setTimeout(
        () => this.#giveUp(ws, `no answer to a heartbeat within ${timeout} ms`),
        timeout,
      );
      this.#schedulePing();
    }, interval);
  }

  /** Any message proves the link is alive. */
  #heard(): void {
    if (this.#pongTimer === undefined) return;
    this.#pongTimer.cancel();
    this.#pongTimer = undefined;
  }

  #stopTimers(): void {
    for (const t of [this.#welcomeTimer, this.#pingTimer, this.#pongTimer]) t?.cancel();
    this.#welcomeTimer = this.#pingTimer = this.#pongTimer = undefined;
  }

  #failPending(errorOf: (p: Pending) => Error): void {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of all) {
      p.timer.cancel();
      p.reject(errorOf(p));
    }
  }

  #setState(s: GatewayState): void {
    if (!this.#state$.closed) this.#state$.next(s);
  }
}
