import { afterAll, describe, expect, it } from 'vitest';
import type { OldbEvent } from '../../src/oldb-store/index.js';
import { createRedisStore } from '../../src/oldb-store/redis-store.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';
import { EventQueue } from './event-queue.js';
import { defineStoreContract } from './store-contract.js';

const redis = await findRedis();
afterAll(async () => {
  await redis?.release();
});

describe.skipIf(redis === null)('Redis store', () => {
  const url = redis?.url ?? '';
  defineStoreContract('redis', async () => {
    const prefix = testPrefix('contract');
    const store = createRedisStore({ url, prefix });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await deletePrefix(url, prefix);
      },
    };
  });

  it('a write with a stale cached type is checked again against the redeclared type, writing nothing', async () => {
    const prefix = testPrefix('stale');
    const a = createRedisStore({ url, prefix });
    const b = createRedisStore({ url, prefix });
    try {
      await a.declare('/root/st/x', { type: 'double', value: 1 });
      await a.write('/root/st/x', { value: 2 }); // a caches the type
      await b.remove('/root/st/x');
      await b.declare('/root/st/x', { type: 'string', value: 'new' });
      const [r1, r2] = await Promise.allSettled([
        a.write('/root/st/x', { value: 3 }),
        a.write('/root/st/x', { value: 'ok' as never }),
      ]);
      expect(r1.status === 'rejected' && (r1.reason as { code: string }).code).toBe('TYPE_MISMATCH');
      expect(r1.status === 'rejected' && (r1.reason as Error).message).toContain('/root/st/x');
      expect(r2.status).toBe('rejected'); // checked against the cached type double before it was sent
      expect((await b.read('/root/st/x')).value).toBe('new');
      // the cache now knows the new type
      await a.write('/root/st/x', { value: 'fine' });
      expect((await b.read('/root/st/x')).value).toBe('fine');
    } finally {
      await a.close();
      await b.close();
      await deletePrefix(url, prefix);
    }
  });

  it('a datapoint with a type stored by someone else fails reads and writes alike, naming the valid types', async () => {
    const prefix = testPrefix('alien');
    const store = createRedisStore({ url, prefix });
    const { Redis } = await import('ioredis');
    const admin = new Redis(url);
    try {
      await admin.hset(`${prefix}dp:/root/alien/x`, 'type', 'float128', 'v', '1');
      for (const attempt of [
        () => store.read('/root/alien/x'),
        () => store.write('/root/alien/x', { value: 2 }),
      ]) {
        const err = (await attempt().catch((e: unknown) => e)) as { code: string; message: string };
        expect(err.code).toBe('DATA');
        expect(err.message).toContain('/root/alien/x');
        expect(err.message).toContain('"float128"');
        expect(err.message).toContain('double');
      }
      expect(await admin.hget(`${prefix}dp:/root/alien/x`, 'v')).toBe('1'); // nothing written
    } finally {
      admin.disconnect();
      await store.close();
      await deletePrefix(url, prefix);
    }
  });

  it('watches started in one tick are synced together; an undecodable datapoint fails only its own watch', async () => {
    const prefix = testPrefix('batchwatch');
    const store = createRedisStore({ url, prefix });
    const { Redis } = await import('ioredis');
    const admin = new Redis(url);
    try {
      for (let i = 0; i < 50; i++) await store.declare(`/root/bw/p${i}`, { type: 'integer', value: i });
      await admin.hset(`${prefix}dp:/root/bw/bad`, 'type', 'float128', 'v', '1');
      const queues = Array.from({ length: 50 }, () => new EventQueue<OldbEvent>());
      const bad = new EventQueue<OldbEvent>();
      const subs = queues.map((q, i) => store.subscribe(`/root/bw/p${i}`, q.push));
      subs.push(store.subscribe('/root/bw/bad', bad.push));
      const firsts = await Promise.all(queues.map((q) => q.next()));
      expect(firsts.map((e) => e.kind === 'snapshot' && e.snapshot.value)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
      const e = await bad.next();
      expect(e.kind).toBe('error');
      expect(e.kind === 'error' && e.error.message).toContain('/root/bw/bad');
      expect(e.kind === 'error' && e.error.message).toContain('float128');
      // changes reach every watcher
      await store.write('/root/bw/p7', { value: 700 });
      const v = await queues[7]!.next((x) => x.kind === 'value');
      expect(v.kind === 'value' && v.sample.value).toBe(700);
      // unsubscribing and watching again in one tick keeps the watch alive
      subs[3]!.unsubscribe();
      const again = new EventQueue<OldbEvent>();
      subs[3] = store.subscribe('/root/bw/p3', again.push);
      expect((await again.next()).kind).toBe('snapshot');
      await store.write('/root/bw/p3', { value: 300 });
      const v3 = await again.next((x) => x.kind === 'value');
      expect(v3.kind === 'value' && v3.sample.value).toBe(300);
      for (const s of subs) s.unsubscribe();
      expect(store.stats().watched).toBe(0);
    } finally {
      admin.disconnect();
      await store.close();
      await deletePrefix(url, prefix);
    }
  });

  it('stops a call aborted while the store is still connecting, without waiting for its time limit', async () => {
    // nothing listens on port 1: the call waits for the server, and is aborted while the connections are created
    const store = createRedisStore({ url: 'redis://127.0.0.1:1/0', timeout: 60_000 });
    const controller = new AbortController();
    const pending = store.read('/root/x', { signal: controller.signal }).catch((e: Error) => e);
    controller.abort(new Error('user left'));
    const err = (await pending) as unknown as { code: string; message: string };
    expect(err.code).toBe('ABORTED');
    expect(err.message).toContain('before it was sent');
    await store.close();
  });

  it('reads asked for in one tick are answered each on its own: values, not declared, malformed', async () => {
    const prefix = testPrefix('batch');
    const store = createRedisStore({ url, prefix });
    const { Redis } = await import('ioredis');
    const admin = new Redis(url);
    try {
      await store.declare('/root/batch/a', { type: 'double', value: 1.5, metadata: { units: 'mm' } });
      await store.declare('/root/batch/b', { type: 'string', value: 'two' });
      await admin.hset(`${prefix}dp:/root/batch/bad`, 'type', 'double', 'v', '"text"', 't', '1', 'q', 'OK');
      const reads = [
        store.read('/root/batch/a'),
        store.read('/root/batch/missing'),
        store.read('/root/batch/b'),
        store.read('/root/batch/bad'),
        store.read('/root/batch/a', { timeout: 2000 }), // a time limit of its own: sent on its own
      ];
      const settled = await Promise.allSettled(reads);
      const value = (i: number) => {
        const r = settled[i]!;
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      };
      const error = (i: number) => {
        const r = settled[i]!;
        if (r.status === 'fulfilled') throw new Error(`read ${i} did not fail`);
        return r.reason as { code: string; message: string };
      };
      expect([value(0).value, value(0).metadata.units]).toEqual([1.5, 'mm']);
      expect(error(1).code).toBe('NOT_FOUND');
      expect(error(1).message).toContain('/root/batch/missing');
      expect(value(2).value).toBe('two');
      expect(error(3).code).toBe('DATA');
      expect(error(3).message).toContain('/root/batch/bad');
      expect(value(4).value).toBe(1.5);
    } finally {
      admin.disconnect();
      await store.close();
      await deletePrefix(url, prefix);
    }
  });

  it('keeps credentials out of its description and errors', async () => {
    const store = createRedisStore({ url: 'redis://alice:s3cret@127.0.0.1:1/0', timeout: 200 });
    expect(store.description).toBe('redis://127.0.0.1:1/0');
    const err = await store.read('/root/x').catch((e: Error) => e);
    expect((err as unknown as { code: string }).code).toBe('BACKEND_UNAVAILABLE');
    expect(String((err as Error).message)).not.toContain('s3cret');
    expect(String((err as Error).message)).toContain('redis://127.0.0.1:1/0');
    await store.close();
  });
});
