/**
 * Fault tests against redis-server processes this file starts, kills with
 * SIGKILL and restarts on the same port, and against `CLIENT KILL TYPE pubsub`.
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

describe.skipIf(!enabled)('Redis faults', () => {
  let server: RedisProcess;
  const stores: RedisOldbStore[] = [];
  const open = (timeout = 1000) => {
    const s = createRedisStore({ url: server.url, timeout, maxReconnectDelay: 100 });
    stores.push(s);
    return s;
  };
  beforeAll(async () => {
    server = await RedisProcess.start({ persistent: true });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    if (!server.running) await server.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a sent write without a reply within its time limit fails with TIMEOUT, saying it may have taken effect', async () => {
    const store = open(1000);
    await store.declare('/root/f/slow', { type: 'integer', value: 0 });
    const admin = new Redis(server.url);
    try {
      await admin.client('PAUSE', 1500, 'WRITE'); // the server holds write commands (scripts included) for 1.5 s
      const err = await store.write('/root/f/slow', { value: 7 }, { timeout: 100 }).catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('TIMEOUT');
      expect((err as Error).message).toContain('may or may not have taken effect');
      expect((err as Error).message).toContain('100 ms');
      // the server applies it once unpaused: "may have taken effect" was the truth
      const after = await store.read('/root/f/slow', { timeout: 5000 });
      expect(after.value).toBe(7);
      // later calls have their own time limits and succeed
      const ok = await store.write('/root/f/slow', { value: 8 });
      expect(ok.value).toBe(8);
    } finally {
      admin.disconnect();
    }
  });

  it('SIGKILL + restart: disconnect event, fast-failing unsent writes, nothing acknowledged lost, resync', async () => {
    const store = open(800);
    await store.declare('/root/f/x', { type: 'integer', value: 0 });
    const events = new EventQueue<OldbEvent>();
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    store.subscribe('/root/f/x', events.push);
    await events.next((e) => e.kind === 'snapshot');
    const acked = await store.write('/root/f/x', { value: 1 });
    await events.next((e) => e.kind === 'value' && e.seq === acked.seq);

    await server.kill();
    const down = await conn.next((e) => e.state === 'disconnected');
    expect(down.error?.message).toContain(server.url);
    const failed = await store
      .write('/root/f/x', { value: 666 })
      .catch((e: { code: string; message: string }) => e);
    expect(failed).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    // known to be down: it fails at once, not after its time limit
    expect((failed as unknown as Error).message).toMatch(
      /^Cannot write \/root\/f\/x: .*is not reachable.*nothing was sent$/,
    );

    await server.start();
    await conn.next((e) => e.state === 'connected', 10_000);
    const resync = await events.next((e) => e.kind === 'snapshot' && e.resync, 10_000);
    expect(resync.kind === 'snapshot' && resync.snapshot.value).toBe(1);
    // a fresh reader sees the acknowledged value, never the one that failed
    const fresh = open();
    expect((await fresh.read('/root/f/x')).value).toBe(1);
    // and the watch goes on
    const w = await fresh.write('/root/f/x', { value: 2 });
    const after = await events.next((e) => e.kind === 'value' && e.seq === w.seq, 10_000);
    expect(after.kind === 'value' && after.sample.value).toBe(2);
  }, 30_000);

  it('CLIENT KILL TYPE pubsub: the value written during the gap reaches the watcher after recovery', async () => {
    const store = open();
    const writer = open();
    await writer.declare('/root/f/gap', { type: 'double', value: 0 });
    const events = new EventQueue<OldbEvent>();
    store.subscribe('/root/f/gap', events.push);
    await events.next((e) => e.kind === 'snapshot');
    const admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      for (let round = 1; round <= 3; round++) {
        const conn = new EventQueue<OldbConnectionEvent>();
        const off = store.onConnection(conn.push);
        const killed = await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
        expect(Number(killed)).toBeGreaterThanOrEqual(1);
        const w = await writer.write('/root/f/gap', { value: round * 1.5 });
        await conn.next((e) => e.state === 'connected', 10_000);
        const seen = await events.next(
          (e) =>
            (e.kind === 'snapshot' && e.snapshot.seq >= w.seq) || (e.kind === 'value' && e.seq === w.seq),
          10_000,
        );
        expect(
          seen.kind === 'snapshot' ? seen.snapshot.value : seen.kind === 'value' && seen.sample.value,
        ).toBe(round * 1.5);
        off();
      }
      expect(store.stats().resyncs).toBeGreaterThanOrEqual(3);
    } finally {
      admin.disconnect();
    }
  }, 30_000);

  it('through the manager: INVALID readings and a disconnected state while down, the gap value after restart', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url: server.url, writeTimeout: 500 } },
    });
    try {
      const writer = open();
      await writer.declare(
        '/root/f/m',
        { type: 'double', value: 1, metadata: { units: 'mm' } },
        { ifExists: 'replace' },
      );
      const a = m.attribute('cii.oldb:/root/f/m');
      const readings = new EventQueue<Reading>();
      const states = new EventQueue<ConnectionState>();
      const s1 = a.value$.subscribe(readings.push);
      const s2 = a.connection$.subscribe(states.push);
      await readings.next((r) => r.quality === Quality.VALID);
      await states.next((s) => s === 'connected');

      await server.kill();
      const bad = await readings.next((r) => r.error !== undefined, 10_000);
      expect(bad.quality).toBe(Quality.INVALID);
      expect(bad.error?.code).toBe('BACKEND_UNAVAILABLE');
      await states.next((s) => s === 'disconnected');
      const w = await a.write(5).catch((e: { code: string }) => e);
      expect(w).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });

      const writerBack = new EventQueue<OldbConnectionEvent>();
      writer.onConnection(writerBack.push);
      await server.start();
      // written by another client as soon as it is back: before or after the manager's store reconnects
      await writerBack.next((e) => e.state === 'connected', 10_000);
      await writer.write('/root/f/m', { value: 7 });
      const good = await readings.next(
        (r) => r.error === undefined && (r.rvalue as Quantity).magnitude === 7,
        10_000,
      );
      expect(good.quality).toBe(Quality.VALID);
      expect(String(good.rvalue)).toBe('7 mm');
      await states.next((s) => s === 'connected');
      s1.unsubscribe();
      s2.unsubscribe();
    } finally {
      await m.dispose();
    }
  }, 30_000);
});
