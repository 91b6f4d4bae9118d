// Update path: a producer's write -> a subscriber, measured end to end at the subscriber, in one run
// against one redis-server of our own:
//   raw        ioredis PUBLISH of the very payload tk-core's write script publishes -> ioredis subscriber (JSON.parse)
//   tk store   store.write (checks, Lua: value+timestamp+quality+counter and PUBLISH atomically) -> store.subscribe listener
//   tk manager the same write -> a manager attribute's value$ (Reading with a Quantity, quality from limits)
// Throughput (messages/s received) and latency at 5,000 updates/s (p50/p99 of send -> receive).
// Variants are interleaved over several rounds (order reversed every other round) and compared by the
// median of the per-round ratios/differences, which keeps the comparison fair on a shared, noisy machine.
// Producer and subscriber share this process, in every variant. Env: N (messages per throughput round), ROUNDS, LAT_SECONDS, RATE.
// CLUSTER=1: the same on a 3-master Redis Cluster started here (stopped by pid at the end); the baseline is
// ioredis Cluster: SPUBLISH of the same payload -> a Cluster with shardedSubscribers (SSUBSCRIBE); tk uses
// the cluster layout (hash-tagged keys, a counter per datapoint, SPUBLISH). The EVALSHA variant is single-server only.
import { Cluster, Redis } from 'ioredis';
import { createManager, createOldbScheme } from '../dist/index.js';
import { createRedisStore, WRITE_MANY_SCRIPT } from '../dist/oldb/index.js';
import { median } from './lib.mjs';
import { now, percentile, startRedis, startRedisCluster } from './oldb-redis-server.mjs';

const N = Number(process.env.N ?? 30_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const RATE = Number(process.env.RATE ?? 5000);
const LAT_SECONDS = Number(process.env.LAT_SECONDS ?? 2);
const LAT_ROUNDS = Number(process.env.LAT_ROUNDS ?? 7);
const CLUSTER = process.env.CLUSTER === '1';
const server = CLUSTER ? await startRedisCluster(3) : await startRedis();
const PATH = '/root/bench/x';
const value = (i) => 1 + i * 0.001; // a double, as the tk write encodes it

// the raw baseline on a cluster: ioredis Cluster, sharded pub/sub
async function rawClusterSetup() {
  const channel = `raw:ch:{${PATH}}`;
  const pub = new Cluster(server.nodes, { enableAutoPipelining: true });
  const sub = new Cluster(server.nodes, { shardedSubscribers: true });
  let onMsg = () => {};
  sub.on('smessage', (_c, m) => onMsg(JSON.parse(m).t));
  await sub.ssubscribe(channel);
  let seq = 0;
  return {
    // byte for byte what CLUSTER_WRITE_SCRIPT publishes for a write of value(i)
    send: (i) =>
      pub.spublish(
        channel,
        `{"k":"v","s":${++seq},"t":${String(now())},"q":"OK","v":${JSON.stringify(value(i))}}`,
      ),
    listen: (fn) => (onMsg = fn),
    close: async () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function rawSetup() {
  if (CLUSTER) return rawClusterSetup();
  const channel = `raw:ch:${PATH}`;
  const pub = new Redis(server.url, { enableAutoPipelining: true });
  const sub = new Redis(server.url);
  let onMsg = () => {};
  sub.on('message', (_c, m) => onMsg(JSON.parse(m).t));
  await sub.subscribe(channel);
  let seq = 0;
  return {
    // byte for byte what WRITE_MANY_SCRIPT publishes for a write of value(i)
    send: (i) =>
      pub.publish(
        channel,
        `{"k":"v","s":${++seq},"t":${String(now())},"q":"OK","v":${JSON.stringify(value(i))}}`,
      ),
    listen: (fn) => (onMsg = fn),
    close: async () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

// the server-side work of a tk write (the same script), issued by hand with ioredis, one call per message
async function rawScriptSetup() {
  const prefix = 'bench:rawscript:';
  const writer = await tkWriter(prefix);
  await writer.close();
  const pub = new Redis(server.url, {
    enableAutoPipelining: true,
    scripts: { writeMany: { lua: WRITE_MANY_SCRIPT } },
  });
  const sub = new Redis(server.url);
  let onMsg = () => {};
  sub.on('message', (_c, m) => onMsg(JSON.parse(m).t));
  await sub.subscribe(`${prefix}ch:${PATH}`);
  const key = `${prefix}dp:${PATH}`;
  return {
    send: (i) =>
      pub.writeMany(
        2,
        `${prefix}seq`,
        key,
        `${prefix}ch:`,
        PATH,
        'double',
        JSON.stringify(value(i)),
        String(now()),
        'OK',
      ),
    listen: (fn) => (onMsg = fn),
    close: async () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function tkWriter(prefix) {
  const writer = createRedisStore({ url: server.url, prefix });
  await writer.declare(
    PATH,
    { type: 'double', metadata: { units: 'mm', alarms: [-1e9, 1e9] } },
    { ifExists: 'replace' },
  );
  return writer;
}

async function tkStoreSetup() {
  const prefix = 'bench:store:';
  const writer = await tkWriter(prefix);
  const reader = createRedisStore({ url: server.url, prefix });
  let onEvent = () => {};
  let ready;
  const got = new Promise((r) => (ready = r));
  const s = reader.subscribe(PATH, (ev) => (ev.kind === 'value' ? onEvent(ev.sample.timestamp) : ready()));
  await got;
  return {
    send: (i) => writer.write(PATH, { value: value(i), timestamp: now() }),
    listen: (fn) => (onEvent = fn),
    close: async () => {
      s.unsubscribe();
      await reader.close();
      await writer.close();
    },
  };
}

async function tkManagerSetup() {
  const prefix = 'bench:manager:';
  const writer = await tkWriter(prefix);
  const m = createManager({
    builtins: false,
    gcTime: 0,
    schemes: [createOldbScheme()],
    schemeOptions: { 'cii.oldb': { url: server.url, prefix } },
  });
  const a = m.attribute(`cii.oldb:${PATH}`);
  let onReading = () => {};
  let first = true;
  let ready;
  const got = new Promise((r) => (ready = r));
  const s = a.value$.subscribe((r) => {
    if (first) {
      first = false;
      ready();
      return;
    }
    onReading(r.time);
  });
  await got;
  return {
    send: (i) => writer.write(PATH, { value: value(i), timestamp: now() }),
    listen: (fn) => (onReading = fn),
    close: async () => {
      s.unsubscribe();
      await m.dispose();
      await writer.close();
    },
  };
}

// [0] is the baseline, [2] the figure with a target; [3] (throughput only) shows the server-side cost of atomicity
const VARIANTS = [
  [CLUSTER ? 'raw ioredis Cluster SPUBLISH -> ssubscribe' : 'raw ioredis PUBLISH -> subscriber', rawSetup],
  ['tk store.write -> store.subscribe', tkStoreSetup],
  ['tk store.write -> manager value$', tkManagerSetup],
  ...(CLUSTER ? [] : [['raw ioredis EVALSHA write script, 1/msg', rawScriptSetup]]),
];
const LAT_VARIANTS = VARIANTS.slice(0, 3);

function within(ms) {
  let t;
  return { promise: new Promise((r) => (t = setTimeout(r, ms))), cancel: () => clearTimeout(t) };
}

async function throughput(setup) {
  const c = await setup();
  let received = 0;
  let done;
  const all = new Promise((r) => (done = r));
  c.listen(() => {
    if (++received === N) done();
  });
  const cpu0 = process.cpuUsage();
  const t0 = now();
  // the producer awaits its acknowledgements every 1,000 messages, so nothing piles up unboundedly
  for (let i = 0; i < N; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) batch.push(c.send(j));
    await Promise.all(batch);
  }
  const limit = within(30_000);
  await Promise.race([all, limit.promise]);
  limit.cancel();
  const secs = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await c.close();
  return { rate: received / secs, received, cpuPerMsg: (cpu.user + cpu.system) / Math.max(1, received) };
}

async function latency(setup) {
  const c = await setup();
  const lat = [];
  c.listen((t) => lat.push(now() - t));
  const total = Math.round(RATE * LAT_SECONDS);
  const t0 = now();
  let sent = 0;
  await new Promise((resolve) => {
    const step = () => {
      const due = Math.min(total, Math.floor(((now() - t0) / 1000) * RATE));
      while (sent < due) c.send(sent++);
      if (sent >= total) resolve();
      else setTimeout(step, 1);
    };
    step();
  });
  const deadline = now() + 5000;
  while (lat.length < total && now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await c.close();
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.at(-1), n: lat.length, total };
}

const order = (r, n) => {
  const o = Array.from({ length: n }, (_, i) => i);
  return r % 2 === 0 ? o : o.reverse();
};
const f1 = (x) => x.toFixed(1);
const f3 = (x) => x.toFixed(3);

try {
  for (const [, setup] of VARIANTS) await throughput(setup); // warm-up
  const rates = VARIANTS.map(() => []);
  const cpus = VARIANTS.map(() => []);
  const lost = VARIANTS.map(() => 0);
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of order(r, VARIANTS.length)) {
      const res = await throughput(VARIANTS[v][1]);
      rates[v].push(res.rate);
      cpus[v].push(res.cpuPerMsg);
      lost[v] += N - res.received;
    }
  }
  const where = CLUSTER ? 'a 3-master Redis Cluster' : 'one redis-server';
  console.log(
    `\nUpdate path throughput on ${where}, ${N} messages per round, median of ${ROUNDS} interleaved rounds`,
  );
  const rawRate = median(rates[0]);
  for (let v = 0; v < VARIANTS.length; v++) {
    const m = median(rates[v]);
    const paired = median(rates[v].map((x, r) => x / rates[0][r]));
    const ratio =
      v === 0
        ? ''
        : `  = ${f1((m / rawRate) * 100)}% of raw (median of per-round ratios ${f1(paired * 100)}%)${v === 2 ? ' (target >= 80%)' : ''}`;
    console.log(
      `  ${VARIANTS[v][0].padEnd(40)} ${Math.round(m).toLocaleString('en-US').padStart(9)} msgs/s  ` +
        `node CPU ${f1(median(cpus[v]))} us/msg  lost ${lost[v]}${ratio}`,
    );
    console.log(`    rounds: ${rates[v].map((x) => Math.round(x)).join(', ')}`);
  }

  if (LAT_ROUNDS === 0) process.exit(0);
  const lats = LAT_VARIANTS.map(() => []);
  for (let r = 0; r < LAT_ROUNDS; r++) {
    const got = [];
    for (const v of order(r, LAT_VARIANTS.length)) got[v] = await latency(LAT_VARIANTS[v][1]);
    for (let v = 0; v < LAT_VARIANTS.length; v++) lats[v].push(got[v]);
  }
  console.log(
    `\nLatency on ${where} at ${RATE} updates/s for ${LAT_SECONDS} s, median over ${LAT_ROUNDS} interleaved rounds`,
  );
  const rawP99 = median(lats[0].map((l) => l.p99));
  for (let v = 0; v < LAT_VARIANTS.length; v++) {
    const p50 = median(lats[v].map((l) => l.p50));
    const p99 = median(lats[v].map((l) => l.p99));
    const paired = median(lats[v].map((l, r) => l.p99 - lats[0][r].p99));
    const sign = (x) => (x >= 0 ? '+' : '');
    const diff =
      v === 0
        ? ''
        : `  p99 ${sign(p99 - rawP99)}${f3(p99 - rawP99)} ms vs raw (median of per-round differences ${sign(paired)}${f3(paired)} ms)${v === 2 ? ' (target <= +1 ms)' : ''}`;
    console.log(`  ${LAT_VARIANTS[v][0].padEnd(40)} p50 ${f3(p50)} ms  p99 ${f3(p99)} ms${diff}`);
    console.log(
      `    rounds p99: ${lats[v].map((l) => f3(l.p99)).join(', ')} ms; max: ${lats[v].map((l) => f1(l.max)).join(', ')} ms; ` +
        `received ${lats[v].map((l) => `${l.n}/${l.total}`).join(', ')}`,
    );
  }
} finally {
  await server.stop();
}
