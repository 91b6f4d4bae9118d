import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager, type Manager } from 'tk-core';
import { createGateway, type Gateway, type GatewayOptions } from 'tk-core/gateway';
import { createVirtualClock, expectNoLeaks } from 'tk-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';

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
async function connect(o: Parameters<typeof TestClient.connect>[1] = {}): Promise<TestClient> {
  const c = await TestClient.connect(gw.url, o);
  clients.push(c);
  return c;
}
const turn = () => new Promise((r) => setImmediate(r));

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await gw.close();
  expectNoLeaks(manager);
  await manager.dispose();
});

describe('a client that stops reading', () => {
  it('gets the latest value of each attribute when it reads again, costs bounded memory meanwhile, and never slows another client', async () => {
    const hwm = 16 * 1024;
    await start({ limits: { highWaterMark: hwm } });
    const N = 50;
    const names = Array.from({ length: N }, (_, i) => `loc:/flow/p${i}?type=string`);
    const attrs = names.map((n) => manager.attribute(n));
    const items = names.map((name, sid) => ({ sid, name }));
    const stalled = await connect();
    const reader = await connect();
    await stalled.request('subscribe', { items });
    await reader.request('subscribe', { items });
    await reader.waitFor((m) => m.type === 'value' && m.sid === N - 1);
    await stalled.waitFor((m) => m.type === 'value' && m.sid === N - 1);
    stalled.pauseReading(true);
    const pad = 'x'.repeat(4000);
    const round = async (r: number) => {
      await Promise.all(attrs.map((a, i) => a.write(`r${r}-p${i}-${pad}`)));
      await turn();
    };
    // enough rounds to fill the stalled client's kernel buffers many times over (about 200 MB offered)
    let r = 0;
    while (gw.stats().blockedClients === 0 && r < 2000) await round(r++);
    expect(gw.stats().blockedClients).toBe(1);
    const before = gw.stats();
    for (let k = 0; k < 100; k++) await round(r++);
    const after = gw.stats();
    // memory: the socket's backlog stays under the high-water mark plus one frame, and one update per subscription waits
    for (const s of [before, after]) {
      expect(s.bufferedBytes).toBeLessThan(hwm + 64 * 1024 + 8 * 1024);
      expect(s.pendingSubscriptions).toBeLessThanOrEqual(N);
    }
    expect(after.updatesCoalesced - before.updatesCoalesced).toBeGreaterThanOrEqual(100 * N - N);
    // the other client got every attribute's last value while the first one was stalled
    const last = r - 1;
    for (let i = 0; i < N; i++) {
      await reader.waitFor(
        (m) => m.type === 'value' && m.sid === i && String(m.reading.rvalue).startsWith(`r${last}-p${i}-`),
      );
    }
    // reading again: the latest value of each attribute arrives, not the backlog
    const seen = stalled.messages.length;
    stalled.pauseReading(false);
    for (let i = 0; i < N; i++) {
      await stalled.waitFor(
        (m) => m.type === 'value' && m.sid === i && String(m.reading.rvalue).startsWith(`r${last}-p${i}-`),
        10_000,
        seen,
      );
    }
    const delivered = stalled.messages.slice(seen).filter((m) => m.type === 'value').length;
    expect(delivered).toBeLessThan((r * N) / 4);
    expect(gw.stats().blockedClients).toBe(0);
  });

  it('is closed with 4008 when its unread replies pass the bound', async () => {
    await start({
      limits: { highWaterMark: 1024, maxQueuedReplies: 50, requestsPerSecond: 1e6, requestBurst: 1e6 },
    });
    const c = await connect();
    c.pauseReading(true);
    const big = `loc:/flow/big?type=string&init=${'y'.repeat(3000)}`;
    for (let i = 0; i < 3000; i++) c.sendRaw(JSON.stringify({ type: 'read', id: i, name: big }));
    c.pauseReading(false);
    expect(await c.closed).toBe(4008);
    expect(gw.stats().closes).toMatchObject({ 4008: 1 });
  });
});

describe('maxRate', () => {
  it('sends a throttled subscription at most once per interval, the latest value, and leaves the others alone', async () => {
    const clock = createVirtualClock(1_000_000);
    await start({ clock }, createManager({ gcTime: 0, clock }));
    const X = 'loc:/flow/x?type=int&init=0';
    const c = await connect();
    await c.request('subscribe', {
      items: [
        { sid: 1, name: X, maxRate: 10 },
        { sid: 2, name: X },
      ],
    });
    await c.waitFor((m) => m.type === 'value' && m.sid === 1);
    for (let v = 1; v <= 5; v++) await c.request('write', { name: X, value: v });
    await c.waitFor((m) => m.type === 'value' && m.sid === 2 && String(m.reading.rvalue) === '5');
    const values = (sid: number) =>
      c.of(sid, 'value').map((m) => (m.type === 'value' ? String(m.reading.rvalue) : ''));
    expect(values(1)).toEqual(['0']); // the interval has not passed: the values wait, replaced by newer ones
    expect(values(2)).toContain('5');
    clock.advance(99);
    await c.request('ping', {});
    expect(values(1)).toEqual(['0']);
    clock.advance(1);
    await c.waitFor((m) => m.type === 'value' && m.sid === 1 && String(m.reading.rvalue) === '5');
    expect(values(1)).toEqual(['0', '5']);
    expect(gw.stats().updatesCoalesced).toBeGreaterThanOrEqual(4);
    // per-second figures: the second that just ended
    const sent = gw.stats().updatesSent;
    clock.advance(1000);
    expect(gw.stats()).toMatchObject({
      updatesSentPerSecond: sent,
      updatesCoalescedPerSecond: gw.stats().updatesCoalesced,
    });
    clock.advance(1000);
    expect(gw.stats()).toMatchObject({ updatesSentPerSecond: 0, updatesCoalescedPerSecond: 0 });
  });
});

describe('heartbeats', () => {
  it('closes a connection that does not answer pings, and keeps one that does', async () => {
    const clock = createVirtualClock(Date.now());
    await start({ clock, limits: { heartbeatMs: 1000 } });
    const good = await connect();
    const dead = await connect({ autoPong: false });
    clock.advance(1000); // ping
    await good.request('ping', {}); // its reply follows the ping frame, so the pong went out before...
    await good.request('ping', {}); // ...this request, which the gateway reads after the pong
    await dead.request('ping', {});
    await dead.request('ping', {});
    clock.advance(1000); // no pong from `dead`: closed
    expect(await dead.closed).toBe(1006);
    expect(await good.request('ping', {})).toEqual({});
    expect(gw.stats().clients).toBe(1);
  });
});

describe('operations', () => {
  const fetchText = (url: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
        );
      }).on('error', reject);
    });

  it('serves /healthz and Prometheus text at /metrics: clients, subscriptions, updates, refusals, write latency', async () => {
    await start();
    const c = await connect();
    await c.request('subscribe', {
      items: [
        { sid: 1, name: 'loc:/ops/x' },
        { sid: 2, name: 'bad:/x' },
      ],
    });
    await c.request('write', { name: 'loc:/ops/x', value: 2 });
    await c.waitFor((m) => m.type === 'value' && m.sid === 1 && String(m.reading.rvalue) === '2');
    const base = gw.url.replace('ws://', 'http://').replace(/\/$/, '');
    const health = await fetchText(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', clients: 1, subscriptions: 1 });
    const m = await fetchText(`${base}/metrics`);
    expect(m.type).toContain('text/plain; version=0.0.4');
    const sample = (name: string) => {
      const line = m.body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(sample('tk_gateway_clients')).toBe(1);
    expect(sample('tk_gateway_subscriptions')).toBe(1);
    expect(sample('tk_gateway_updates_sent_total')).toBeGreaterThanOrEqual(2);
    expect(m.body).toContain('tk_gateway_refused_total{code="UNKNOWN_SCHEME"} 1');
    expect(m.body).toContain('tk_gateway_writes_total{result="ok"} 1');
    expect(m.body).toContain('tk_gateway_write_duration_seconds_count 1');
    expect(m.body).toMatch(/# TYPE tk_gateway_write_duration_seconds histogram/);
    // every sample line is `name{labels} number`
    for (const line of m.body
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"]*"\})? [-+0-9.eInfNa]+$/);
    expect((await fetchText(`${base}/nothing`)).status).toBe(404);
  });

  it('serves wss:// when given an https server (TLS)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'));
      const server = createHttpsServer({ cert, key: readFileSync(join(dir, 'key.pem')) }, (req, res) => {
        if (!gw.handleRequest(req, res)) res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        await start({ server, auth: 'none' });
        expect(gw.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/$/);
        const c = await connect({ ca: cert });
        expect(c.welcome.user).toBe('anonymous');
        expect(String((await c.request('read', { name: 'eval:1+1' })).reading.rvalue)).toBe('2');
      } finally {
        for (const c of clients.splice(0)) await c.close();
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
