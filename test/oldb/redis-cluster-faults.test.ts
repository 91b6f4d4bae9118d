/**
 * Faults of a Redis Cluster (3 masters, 3 replicas, cluster-node-timeout
 * 2000 ms as issue 15 gives it) started by this file on free loopback
 * ports, every process killed by its pid afterwards: `CLIENT KILL TYPE
 * pubsub` on one shard, a slot migrated during a watch, `kill -9` of a
 * master during a write stream (a replica of it stands in at once: the
 * store is connected again and its watchers resync before the cluster
 * promotes that replica; writes fail clearly or succeed, never hang past
 * their time limit; the times are printed, not asserted), `kill -9` of a
 * master that holds no watched datapoint (the store says so, and is
 * connected again through its replica). Run on one cluster, in the
 * order `CLIENT KILL`, the kills, migration (a master whose slot was
 * migrated away just before could not be failed over: the remaining masters
 * refused their votes in one run, as Redis does when a claimed slot's epoch
 * is older than another node's).
 */
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, Quality, type Reading } from '../../src/index.js';
import { setLogLevel } from '../../src/log/logger.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';

if (process.env.TK_DEBUG_CLUSTER) setLogLevel('trace', 'oldb.redis');

import type { OldbConnectionEvent, OldbEvent, RedisOldbStore } from '../../src/oldb-store/index.js';
import { createRedisStore } from '../../src/oldb-store/index.js';
import { keySlot } from '../../src/oldb-store/redis-slot.js';
import { canRunRedisServer, testPrefix } from '../support/redis.js';
import { cli, RedisClusterProcess, type ServerProcess, until } from '../support/redis-cluster.js';
import { EventQueue } from './event-queue.js';
import { ReplicatedStream } from './replicated-stream.js';

const enabled = canRunRedisServer();
const NODE_TIMEOUT = 2000;
let cluster: RedisClusterProcess;
const stores: RedisOldbStore[] = [];

beforeAll(async () => {
  if (enabled) cluster = await RedisClusterProcess.start(NODE_TIMEOUT);
}, 60_000);
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await cluster?.stop();
});

/** A store on the cluster, once connected (a loaded machine can take more than a call's limit to connect). */
async function open(prefix: string, timeout = 2000, heartbeatTimeout?: number): Promise<RedisOldbStore> {
  const s = createRedisStore({ url: cluster.url, prefix, timeout, heartbeatTimeout });
  stores.push(s);
  await until('the store to connect', async () => s.connectionState === 'connected', 20_000);
  return s;
}

/** The master serving datapoint `path` of `prefix` now. */
function masterOfPath(prefix: string, path: string): Promise<ServerProcess> {
  return cluster.masterOf(keySlot(`${prefix}dp:{${path}}`));
}

/** The last value a watcher saw (a snapshot or a value event). */
function lastValue(q: EventQueue<OldbEvent>): unknown {
  for (let i = q.all.length - 1; i >= 0; i--) {
    const e = q.all[i]!;
    if (e.kind === 'snapshot') return e.snapshot.value;
    if (e.kind === 'value') return e.sample.value;
  }
  return undefined;
}

/** The counters a watcher saw, in order. */
function seqs(q: EventQueue<OldbEvent>): number[] {
  return q.all.flatMap((e) => (e.kind === 'snapshot' ? [e.snapshot.seq] : e.kind === 'value' ? [e.seq] : []));
}

describe.skipIf(!enabled)('cii.oldb store on a cluster: faults', () => {
  it('CLIENT KILL TYPE pubsub on one shard: the subscriber comes back, the value written in the gap arrives', async () => {
    const prefix = testPrefix('ckill');
    const store = await open(prefix);
    const path = '/root/kill/x';
    await store.declare(path, { type: 'integer', value: 0 });
    const q = new EventQueue<OldbEvent>();
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    const sub = store.subscribe(path, q.push);
    await q.next((e) => e.kind === 'snapshot');
    const master = await masterOfPath(prefix, path);
    const resyncs = store.stats().resyncs;
    await cli(master.port, 'CLIENT', 'KILL', 'TYPE', 'pubsub');
    // written while the subscriber is away (or just back): it must reach the watcher either way
    await store.write(path, { value: 1 });
    await conn.next((e) => e.state === 'disconnected', 10_000, 'the subscriber loss');
    await conn.next((e) => e.state === 'connected', 10_000, 'the subscriber to come back');
    // re-read after the reconnect (a snapshot, unless a notification brought the value first)
    await until('the re-read', async () => store.stats().resyncs > resyncs, 10_000);
    await until('the watcher to have the value written in the gap', async () => lastValue(q) === 1, 10_000);
    // and it is subscribed again: a later change arrives as a change
    await store.write(path, { value: 2 });
    await q.next((e) => e.kind === 'value' && e.sample.value === 2, 10_000);
    sub.unsubscribe();
  }, 30_000);

  it("durability 'replicated': a write is acknowledged once its slot's replica has it", async () => {
    const prefix = testPrefix('cdur');
    const store = await open(prefix);
    const path = '/elt/dur/x';
    await store.declare(path, { type: 'integer', value: 0 });
    const master = await masterOfPath(prefix, path);
    // (from the master's replication info: its CLUSTER NODES may not list a replica yet right after the cluster formed)
    const replicaPort = (await cluster.replicaOf(master))!.port;
    const { Redis } = await import('ioredis');
    const replica = new Redis({ host: '127.0.0.1', port: replicaPort });
    try {
      await replica.readonly();
      for (let i = 1; i <= 10; i++) {
        await store.write(path, { value: i }, { durability: 'replicated' });
        expect(await replica.hget(`${prefix}dp:{${path}}`, 'v')).toBe(String(i));
      }
    } finally {
      replica.disconnect();
    }
  }, 30_000);

  it("kill -9 of a master during write streams: its replica stands in and is promoted, watchers resync before the promotion, writes fail clearly or succeed within their limit, no 'replicated' write acknowledged is lost", async () => {
    const prefix = testPrefix('cfail');
    const timeout = 1500;
    const store = await open(prefix, timeout);
    const path = '/root/fail/x';
    const other = '/elt/fail/y';
    await store.declare(path, { type: 'integer', value: 0 });
    await store.declare(other, { type: 'integer', value: 0 });
    const master = await masterOfPath(prefix, path);
    const replica = await cluster.replicaOf(master);
    expect(replica).toBeDefined();
    // datapoints on the same shard, written with 'replicated' durability alongside
    const onShard: string[] = [];
    for (let i = 0; onShard.length < 3 && i < 100; i++) {
      const p = `/root/fail/r${i}`;
      if ((await masterOfPath(prefix, p)).port === master.port) onShard.push(p);
    }
    for (const p of onShard) await store.declare(p, { type: 'integer', value: 0 });
    const replicated = new ReplicatedStream(store, onShard);
    const q = new EventQueue<OldbEvent>();
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    let killedAt = 0;
    let ackedAtKill = 0;
    /** When the watcher first saw a value written after the kill (the write in flight at the kill aside). */
    let firstNewAt = 0;
    const sub = store.subscribe(path, (e) => {
      q.push(e);
      if (firstNewAt === 0 && killedAt > 0 && e.kind === 'value' && Number(e.sample.value) >= ackedAtKill + 2)
        firstNewAt = Date.now();
    });
    await q.next((e) => e.kind === 'snapshot');
    replicated.start();
    let acked = 0;
    let stop = false;
    const outcomes: {
      ok: boolean;
      ms: number;
      at: number;
      code?: string;
      message?: string;
      afterKill: boolean;
    }[] = [];
    const stream = (async () => {
      for (let i = 1; !stop && i < 100_000; i++) {
        const t0 = Date.now();
        try {
          await store.write(path, { value: i });
          acked = i;
          outcomes.push({ ok: true, ms: Date.now() - t0, at: Date.now(), afterKill: killedAt > 0 });
        } catch (err) {
          const e = err as { code?: string; message: string };
          outcomes.push({
            ok: false,
            ms: Date.now() - t0,
            at: Date.now(),
            code: e.code,
            message: e.message,
            afterKill: true,
          });
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    await until('a few writes', async () => acked >= 20 && replicated.count >= 10);
    const resyncsBefore = store.stats().resyncs;
    ackedAtKill = acked;
    killedAt = Date.now();
    await master.kill();
    await conn.next((e) => e.state === 'disconnected', 10_000, 'the loss of the master');
    await conn.next((e) => e.state === 'connected', 30_000, 'the replica standing in');
    const connectedAfter = Date.now() - killedAt;
    // connected again through the replica, before the cluster promotes it (that takes the node timeout at least);
    // one-shot reads of the lost master's slots are served by the replica too
    const during = await store.read(path);
    expect(await cli(replica!.port, 'ROLE')).toMatch(/^slave/);
    expect(Number(during.value)).toBeGreaterThanOrEqual(0);
    expect(Number(during.value)).toBeLessThanOrEqual(ackedAtKill + 1);
    // the watched datapoint is read again (the watcher gets a snapshot unless the read finds what it has)
    await until('the resync', async () => store.stats().resyncs > resyncsBefore, 10_000);
    const resyncAfter = Date.now() - killedAt;
    const ackedAtResync = acked;
    await until(
      'writes acknowledged after the failover',
      async () => acked >= ackedAtResync + 10,
      20_000,
    ).catch((err: unknown) => {
      stop = true;
      throw new Error(`${(err as Error).message}; the last outcomes: ${JSON.stringify(outcomes.slice(-3))}`);
    });
    stop = true;
    await stream;
    await replicated.stop();
    // every write acknowledged with 'replicated' durability survived the failover
    await replicated.check();
    // the slot has a new master: the replica of the killed one
    const promoted = await masterOfPath(prefix, path);
    expect(promoted.port).toBe(replica!.port);
    const failingAt = Math.min(
      ...cluster.nodes.map((n) => n.logTime(/as failing \(quorum reached\)/, killedAt - 50) ?? Infinity),
    );
    const promotedAt = promoted.logTime(/Failover election won/, killedAt - 50);
    // every write settled within its time limit (a generous guard for a loaded machine)
    for (const o of outcomes) expect(o.ms).toBeLessThan(timeout + 3000);
    const failed = outcomes.filter((o) => !o.ok);
    const firstAck =
      promotedAt === undefined ? undefined : outcomes.find((o) => o.ok && o.afterKill && o.at >= promotedAt);
    const firstAckAfter = firstAck === undefined ? undefined : firstAck.at - promotedAt!;
    for (const f of failed) {
      expect(['TIMEOUT', 'BACKEND_UNAVAILABLE']).toContain(f.code);
      expect(f.message).toMatch(/may or may not have taken effect|nothing was sent|nothing was applied/);
      expect(f.message).toContain(path);
    }
    await until('the watcher to see the last write', async () => lastValue(q) === acked, 10_000);
    expect((await store.read(path)).value).toBe(acked);
    // the other shards kept working
    await store.write(other, { value: 5 });
    console.log(
      `[cluster failover] node timeout ${NODE_TIMEOUT} ms, after kill -9: store connected again through the replica ${connectedAfter} ms, watched datapoints re-read ${resyncAfter} ms (issue 15 asks node timeout + 2 s = ${NODE_TIMEOUT + 2000} ms); master marked failing ${failingAt - killedAt} ms, replica promoted ${promotedAt === undefined ? '?' : promotedAt - killedAt} ms, first write after the failover seen by the watcher ${firstNewAt === 0 || promotedAt === undefined ? '?' : `${firstNewAt - killedAt} ms (${firstNewAt - promotedAt} ms after the promotion)`}, first write acknowledged after the promotion ${firstAckAfter === undefined ? '?' : `${firstAckAfter} ms after it`}; load ${loadavg()[0]!.toFixed(1)}; ${store.stats().rechecks} rechecks; ${outcomes.length} writes, ${failed.length} failed (${[...new Set(failed.map((f) => f.code))].join(', ')}), slowest ${Math.max(...outcomes.map((o) => o.ms))} ms (limit ${timeout} ms)`,
    );
    sub.unsubscribe();
  }, 90_000);
  it('kill -9 of a master that holds no watched datapoint: the store is disconnected at once, connected again once its replica stands in, and its slots written again once the replica is promoted', async () => {
    const prefix = testPrefix('cidle');
    const store = await open(prefix);
    const watched = '/root/idle/x';
    await store.declare(watched, { type: 'integer', value: 0 });
    const home = await masterOfPath(prefix, watched);
    // another master, with a replica to promote, that holds no watched channel
    let victim: ServerProcess | undefined;
    for (const probe of [0, 6000, 12000]) {
      const m = await cluster.masterOf(probe);
      if (m.port !== home.port && (await cluster.replicaOf(m)) !== undefined) victim = m;
    }
    expect(victim).toBeDefined();
    const replica = await cluster.replicaOf(victim!);
    let onVictim: string | undefined;
    for (let i = 0; onVictim === undefined && i < 100; i++) {
      const p = `/root/idle/v${i}`;
      if ((await masterOfPath(prefix, p)).port === victim!.port) onVictim = p;
    }
    await store.declare(onVictim!, { type: 'integer', value: 0 });
    const q = new EventQueue<OldbEvent>();
    const sub = store.subscribe(watched, q.push);
    await q.next((e) => e.kind === 'snapshot');
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    const killedAt = Date.now();
    await victim!.kill();
    const down = await conn.next((e) => e.state === 'disconnected', 10_000, 'the loss of the idle master');
    const downAfter = Date.now() - killedAt;
    expect((down.error as { code?: string } | undefined)?.code).toBe('BACKEND_UNAVAILABLE');
    await conn.next((e) => e.state === 'connected', 30_000, 'the replica standing in');
    const upAfter = Date.now() - killedAt;
    // through the replica, before the cluster promotes it, which serves the reads of the dead master's slots
    expect((await store.read(onVictim!)).value).toBe(0);
    expect(await cli(replica!.port, 'ROLE')).toMatch(/^slave/);
    // the slots of the dead master are served again, by its promoted replica
    await until(
      'a write to a datapoint of the dead master',
      async () => {
        await store.write(onVictim!, { value: 1 });
        return true;
      },
      20_000,
    );
    expect((await masterOfPath(prefix, onVictim!)).port).toBe(replica!.port);
    // the watch kept working
    await store.write(watched, { value: 7 });
    await until('the watcher to see the write', async () => lastValue(q) === 7, 10_000);
    console.log(
      `[cluster idle master] node timeout ${NODE_TIMEOUT} ms, after kill -9 of a master with no watched datapoint: store disconnected ${downAfter} ms, connected again ${upAfter} ms (load ${loadavg()[0]!.toFixed(1)})`,
    );
    sub.unsubscribe();
    await cluster.waitOk(20_000);
  }, 60_000);
  it('a slot migrated during a watch and a write stream: the watcher follows it and ends with the last write, in order', async () => {
    const prefix = testPrefix('cmove');
    const store = await open(prefix);
    const path = '/root/move/x';
    await store.declare(path, { type: 'integer', value: 0 });
    const q = new EventQueue<OldbEvent>();
    const sub = store.subscribe(path, q.push);
    await q.next((e) => e.kind === 'snapshot');
    const slot = keySlot(`${prefix}dp:{${path}}`);
    const source = await masterOfPath(prefix, path);
    let target: ServerProcess | undefined;
    for (const probe of [0, 6000, 12000]) {
      const m = await cluster.masterOf(probe);
      if (m.port !== source.port) target = m;
    }
    const sourceId = await cluster.idOf(source);
    const targetId = await cluster.idOf(target!);
    let last = 0;
    let stop = false;
    const failures: string[] = [];
    const stream = (async () => {
      for (let i = 1; !stop && i < 10_000; i++) {
        try {
          await store.write(path, { value: i });
          last = i;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    await until('a few writes', async () => last >= 20);
    await cli(target!.port, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId);
    await cli(source.port, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId);
    const keys = (await cli(source.port, 'CLUSTER', 'GETKEYSINSLOT', String(slot), '100'))
      .split('\n')
      .filter((k) => k !== '');
    expect(keys.length).toBe(2); // the hash and the counter
    await cli(source.port, 'MIGRATE', '127.0.0.1', String(target!.port), '', '0', '5000', 'KEYS', ...keys);
    for (const n of [target!, source, ...cluster.nodes]) {
      if (n.pid !== undefined) await cli(n.port, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId);
    }
    const atMove = last;
    await until('writes after the move', async () => last >= atMove + 20);
    stop = true;
    await stream;
    expect(failures).toEqual([]);
    expect((await masterOfPath(prefix, path)).port).toBe(target!.port);
    await until('the watcher to see the last write', async () => lastValue(q) === last, 10_000);
    const seen = seqs(q);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never back
    // the watcher is subscribed at the new master: a change arrives as a change
    await store.write(path, { value: -1 });
    await q.next((e) => e.kind === 'value' && e.sample.value === -1, 10_000);
    sub.unsubscribe();
  }, 60_000);
  it('SIGSTOP of a master: the store is disconnected and its attributes INVALID within 1.5 × heartbeatTimeout; VALID again and resynced after SIGCONT', async () => {
    const prefix = testPrefix('cstop');
    const heartbeat = 300;
    const store = await open(prefix, 1500, heartbeat);
    const path = '/elt/stop/x';
    await store.declare(path, { type: 'double', value: 1, metadata: { units: 'mm' } });
    const master = await masterOfPath(prefix, path);
    const conn = new EventQueue<OldbConnectionEvent>();
    store.onConnection(conn.push);
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
    const readings = new EventQueue<Reading>();
    const sub = m.attribute(`cii.oldb:${path}`).value$.subscribe(readings.push);
    try {
      await readings.next((r) => r.quality === Quality.VALID, 10_000, 'a first VALID reading');
      process.kill(master.pid!, 'SIGSTOP');
      const down = await conn.next((e) => e.state === 'disconnected', 10_000, 'the hang to be noticed');
      expect(down.error?.message).toMatch(/does not answer.*PING within 300 ms/);
      expect(down.error?.message).toContain(master.address);
      const bad = await readings.next((r) => r.error !== undefined, 5000, 'an INVALID reading');
      expect(bad.quality).toBe(Quality.INVALID);
      expect(bad.error?.code).toBe('BACKEND_UNAVAILABLE');
    } finally {
      process.kill(master.pid!, 'SIGCONT');
    }
    // the same master answers again, or its replica was promoted meanwhile: either way connected and resynced
    await conn.next((e) => e.state === 'connected', 20_000, 'the store to be connected again');
    await until(
      'a write after SIGCONT',
      async () => {
        await store.write(path, { value: 2 });
        return true;
      },
      20_000,
    );
    const good = await readings.next(
      (r) => r.error === undefined && (r.rvalue as { magnitude?: unknown }).magnitude === 2,
      10_000,
      'a VALID reading of the write after SIGCONT',
    );
    expect(good.quality).toBe(Quality.VALID);
    sub.unsubscribe();
    await m.dispose();
    await cluster.waitOk(20_000);
  }, 60_000);
});
