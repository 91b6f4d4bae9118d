import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { createManager, type Manager } from 'tk-core';
import { createGateway, type Gateway, type GatewayOptions } from 'tk-core/gateway';
import { createVirtualClock } from 'tk-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient, UpgradeRefused } from './support/client.js';

const TOKEN_A = 'alice-token-0123456789abcdef';
const TOKEN_B = 'bob-token-0123456789abcdefgh';
const SECRET = 'a-shared-secret-of-at-least-32-characters!';

let manager: Manager | undefined;
let gw: Gateway | undefined;
const clients: TestClient[] = [];

async function start(options: Omit<GatewayOptions, 'manager'>): Promise<Gateway> {
  manager = createManager({ gcTime: 0 });
  gw = await createGateway({ manager, audit: () => {}, ...options });
  return gw;
}

async function connect(options: Parameters<typeof TestClient.connect>[1] = {}): Promise<TestClient> {
  const c = await TestClient.connect(gw!.url, options);
  clients.push(c);
  return c;
}

async function refused(
  options: Parameters<typeof TestClient.connect>[1] = {},
  url = gw!.url,
): Promise<UpgradeRefused> {
  const err = await TestClient.connect(url, options).then(
    (c) => {
      clients.push(c);
      throw new Error('connected');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpgradeRefused);
  return err as UpgradeRefused;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await gw?.close();
  await manager?.dispose();
  gw = undefined;
  manager = undefined;
});

const tokens = {
  tokens: [
    { user: 'alice', roles: ['operator'], token: TOKEN_A },
    { user: 'bob', roles: ['viewer'], sha256: createHash('sha256').update(TOKEN_B).digest('hex') },
    {
      user: 'carol',
      roles: ['viewer'],
      token: 'carol-token-expired-long-ago',
      expires: '2001-01-01T00:00:00Z',
    },
  ],
};

describe('authentication at the upgrade', () => {
  it('accepts a token offered as a subprotocol, and never echoes it', async () => {
    await start({ auth: tokens });
    const c = await connect({ token: TOKEN_A });
    expect(c.welcome).toMatchObject({ user: 'alice', roles: ['operator'] });
    expect(c.socket.protocol).toBe('tk-gateway.v1');
  });

  it('accepts a token in the tk_token cookie, and a token listed by its SHA-256 only', async () => {
    await start({ auth: tokens });
    expect((await connect({ cookie: `theme=dark; tk_token=${TOKEN_A}` })).welcome.user).toBe('alice');
    expect((await connect({ token: TOKEN_B })).welcome.user).toBe('bob');
  });

  it('refuses no token, an unknown token and an expired one with 401', async () => {
    await start({ auth: tokens });
    expect((await refused()).status).toBe(401);
    expect((await refused({ token: 'not-a-known-token-at-all' })).status).toBe(401);
    expect((await refused({ token: 'carol-token-expired-long-ago' })).status).toBe(401);
    expect(gw!.stats().upgradesRefused).toEqual({ 401: 3 });
    expect(gw!.stats().clients).toBe(0);
  });

  it('checks JWTs with jose: roles from the claim, wrong signature or expiry refused', async () => {
    await start({ auth: { jwt: { secret: SECRET, issuer: 'ops' } } });
    const key = new TextEncoder().encode(SECRET);
    const jwt = (claims: Record<string, unknown>, exp: string | number = '1h', secret = key) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('dave')
        .setIssuer('ops')
        .setExpirationTime(exp)
        .sign(secret);
    const c = await connect({ token: await jwt({ roles: ['operator', 'viewer'] }) });
    expect(c.welcome).toMatchObject({ user: 'dave', roles: ['operator', 'viewer'] });
    expect(
      (await refused({ token: await jwt({ roles: [] }, '1h', new TextEncoder().encode('x'.repeat(40))) }))
        .status,
    ).toBe(401);
    expect((await refused({ token: await jwt({}, Math.floor(Date.now() / 1000) - 3600) })).status).toBe(401);
    const otherIssuer = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('eve')
      .setIssuer('elsewhere')
      .sign(key);
    expect((await refused({ token: otherIssuer })).status).toBe(401);
  });

  it('closes a connection with 4401 when its token expires during the session', async () => {
    const clock = createVirtualClock(Date.now());
    await start({ auth: { jwt: { secret: SECRET } }, clock });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const token = await new SignJWT({ roles: ['viewer'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('frank')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(SECRET));
    const c = await connect({ token });
    clock.advance(30_000);
    await c.request('ping', {});
    clock.advance(31_000);
    expect(await c.closed).toBe(4401);
  });

  it('refuses a configuration that would serve anonymous users beyond loopback', async () => {
    const m = createManager();
    try {
      await expect(createGateway({ manager: m, host: '0.0.0.0' })).rejects.toThrow(/needs auth/);
      await expect(
        createGateway({ manager: m, auth: { tokens: [{ user: 'x', roles: [], token: 'short' }] } }),
      ).rejects.toThrow(/at least 16 characters/);
      await expect(createGateway({ manager: m, auth: { jwt: { secret: 'short' } } })).rejects.toThrow(
        /32 characters/,
      );
    } finally {
      await m.dispose();
    }
  });
});

describe('the upgrade: origin, subprotocol, path, connection limit', () => {
  it('allows listed origins, the same host, and clients that send no Origin; refuses other origins with 403', async () => {
    await start({ auth: 'none', origins: ['https://ops.example.org'] });
    await connect({ origin: 'https://ops.example.org' });
    await connect(); // no Origin: not a browser
    await connect({ origin: `http://${new URL(gw!.url).host}` }); // the gateway's own pages
    const r = await refused({ origin: 'https://evil.example.com' });
    expect(r.status).toBe(403);
    expect(r.body).toContain('https://evil.example.com');
    expect((await refused({ origin: 'null' })).status).toBe(403);
  });

  it('refuses a client that does not offer the subprotocol (400), another path (404), and connections past the limit (503)', async () => {
    await start({ auth: 'none', limits: { maxConnections: 2 } });
    const r = await refused({ protocols: ['chat'] });
    expect(r.status).toBe(400);
    expect(r.body).toContain('tk-gateway.v1');
    expect((await refused({}, `${gw!.url}elsewhere`)).status).toBe(404);
    await connect();
    await connect();
    expect((await refused()).status).toBe(503);
  });
});
