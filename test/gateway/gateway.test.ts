import { createManager, type Manager, Quantity, type TkError } from 'tk-core';
import { createGateway, type Gateway } from 'tk-core/gateway';
import { expectNoLeaks } from 'tk-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';

const X = 'loc:/gw/stage/x?type=float&init=1&units=mm&min=0&max=100';
const LABEL = 'loc:/gw/stage/label?type=string&init=hello';

/** Rules for these tests: everything readable, loc writable. */
const ACCESS = {
  rules: [
    { match: 'loc:**', roles: ['*'], read: true, write: true },
    { match: '**', roles: ['*'], read: true },
  ],
};

let manager: Manager;
let gw: Gateway;
const clients: TestClient[] = [];
const audit: unknown[] = [];

async function connect(): Promise<TestClient> {
  const c = await TestClient.connect(gw.url);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  manager = createManager({ gcTime: 0 });
  audit.length = 0;
  gw = await createGateway({ manager, access: ACCESS, audit: (r) => audit.push(r) });
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await gw.close();
  expectNoLeaks(manager);
  await manager.dispose();
});

describe('gateway: subscriptions', () => {
  it('welcomes a client with its identity, the schemes and the limits', async () => {
    const c = await connect();
    expect(c.socket.protocol).toBe('tk-gateway.v1');
    expect(c.welcome).toMatchObject({ protocol: 1, user: 'anonymous', roles: ['anonymous'] });
    expect(c.welcome.schemes).toEqual(expect.arrayContaining(['eval', 'cii.oldb', 'loc']));
    expect(c.welcome.limits.maxPayload).toBe(1024 * 1024);
  });

  it('sends metadata with names once, the connection state, then values; a write is acknowledged with the reading', async () => {
    const c = await connect();
    const { refused } = await c.request('subscribe', { items: [{ sid: 1, name: X }] });
    expect(refused).toEqual([]);
    const meta = await c.waitFor((m) => m.type === 'meta' && m.sid === 1);
    const x = manager.attribute(X);
    expect(meta).toMatchObject({
      names: { fullName: x.fullName },
      config: { units: 'mm', writable: true, range: [0, 100] },
    });
    await c.waitFor((m) => m.type === 'conn' && m.sid === 1 && m.state === 'connected');
    const first = await c.waitFor((m) => m.type === 'value' && m.sid === 1);
    expect(first.type === 'value' && String(first.reading.rvalue)).toBe('1 mm');

    const ack = await c.request('write', { name: X, value: '1.5 cm' });
    expect(String(ack.reading?.rvalue)).toBe('15 mm');
    await c.waitFor((m) => m.type === 'value' && m.sid === 1 && String(m.reading.rvalue) === '15 mm');
    expect(c.of(1, 'meta')).toHaveLength(1);
    expect(audit).toEqual([
      expect.objectContaining({
        user: 'anonymous',
        name: x.fullName,
        oldValue: '1 mm',
        requested: '"1.5 cm"',
        newValue: '15 mm',
        result: 'ok',
      }),
    ]);
  });

  it('refuses a write out of range with its code and reason, and audits it', async () => {
    const c = await connect();
    const err = (await c
      .request('write', { name: X, value: new Quantity(500, 'mm') })
      .catch((e) => e)) as TkError;
    expect(err.code).toBe('OUT_OF_RANGE');
    expect(err.message).toContain('100');
    expect(audit).toEqual([expect.objectContaining({ result: 'OUT_OF_RANGE', requested: '500 mm' })]);
  });

  it('refuses each bad item of a batch on its own and serves the rest', async () => {
    const c = await connect();
    const { refused } = await c.request('subscribe', {
      items: [
        { sid: 1, name: X },
        { sid: 2, name: 'nope:/x' },
        { sid: 3, name: 'loc:/a' },
        { sid: 1, name: LABEL },
        { sid: 4, name: LABEL },
      ],
    });
    expect(refused.map((r) => [r.sid, r.error.code])).toEqual([
      [2, 'UNKNOWN_SCHEME'],
      [3, 'INVALID_NAME'],
      [1, 'BAD_REQUEST'],
    ]);
    await c.waitFor((m) => m.type === 'value' && m.sid === 4);
    expect(gw.stats()).toMatchObject({ clients: 1, subscriptions: 2, attributes: 2 });
  });

  it('takes 5,000 subscriptions in one message of more than 8 KiB (pvws#30)', async () => {
    const c = await connect();
    const items = Array.from({ length: 5000 }, (_, i) => ({
      sid: i,
      name: `loc:/gw/many/p${i}?type=int&init=${i}`,
    }));
    expect(JSON.stringify(items).length).toBeGreaterThan(200 * 1024);
    const { refused } = await c.request('subscribe', { items });
    expect(refused).toEqual([]);
    await c.waitFor((m) => m.type === 'value' && m.sid === 4999);
    expect(c.messages.filter((m) => m.type === 'value')).toHaveLength(5000);
    // batched: far fewer frames than messages
    expect(c.frames.length).toBeLessThan(200);
    expect((await c.request('unsubscribe', { sids: items.map((i) => i.sid) })).removed).toBe(5000);
    expect(gw.stats().attributes).toBe(0);
  });

  it('shares one manager subscription between clients, and ends it with the last one', async () => {
    const a = await connect();
    const b = await connect();
    await a.request('subscribe', { items: [{ sid: 7, name: X }] });
    await b.request('subscribe', { items: [{ sid: 9, name: X }] });
    const x = manager.attribute(X);
    expect(x.subscriberCount).toBe(1);
    await a.request('write', { name: X, value: 42 });
    await a.waitFor((m) => m.type === 'value' && m.sid === 7 && String(m.reading.rvalue) === '42 mm');
    await b.waitFor((m) => m.type === 'value' && m.sid === 9 && String(m.reading.rvalue) === '42 mm');
    await a.request('unsubscribe', { sids: [7, 8] });
    expect(x.subscriberCount).toBe(1);
    await b.close();
    await gw.close(); // the session of b ends with its socket; close() ends the rest
    expect(x.subscriberCount).toBe(0);
  });
});

describe('gateway: requests', () => {
  it('reads with names and metadata, reads fragments, validates names', async () => {
    const c = await connect();
    const r = await c.request('read', { name: X });
    expect(String(r.reading.rvalue)).toBe('1 mm');
    expect(r.config.units).toBe('mm');
    expect(r.names.fullName).toBe(manager.attribute(X).fullName);
    expect((await c.request('fragment', { uri: `${X}#rvalue.units` })).value).toBe('mm');
    expect((await c.request('fragment', { uri: `${X}#range` })).value).toEqual([0, 100]);
    const v = await c.request('names', { name: 'eval:{eval:1}*2' });
    expect(v).toMatchObject({
      valid: true,
      types: ['Attribute'],
      names: { simpleName: '1*2', scheme: 'eval' },
    });
    const bad = await c.request('names', { name: 'loc:/a/b', types: ['Authority'] });
    expect(bad.valid).toBe(false);
    expect(bad.types).toEqual(['Attribute', 'Device']); // every type it is valid for, to say what it is
    expect(bad.error?.code).toBe('INVALID_NAME');
    expect(bad.error?.message).toContain('loc:/a/b');
    const worse = await c.request('names', { name: 'nope:/a' });
    expect(worse).toMatchObject({ valid: false, types: [], names: null, error: { code: 'UNKNOWN_SCHEME' } });
    const unknownFragment = (await c
      .request('fragment', { uri: `${X}#__proto__` })
      .catch((e) => e)) as TkError;
    expect(unknownFragment.code).toBe('UNKNOWN_FRAGMENT');
  });

  it('answers a ping with a pong, and a request with an unknown type or bad fields with an error naming them', async () => {
    const c = await connect();
    await c.request('ping', {});
    c.sendRaw('{"type":"launch","id":77}');
    const e1 = await c.waitFor((m) => m.type === 'error' && m.id === 77);
    expect(e1.type === 'error' && e1.error.code).toBe('UNKNOWN_TYPE');
    c.sendRaw('{"type":"read","id":78,"name":42}');
    const e2 = await c.waitFor((m) => m.type === 'error' && m.id === 78);
    expect(e2.type === 'error' && e2.error.details).toEqual({ path: 'name' });
    c.sendRaw('{not json');
    const e3 = await c.waitFor((m) => m.type === 'error' && m.id === null);
    expect(e3.type === 'error' && e3.error.code).toBe('BAD_REQUEST');
    c.sendRaw(Buffer.from([1, 2, 3]));
    await c.waitFor(
      (m) => m.type === 'error' && m.id === null && m.error.message.includes('Binary'),
      5000,
      c.messages.indexOf(e3) + 1,
    );
    // and the connection still works
    expect(String((await c.request('read', { name: X })).reading.rvalue)).toBe('1 mm');
  });
});
