/**
 * Several `tk serve` processes on one Redis OLDB: a gateway keeps no state
 * shared with another, so any of them can serve any client behind a load
 * balancer, and one going away does not disturb the others.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Quantity } from 'tk-core';
import { createRedisStore, type RedisOldbStore } from 'tk-core/oldb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, tkUntil } from '../cli/tk-process.js';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { TestClient } from './support/client.js';

const X = 'cii.oldb:/root/scale/setpoint';
const runnable = canRunRedisServer();

describe.skipIf(!runnable)('two tk serve processes on one Redis OLDB', () => {
  let redis: RedisProcess;
  let store: RedisOldbStore;
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    redis = await RedisProcess.start();
    store = createRedisStore({ url: redis.url });
    await store.declare('/root/scale/setpoint', {
      type: 'double',
      metadata: { writable: true, units: 'mm', range: [0, 100] },
      value: 1,
    });
    dir = mkdtempSync(join(tmpdir(), 'tk-scale-'));
    writeFileSync(
      join(dir, 'access.json'),
      JSON.stringify({ rules: [{ match: 'cii.oldb:**', roles: ['*'], read: true, write: true }] }),
    );
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('serve the same attributes: a write through one reaches the clients of both, and one stopping leaves the other serving', async () => {
    const serve = () =>
      tkUntil(
        ['--redis', redis.url, 'serve', '--port', '0', '--access', join(dir, 'access.json')],
        /tk serve: (ws:\/\/\S+)/,
        30_000,
      );
    const [g1, g2] = await Promise.all([serve(), serve()]);
    const url = (out: string) => /tk serve: (ws:\/\/\S+)/.exec(out)![1]!;
    const c1 = await TestClient.connect(url(g1.stdout));
    const c2 = await TestClient.connect(url(g2.stdout));
    try {
      expect(url(g1.stdout)).not.toBe(url(g2.stdout));
      for (const c of [c1, c2]) {
        expect((await c.request('subscribe', { items: [{ sid: 1, name: X }] })).refused).toEqual([]);
        await c.waitFor((m) => m.type === 'value' && m.sid === 1 && String(m.reading.rvalue) === '1 mm');
      }
      const seen = (c: TestClient, v: string) =>
        c.waitFor((m) => m.type === 'value' && m.sid === 1 && String(m.reading.rvalue) === v, 10_000);
      await c1.request('write', { name: X, value: 5 });
      await Promise.all([seen(c1, '5 mm'), seen(c2, '5 mm')]);
      await c2.request('write', { name: X, value: Quantity.of(7, 'mm') });
      await Promise.all([seen(c1, '7 mm'), seen(c2, '7 mm')]);
      await store.write('/root/scale/setpoint', { value: 8 }); // another OLDB client
      await Promise.all([seen(c1, '8 mm'), seen(c2, '8 mm')]);
      const refused = (await c2.request('write', { name: X, value: 500 }).catch((e) => e)) as {
        code: string;
      };
      expect(refused.code).toBe('OUT_OF_RANGE');

      const { code } = await g1.stop('SIGTERM');
      expect(code).toBe(0);
      expect(await c1.closed).toBe(1001);
      await store.write('/root/scale/setpoint', { value: 9 });
      await seen(c2, '9 mm');
    } finally {
      await c1.close();
      await c2.close();
      await g1.stop('SIGTERM').catch(() => undefined);
      await g2.stop('SIGTERM');
    }
  }, 120_000);
});
