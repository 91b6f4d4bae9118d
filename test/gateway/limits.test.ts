import { fc } from '@fast-check/vitest';
import { createManager, type Manager, type TkError } from 'tk-core';
import { createGateway, type Gateway, type GatewayOptions } from 'tk-core/gateway';
import { createVirtualClock, expectNoLeaks } from 'tk-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { createDeadScheme } from './support/dead-scheme.js';

const X = 'loc:/lim/x?type=float&init=0';
const ACCESS = { rules: [{ match: '**', roles: ['*'], read: true, write: true }] };

let manager: Manager;
let gw: Gateway;
const clients: TestClient[] = [];

async function start(
  options: Omit<GatewayOptions, 'manager'> = {},
  m = createManager({ gcTime: 0 }),
): Promise<void> {
  manager = m;
  gw = await createGateway({ manager, access: ACCESS, audit: () => {}, ...options });
}
async function connect(): Promise<TestClient> {
  const c = await TestClient.connect(gw.url);
  clients.push(c);
  return c;
}
/** A client that keeps a subscription and proves, by a write it sees, that it is served. */
async function watcher(): Promise<{ c: TestClient; check: (v: number) => Promise<void> }> {
  const c = await connect();
  await c.request('subscribe', { items: [{ sid: 1, name: X }] });
  return {
    c,
    check: async (v) => {
      await c.request('write', { name: X, value: v });
      await c.waitFor((m) => m.type === 'value' && m.sid === 1 && String(m.reading.rvalue) === String(v));
    },
  };
}

afterEach(async () => {
  for (const cl of clients.splice(0)) await cl.close();
  await gw.close();
  expectNoLeaks(manager);
  await manager.dispose();
});

describe('bounds', () => {
  it('closes a connection that sends a message over maxPayload with 1009, and serves the others', async () => {
    await start({ limits: { maxPayload: 4096 } });
    const w = await watcher();
    const c = await connect();
    c.sendRaw(JSON.stringify({ type: 'read', id: 1, name: `loc:/${'a'.repeat(5000)}` }));
    expect(await c.closed).toBe(1009);
    await w.check(1);
  });

  it('refuses the subscriptions past maxSubscriptions and keeps the others', async () => {
    await start({ limits: { maxSubscriptions: 3 } });
    const c = await connect();
    const items = Array.from({ length: 5 }, (_, i) => ({ sid: i, name: `loc:/lim/p${i}` }));
    const { refused } = await c.request('subscribe', { items });
    expect(refused.map((r) => [r.sid, r.error.code])).toEqual([
      [3, 'LIMIT_EXCEEDED'],
      [4, 'LIMIT_EXCEEDED'],
    ]);
    await c.request('unsubscribe', { sids: [0] });
    expect((await c.request('subscribe', { items: [items[3]!] })).refused).toEqual([]);
  });

  it('answers requests over the rate with RATE_LIMITED without running them, closes a flood with 4029, and serves the others', async () => {
    const clock = createVirtualClock(Date.now()); // time stands still: no token comes back
    await start({ clock, limits: { requestsPerSecond: 10, requestBurst: 5 } }, createManager({ gcTime: 0 }));
    const w = await watcher(); // 2 requests of its own budget
    const c = await connect();
    const replies = await Promise.allSettled(Array.from({ length: 8 }, () => c.request('ping', {})));
    expect(replies.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const limited = replies
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason as TkError);
    expect(limited.map((e) => e.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    clock.advance(1000); // ten tokens back, five of them within the burst
    await c.request('ping', {});
    for (let i = 0; i < 20; i++) c.sendRaw('{"type":"ping","id":1}');
    expect(await c.closed).toBe(4029);
    expect(gw.stats().closes).toMatchObject({ 4029: 1 });
    await w.check(2);
  });

  it('answers a request to a dead point with TIMEOUT instead of hanging (weiss#194), and bounds requests in flight', async () => {
    const dead = createDeadScheme();
    await start(
      { limits: { writeTimeoutMs: 200, readTimeoutMs: 200, maxPendingRequests: 2 } },
      createManager({ gcTime: 0, schemes: [dead] }),
    );
    const w = await watcher();
    const c = await connect();
    const write = c.request('write', { name: 'dead:/valve', value: 1 }).catch((e) => e as TkError);
    const read = c.request('read', { name: 'dead:/valve' }).catch((e) => e as TkError);
    const third = (await c.request('read', { name: 'dead:/pump' }).catch((e) => e)) as TkError;
    expect(third.code).toBe('LIMIT_EXCEEDED');
    await w.check(3); // the rest goes on meanwhile
    const [we, re] = [(await write) as TkError, (await read) as TkError];
    expect(we.code).toBe('TIMEOUT');
    expect(we.message).toContain('dead:/valve');
    expect(re.code).toBe('TIMEOUT');
    expect(await c.request('ping', {})).toEqual({});
  });
});

describe('bad input', () => {
  it('answers any garbage with an error reply, never a crash, and the others are served meanwhile', async () => {
    await start({ limits: { requestsPerSecond: 100_000, requestBurst: 100_000 } });
    const w = await watcher();
    const c = await connect();
    const garbage = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 100 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc
          .record(
            {
              type: fc.constantFrom(
                'subscribe',
                'read',
                'write',
                'fragment',
                'names',
                'children',
                'unsubscribe',
                'x',
              ),
              id: fc.nat(),
              name: fc.string(),
              uri: fc.string(),
              items: fc.jsonValue(),
              sids: fc.jsonValue(),
              value: fc.jsonValue(),
            },
            { requiredKeys: ['type', 'id'] },
          )
          .map((v) => JSON.stringify(v)),
      ),
      { numRuns: 400, seed: 42 },
    );
    for (const g of garbage) c.sendRaw(g);
    c.sendRaw('{"type":"ping","id":"last"}');
    await c.waitFor((m) => m.type === 'pong' && m.id === 'last', 20_000);
    // every message got exactly one reply (a result, an error or a pong); none was dropped
    const replies = c.messages.filter((m) => m.type === 'result' || m.type === 'error' || m.type === 'pong');
    expect(replies).toHaveLength(garbage.length + 1);
    await w.check(4);
    expect(gw.stats().clients).toBe(2);
  });

  it("refuses invalid names with the validator's reason", async () => {
    await start();
    const c = await connect();
    for (const name of ['eval:{', 'loc:/a b', 'cii.oldb:/nothere', 'nope:/x']) {
      const e = (await c.request('read', { name }).catch((err) => err)) as TkError;
      expect(['INVALID_NAME', 'UNKNOWN_SCHEME'], name).toContain(e.code);
      expect(e.message).toContain(name);
    }
    // a valid name whose expression cannot be evaluated reads as INVALID, with the sandbox's reason
    const deep = await c.request('read', { name: `eval:${'('.repeat(2000)}1${')'.repeat(2000)}` });
    expect(deep.reading.quality).toBe('INVALID');
    expect(deep.reading.error?.message.length).toBeLessThan(2000);
  });
});
