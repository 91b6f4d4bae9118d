/**
 * tk-core/remote: the client of a tk-core gateway (`tk serve`,
 * `tk-core/gateway`). `connectGateway(url)` gives a manager whose attributes
 * are served by the gateway and behave as local ones: the same URIs,
 * readings, `value$`, `events$`, `connection$`, `read`, `write` and
 * fragments, so tk-core/ui controllers take it as their `manager`.
 * Reconnects with backoff and jitter and resubscribes; while the gateway is
 * away attributes are INVALID and `disconnected`, and writes fail at once.
 *
 * Browser-safe (in Node 20 it loads the `ws` package).
 *
 * @packageDocumentation
 */
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export {
  GatewayClient,
  type GatewayClientOptions,
  type GatewayState,
  type GatewayStatus,
  type SubscriptionHandler,
} from './client.js';
export {
  type ConnectGatewayOptions,
  connectGateway,
  createRemoteManager,
  gatewayOf,
  RemoteManager,
} from './connect.js';
export { createRemoteScheme, DEFAULT_REMOTE_SCHEMES, type RemoteSchemeSpec } from './remote-scheme.js';
export type { WebSocketConstructor, WebSocketLike } from './socket.js';
