/**
 * The requests that wait for something (read, write, fragment, names,
 * children): each with the access check it needs, its time limit, and, for
 * writes, the audit record.
 *
 * @module
 */

import type { ElementType } from '../core/enums.js';
import { formatValue } from '../core/format.js';
import { TkError } from '../errors/tk-error.js';
import type { ClientRequest } from '../protocol/requests.js';
import type { RequestResults } from '../protocol/server-messages.js';
import type { Identity } from './auth.js';
import type { GatewayContext } from './context.js';

/** Who is asking (a session). */
export interface Requester {
  readonly id: string;
  readonly identity: Identity;
  readonly address: string;
}

type AsyncRequest = Exclude<ClientRequest, { type: 'ping' | 'subscribe' | 'unsubscribe' }>;

/** Runs one request; resolves with its result or rejects with the error to reply. */
export async function runRequest(
  ctx: GatewayContext,
  r: AsyncRequest,
  who: Requester,
  closed: AbortSignal,
): Promise<RequestResults[AsyncRequest['type']]> {
  switch (r.type) {
    case 'read':
      return read(ctx, r.name, r.cache ?? true, who, closed);
    case 'write':
      return write(ctx, r.name, r.value, who, closed);
    case 'fragment':
      return fragment(ctx, r.uri, who, closed);
    case 'names':
      return names(ctx, r.name, r.strict, r.types);
    case 'children':
      return children(ctx, r.name, who, closed);
  }
}

/** Runs `fn` with a signal that aborts after `ms` or when the connection closes; a time-out becomes TIMEOUT. */
async function limited<T>(
  ctx: GatewayContext,
  ms: number,
  closed: AbortSignal,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timer = new AbortController();
  const handle = ctx.clock.setTimeout(() => timer.abort(), ms);
  try {
    return await fn(AbortSignal.any([timer.signal, closed]));
  } catch (err) {
    if (timer.signal.aborted && !closed.aborted) {
      throw new TkError('TIMEOUT', `${what} did not finish within ${ms} ms (the gateway's time limit)`, {
        details: { timeoutMs: ms },
      });
    }
    throw err;
  } finally {
    handle.cancel();
  }
}

async function read(
  ctx: GatewayContext,
  name: string,
  cache: boolean,
  who: Requester,
  closed: AbortSignal,
): Promise<RequestResults['read']> {
  const attr = ctx.manager.attribute(name);
  ctx.checkRead(attr.fullName, attr.scheme, who.identity);
  const reading = await limited(ctx, ctx.limits.readTimeoutMs, closed, `Reading ${attr.fullName}`, (signal) =>
    attr.read({ cache, signal }),
  );
  return { names: attr.names, config: attr.config, reading };
}

async function write(
  ctx: GatewayContext,
  name: string,
  value: unknown,
  who: Requester,
  closed: AbortSignal,
): Promise<RequestResults['write']> {
  const t0 = performance.now();
  let fullName = name;
  let oldValue: string | undefined;
  let newValue: string | undefined;
  let result = 'ok';
  try {
    const attr = ctx.manager.attribute(name);
    fullName = attr.fullName;
    ctx.checkWrite(attr.fullName, attr.scheme, who.identity);
    return await limited(
      ctx,
      ctx.limits.writeTimeoutMs,
      closed,
      `Writing ${attr.fullName}`,
      async (signal) => {
        // the value before, for the audit: the kept reading, else one read (its failure does not stop the write)
        const before = attr.reading ?? (await attr.read({ cache: true, signal }).catch(() => undefined));
        if (before !== undefined && before.error === undefined) oldValue = formatValue(before.rvalue);
        const reading = await attr.write(value, { signal });
        if (reading !== undefined) newValue = formatValue(reading.rvalue);
        return { reading: reading ?? null };
      },
    );
  } catch (err) {
    result = err instanceof TkError ? err.code : 'INTERNAL';
    throw err;
  } finally {
    const durationMs = performance.now() - t0;
    ctx.counters.write(durationMs, result);
    ctx.audit({
      time: ctx.clock.now(),
      user: who.identity.user,
      roles: who.identity.roles,
      session: who.id,
      address: who.address,
      name: fullName,
      oldValue,
      requested: formatValue(value),
      newValue,
      result,
      durationMs,
    });
  }
}

async function fragment(
  ctx: GatewayContext,
  uri: string,
  who: Requester,
  closed: AbortSignal,
): Promise<RequestResults['fragment']> {
  const attr = ctx.manager.attribute(uri);
  ctx.checkRead(attr.fullName, attr.scheme, who.identity);
  const value = await limited(ctx, ctx.limits.readTimeoutMs, closed, `Reading ${uri}`, (signal) =>
    ctx.manager.getFragment(uri, { signal }),
  );
  return { value };
}

async function names(
  ctx: GatewayContext,
  name: string,
  strict: boolean | undefined,
  types: readonly ElementType[] | undefined,
): Promise<RequestResults['names']> {
  const m = ctx.manager;
  const opts = { ...(strict === undefined ? {} : { strict }), ...(types === undefined ? {} : { types }) };
  const n = m.getNames(name, opts);
  // every type the name is valid for, whatever was asked: "a device, not an attribute" is worth saying
  const validTypes = m.getValidTypesForName(name, strict === undefined ? {} : { strict });
  if (n !== null) return { valid: true, types: validTypes, names: n, error: null };
  return {
    valid: false,
    types: validTypes,
    names: null,
    error: invalidNameError(ctx, name, types?.[0] ?? 'Attribute'),
  };
}

/** The error the factory gives for an invalid name (nothing is created for an invalid name). */
function invalidNameError(ctx: GatewayContext, name: string, type: ElementType): TkError {
  try {
    if (type === 'Attribute') ctx.manager.attribute(name);
    else if (type === 'Device') ctx.manager.device(name);
    else ctx.manager.authority(name);
  } catch (err) {
    if (err instanceof TkError) return err;
  }
  return new TkError('INVALID_NAME', `${JSON.stringify(name)} is not a valid name here`, {
    details: { input: name },
  });
}

async function children(
  ctx: GatewayContext,
  name: string,
  who: Requester,
  closed: AbortSignal,
): Promise<RequestResults['children']> {
  const m = ctx.manager;
  const n = m.getNames(name, { types: ['Device', 'Authority'] });
  if (n === null) {
    if (m.getNames(name, { types: ['Attribute'] }) !== null)
      throw new TkError('NOT_FOUND', `${name} is an attribute: only devices and authorities have children`, {
        details: { input: name },
      });
    throw invalidNameError(ctx, name, 'Device');
  }
  ctx.checkRead(n.fullName, n.scheme, who.identity);
  const container = n.elementType === 'Device' ? m.device(name) : m.authority(name);
  const all = await limited(ctx, ctx.limits.readTimeoutMs, closed, `Listing ${n.fullName}`, (signal) =>
    container.children({ signal }),
  );
  const readable = all.filter((c) => ctx.access.refuseRead(c, n.scheme, who.identity.roles) === null);
  return { children: readable };
}
