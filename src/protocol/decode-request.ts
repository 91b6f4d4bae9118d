/**
 * The checks every request received by the gateway goes through: a request
 * that is not valid is a {@link ProtocolError} naming the field (with the
 * request id when one could be read), never an exception of another kind.
 * Browser-safe.
 *
 * @module
 */

import { ELEMENT_TYPES, type ElementType } from '../core/enums.js';
import { DEFAULT_LIMITS } from './constants.js';
import { ProtocolError } from './errors.js';
import { object } from './readings.js';
import {
  type ClientRequest,
  REQUEST_TYPES,
  type RequestId,
  type RequestType,
  type SubscribeItem,
} from './requests.js';
import { decodeValue } from './values.js';
import { isSid, parseJson, readId } from './wire-fields.js';

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
