/**
 * The names and numbers of the gateway protocol: the WebSocket subprotocol
 * that carries its version, the prefix of a token offered as a subprotocol,
 * the close codes and the error codes. Browser-safe.
 *
 * @module
 */
import type { TkErrorCode } from '../errors/tk-error.js';

/** The protocol version this build speaks. */
export const PROTOCOL_VERSION = 1;

/**
 * The WebSocket subprotocol of this version. A client offers it in
 * `Sec-WebSocket-Protocol`; the gateway echoes it (never a token) or refuses
 * the upgrade with 400.
 */
export const SUBPROTOCOL = 'tk-gateway.v1';

/**
 * Prefix of a token offered as a second subprotocol (`tk-token.<token>`):
 * the one header a browser can set on a WebSocket handshake. A token there
 * must consist of characters allowed in an HTTP token (a JWT's base64url
 * parts and dots are).
 */
export const TOKEN_SUBPROTOCOL_PREFIX = 'tk-token.';

/** Name of the cookie that may carry the token instead (then the Origin allowlist matters). */
export const TOKEN_COOKIE = 'tk_token';

/**
 * WebSocket close codes the gateway uses. The 4000-4999 range is the
 * application's (RFC 6455 §7.4.2).
 */
export const CloseCode = {
  /** `close()` of the client or normal end. */
  Normal: 1000,
  /** The gateway is shutting down; a client may reconnect elsewhere or later. */
  GoingAway: 1001,
  /** A frame the protocol does not allow (RFC 6455 protocol error). */
  ProtocolError: 1002,
  /** A policy was violated (e.g. the token expired during the session). */
  PolicyViolation: 1008,
  /** A message larger than the gateway's `maxPayload`. */
  MessageTooBig: 1009,
  /** The gateway failed unexpectedly while serving this client. */
  InternalError: 1011,
  /** The client did not read its socket: its queue of replies outgrew the bound. */
  SlowConsumer: 4008,
  /** The token's lifetime ended during the session; reconnect with a fresh token. */
  TokenExpired: 4401,
  /** The client went on sending far beyond its request rate. */
  Flood: 4029,
} as const;
/** One of {@link CloseCode}. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * The error codes the protocol adds to tk-core's (they are {@link TkErrorCode}s
 * too, so a remote failure is an ordinary `TkError`):
 * `BAD_REQUEST` (not JSON, or not a valid message of its type), `UNKNOWN_TYPE`
 * (a `type` the protocol does not know), `FORBIDDEN` (the access rules do not
 * allow it to this user), `RATE_LIMITED` (over the request rate: not run),
 * `INTERNAL` (the gateway failed unexpectedly).
 */
export const PROTOCOL_ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_TYPE',
  'FORBIDDEN',
  'RATE_LIMITED',
  'INTERNAL',
] as const satisfies readonly TkErrorCode[];

/** Every code an error on the wire may carry. A client keeps codes it does not know as they are. */
export type WireErrorCode = TkErrorCode;

/** Default bounds the gateway announces in its welcome (each configurable on the server). */
export const DEFAULT_LIMITS = {
  /** Largest message, in bytes, either way. */
  maxPayload: 1024 * 1024,
  /** Live subscriptions per connection. */
  maxSubscriptions: 10_000,
  /** Sustained requests per second per connection. */
  requestsPerSecond: 200,
  /** Requests a connection may send at once above the sustained rate. */
  requestBurst: 400,
  /** Longest name (or URI) accepted, in characters. */
  maxNameLength: 4096,
} as const;

/** Deepest nesting of arrays and objects a value on the wire may have. */
export const MAX_VALUE_DEPTH = 32;
