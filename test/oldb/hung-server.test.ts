/**
 * A server that hangs instead of dying (SIGSTOP, CLIENT PAUSE, DEBUG SLEEP)
 * and a server known to be down: the store notices a hang within
 * 1.5 × heartbeatTimeout, shows it disconnected and INVALID, fails calls at
 * once while the server is known to be away, names each operation correctly
 * in its errors, and re-reads when the server answers again. Against
 * redis-server processes this file starts and stops by pid.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectionState,
  createManager,
  Quality,
  type Quantity,
  type Reading,
} from '../../src/index.js';
import {
  createRedisStore,
  type OldbConnectionEvent,
  type OldbEvent,
  type RedisOldbStore,
} from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const enabled = canRunRedisServer();
const HEARTBEAT = 300;

/**
 * A time limit that never ends within a test: a call that fails while the
 * store's limit is this long failed without waiting for it (no time is read).
 */
const HOUR = 3_600_000;

/** Resolves with the error of `p`. */
async function failure(p: Promise<unknown>): Promise<{ error: { code: string; message: string } }> {
  try {
    await p;
  } catch (e) {
    return { error: e as { code: string; message: string } };
  }
  throw new Error('expected a rejection');
}

describe.skipIf(!enabled)('a server that hangs or is down', () => {
  let server: RedisProcess;
  let admin: Redis;
  const stores: RedisOldbStore[] = [];
  const open = (timeout = 1000) => {
    const s = createRedisStore({
      url: server.url,
      timeout,
      maxReconnectDelay: 100,
      heartbeatTimeout: HEARTBEAT,
    });
    stores.push(s);
    return s;
  };
  /** A store connected (its connection state says so). */
  const connected = async (s: RedisOldbStore) => {
    const q = new EventQueue<OldbConnectionEvent>();
    const off = s.onConnection(q.push);
    if (s.connectionState !== 'connected') await q.next((e) => e.state === 'connected', 10_000);
    off();
  };

  beforeAll(async () => {
    server = await RedisProcess.start({ debugCommand: true });
    admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => {}); // down while the server is killed
  });
  afterEach(async () => {
    server.resume();
    await Promise.all(stores.splice(0).map((s) => s.close()));
    if (!server.running) await server.start();
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  it('SIGSTOP: disconnected within 1.5 × heartbeatTimeout, calls fail at once, resync after SIGCONT', async () => {
    const store = open(HOUR); // calls fail at once: never by the time limit
    await store.declare('/root/h/x', { type: 'integer', value: 1 }, { ifExists: 'replace' });
    const events = new EventQueue<OldbEvent>();
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    store.subscribe('/root/h/x', events.push);
    await events.next((e) => e.kind === 'snapshot');
    await connected(store);

    server.pause();
    const down = await conn.next((e) => e.state === 'disconnected', 3000, 'the hang to be noticed');
    expect(down.error?.message).toContain(`${server.url}/0`);
    expect(down.error?.message).toMatch(/does not answer.*PING within 300 ms/);
    expect(store.connectionState).toBe('disconnected');
    const w = await failure(store.write('/root/h/x', { value: 2 }));
    expect(w.error.code).toBe('BACKEND_UNAVAILABLE');
    expect(w.error.message).toMatch(
      /^Cannot write \/root\/h\/x: OLDB server .* does not answer.*nothing was sent$/,
    );
    const r = await failure(store.read('/root/h/x'));
    expect(r.error.message).toMatch(/^Cannot read \/root\/h\/x: .*nothing was sent$/);

    server.resume();
    await conn.next((e) => e.state === 'connected', 5000, 'the server to answer again');
    const again = await events.next((e) => e.kind === 'snapshot' && e.resync, 5000, 'the resync');
    expect(again.kind === 'snapshot' && again.snapshot.value).toBe(1);
    const ok = await store.write('/root/h/x', { value: 3 });
    expect(ok.value).toBe(3);
    const v = await events.next((e) => e.kind === 'value' && e.seq === ok.seq);
    expect(v.kind === 'value' && v.sample.value).toBe(3);
  });

  it('SIGSTOP through the manager: INVALID and disconnected, cached reads too, VALID again after SIGCONT', async () => {
    const writer = open();
    await writer.declare(
      '/root/h/m',
      { type: 'double', value: 4, metadata: { units: 'mm' } },
      { ifExists: 'replace' },
    );
    const store = open(HOUR); // the write fails at once: never by a time limit
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store, writeTimeout: HOUR })],
    });
    try {
      const a = m.attribute('cii.oldb:/root/h/m');
      const readings = new EventQueue<Reading>();
      const states = new EventQueue<ConnectionState>();
      const s1 = a.value$.subscribe(readings.push);
      const s2 = a.connection$.subscribe(states.push);
      await readings.next((r) => r.quality === Quality.VALID);
      await states.next((s) => s === 'connected');

      server.pause();
      const bad = await readings.next((r) => r.error !== undefined, 3000, 'an INVALID reading');
      expect(bad.quality).toBe(Quality.INVALID);
      expect(bad.error?.code).toBe('BACKEND_UNAVAILABLE');
      expect(bad.error?.message).toContain('does not answer');
      await states.next((s) => s === 'disconnected');
      const cached = await a.read();
      expect(cached.quality).toBe(Quality.INVALID);
      const w = await failure(a.write(5));
      expect(w.error.code).toBe('BACKEND_UNAVAILABLE');
      expect(w.error.message).toContain('Cannot write OLDB datapoint /root/h/m');
      expect(w.error.message).toContain('was not sent');

      server.resume();
      const good = await readings.next((r) => r.error === undefined, 5000, 'a VALID reading again');
      expect(good.quality).toBe(Quality.VALID);
      expect((good.rvalue as Quantity).magnitude).toBe(4);
      await states.next((s) => s === 'connected');
      s1.unsubscribe();
      s2.unsubscribe();
    } finally {
      await m.dispose();
    }
  });

  it('CLIENT PAUSE: a write whose first step times out names the write and says it was not sent; nothing is applied', async () => {
    const writer = createRedisStore({ url: server.url, heartbeatTimeout: 0 });
    stores.push(writer);
    await writer.declare('/root/h/p', { type: 'double', value: 1 }, { ifExists: 'replace' });
    // no heartbeat here: the write must meet the pause itself
    const store = createRedisStore({ url: server.url, heartbeatTimeout: 0 });
    stores.push(store);
    await connected(store);
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store, writeTimeout: 300 })],
    });
    try {
      await admin.client('PAUSE', 1500, 'ALL');
      const w = await failure(m.attribute('cii.oldb:/root/h/p').write(9));
      expect(w.error.code).toBe('TIMEOUT');
      expect(w.error.message).toMatch(/^Cannot write OLDB datapoint \/root\/h\/p: .*the write was not sent/);
      expect(w.error.message).toContain('no reply');
      expect(w.error.message).not.toContain('may or may not have taken effect');
      // once the pause is over, the value is still the old one: the write was indeed not sent
      expect((await writer.read('/root/h/p', { timeout: 5000 })).value).toBe(1);
    } finally {
      await m.dispose();
    }
  });

  it('CLIENT PAUSE and DEBUG SLEEP are noticed by the heartbeat, and the end of them too', async () => {
    const store = open();
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    await connected(store);
    await admin.client('PAUSE', 1200, 'ALL');
    await conn.next((e) => e.state === 'disconnected', 3000, 'CLIENT PAUSE to be noticed');
    await conn.next((e) => e.state === 'connected', 5000, 'the end of the pause');

    const sleeper = new Redis(server.url);
    try {
      const sleeping = sleeper.call('DEBUG', 'SLEEP', '1.2');
      await conn.next((e) => e.state === 'disconnected', 3000, 'DEBUG SLEEP to be noticed');
      await sleeping;
      await conn.next((e) => e.state === 'connected', 5000, 'the end of the sleep');
    } finally {
      sleeper.disconnect();
    }
  });

  it('a read timing out names a read and does not claim an effect', async () => {
    const store = createRedisStore({ url: server.url, heartbeatTimeout: 0 });
    stores.push(store);
    await store.declare('/root/h/r', { type: 'double', value: 1 }, { ifExists: 'replace' });
    await admin.client('PAUSE', 1000, 'ALL');
    const r = await failure(store.read('/root/h/r', { timeout: 200 }));
    expect(r.error.code).toBe('TIMEOUT');
    expect(r.error.message).toMatch(/^OLDB read \/root\/h\/r: no reply from .* within 200 ms$/);
    await admin.client('UNPAUSE');
  });

  it('a server known to be down: writes fail at once naming the server and saying nothing was sent', async () => {
    const store = open(HOUR); // at once: never by the time limit
    await store.declare('/root/h/d', { type: 'integer', value: 1 }, { ifExists: 'replace' });
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    await server.kill();
    await conn.next((e) => e.state === 'disconnected');
    for (let i = 0; i < 3; i++) {
      const w = await failure(store.write('/root/h/d', { value: 2 }));
      expect(w.error.code).toBe('BACKEND_UNAVAILABLE');
      expect(w.error.message).toContain(`${server.url}/0`);
      expect(w.error.message).toMatch(/^Cannot write \/root\/h\/d: .*is not reachable.*nothing was sent$/);
    }
    // through the manager
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store, writeTimeout: HOUR })],
    });
    try {
      const w = await failure(m.attribute('cii.oldb:/root/h/d').write(3));
      expect(w.error.code).toBe('BACKEND_UNAVAILABLE');
      expect(w.error.message).toContain(`${server.url}/0`);
      expect(w.error.message).toContain('the write was not sent');
    } finally {
      await m.dispose();
    }
    await server.start();
    await conn.next((e) => e.state === 'connected', 10_000);
    // (the server kept no data: it starts empty)
    await store.declare('/root/h/d', { type: 'integer', value: 4 });
    expect((await store.write('/root/h/d', { value: 5 })).value).toBe(5);
  });

  it('reads asked for together fail each naming its own datapoint', async () => {
    const store = open(HOUR); // at once: never by the time limit
    const paths = ['/root/h/t1', '/root/h/t2', '/root/h/t3'];
    for (const p of paths) await store.declare(p, { type: 'integer', value: 1 }, { ifExists: 'replace' });
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    await server.kill();
    await conn.next((e) => e.state === 'disconnected');
    // one tick: the store sends them as one operation
    const failed = await Promise.all(paths.map((p) => failure(store.read(p))));
    for (const [i, r] of failed.entries()) {
      expect(r.error.code).toBe('BACKEND_UNAVAILABLE');
      expect(r.error.message).toMatch(
        new RegExp(`^Cannot read ${paths[i]!.replaceAll('/', '\\/')}: .*is not reachable.*nothing was sent$`),
      );
    }
    await server.start();
    await conn.next((e) => e.state === 'connected', 10_000);
  });

  it('a server that was never reachable: the first call waits for the first attempt only, later ones fail at once', async () => {
    // a time limit of an hour: a failure within the test's time is not the limit's
    const closed = createRedisStore({ url: 'redis://127.0.0.1:1', timeout: HOUR });
    stores.push(closed);
    const first = await failure(closed.write('/root/h/z', { value: 1 }));
    expect(first.error.code).toBe('BACKEND_UNAVAILABLE');
    expect(first.error.message).toContain('redis://127.0.0.1:1/0');
    expect(first.error.message).not.toMatch(/within/);
    const second = await failure(closed.write('/root/h/z', { value: 1 }));
    expect(second.error.code).toBe('BACKEND_UNAVAILABLE');
    expect(second.error.message).toContain('redis://127.0.0.1:1/0');
  });
});
