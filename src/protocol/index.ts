/**
 * The gateway protocol, shared by the gateway (`tk-core/gateway`) and its
 * client (`tk-core/remote`): JSON messages over a WebSocket whose
 * subprotocol carries the version. Browser-safe: no Node built-ins. The
 * protocol itself is documented in docs/gateway.md.
 *
 * @module
 */
export { base64ToBytes, bytesToBase64, isCanonicalBase64 } from './base64.js';
export {
  CloseCode,
  DEFAULT_LIMITS,
  MAX_VALUE_DEPTH,
  PROTOCOL_ERROR_CODES,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  TOKEN_COOKIE,
  TOKEN_SUBPROTOCOL_PREFIX,
  type WireErrorCode,
} from './constants.js';
export { decodeError, encodeError, ProtocolError, type WireError } from './errors.js';
export * from './messages.js';
export {
  configPatch,
  decodeConfig,
  decodeNames,
  decodeReading,
  encodeConfig,
  encodeNames,
  encodeReading,
  isConnectionState,
  readingJson,
} from './readings.js';
export { decodeValue, encodeValue, type Json, WIRE_DTYPES, type WireDtype } from './values.js';
