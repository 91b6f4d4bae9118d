// Update path: producer write -> subscriber. tk-core (store.write -> Lua -> pub/sub -> manager attribute value$)
// vs raw ioredis (PUBLISH -> subscriber), same server, same run. Throughput and p99 latency at 5,000 updates/s.
import { Redis } from 'ioredis';
import { createManager, createOldbScheme } from '../dist/index.js';
import { createRedisStore } from '../dist/oldb/index.js';
import { now, percentile, startRedis } from './oldb-redis-server.mjs';

const N = Number(process.env.N ?? 30_000);
const RATE = 5000;
const LAT_SECONDS = Number(process.env.LAT_SECONDS ?? 3);
const server = await startRedis();

async function rawSetup() {
  const pub = new Redis(server.url, { enableAutoPipelining: true });
  const sub = new Redis(server.url);
  let onMsg = () => {};
  sub.on('message', (_c, m) => onMsg(m));
  await sub.subscribe('raw:bench');
  return {
    send: (i) => pub.publish('raw:bench', JSON.stringify({ i, t: now() })),
    listen: (fn) => (onMsg = (m) => fn(JSON.parse(m).t)),
    close: () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function tkSetup() {
  const prefix = 'bench:';
  const writer = createRedisStore({ url: server.url, prefix });
  await writer.declare('/root/bench/x', { type: 'double', metadata: { units: 'mm' } }, { ifExists: 'replace' });
  const m = createManager({
    builtins: false,
    gcTime: 0,
    schemes: [createOldbScheme()],
    schemeOptions: { 'cii.oldb': { url: server.url, prefix } },
  });
  const a = m.attribute('cii.oldb:/root/bench/x');
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
    send: (i) => writer.write('/root/bench/x', { value: i, timestamp: now() }),
    listen: (fn) => (onReading = fn),
    close: async () => {
      s.unsubscribe();
      await m.dispose();
      await writer.close();
    },
  };
}

async function throughput(setup) {
  const c = await setup();
  let received = 0;
  let done;
  const all = new Promise((r) => (done = r));
  c.listen(() => {
    if (++received === N) done();
  });
  const t0 = now();
  // issue in chunks so the writer's promises do not pile up unboundedly
  for (let i = 0; i < N; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) batch.push(c.send(j));
    await Promise.all(batch);
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 30_000))]);
  const secs = (now() - t0) / 1000;
  await c.close();
  return { rate: received / secs, received };
}

async function latency(setup) {
  const c = await setup();
  const lat = [];
  c.listen((t) => lat.push(now() - t));
  const total = RATE * LAT_SECONDS;
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
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), n: lat.length, total };
}

try {
  // warm-up
  await throughput(rawSetup);
  await throughput(tkSetup);
  const raw = await throughput(rawSetup);
  const tk = await throughput(tkSetup);
  console.log(`throughput raw ioredis pub/sub: ${raw.rate.toFixed(0)} msgs/s (${raw.received}/${N})`);
  console.log(`throughput tk-core write->value$: ${tk.rate.toFixed(0)} msgs/s (${tk.received}/${N})`);
  console.log(`ratio tk-core/raw: ${((tk.rate / raw.rate) * 100).toFixed(1)}% (target >= 80%)`);
  const lr = await latency(rawSetup);
  const lt = await latency(tkSetup);
  console.log(`latency at ${RATE}/s raw: p50 ${lr.p50.toFixed(3)} ms, p99 ${lr.p99.toFixed(3)} ms (${lr.n}/${lr.total})`);
  console.log(`latency at ${RATE}/s tk-core: p50 ${lt.p50.toFixed(3)} ms, p99 ${lt.p99.toFixed(3)} ms (${lt.n}/${lt.total})`);
  console.log(`p99 difference: ${(lt.p99 - lr.p99).toFixed(3)} ms (target <= +1 ms)`);
} finally {
  await server.stop();
}
