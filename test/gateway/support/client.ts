/**
 * A small client of the gateway protocol over `ws`, for protocol-level tests:
 * every message received is kept in order; requests resolve with their
 * decoded result or reject with the TkError of their error reply.
 */
import type { TkError } from 'tk-core';
import WebSocket from 'ws';
import {
  type ClientRequest,
  decodeResult,
  decodeServerFrame,
  encodeClientMessage,
  type RequestResults,
  type RequestType,
  type ServerMessage,
  SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  type WelcomeMessage,
} from '../../../src/protocol/index.js';

export interface ConnectOptions {
  token?: string;
  origin?: string;
  cookie?: string;
  protocols?: string[];
  /** false: the socket does not answer pings (a dead client). */
  autoPong?: boolean;
  /** Certificates to trust (a test's self-signed one). */
  ca?: string | Buffer;
}

/** Why an upgrade was refused: the HTTP status and body. */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused: ${status} ${body}`);
  }
}

type Pending = { type: RequestType; resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly frames: string[] = [];
  welcome!: WelcomeMessage;
  closeCode: number | undefined;
  closeReason = '';
  readonly #ws: WebSocket;
  readonly #pending = new Map<string | number, Pending>();
  readonly #waiters = new Set<() => void>();
  #nextId = 1;
  readonly closed: Promise<number>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        for (const p of this.#pending.values()) p.reject(new Error(`closed ${code}`));
        this.#pending.clear();
        this.#wake();
        resolve(code);
      });
    });
    ws.on('message', (data) => {
      const text = data.toString();
      this.frames.push(text);
      for (const m of decodeServerFrame(text)) this.#receive(m);
    });
  }

  get socket(): WebSocket {
    return this.#ws;
  }

  static connect(url: string, o: ConnectOptions = {}): Promise<TestClient> {
    const protocols = o.protocols ?? [
      SUBPROTOCOL,
      ...(o.token === undefined ? [] : [TOKEN_SUBPROTOCOL_PREFIX + o.token]),
    ];
    const headers: Record<string, string> = {};
    if (o.origin !== undefined) headers.Origin = o.origin;
    if (o.cookie !== undefined) headers.Cookie = o.cookie;
    const ws = new WebSocket(url, protocols, {
      headers,
      autoPong: o.autoPong ?? true,
      ...(o.ca === undefined ? {} : { ca: o.ca }),
    });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body.trim())));
      });
      ws.once('error', reject);
      client
        .waitFor((m) => m.type === 'welcome')
        .then((w) => {
          client.welcome = w as WelcomeMessage;
          resolve(client);
        }, reject);
    });
  }

  #receive(m: ServerMessage): void {
    this.messages.push(m);
    if (m.type === 'result' || m.type === 'error' || m.type === 'pong') {
      const id = m.id;
      const p = id === null ? undefined : this.#pending.get(id);
      if (p !== undefined && id !== null) {
        this.#pending.delete(id);
        if (m.type === 'error') p.reject(m.error);
        else if (m.type === 'pong') p.resolve({});
        else p.resolve(decodeResult(p.type, m.result));
      }
    }
    this.#wake();
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Sends a request and resolves with its result (rejects with the TkError of an error reply). */
  request<T extends RequestType>(
    type: T,
    body: Omit<Extract<ClientRequest, { type: T }>, 'type' | 'id'>,
  ): Promise<RequestResults[T]> {
    const id = this.#nextId++;
    const msg = { type, id, ...body } as ClientRequest;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject });
      this.#ws.send(encodeClientMessage(msg));
    });
  }

  /** Sends raw text (or bytes). */
  sendRaw(data: string | Buffer): void {
    this.#ws.send(data);
  }

  /** Resolves with the first message (from `from` on) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (m: ServerMessage) => boolean, timeoutMs = 5000, from = 0): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      let checked = from;
      const check = () => {
        for (; checked < this.messages.length; checked++) {
          const m = this.messages[checked]!;
          if (predicate(m)) {
            done();
            resolve(m);
            return;
          }
        }
        if (this.closeCode !== undefined) {
          done();
          reject(new Error(`closed (${this.closeCode} ${this.closeReason}) before a matching message`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Messages of subscription `sid`, in order. */
  of(sid: number, type?: ServerMessage['type']): ServerMessage[] {
    return this.messages.filter(
      (m) => 'sid' in m && m.sid === sid && (type === undefined || m.type === type),
    );
  }

  /** Stops reading the socket (a client that stalls), or reads again. */
  pauseReading(paused: boolean): void {
    const tcp = (this.#ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    if (paused) tcp.pause();
    else tcp.resume();
  }

  close(): Promise<number> {
    if (this.closeCode === undefined) this.#ws.close();
    return this.closed;
  }
}

export type { TkError };
