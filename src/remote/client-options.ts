/**
 * The options of a gateway client: token, WebSocket class, reconnection,
 * time limits, heartbeat and clock. Browser-safe.
 *
 * @module
 */
import type { Clock } from '../util/clock.js';
import type { BackoffOptions } from './backoff.js';
import type { WebSocketConstructor } from './socket.js';

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
