/**
 * The messages the gateway sends to a client: their types (the welcome, the
 * result of each request type, errors, and a subscription's meta, conn and
 * value messages) and their JSON text, one message or a frame of several.
 * Browser-safe.
 *
 * @module
 */

import type { ConnectionState, ElementType } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import type { TkError } from '../errors/tk-error.js';
import type { AttributeConfig } from '../schemes/contract.js';
import type { ModelNames } from '../validators/name-validator.js';
import { encodeError } from './errors.js';
import { encodeConfig, encodeNames, encodeReading } from './readings.js';
import type { RequestId, RequestType } from './requests.js';
import { encodeValue, type Json } from './values.js';

/** The bounds a gateway enforces, announced in its welcome. */
export interface AnnouncedLimits {
  /** Largest message either way, in bytes (UTF-8). */
  readonly maxPayload: number;
  /** Live subscriptions per connection. */
  readonly maxSubscriptions: number;
  /** Sustained requests per second. */
  readonly requestsPerSecond: number;
  /** Requests above the sustained rate allowed at once. */
  readonly requestBurst: number;
  /** Longest name accepted, in characters. */
  readonly maxNameLength: number;
}

/** The gateway's first message on a connection. */
export interface WelcomeMessage {
  readonly type: 'welcome';
  /** The protocol version. */
  readonly protocol: number;
  /** The server's name and version (`tk-core 0.1.0`). */
  readonly server: string;
  /** An id of this connection, for logs on both sides. */
  readonly session: string;
  /** Who the gateway authenticated. */
  readonly user: string;
  /** The user's roles. */
  readonly roles: readonly string[];
  /** The schemes the gateway serves. */
  readonly schemes: readonly string[];
  /** The scheme the gateway assumes for names without one. */
  readonly defaultScheme: string | null;
  /** The gateway pings every this many ms (WebSocket ping frames); a client should ping at least as often. */
  readonly heartbeatMs: number;
  /** The bounds. */
  readonly limits: AnnouncedLimits;
}

/** A subscription refused in a batch. */
export interface RefusedSubscription {
  readonly sid: number;
  readonly error: TkError;
}

/** The result of each request type. */
export interface RequestResults {
  /** Subscriptions not listed in `refused` are live. */
  subscribe: { readonly refused: readonly RefusedSubscription[] };
  /** How many live subscriptions ended. */
  unsubscribe: { readonly removed: number };
  /** The reading, with the names and metadata of the attribute. */
  read: { readonly names: ModelNames; readonly config: Partial<AttributeConfig>; readonly reading: Reading };
  /** The reading after the write, when the backend reports one. */
  write: { readonly reading: Reading | null };
  /** The fragment's value. */
  fragment: { readonly value: unknown };
  /** Whether the name is valid (for the types asked), every type it is valid for, its names, or why it is invalid. */
  names: {
    readonly valid: boolean;
    readonly types: readonly ElementType[];
    readonly names: NamesResultNames | null;
    readonly error: TkError | null;
  };
  /** Full names of the readable children. */
  children: { readonly children: readonly string[] };
  /** Nothing: a ping's reply is a pong message. */
  ping: Record<string, never>;
}

/** Names of a valid name in a names result. */
export interface NamesResultNames extends ModelNames {
  /** The element type the names were resolved as. */
  readonly elementType: ElementType;
  /** The scheme. */
  readonly scheme: string;
}

/** The reply to a request that succeeded; `result` is still in wire form (decode it with {@link decodeResult}). */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: RequestId;
  readonly result: unknown;
}
/** A request that failed (`id` null when the message had no readable id). */
export interface ErrorMessage {
  readonly type: 'error';
  readonly id: RequestId | null;
  readonly error: TkError;
}
/** Metadata of a subscription: whole (with names) first, then only the keys that changed. */
export interface MetaMessage {
  readonly type: 'meta';
  readonly sid: number;
  /** Present in the first meta message of a subscription. */
  readonly names?: ModelNames | undefined;
  readonly config: Partial<AttributeConfig>;
}
/** The connection state of the attribute's backend, as the gateway sees it. */
export interface ConnMessage {
  readonly type: 'conn';
  readonly sid: number;
  readonly state: ConnectionState;
}
/** The latest reading of a subscription. */
export interface ValueMessage {
  readonly type: 'value';
  readonly sid: number;
  readonly reading: Reading;
}
/** The reply to a ping. */
export interface PongMessage {
  readonly type: 'pong';
  readonly id: RequestId;
}

/** Any message the gateway sends. */
export type ServerMessage =
  | WelcomeMessage
  | ResultMessage
  | ErrorMessage
  | MetaMessage
  | ConnMessage
  | ValueMessage
  | PongMessage;

/** The JSON text of the welcome message. */
export function encodeWelcome(m: Omit<WelcomeMessage, 'type'>): string {
  return JSON.stringify({ type: 'welcome', ...m });
}

/** The JSON text of the result of a request of type `type`. */
export function encodeResult<T extends RequestType>(
  type: T,
  id: RequestId,
  result: RequestResults[T],
): string {
  return `{"type":"result","id":${JSON.stringify(id)},"result":${JSON.stringify(encodeResultBody(type, result))}}`;
}

function encodeResultBody<T extends RequestType>(type: T, result: RequestResults[T]): Json {
  switch (type) {
    case 'subscribe': {
      const r = result as RequestResults['subscribe'];
      return {
        refused: r.refused.map((x) => ({ sid: x.sid, error: encodeError(x.error) as unknown as Json })),
      };
    }
    case 'read': {
      const r = result as RequestResults['read'];
      return {
        names: encodeNames(r.names),
        config: encodeConfig(r.config as AttributeConfig),
        reading: encodeReading(r.reading),
      };
    }
    case 'write': {
      const r = result as RequestResults['write'];
      return { reading: r.reading === null ? null : encodeReading(r.reading) };
    }
    case 'fragment':
      return { value: encodeValue((result as RequestResults['fragment']).value) };
    case 'names': {
      const r = result as RequestResults['names'];
      return {
        valid: r.valid,
        types: [...r.types],
        names:
          r.names === null
            ? null
            : {
                ...encodeNames(r.names),
                ...(r.names.fragment === undefined ? {} : { fragment: r.names.fragment }),
                elementType: r.names.elementType,
                scheme: r.names.scheme,
              },
        error: r.error === null ? null : (encodeError(r.error) as unknown as Json),
      };
    }
    default:
      return result as unknown as Json;
  }
}

/** The JSON text of an error reply (`id` null when the request had no readable id). */
export function encodeErrorMessage(id: RequestId | null, err: unknown): string {
  return JSON.stringify({ type: 'error', id, error: encodeError(err) });
}

/** The JSON text of a meta message (`names` only in the first one of a subscription). */
export function encodeMeta(sid: number, config: { [key: string]: Json }, names?: ModelNames): string {
  return JSON.stringify(
    names === undefined
      ? { type: 'meta', sid, config }
      : { type: 'meta', sid, names: encodeNames(names), config },
  );
}

/** The JSON text of a connection-state message. */
export function encodeConn(sid: number, state: ConnectionState): string {
  return `{"type":"conn","sid":${sid},"state":${JSON.stringify(state)}}`;
}

/** The JSON text of a value message, from the reading's JSON text (built once per update, shared by every client). */
export function encodeValueMessage(sid: number, readingJsonText: string): string {
  return `{"type":"value","sid":${sid},"reading":${readingJsonText}}`;
}

/** The JSON text of a frame holding `messages` (JSON texts): the message itself when there is one, else an array. */
export function encodeFrame(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(',')}]`;
}

/** The JSON text of a pong. */
export function encodePong(id: RequestId): string {
  return `{"type":"pong","id":${JSON.stringify(id)}}`;
}
