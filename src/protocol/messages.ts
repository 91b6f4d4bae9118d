/**
 * The messages of the gateway protocol, both ways: their types, their JSON
 * text, and the checks every received message goes through. A message that
 * is not valid is a {@link ProtocolError} naming the field, never an
 * exception of another kind. Browser-safe.
 *
 * @module
 */

import { type ConnectionState, ELEMENT_TYPES, type ElementType } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import type { TkError } from '../errors/tk-error.js';
import type { AttributeConfig } from '../schemes/contract.js';
import type { ModelNames } from '../validators/name-validator.js';
import { DEFAULT_LIMITS } from './constants.js';
import { decodeError, encodeError, ProtocolError } from './errors.js';
import {
  decodeConfig,
  decodeNames,
  decodeReading,
  encodeConfig,
  encodeNames,
  encodeReading,
  isConnectionState,
  object,
} from './readings.js';
import { decodeValue, encodeValue, type Json } from './values.js';

/** A request id: chosen by the client, echoed in the reply. A safe integer ≥ 0, or a string of 1 to 128 characters. */
export type RequestId = number | string;

// ------------------------------------------------------------------ client → gateway

/** One attribute of a subscribe request. */
export interface SubscribeItem {
  /** The subscription id, chosen by the client (a safe integer ≥ 0), unique among its live subscriptions. */
  readonly sid: number;
  /** The attribute's name, any spelling. */
  readonly name: string;
  /** At most this many value messages per second for this subscription (the latest value is kept). */
  readonly maxRate?: number | undefined;
}

/** Subscribes to any number of attributes (split by the client under `maxPayload`). */
export interface SubscribeRequest {
  readonly type: 'subscribe';
  readonly id: RequestId;
  readonly items: readonly SubscribeItem[];
}
/** Ends subscriptions; unknown ids are ignored. */
export interface UnsubscribeRequest {
  readonly type: 'unsubscribe';
  readonly id: RequestId;
  readonly sids: readonly number[];
}
/** One reading of an attribute. */
export interface ReadRequest {
  readonly type: 'read';
  readonly id: RequestId;
  readonly name: string;
  /** False: ask the backend even when a fresh reading is kept (default true). */
  readonly cache?: boolean | undefined;
}
/** Writes a value; answered with the resulting reading or an error. */
export interface WriteRequest {
  readonly type: 'write';
  readonly id: RequestId;
  readonly name: string;
  /** The value (a Quantity, a number, a string such as "12 mm", a boolean, an array...). */
  readonly value: unknown;
}
/** The value of a fragment (`uri#label`, `uri#rvalue.units`...). */
export interface FragmentRequest {
  readonly type: 'fragment';
  readonly id: RequestId;
  readonly uri: string;
}
/** Validation and names of any name (no access rule applies: nothing is read). */
export interface NamesRequest {
  readonly type: 'names';
  readonly id: RequestId;
  readonly name: string;
  /** Strict validation (default: the gateway manager's). */
  readonly strict?: boolean | undefined;
  /** Element types to accept (default any). */
  readonly types?: readonly ElementType[] | undefined;
}
/** The children of a device or an authority (the readable ones). */
export interface ChildrenRequest {
  readonly type: 'children';
  readonly id: RequestId;
  readonly name: string;
}
/** The client's heartbeat: answered with a pong at once. */
export interface PingRequest {
  readonly type: 'ping';
  readonly id: RequestId;
}

/** Any message a client sends. */
export type ClientRequest =
  | SubscribeRequest
  | UnsubscribeRequest
  | ReadRequest
  | WriteRequest
  | FragmentRequest
  | NamesRequest
  | ChildrenRequest
  | PingRequest;

/** The request types, in the order docs/gateway.md lists them. */
export const REQUEST_TYPES = [
  'subscribe',
  'unsubscribe',
  'read',
  'write',
  'fragment',
  'names',
  'children',
  'ping',
] as const;
/** One of {@link REQUEST_TYPES}. */
export type RequestType = (typeof REQUEST_TYPES)[number];

// ------------------------------------------------------------------ gateway → client

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

// ------------------------------------------------------------------ encoding

/** The JSON text of a client request. */
export function encodeClientMessage(m: ClientRequest): string {
  if (m.type === 'write')
    return JSON.stringify({ type: 'write', id: m.id, name: m.name, value: encodeValue(m.value) });
  return JSON.stringify(m);
}

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

// ------------------------------------------------------------------ decoding: client requests

/** What the checks of client requests need to know. */
export interface RequestCheckOptions {
  /** Longest name accepted (default {@link DEFAULT_LIMITS}.maxNameLength). */
  readonly maxNameLength?: number;
}

/**
 * The request in `text`. Throws a {@link ProtocolError} (with the request id
 * when one could be read) for text that is not JSON, a message that is not an
 * object, an unknown `type` (code `UNKNOWN_TYPE`), or any field that is not
 * what the protocol says.
 */
export function decodeClientMessage(text: string, options: RequestCheckOptions = {}): ClientRequest {
  const maxName = options.maxNameLength ?? DEFAULT_LIMITS.maxNameLength;
  const o = object(parseJson(text), 'message');
  const id = readId(o);
  const fail = (message: string, path: string): never => {
    throw new ProtocolError(message, { path, requestId: id ?? null });
  };
  const type = o.type;
  if (typeof type !== 'string' || !(REQUEST_TYPES as readonly string[]).includes(type)) {
    throw new ProtocolError(
      `Unknown message type ${JSON.stringify(type)}: a client sends one of ${REQUEST_TYPES.join(', ')}`,
      { code: 'UNKNOWN_TYPE', path: 'type', requestId: id ?? null },
    );
  }
  if (id === undefined)
    fail(`A ${type} request needs an id: a safe integer ≥ 0 or a string of 1 to 128 characters`, 'id');
  const name = (key: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v.length === 0 || v.length > maxName)
      fail(`${key} must be a name: a string of 1 to ${maxName} characters`, key);
    return v as string;
  };
  const optBool = (key: string): boolean | undefined => {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') fail(`${key} must be true or false`, key);
    return v as boolean | undefined;
  };
  const rid = id as RequestId;
  switch (type as RequestType) {
    case 'subscribe': {
      if (!Array.isArray(o.items)) fail('items must be an array of { sid, name, maxRate? }', 'items');
      const items = (o.items as unknown[]).map((it, i): SubscribeItem => {
        const at = `items[${i}]`;
        if (typeof it !== 'object' || it === null || Array.isArray(it))
          fail(`${at} must be an object { sid, name, maxRate? }`, at);
        const x = it as Record<string, unknown>;
        if (!isSid(x.sid)) fail(`${at}.sid must be a safe integer ≥ 0`, `${at}.sid`);
        if (typeof x.name !== 'string' || x.name.length === 0 || x.name.length > maxName)
          fail(`${at}.name must be a name: a string of 1 to ${maxName} characters`, `${at}.name`);
        if (
          x.maxRate !== undefined &&
          !(typeof x.maxRate === 'number' && x.maxRate > 0 && Number.isFinite(x.maxRate))
        )
          fail(`${at}.maxRate must be a positive number of updates per second`, `${at}.maxRate`);
        return x.maxRate === undefined
          ? { sid: x.sid as number, name: x.name as string }
          : { sid: x.sid as number, name: x.name as string, maxRate: x.maxRate as number };
      });
      return { type: 'subscribe', id: rid, items };
    }
    case 'unsubscribe': {
      if (!Array.isArray(o.sids) || !o.sids.every(isSid))
        fail('sids must be an array of subscription ids (safe integers ≥ 0)', 'sids');
      return { type: 'unsubscribe', id: rid, sids: o.sids as number[] };
    }
    case 'read': {
      const cache = optBool('cache');
      return cache === undefined
        ? { type: 'read', id: rid, name: name('name') }
        : { type: 'read', id: rid, name: name('name'), cache };
    }
    case 'write': {
      const n = name('name');
      if (!Object.hasOwn(o, 'value')) fail('value is missing: a write carries the value to write', 'value');
      let value: unknown;
      try {
        value = decodeValue(o.value, 'value');
      } catch (e) {
        if (e instanceof ProtocolError) fail(e.message, String(e.details.path ?? 'value'));
        throw e;
      }
      return { type: 'write', id: rid, name: n, value };
    }
    case 'fragment':
      return { type: 'fragment', id: rid, uri: name('uri') };
    case 'names': {
      const strict = optBool('strict');
      let types: ElementType[] | undefined;
      if (o.types !== undefined) {
        if (
          !Array.isArray(o.types) ||
          !o.types.every((t) => (ELEMENT_TYPES as readonly unknown[]).includes(t))
        )
          fail(`types must be an array of element types: ${ELEMENT_TYPES.join(', ')}`, 'types');
        types = o.types as ElementType[];
      }
      return {
        type: 'names',
        id: rid,
        name: name('name'),
        ...(strict === undefined ? {} : { strict }),
        ...(types === undefined ? {} : { types }),
      };
    }
    case 'children':
      return { type: 'children', id: rid, name: name('name') };
    case 'ping':
      return { type: 'ping', id: rid };
  }
}

// ------------------------------------------------------------------ decoding: gateway messages

const SERVER_TYPES = ['welcome', 'result', 'error', 'meta', 'conn', 'value', 'pong'] as const;

/**
 * The gateway message in `text` (a result's body stays in wire form: decode it
 * with {@link decodeResult} once the request it answers is known). Throws a
 * {@link ProtocolError} for anything that is not a valid message.
 */
export function decodeServerMessage(text: string): ServerMessage {
  return decodeServerValue(parseJson(text), 'message');
}

/** A gateway message from its parsed JSON. */
function decodeServerValue(v: unknown, path: string): ServerMessage {
  const o = object(v, path);
  switch (o.type) {
    case 'value':
      return { type: 'value', sid: sidOf(o), reading: decodeReading(o.reading) };
    case 'conn': {
      if (!isConnectionState(o.state))
        throw new ProtocolError('state must be a connection state', { path: 'state' });
      return { type: 'conn', sid: sidOf(o), state: o.state };
    }
    case 'meta': {
      const config = decodeConfig(o.config);
      const sid = sidOf(o);
      return o.names === undefined
        ? { type: 'meta', sid, config }
        : { type: 'meta', sid, names: decodeNames(o.names), config };
    }
    case 'result': {
      const id = readId(o);
      if (id === undefined) throw new ProtocolError('A result needs the id of its request', { path: 'id' });
      if (!Object.hasOwn(o, 'result')) throw new ProtocolError('A result needs a result', { path: 'result' });
      return { type: 'result', id, result: o.result };
    }
    case 'error': {
      const id = o.id === null ? null : readId(o);
      if (id === undefined) throw new ProtocolError('An error needs an id (or null)', { path: 'id' });
      return { type: 'error', id, error: decodeError(o.error) };
    }
    case 'pong': {
      const id = readId(o);
      if (id === undefined) throw new ProtocolError('A pong needs the id of its ping', { path: 'id' });
      return { type: 'pong', id };
    }
    case 'welcome':
      return decodeWelcome(o);
    default:
      throw new ProtocolError(
        `Unknown message type ${JSON.stringify(o.type)}: a gateway sends one of ${SERVER_TYPES.join(', ')}`,
        { code: 'UNKNOWN_TYPE', path: 'type' },
      );
  }
}

/**
 * The gateway messages of one WebSocket frame: a frame holds one message (a
 * JSON object) or several (a JSON array of messages), the gateway batching
 * what it sends within one turn of its event loop. Throws a
 * {@link ProtocolError} when the frame or any message in it is not valid.
 */
export function decodeServerFrame(text: string): ServerMessage[] {
  const v = parseJson(text);
  if (Array.isArray(v)) return v.map((m, i) => decodeServerValue(m, `message[${i}]`));
  return [decodeServerValue(v, 'message')];
}

/** The result of a request of type `type` from its wire form. */
export function decodeResult<T extends RequestType>(type: T, raw: unknown): RequestResults[T] {
  return decodeResultBody(type, object(raw, 'result')) as RequestResults[T];
}

function decodeResultBody(type: RequestType, o: Record<string, unknown>): unknown {
  switch (type) {
    case 'subscribe': {
      if (!Array.isArray(o.refused))
        throw new ProtocolError('result.refused must be an array', { path: 'result.refused' });
      const refused = o.refused.map((x, i) => {
        const r = object(x, `result.refused[${i}]`);
        if (!isSid(r.sid))
          throw new ProtocolError(`result.refused[${i}].sid must be a subscription id`, {
            path: `result.refused[${i}].sid`,
          });
        return { sid: r.sid, error: decodeError(r.error, `result.refused[${i}].error`) };
      });
      return { refused };
    }
    case 'unsubscribe':
      if (!Number.isSafeInteger(o.removed))
        throw new ProtocolError('result.removed must be a count', { path: 'result.removed' });
      return { removed: o.removed };
    case 'read':
      return {
        names: decodeNames(o.names, 'result.names'),
        config: decodeConfig(o.config, 'result.config'),
        reading: decodeReading(o.reading, 'result.reading'),
      };
    case 'write':
      return {
        reading: o.reading === null ? null : decodeReading(o.reading, 'result.reading'),
      };
    case 'fragment':
      return { value: decodeValue(o.value, 'result.value') };
    case 'names': {
      if (typeof o.valid !== 'boolean')
        throw new ProtocolError('result.valid must be true or false', { path: 'result.valid' });
      if (!Array.isArray(o.types) || !o.types.every((t) => (ELEMENT_TYPES as readonly unknown[]).includes(t)))
        throw new ProtocolError('result.types must be element types', { path: 'result.types' });
      let names: NamesResultNames | null = null;
      if (o.names !== null && o.names !== undefined) {
        const n = object(o.names, 'result.names');
        const base = decodeNames(n, 'result.names');
        if (!(ELEMENT_TYPES as readonly unknown[]).includes(n.elementType) || typeof n.scheme !== 'string')
          throw new ProtocolError('result.names needs elementType and scheme', { path: 'result.names' });
        names = {
          ...base,
          ...(typeof n.fragment === 'string' ? { fragment: n.fragment } : {}),
          elementType: n.elementType as ElementType,
          scheme: n.scheme,
        };
      }
      const error = o.error === null || o.error === undefined ? null : decodeError(o.error, 'result.error');
      return { valid: o.valid, types: o.types as ElementType[], names, error };
    }
    case 'children':
      if (!Array.isArray(o.children) || !o.children.every((c) => typeof c === 'string'))
        throw new ProtocolError('result.children must be an array of names', { path: 'result.children' });
      return { children: o.children as string[] };
    default:
      return {};
  }
}

function decodeWelcome(o: Record<string, unknown>): WelcomeMessage {
  const bad = (path: string, what: string): never => {
    throw new ProtocolError(`welcome.${path} must be ${what}`, { path });
  };
  if (!Number.isSafeInteger(o.protocol)) bad('protocol', 'the protocol version');
  for (const k of ['server', 'session', 'user'] as const) if (typeof o[k] !== 'string') bad(k, 'a string');
  for (const k of ['roles', 'schemes'] as const)
    if (!Array.isArray(o[k]) || !(o[k] as unknown[]).every((x) => typeof x === 'string'))
      bad(k, 'an array of strings');
  if (o.defaultScheme !== null && typeof o.defaultScheme !== 'string')
    bad('defaultScheme', 'a string or null');
  if (typeof o.heartbeatMs !== 'number' || !(o.heartbeatMs > 0)) bad('heartbeatMs', 'a positive number');
  const l = object(o.limits, 'limits');
  const limits: Record<string, number> = {};
  for (const k of Object.keys(DEFAULT_LIMITS) as (keyof AnnouncedLimits)[]) {
    const v = l[k];
    if (typeof v !== 'number' || !(v > 0)) bad(`limits.${k}`, 'a positive number');
    limits[k] = v as number;
  }
  return {
    type: 'welcome',
    protocol: o.protocol as number,
    server: o.server as string,
    session: o.session as string,
    user: o.user as string,
    roles: o.roles as string[],
    schemes: o.schemes as string[],
    defaultScheme: (o.defaultScheme as string | null) ?? null,
    heartbeatMs: o.heartbeatMs as number,
    limits: limits as unknown as AnnouncedLimits,
  };
}

// ------------------------------------------------------------------ batching

/** Subscribe batches that each fit in `maxPayload` bytes, and the items too large to be sent at all. */
export interface SubscribeBatches {
  /** The items, in order, in batches of at most `maxPayload` bytes once encoded (with an id of up to 20 characters). */
  readonly batches: readonly (readonly SubscribeItem[])[];
  /** Items whose request alone exceeds `maxPayload` (a name far too long): not sent. */
  readonly tooLarge: readonly SubscribeItem[];
}

const SUBSCRIBE_OVERHEAD = utf8Length('{"type":"subscribe","id":"12345678901234567890","items":[]}');

/** Splits subscribe items into requests under `maxPayload` bytes: a batch of any size can be sent. */
export function splitSubscribeItems(items: readonly SubscribeItem[], maxPayload: number): SubscribeBatches {
  const batches: SubscribeItem[][] = [];
  const tooLarge: SubscribeItem[] = [];
  let current: SubscribeItem[] = [];
  let size = SUBSCRIBE_OVERHEAD;
  for (const it of items) {
    const n = utf8Length(JSON.stringify(it)) + 1; // the comma
    if (SUBSCRIBE_OVERHEAD + n > maxPayload) {
      tooLarge.push(it);
      continue;
    }
    if (size + n > maxPayload) {
      batches.push(current);
      current = [];
      size = SUBSCRIBE_OVERHEAD;
    }
    current.push(it);
    size += n;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}

/** The UTF-8 byte length of `s` (what `maxPayload` counts). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

// ------------------------------------------------------------------ helpers

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`The message is not JSON: ${(e as Error).message}`, { path: '' });
  }
}

function isSid(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function sidOf(o: Record<string, unknown>): number {
  if (!isSid(o.sid))
    throw new ProtocolError('sid must be a subscription id (a safe integer ≥ 0)', { path: 'sid' });
  return o.sid;
}

function readId(o: Record<string, unknown>): RequestId | undefined {
  const id = o.id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  if (typeof id === 'string' && id.length > 0 && id.length <= 128) return id;
  return undefined;
}
