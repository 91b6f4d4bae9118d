/**
 * The Redis store on a Redis Cluster (3 masters, 3 replicas) started by this
 * file on free loopback ports and killed by pid afterwards: the store
 * contract (with counters per datapoint), the cluster layout (a datapoint's
 * keys in one slot, no store-wide key), the tree across shards.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, type Manager, Quality, Quantity, type Reading } from '../../src/index.js';
import { createRedisStore, type OldbStore } from '../../src/oldb-store/index.js';
import { keySlot } from '../../src/oldb-store/redis-slot.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { schemeConformance } from '../../src/testing/index.js';
import { ensureBuilt, tk } from '../cli/tk-process.js';
import { canRunRedisServer, RedisProcess, testPrefix } from '../support/redis.js';
import { RedisClusterProcess } from '../support/redis-cluster.js';
import { defineStoreContract } from './store-contract.js';

const enabled = canRunRedisServer();
let cluster: RedisClusterProcess;

beforeAll(async () => {
  if (enabled) cluster = await RedisClusterProcess.start();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

/** Deletes every key of `prefix` on every master. */
async function deleteClusterPrefix(prefix: string): Promise<void> {
  await Promise.all(
    cluster.nodes.map(async (n) => {
      const r = new Redis({ host: '127.0.0.1', port: n.port, lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await r.connect();
        if (!/role:master/.test(await r.info('replication'))) return;
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          for (const k of keys) await r.del(k);
        } while (cursor !== '0');
      } catch {
        // a node killed by a test
      } finally {
        r.disconnect();
      }
    }),
  );
}

describe.skipIf(!enabled)('Redis store on a cluster', () => {
  defineStoreContract(
    'redis cluster',
    async () => {
      const prefix = testPrefix('ccontract');
      const store = createRedisStore({ url: cluster.url, prefix });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await deleteClusterPrefix(prefix);
        },
      };
    },
    { seqScope: 'datapoint' },
  );

  it('keeps a datapoint in one slot and touches no store-wide key; the tree spans shards', async () => {
    const prefix = testPrefix('clayout');
    const store = createRedisStore({ cluster: cluster.seeds.map((s) => `${s.host}:${s.port}`), prefix });
    try {
      const paths = Array.from({ length: 24 }, (_, i) => `/elt/n${i % 4}/dp${i}`);
      for (const p of paths) await store.declare(p, { type: 'integer', value: 1 });
      await Promise.all(paths.map((p, i) => store.write(p, { value: i })));
      const slots = new Set(paths.map((p) => keySlot(`${prefix}dp:{${p}}`)));
      expect(slots.size).toBeGreaterThan(3); // spread over the cluster
      for (const p of paths) {
        expect(keySlot(`${prefix}dp:{${p}}`)).toBe(keySlot(`${prefix}seq:{${p}}`));
        expect(keySlot(`${prefix}dp:{${p}}`)).toBe(keySlot(`${prefix}ch:{${p}}`));
      }
      const c = new Redis.Cluster(cluster.seeds);
      try {
        expect(await c.exists(`${prefix}seq`)).toBe(0);
        expect(await c.hget(`${prefix}dp:{/elt/n1/dp5}`, 'v')).toBe('5');
        expect(await c.get(`${prefix}seq:{/elt/n1/dp5}`)).toBe('2');
      } finally {
        c.disconnect();
      }
      expect((await store.listChildren('/elt')).map((x) => x.name)).toEqual(['n0', 'n1', 'n2', 'n3']);
      expect((await store.listChildren('/elt/n2')).length).toBe(6);
      // removing and re-declaring continues the datapoint's counter: watchers never see it go back
      const before = (await store.read('/elt/n1/dp5')).seq;
      await store.remove('/elt/n1/dp5');
      const again = await store.declare('/elt/n1/dp5', { type: 'integer', value: 7 });
      expect(again.seq).toBeGreaterThan(before);
      for (const p of paths) await store.remove(p);
      expect(await store.listChildren('/')).toEqual([]);
    } finally {
      await store.close();
      await deleteClusterPrefix(prefix);
    }
  });
});

describe.skipIf(!enabled)('cii.oldb conformance on a cluster', () => {
  const runs = new Map<Manager, { store: OldbStore; prefix: string }>();
  schemeConformance(
    { describe, it, expect },
    {
      scheme: 'cii.oldb',
      async createManager() {
        const prefix = testPrefix('cconf');
        const store = createRedisStore({ url: cluster.url, prefix });
        await store.declare('/root/conf/pos', {
          type: 'double',
          value: 12.5,
          metadata: { units: 'mm', label: 'Position', range: [-1000, 1000], alarms: [-900, 900] },
        });
        await store.declare('/root/conf/count', { type: 'integer', value: 3 });
        await store.declare('/root/conf/name', { type: 'string', value: 'hello' });
        await store.declare('/elt/conf/flag', { type: 'boolean', value: true });
        await store.declare('/root/x/y', { type: 'double', value: 1 });
        const m = createManager({
          builtins: false,
          gcTime: 0,
          schemes: [createOldbScheme({ cluster: cluster.seeds, prefix })],
        });
        runs.set(m, { store, prefix });
        return m;
      },
      async cleanup(m) {
        const run = runs.get(m);
        runs.delete(m);
        if (run === undefined) return;
        await run.store.close();
        await deleteClusterPrefix(run.prefix);
      },
      attributes: [
        'cii.oldb:/root/conf/pos',
        'cii.oldb:/root/conf/count',
        'cii.oldb:/root/conf/name',
        'cii.oldb:/elt/conf/flag',
      ],
      equivalent: [['cii.oldb:/root/x/y', 'cii.oldb:/root/x/y#label', 'cii.oldb:///root/x/y']],
      invalid: ['cii.oldb:/root', 'cii.oldb:/root//y', 'cii.oldb:root/x/y'],
      failing: 'cii.oldb:/root/conf/undeclared',
      write: {
        name: 'cii.oldb:/root/conf/pos',
        value: Quantity.of(0.25, 'm'),
        check: (r: Reading) =>
          Quantity.isQuantity(r.rvalue) &&
          Math.abs((r.rvalue.magnitude as number) - 250) < 1e-9 &&
          r.quality === Quality.VALID,
      },
      timeout: 5000,
    },
  );
});

describe.skipIf(!enabled)('tk oldb migrate: from one server to the cluster layout', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 600_000);

  it('copies type, value, time, quality and metadata of every datapoint, and the tree; running it again is safe', async () => {
    const single = await RedisProcess.start();
    const from = createRedisStore({ url: single.url });
    const to = createRedisStore({ url: cluster.url });
    try {
      await from.declare('/root/mig/a', {
        type: 'double',
        value: 1.5,
        timestamp: 1234,
        quality: 'SUSPECT',
        metadata: { units: 'mm', label: 'A', alarms: [null, 9] },
      });
      await from.declare('/elt/tdm/ocm', { type: 'string[]', value: ['x', 'y'], timestamp: 99 });
      await from.declare('/elt/tdm/deep/n', { type: 'integer', value: 7 });
      const run = (...args: string[]) => tk(['--redis', single.url, 'oldb', 'migrate', ...args]);
      const r = await run('--to', cluster.url);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('copied 3 datapoint(s) under /');
      expect(r.stdout).toContain('redis+cluster://');
      const a = await to.read('/root/mig/a');
      expect(a).toMatchObject({ type: 'double', value: 1.5, timestamp: 1234, quality: 'SUSPECT' });
      expect(a.metadata).toEqual({ units: 'mm', label: 'A', alarms: [null, 9] });
      expect((await to.read('/elt/tdm/ocm')).value).toEqual(['x', 'y']);
      expect((await to.listChildren('/')).map((c) => c.name)).toEqual(['elt', 'root']);
      expect((await to.listChildren('/elt/tdm')).map((c) => [c.name, c.kind])).toEqual([
        ['deep', 'node'],
        ['ocm', 'datapoint'],
      ]);
      // again, with keep: the target's newer value stays
      await to.write('/elt/tdm/deep/n', { value: 8 });
      const again = await run('/elt', '--to', cluster.url, '--if-exists', 'keep');
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('copied 2 datapoint(s) under /elt');
      expect((await to.read('/elt/tdm/deep/n')).value).toBe(8);
      // the CLI works on the cluster directly
      const g = await tk(['--redis', cluster.url, 'oldb', 'get', '/elt/tdm/deep/n']);
      expect(g.stdout).toMatch(/^value\s+8$/m);
      const bad = await run('--to', cluster.url, '--if-exists', 'merge');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--if-exists');
    } finally {
      await from.close();
      await to.close();
      await single.stop();
      await deleteClusterPrefix('oldb:');
    }
  }, 120_000);
});
