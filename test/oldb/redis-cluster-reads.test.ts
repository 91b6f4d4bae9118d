/**
 * Reads of many datapoints on a Redis Cluster (3 masters, 3 replicas,
 * cluster-node-timeout 5000 ms) started by this file on free loopback
 * ports, every process killed by its pid afterwards: one pipeline per master; a slot moved (MOVED) or being
 * migrated (ASK) after the keys were grouped; the reads of one tick, one
 * operation per master, so that a master that does not answer or is killed
 * fails only its own reads, each with the error a read on its own gives.
 * Run in this order on one cluster: the kill is last.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisOldbStore } from '../../src/oldb-store/index.js';
import type { CommandClient } from '../../src/oldb-store/redis-client.js';
import { groupByNodes, hashesByNode, pipelineHashes } from '../../src/oldb-store/redis-hash-reads.js';
import { keySlot } from '../../src/oldb-store/redis-slot.js';
import { StoredDataError } from '../../src/oldb-store/stored-data.js';
import { canRunRedisServer, testPrefix } from '../support/redis.js';
import { cli, RedisClusterProcess, type ServerProcess, until } from '../support/redis-cluster.js';

const enabled = canRunRedisServer();
const NODE_TIMEOUT = 5000;
let cluster: RedisClusterProcess;
const stores: RedisOldbStore[] = [];
const clients: Cluster[] = [];

beforeAll(async () => {
  // a node timeout long enough that no replica is promoted while a killed master's reads run out their limit
  if (enabled) cluster = await RedisClusterProcess.start(NODE_TIMEOUT);
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(stores.map((s) => s.close()));
  await cluster?.stop();
});

const PATHS = Array.from({ length: 30 }, (_, i) => `/root/cr/p${i}`);

/** A store on the cluster with `prefix` and call limit `timeout`, its datapoints declared (`value` = index), once connected. */
async function open(prefix: string, timeout = 2000): Promise<RedisOldbStore> {
  const s = createRedisStore({ url: cluster.url, prefix, timeout });
  stores.push(s);
  await until('the store to connect', async () => s.connectionState === 'connected', 20_000);
  await Promise.all(PATHS.map((p, i) => s.declare(p, { type: 'integer', value: i }, { timeout: 10_000 })));
  return s;
}

/** An ioredis Cluster client on the cluster, once ready (its slot map known). */
async function client(): Promise<Cluster> {
  const c = new Cluster(cluster.seeds);
  clients.push(c);
  await new Promise<void>((resolve) => c.once('ready', () => resolve()));
  return c;
}

const keyOf = (prefix: string, path: string) => `${prefix}dp:{${path}}`;

/** The master serving the key of `path` now. */
const masterOfPath = (prefix: string, path: string) => cluster.masterOf(keySlot(keyOf(prefix, path)));

/** A master other than `node`. */
async function otherMaster(node: ServerProcess): Promise<ServerProcess> {
  for (const probe of [0, 6000, 12000]) {
    const m = await cluster.masterOf(probe);
    if (m.port !== node.port) return m;
  }
  throw new Error('no other master');
}

/**
 * Starts moving the slot of `key` from its master to another one (keys
 * migrated, the slot still claimed by its source: the source answers ASK);
 * `finish` gives the slot to the target on every node (then MOVED).
 */
async function migrateSlotOf(key: string): Promise<{ target: ServerProcess; finish: () => Promise<void> }> {
  const slot = String(keySlot(key));
  const source = await cluster.masterOf(keySlot(key));
  const target = await otherMaster(source);
  const [sourceId, targetId] = [await cluster.idOf(source), await cluster.idOf(target)];
  await cli(target.port, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId);
  await cli(source.port, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId);
  const keys = (await cli(source.port, 'CLUSTER', 'GETKEYSINSLOT', slot, '100')).split('\n').filter(Boolean);
  expect(keys).toContain(key);
  await cli(source.port, 'MIGRATE', '127.0.0.1', String(target.port), '', '0', '5000', 'KEYS', ...keys);
  return {
    target,
    finish: async () => {
      for (const n of [target, source, ...cluster.nodes])
        if (n.pid !== undefined) await cli(n.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
    },
  };
}

/** The value of each settled read, or the code and message of its error. */
function outcomes(settled: PromiseSettledResult<{ value: unknown }>[]) {
  return settled.map((r) =>
    r.status === 'fulfilled'
      ? { value: r.value.value }
      : { code: (r.reason as { code: string }).code, message: (r.reason as Error).message },
  );
}

describe.skipIf(!enabled)('reading many datapoints on a cluster', () => {
  it('sends one pipeline per master; a key of another kind is its own DATA error, a missing one empty', async () => {
    const prefix = testPrefix('cpipe');
    await open(prefix);
    const c = await client();
    await c.set(keyOf(prefix, '/root/cr/str'), 'x');
    const paths = [...PATHS, '/root/cr/str', '/root/cr/none'];
    const keys = paths.map((p) => keyOf(prefix, p));
    const masters = new Set(await Promise.all(paths.map((p) => masterOfPath(prefix, p).then((m) => m.port))));
    expect(masters.size).toBe(3);
    let pipelines = 0;
    const pipeline = c.pipeline.bind(c);
    c.pipeline = (...args: Parameters<Cluster['pipeline']>) => {
      pipelines++;
      return pipeline(...args);
    };
    const replies = await hashesByNode(c as unknown as CommandClient, keys, paths);
    expect(pipelines).toBe(3);
    expect(groupByNodes(c, keys).length).toBe(3);
    for (let i = 0; i < PATHS.length; i++) expect((replies[i] as Record<string, string>).v).toBe(String(i));
    expect(replies[PATHS.length]).toBeInstanceOf(StoredDataError);
    expect((replies[PATHS.length] as Error).message).toContain('/root/cr/str');
    expect(replies[PATHS.length + 1]).toEqual({});
    // keys of several masters in one pipeline (a slot map that changed meanwhile): sent one by one
    const mixed = await pipelineHashes(c as unknown as CommandClient, keys, paths);
    expect(mixed).toEqual(replies);
  });

  it('a slot being migrated (ASK) or moved (MOVED) after the keys were grouped: every read gets its value', async () => {
    const prefix = testPrefix('cmoved');
    const store = await open(prefix);
    const c = await client();
    const keys = PATHS.map((p) => keyOf(prefix, p));
    // the store's reads know the slot map, as a panel opened before the move does
    expect((await Promise.all(PATHS.map((p) => store.read(p)))).map((s) => s.value)).toEqual(
      PATHS.map((_, i) => i),
    );
    const groups = groupByNodes(c, keys);
    const moving = await migrateSlotOf(keys[0]!);
    const send = () =>
      Promise.all(
        groups.map((g) =>
          pipelineHashes(
            c as unknown as CommandClient,
            g.map((i) => keys[i]!),
            g.map((i) => PATHS[i]!),
          ),
        ),
      );
    const valuesOf = (replies: Awaited<ReturnType<typeof send>>) =>
      groups.flatMap((g, k) => g.map((i, j) => [i, (replies[k]![j] as Record<string, string>).v]));
    const expected = groups.flatMap((g) => g.map((i) => [i, String(i)]));
    expect(valuesOf(await send())).toEqual(expected); // ASK: the keys are at the target already
    await moving.finish();
    expect(valuesOf(await send())).toEqual(expected); // MOVED
    const settled = await Promise.allSettled(PATHS.map((p) => store.read(p)));
    expect(outcomes(settled)).toEqual(PATHS.map((_, i) => ({ value: i })));
    expect((await masterOfPath(prefix, PATHS[0]!)).port).toBe(moving.target.port);
  }, 30_000);

  it('a master that does not answer: only its reads of the tick fail, each with the error it has on its own', async () => {
    const prefix = testPrefix('cpause');
    const store = await open(prefix, 1500);
    const paused = await masterOfPath(prefix, PATHS[0]!);
    const onPaused = await Promise.all(
      PATHS.map(async (p) => (await masterOfPath(prefix, p)).port === paused.port),
    );
    expect(onPaused.filter((x) => !x).length).toBeGreaterThan(0);
    await cli(paused.port, 'CLIENT', 'PAUSE', '5000', 'ALL');
    try {
      const alone = store.read(PATHS[0]!, { timeout: 1500 }).then(
        () => {
          throw new Error('the read on its own did not fail');
        },
        (e: unknown) => e as Error & { code: string },
      );
      const settled = await Promise.allSettled(PATHS.map((p) => store.read(p)));
      const single = await alone;
      expect(single.code).toBe('TIMEOUT');
      outcomes(settled).forEach((o, i) => {
        if (!onPaused[i]) expect(o).toEqual({ value: i });
        else expect(o).toEqual({ code: single.code, message: single.message.replace(PATHS[0]!, PATHS[i]!) });
      });
    } finally {
      await cli(paused.port, 'PING'); // answered once the pause is over (CLIENT UNPAUSE would wait for it too)
    }
  }, 30_000);

  it('a master killed: only its reads of the tick fail, each naming its own datapoint', async () => {
    const prefix = testPrefix('ckill');
    const store = await open(prefix, 2000);
    const killed = await masterOfPath(prefix, PATHS[0]!);
    const onKilled = await Promise.all(
      PATHS.map(async (p) => (await masterOfPath(prefix, p)).port === killed.port),
    );
    await killed.kill();
    const settled = await Promise.allSettled(PATHS.map((p) => store.read(p)));
    outcomes(settled).forEach((o, i) => {
      if (!onKilled[i]) expect(o).toEqual({ value: i });
      else {
        // no replica is promoted within the 2000 ms limit (the node timeout is 5000 ms): the read fails
        expect(['TIMEOUT', 'BACKEND_UNAVAILABLE']).toContain((o as { code: string }).code);
        expect((o as { message: string }).message).toMatch(new RegExp(`read ${PATHS[i]!}\\b`));
      }
    });
  }, 30_000);
});
