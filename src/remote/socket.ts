/**
 * The WebSocket the client speaks through: the browser's `WebSocket` API
 * (also what Node 22 and the `ws` package offer). In a browser the global
 * one is used; in Node 20, which has none, the `ws` package is loaded on
 * first use with a dynamic import that bundlers do not follow, so a page's
 * bundle never carries it. Browser-safe.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** The part of the WebSocket API the client uses. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** Called once the connection is open. */
  onopen: ((event: unknown) => void) | null;
  /** Called with each message received (`data`: a text frame). */
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  /** Called once the connection is closed, with the close code and reason. */
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  /** Called when the connection fails. */
  onerror: ((event: unknown) => void) | null;
  /** Sends one text frame. */
  send(data: string): void;
  /** Closes the connection with an optional close code and reason. */
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `new WebSocket(url, protocols)`. */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

let wsModule: Promise<WebSocketConstructor> | undefined;

/**
 * The WebSocket class to use: `given`, else the global one, else the `ws`
 * package (loaded once). Rejects with a `CONFIG` TkError when there is none.
 */
export function loadWebSocket(given: WebSocketConstructor | undefined): Promise<WebSocketConstructor> {
  if (given !== undefined) return Promise.resolve(given);
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === 'function') return Promise.resolve(global);
  if (wsModule === undefined) {
    const specifier = ['w', 's'].join('');
    const nativeImport = (s: string) => import(/* @vite-ignore */ s) as Promise<Record<string, unknown>>;
    wsModule = nativeImport(specifier).then(
      (mod) => (mod.WebSocket ?? mod.default) as WebSocketConstructor,
      (err: unknown) => {
        wsModule = undefined;
        throw new TkError(
          'CONFIG',
          'tk-core/remote needs a WebSocket: this runtime has no global WebSocket and the "ws" package could not be loaded (install ws, or pass { WebSocket })',
          { cause: err },
        );
      },
    );
  }
  return wsModule;
}

/** The text of a message event's data (a string, or bytes of UTF-8 text); undefined for anything else. */
export function textOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data))
    return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return undefined;
}
