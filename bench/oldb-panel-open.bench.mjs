// Opening a panel: the values and metadata of 1,000 datapoints read cold in one go.
//   by hand   ioredis (auto-pipelined): 1,000 HGETALL, values and metadata decoded from JSON
//   tk store  store.readMany(1,000 paths): the same HGETALLs, checked and decoded into snapshots
//   tk read   a fresh manager: 1,000 x manager.attribute(name).read({ cache: false }), then each attribute's
//             config (label, units, range, alarms...) and reading (a Quantity, quality from the limits)
//   tk watch  a fresh manager: 1,000 value$ subscribers, until every one has its first reading (how a
//             panel really opens: SUBSCRIBE + read of each datapoint), vs by hand: SUBSCRIBE + HGETALL x 1,000
// The connection to the server is open already (the application runs; the panel opens), the manager
// and its attributes are new (cold). Rounds interleaved; medians and the ratio tk / by hand.
// Env: COUNT (1000), ROUNDS (15).
// CLUSTER=1: the same on a 3-master Redis Cluster started here (stopped by pid at the end); by hand is then
// ioredis Cluster (auto-pipelined per node): HGETALL of the hash-tagged keys, and SSUBSCRIBE of each
// datapoint's sharded channel on a Cluster with shardedSubscribers.
import { Cluster, Redis } from 'ioredis';
import { createManager, createOldbScheme } from '../dist/index.js';
import { createRedisStore } from '../dist/oldb/index.js';
import { median } from './lib.mjs';
import { now, startRedis, startRedisCluster } from './oldb-redis-server.mjs';

const COUNT = Number(process.env.COUNT ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const PREFIX = 'bench:panel:';
const paths = Array.from({ length: COUNT }, (_, i) => `/root/panel/d${Math.floor(i / 50)}/p${i % 50}`);
const watchdog = setTimeout(() => {
  console.error('panel-open bench: gave up after 120 s');
  process.exit(2);
}, 120_000);
watchdog.unref();

const CLUSTER = process.env.CLUSTER === '1';
const server = CLUSTER ? await startRedisCluster(3) : await startRedis();
const store = createRedisStore({ url: server.url, prefix: PREFIX, timeout: 10_000 });
const redis = CLUSTER
  ? new Cluster(server.nodes, { enableAutoPipelining: true })
  : new Redis(server.url, { enableAutoPipelining: true });
const subscriber = CLUSTER ? new Cluster(server.nodes, { shardedSubscribers: true }) : new Redis(server.url);
/** The key of a datapoint's hash and its channel, in the store's layout. */
const tag = (p) => (CLUSTER ? `{${p}}` : p);
const hashKey = (p) => `${PREFIX}dp:${tag(p)}`;
const channelOf = (p) => `${PREFIX}ch:${tag(p)}`;
/** Subscribes (or unsubscribes) every channel by hand: one SUBSCRIBE, or one SSUBSCRIBE per channel (slots differ). */
const subscribeAll = (channels) =>
  CLUSTER ? Promise.all(channels.map((c) => subscriber.ssubscribe(c))) : subscriber.subscribe(...channels);
const unsubscribeAll = (channels) =>
  CLUSTER
    ? Promise.all(channels.map((c) => subscriber.sunsubscribe(c)))
    : subscriber.unsubscribe(...channels);

function decodeByHand(h) {
  const metadata = {};
  for (const k in h) if (k.startsWith('m.')) metadata[k.slice(2)] = JSON.parse(h[k]);
  return { type: h.type, value: JSON.parse(h.v), timestamp: Number(h.t), quality: h.q, metadata };
}

const variants = {
  'by hand: ioredis HGETALL x N': async () => {
    const hashes = await Promise.all(paths.map((p) => redis.hgetall(hashKey(p))));
    const out = hashes.map(decodeByHand);
    if (out.length !== COUNT || out[COUNT - 1].metadata.units !== 'mm') throw new Error('by hand: bad read');
  },
  'tk store.readMany': async () => {
    const snaps = await store.readMany(paths);
    if (snaps.length !== COUNT || snaps[COUNT - 1].metadata.units !== 'mm')
      throw new Error('tk store: bad read');
  },
  'tk manager: attribute(name).read()': async () => {
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
    const attrs = paths.map((p) => m.attribute(`cii.oldb:${p}`));
    const readings = await Promise.all(attrs.map((a) => a.read({ cache: false })));
    const a = attrs[COUNT - 1];
    if (readings.length !== COUNT || a.config.units !== 'mm' || readings[COUNT - 1].rvalue.units !== 'mm')
      throw new Error('tk read: bad read');
    await m.dispose();
  },
  'by hand: SUBSCRIBE + HGETALL x N': async () => {
    const channels = paths.map(channelOf);
    await Promise.all([
      subscribeAll(channels),
      Promise.all(paths.map((p) => redis.hgetall(hashKey(p)))).then((hs) => hs.map(decodeByHand)),
    ]);
    await unsubscribeAll(channels);
  },
  'tk manager: value$ first readings': async () => {
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
    let left = COUNT;
    let done;
    const all = new Promise((r) => (done = r));
    const subs = paths.map((p) =>
      m.attribute(`cii.oldb:${p}`).value$.subscribe(() => {
        if (--left === 0) done();
      }),
    );
    await all;
    for (const s of subs) s.unsubscribe();
    await m.dispose();
  },
};
const names = Object.keys(variants);
const pairs = [
  ['tk store.readMany', 'by hand: ioredis HGETALL x N'],
  ['tk manager: attribute(name).read()', 'by hand: ioredis HGETALL x N'],
  ['tk manager: value$ first readings', 'by hand: SUBSCRIBE + HGETALL x N'],
];

try {
  for (let i = 0; i < COUNT; i += 500) {
    await Promise.all(
      paths.slice(i, i + 500).map((p, j) =>
        store.declare(
          p,
          {
            type: 'double',
            value: i + j + 0.5,
            metadata: {
              label: `Datapoint ${i + j}`,
              description: 'a panel datapoint',
              units: 'mm',
              range: [-1000, 1e6],
              alarms: [-100, 1e5],
              warnings: [-10, 1e4],
              format: '%8.3f',
            },
          },
          { ifExists: 'replace' },
        ),
      ),
    );
  }
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await variants[n](); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) {
      const t0 = now();
      await variants[n]();
      times[n].push(now() - t0);
    }
  }
  const where = CLUSTER ? 'a 3-master Redis Cluster' : 'one redis-server';
  console.log(
    `\nOpening a panel on ${where}: ${COUNT} datapoints, values and metadata, cold; median of ${ROUNDS} interleaved rounds`,
  );
  for (const n of names) {
    const ms = median(times[n]);
    console.log(
      `  ${n.padEnd(38)} ${ms.toFixed(2).padStart(8)} ms  (${Math.round((COUNT / ms) * 1000).toLocaleString('en-US')} datapoints/s)`,
    );
  }
  for (const [a, b] of pairs) {
    const ratio = median(times[a].map((t, r) => t / times[b][r]));
    console.log(`  ratio ${a} / ${b}: ${ratio.toFixed(2)}x the time (median of per-round ratios)`);
  }
} finally {
  subscriber.disconnect();
  redis.disconnect();
  await store.close();
  await server.stop();
  clearTimeout(watchdog);
}
