/**
 * `tk-core/gateway` (Node only): serves a manager's attributes to web pages
 * and remote programs over a WebSocket, with authentication at the upgrade,
 * an origin allowlist, access rules per role, an audit of every write,
 * bounded queues and Prometheus metrics. See docs/gateway.md and
 * docs/security.md.
 *
 * ```ts
 * import { createManager } from 'tk-core';
 * import { createGateway } from 'tk-core/gateway';
 * const gw = await createGateway({ manager: createManager(), port: 8765 });
 * ```
 *
 * @packageDocumentation
 */

export {
  CloseCode,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  TOKEN_COOKIE,
  TOKEN_SUBPROTOCOL_PREFIX,
} from '../protocol/constants.js';
export {
  type AccessDecision,
  type AccessPolicy,
  type AccessRule,
  compileAccess,
  DEFAULT_ACCESS,
} from './access.js';
export {
  ANONYMOUS,
  type AuthenticateFn,
  type Authenticator,
  type AuthOption,
  createAuthenticator,
  type Identity,
  type JwtAuth,
  type TokenEntry,
  type TokenTable,
  tokenOf,
} from './auth.js';
export { loadAccessFile, loadAuthFile } from './files.js';
export { createGateway, type Gateway } from './gateway.js';
export {
  type AuditRecord,
  DEFAULT_GATEWAY_LIMITS,
  type GatewayLimits,
  type GatewayOptions,
} from './options.js';
export type { GatewayStats } from './stats.js';
