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
export { decodeClientMessage, type RequestCheckOptions } from './decode-request.js';
export { decodeResult, decodeServerFrame, decodeServerMessage } from './decode-server.js';
export { decodeError, encodeError, ProtocolError, type WireError } from './errors.js';
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
export {
  type ChildrenRequest,
  type ClientRequest,
  encodeClientMessage,
  type FragmentRequest,
  type NamesRequest,
  type PingRequest,
  REQUEST_TYPES,
  type ReadRequest,
  type RequestId,
  type RequestType,
  type SubscribeItem,
  type SubscribeRequest,
  type UnsubscribeRequest,
  type WriteRequest,
} from './requests.js';
export {
  type AnnouncedLimits,
  type ConnMessage,
  type ErrorMessage,
  encodeConn,
  encodeErrorMessage,
  encodeFrame,
  encodeMeta,
  encodePong,
  encodeResult,
  encodeValueMessage,
  encodeWelcome,
  type MetaMessage,
  type NamesResultNames,
  type PongMessage,
  type RefusedSubscription,
  type RequestResults,
  type ResultMessage,
  type ServerMessage,
  type ValueMessage,
  type WelcomeMessage,
} from './server-messages.js';
export { type SubscribeBatches, splitSubscribeItems, utf8Length } from './subscribe-batches.js';
export { decodeValue, encodeValue, type Json, WIRE_DTYPES, type WireDtype } from './values.js';
