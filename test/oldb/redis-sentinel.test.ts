/**
 * The Redis store on a master managed by Sentinel (`redis+sentinel://...`):
 * one master, one replica and three sentinels started by this file on free
 * loopback ports (down-after 1000 ms), every process killed by its pid
 * afterwards. `kill -9` of the master during a write stream: the sentinels
 * promote the replica, the store follows (ioredis asks the sentinels on each
 * reconnection), resubscribes and re-reads; writes fail clearly or succeed,
 * never past their time limit. And `CLIENT KILL TYPE pubsub`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager } from '../../src/index.js';
import type { OldbConnectionEvent, OldbEvent, RedisOldbStore } from '../../src/oldb-store/index.js';
import { createRedisStore } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { canRunRedisServer, RedisProcess, testPrefix } from '../support/redis.js';
import { cli, RedisSentinelProcess, until } from '../support/redis-cluster.js';
import { EventQueue } from './event-queue.js';
import { ReplicatedStream } from './replicated-stream.js';

const enabled = canRunRedisServer();
let setup: RedisSentinelProcess;
const stores: RedisOldbStore[] = [];

beforeAll(async () => {
  if (enabled) setup = await RedisSentinelProcess.start(1000);
}, 60_000);
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await setup?.stop();
});

async function open(prefix: string, timeout = 2000): Promise<RedisOldbStore> {
  const s = createRedisStore({ url: setup.url, prefix, timeout });
  stores.push(s);
  await until('the store to connect', async () => s.connectionState === 'connected', 20_000);
  return s;
}

function lastValue(q: EventQueue<OldbEvent>): unknown {
  for (let i = q.all.length - 1; i >= 0; i--) {
    const e = q.all[i]!;
    if (e.kind === 'snapshot') return e.snapshot.value;
    if (e.kind === 'value') return e.sample.value;
  }
  return undefined;
}

describe.skipIf(!enabled)('cii.oldb store on Sentinel', () => {
  it('names the sentinels and the master, never credentials', async () => {
    const s = await open(testPrefix('sname'));
    expect(s.description).toBe(setup.url.replace(/\/tkmaster$/, '/tkmaster/0'));
  }, 30_000);

  it('CLIENT KILL TYPE pubsub: the subscriber comes back, the value written in the gap arrives', async () => {
    const store = await open(testPrefix('skill'));
    const path = '/root/skill/x';
    await store.declare(path, { type: 'integer', value: 0 });
    const q = new EventQueue<OldbEvent>();
    const sub = store.subscribe(path, q.push);
    await q.next((e) => e.kind === 'snapshot');
    const resyncs = store.stats().resyncs;
    await cli(await setup.masterPort(), 'CLIENT', 'KILL', 'TYPE', 'pubsub');
    await store.write(path, { value: 1 });
    await until('the re-read', async () => store.stats().resyncs > resyncs, 10_000);
    await until('the watcher to have the value', async () => lastValue(q) === 1, 10_000);
    await store.write(path, { value: 2 });
    await q.next((e) => e.kind === 'value' && e.sample.value === 2, 10_000);
    sub.unsubscribe();
  }, 30_000);

  it("durability 'replicated': acknowledged only once the replica has the write; a write refused by the script waits for nothing", async () => {
    const prefix = testPrefix('sdur');
    const store = await open(prefix);
    const path = '/root/sdur/x';
    await store.declare(path, { type: 'integer', value: 0 });
    for (let i = 1; i <= 20; i++) {
      const w = await store.write(path, { value: i }, { durability: 'replicated' });
      expect(w.value).toBe(i);
      // at the acknowledgement the replica has it: a failover to it keeps it
      const onReplica = await cli(setup.replica.port, 'HGET', `${prefix}dp:${path}`, 'v');
      expect(onReplica.trim()).toBe(String(i));
    }
    const e = await store
      .write('/root/sdur/none', { value: 1 }, { durability: 'replicated' })
      .catch((x: unknown) => x);
    expect((e as { code: string }).code).toBe('NOT_FOUND');
  }, 30_000);

  it("durability 'replicated' without a replica: a TIMEOUT saying the master applied it and a failover may lose it", async () => {
    const single = await RedisProcess.start();
    const store = createRedisStore({ url: single.url, durability: 'replicated', replicationTimeout: 200 });
    try {
      await store.declare('/root/dur/x', { type: 'double', value: 1 });
      const t0 = Date.now();
      const e = (await store.write('/root/dur/x', { value: 2 }).catch((x: unknown) => x)) as {
        code: string;
        message: string;
      };
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(e.code).toBe('TIMEOUT');
      expect(e.message).toContain('/root/dur/x');
      expect(e.message).toContain('0 of 1 replica(s) confirmed it within 200 ms');
      expect(e.message).toContain('may or may not have taken effect');
      expect((await store.read('/root/dur/x')).value).toBe(2); // the master has it
      // the default durability per write
      await store.write('/root/dur/x', { value: 3 }, { durability: 'acknowledged' });
      // through the scheme: createOldbScheme({ durability })
      const m = createManager({
        builtins: false,
        gcTime: 0,
        schemes: [createOldbScheme({ url: single.url, durability: 'replicated', writeTimeout: 2000 })],
      });
      try {
        const err = (await m
          .attribute('cii.oldb:/root/dur/x')
          .write(4)
          .catch((x: unknown) => x)) as Error;
        expect(err.message).toContain('replica(s) confirmed it');
      } finally {
        await m.dispose();
      }
      expect(() => createManager({ schemes: [createOldbScheme({ durability: 'fsync' as never })] })).toThrow(
        /acknowledged' or 'replicated/,
      );
    } finally {
      await store.close();
      await single.stop();
    }
  }, 30_000);

  it("a 'replicated' write waiting for replicas holds no other call of the store: a write, a read and a declaration sent meanwhile are answered first", async () => {
    const single = await RedisProcess.start();
    // no replica: each WAIT waits the whole replicationTimeout
    const store = createRedisStore({
      url: single.url,
      durability: 'replicated',
      replicationTimeout: 1000,
      timeout: 5000,
    });
    try {
      await store.declare('/root/lane/x', { type: 'integer', value: 0 });
      await store.declare('/root/lane/y', { type: 'integer', value: 0 });
      // the connection of the replicated writes, opened with the store, has finished its handshake (INFO comes last)
      await until('the connection of the replicated writes', async () =>
        /name=tk-core-oldb-replicated .*cmd=info/.test(await cli(single.port, 'CLIENT', 'LIST')),
      );
      const order: string[] = [];
      const replicated = store.write('/root/lane/x', { value: 1 }).then(
        () => order.push('replicated'),
        (e: { code?: string }) => order.push(`replicated ${e.code}`),
      );
      await Promise.all([
        store
          .write('/root/lane/y', { value: 2 }, { durability: 'acknowledged' })
          .then(() => order.push('write')),
        store.read('/root/lane/x').then(() => order.push('read')),
        store.declare('/root/lane/z', { type: 'integer', value: 3 }).then(() => order.push('declare')),
      ]);
      await replicated;
      // before the replicated writes had a connection of their own, the three waited behind WAIT
      expect(order.slice(0, 3).sort()).toEqual(['declare', 'read', 'write']);
      expect(order[3]).toBe('replicated TIMEOUT');
      expect((await store.read('/root/lane/x')).value).toBe(1); // applied by the master all the same
    } finally {
      await store.close();
      await single.stop();
    }
  }, 30_000);

  it('a write a server cannot serve now (READONLY of a replica, as during a failover) is BACKEND_UNAVAILABLE saying nothing was applied', async () => {
    const store = createRedisStore({
      url: `redis://127.0.0.1:${setup.replica.port}`,
      prefix: testPrefix('sro'),
    });
    try {
      const err = await store.declare('/root/sro/x', { type: 'integer', value: 1 }).then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err?.code).toBe('BACKEND_UNAVAILABLE');
      expect(err?.message).toMatch(/cannot serve it now \(READONLY .*\); nothing was applied$/);
    } finally {
      await store.close();
    }
  });

  it("kill -9 of the master during write streams: the replica is promoted, the store follows and re-reads, no 'replicated' write acknowledged is lost", async () => {
    const prefix = testPrefix('sfail');
    const timeout = 1500;
    const store = await open(prefix, timeout);
    const path = '/root/sfail/x';
    await store.declare(path, { type: 'integer', value: 0 });
    const durable = ['/root/sfail/r1', '/root/sfail/r2'];
    for (const p of durable) await store.declare(p, { type: 'integer', value: 0 });
    const replicated = new ReplicatedStream(store, durable);
    const q = new EventQueue<OldbEvent>();
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    const sub = store.subscribe(path, q.push);
    await q.next((e) => e.kind === 'snapshot');
    await until(
      'the replica to have the datapoint',
      async () => (await cli(setup.replica.port, 'EXISTS', `${prefix}dp:${path}`)).trim() === '1',
    );
    replicated.start();
    let acked = 0;
    let killedAt = 0;
    let stop = false;
    const outcomes: { ok: boolean; ms: number; code?: string; message?: string }[] = [];
    const stream = (async () => {
      for (let i = 1; !stop && i < 100_000; i++) {
        const t0 = Date.now();
        try {
          await store.write(path, { value: i });
          acked = i;
          outcomes.push({ ok: true, ms: Date.now() - t0 });
        } catch (err) {
          const e = err as { code?: string; message: string };
          outcomes.push({ ok: false, ms: Date.now() - t0, code: e.code, message: e.message });
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    await until('a few writes', async () => acked >= 20 && replicated.count >= 10);
    const resyncsBefore = store.stats().resyncs;
    killedAt = Date.now();
    await setup.master.kill();
    await conn.next((e) => e.state === 'disconnected', 10_000, 'the loss of the master');
    await conn.next((e) => e.state === 'connected', 30_000, 'the promoted replica');
    const connectedAfter = Date.now() - killedAt;
    await until('the re-read', async () => store.stats().resyncs > resyncsBefore, 10_000);
    const resyncAfter = Date.now() - killedAt;
    expect(await setup.masterPort()).toBe(setup.replica.port);
    const ackedAtResync = acked;
    await until('writes acknowledged on the new master', async () => acked >= ackedAtResync + 10, 20_000);
    stop = true;
    await stream;
    await replicated.stop();
    // every write acknowledged with 'replicated' durability survived the failover
    await replicated.check();
    for (const o of outcomes) expect(o.ms).toBeLessThan(timeout + 3000);
    const failed = outcomes.filter((o) => !o.ok);
    for (const f of failed) {
      expect(['TIMEOUT', 'BACKEND_UNAVAILABLE']).toContain(f.code);
      expect(f.message).toMatch(/may or may not have taken effect|nothing was sent|nothing was applied/);
    }
    await until('the watcher to see the last write', async () => lastValue(q) === acked, 10_000);
    expect((await store.read(path)).value).toBe(acked);
    console.log(
      `[sentinel failover] down-after 1000 ms: connected again ${connectedAfter} ms and watched datapoints re-read ${resyncAfter} ms after kill -9; ${outcomes.length} writes, ${failed.length} failed (${[...new Set(failed.map((f) => f.code))].join(', ')}), slowest ${Math.max(...outcomes.map((o) => o.ms))} ms (limit ${timeout} ms)`,
    );
    sub.unsubscribe();
  }, 90_000);
});
