/**
 * A watch's first reading takes one round trip on one server: the store
 * sends the SUBSCRIBE and the HGETALL of the datapoint on the subscriber
 * connection, one after the other without waiting (RESP3 allows other
 * commands on a subscribed connection), so the server reads after it
 * subscribed and no change between the two is missed. Against a
 * redis-server this file starts and stops by pid (CLIENT LIST sees only
 * this store's connections).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type OldbEvent } from '../../src/oldb-store/index.js';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const enabled = canRunRedisServer();

describe.skipIf(!enabled)('watch sync on one server', () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await RedisProcess.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('subscribes and reads on the subscriber connection in one go; later changes arrive in order', async () => {
    const store = createRedisStore({ url: server.url, prefix: 'rt:' });
    const admin = new Redis(server.url);
    try {
      await store.declare('/root/rt/a', { type: 'integer', value: 1 });
      await store.declare('/root/rt/b', { type: 'integer', value: 2 });
      const qa = new EventQueue<OldbEvent>();
      const qb = new EventQueue<OldbEvent>();
      store.subscribe('/root/rt/a', qa.push);
      store.subscribe('/root/rt/b', qb.push);
      const a = await qa.next((e) => e.kind === 'snapshot');
      const b = await qb.next((e) => e.kind === 'snapshot');
      expect(a.kind === 'snapshot' && a.snapshot.value).toBe(1);
      expect(b.kind === 'snapshot' && b.snapshot.value).toBe(2);
      const clients = (await admin.call('CLIENT', 'LIST')) as string;
      const sub = clients.split('\n').find((l) => / name=tk-core-oldb-sub /.test(l));
      // the last command of the subscriber connection is the read that followed its SUBSCRIBE
      expect(sub).toMatch(/ cmd=hgetall /);
      expect(sub).toMatch(/ sub=2 /);
      const w = await store.write('/root/rt/a', { value: 3 });
      const v = await qa.next((e) => e.kind === 'value');
      expect(v.kind === 'value' && v.seq).toBe(w.seq);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });
});
