/**
 * The checks every message received from the gateway goes through (a frame
 * of one message or several, each message, the result of each request
 * type): a message that is not valid is a {@link ProtocolError} naming the
 * field, never an exception of another kind. Browser-safe.
 *
 * @module
 */

import { ELEMENT_TYPES, type ElementType } from '../core/enums.js';
import { DEFAULT_LIMITS } from './constants.js';
import { decodeError, ProtocolError } from './errors.js';
import { decodeConfig, decodeNames, decodeReading, isConnectionState, object } from './readings.js';
import type { RequestType } from './requests.js';
import type {
  AnnouncedLimits,
  NamesResultNames,
  RequestResults,
  ServerMessage,
  WelcomeMessage,
} from './server-messages.js';
import { decodeValue } from './values.js';
import { isSid, parseJson, readId, sidOf } from './wire-fields.js';

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
