/**
 * The requests a client sends to the gateway: their types, the request
 * types in the order docs/gateway.md lists them, and their JSON text.
 * Browser-safe.
 *
 * @module
 */

import type { ElementType } from '../core/enums.js';
import { encodeValue } from './values.js';

/** A request id: chosen by the client, echoed in the reply. A safe integer ≥ 0, or a string of 1 to 128 characters. */
export type RequestId = number | string;

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

/** The JSON text of a client request. */
export function encodeClientMessage(m: ClientRequest): string {
  if (m.type === 'write')
    return JSON.stringify({ type: 'write', id: m.id, name: m.name, value: encodeValue(m.value) });
  return JSON.stringify(m);
}
