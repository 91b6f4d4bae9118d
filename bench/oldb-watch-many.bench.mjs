// 10,000 watched datapoints updating at 10 Hz each (100,000 updates/s) through one redis-server, for ~10 s.
// A producer process (bench/oldb-producer-child.mjs, tk-core's Redis store) writes; this process watches
// every datapoint through a tk-core manager (one attribute and one value$ subscriber per datapoint).
// Reports: messages received vs sent, lag (write timestamp -> reading at the subscriber) per second,
// whether it is sustained (everything received, lag not growing), and the CPU used by this process,
// the producer and the redis-server. The producer keeps at most MAX_INFLIGHT (2000) writes unacknowledged,
// so when the chain cannot keep up, the achieved rate drops (and shows) instead of a queue growing without
// bound. Env: COUNT (10000), RATE (10 per datapoint per s), SECONDS (10), MAX_INFLIGHT.
import { fork } from 'node:child_process';
import { createManager, createOldbScheme } from '../dist/index.js';
import { createRedisStore } from '../dist/oldb/index.js';
import { now, percentile, startRedis } from './oldb-redis-server.mjs';

const COUNT = Number(process.env.COUNT ?? 10_000);
const RATE = Number(process.env.RATE ?? 10);
const SECONDS = Number(process.env.SECONDS ?? 10);
const ROOT = '/root/watch';
const PREFIX = 'bench:watch:';
const pathOf = (i) => `${ROOT}/g${Math.floor(i / 100)}/p${i % 100}`;
const watchdog = setTimeout(() => {
  console.error('watch-many bench: gave up after 180 s');
  process.exit(2);
}, 180_000);
watchdog.unref();

const server = await startRedis();
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
let producer;
let manager;
let reported = false;
try {
  // declare the datapoints (values 0), a few thousand at a time
  const setup = createRedisStore({ url: server.url, prefix: PREFIX, timeout: 10_000 });
  for (let i = 0; i < COUNT; i += 2000) {
    const batch = [];
    for (let j = i; j < Math.min(COUNT, i + 2000); j++) {
      batch.push(
        setup.declare(
          pathOf(j),
          { type: 'integer', value: 0, metadata: { units: '', warnings: [null, 1e9] } },
          { ifExists: 'replace' },
        ),
      );
    }
    await Promise.all(batch);
  }
  await setup.close();

  producer = fork(new URL('./oldb-producer-child.mjs', import.meta.url), {
    env: {
      MAX_INFLIGHT: '2000',
      ...process.env,
      URL: server.url,
      PREFIX,
      COUNT: String(COUNT),
      RATE: String(RATE),
      SECONDS: String(SECONDS),
      ROOT,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.PRODUCER_PROF ? ['--cpu-prof', '--cpu-prof-dir=prof'] : [],
  });
  const producerMessages = [];
  let onProducer = () => {};
  producer.on('message', (m) => {
    producerMessages.push(m);
    onProducer();
  });
  const producerSays = (pred) =>
    new Promise((resolve) => {
      const check = () => {
        const m = producerMessages.find(pred);
        if (m) resolve(m);
      };
      onProducer = check;
      check();
    });
  await producerSays((m) => m.ready);

  // watch every datapoint through the manager
  manager = createManager({
    builtins: false,
    gcTime: 0,
    schemes: [createOldbScheme()],
    schemeOptions: { 'cii.oldb': { url: server.url, prefix: PREFIX } },
  });
  const lags = new Float64Array(Math.round(COUNT * RATE * SECONDS * 1.1) + COUNT);
  let received = 0;
  let initial = 0;
  let runStart = Number.POSITIVE_INFINITY;
  const perSecond = []; // { n, lags: [] } per second since the producer started
  let allInitial;
  const initialDone = new Promise((r) => (allInitial = r));
  const t0 = now();
  const subs = [];
  for (let i = 0; i < COUNT; i++) {
    const a = manager.attribute(`cii.oldb:${pathOf(i)}`);
    let first = true;
    subs.push(
      a.value$.subscribe((r) => {
        if (first) {
          first = false;
          if (++initial === COUNT) allInitial();
          return;
        }
        const t = now();
        const lag = t - r.time;
        if (received < lags.length) lags[received] = lag;
        received++;
        const sec = Math.floor((t - runStart) / 1000);
        if (sec >= 0) {
          const s = (perSecond[sec] ??= { n: 0, lags: [] });
          s.n++;
          s.lags.push(lag);
        }
      }),
    );
  }
  await initialDone;
  const watchSecs = (now() - t0) / 1000;
  console.log(
    `\nWatching ${COUNT} datapoints through one manager: first readings of all in ${f2(watchSecs)} s`,
  );

  const cpu0 = process.cpuUsage();
  const redis0 = server.cpuSeconds();
  runStart = now();
  producer.send('go');
  const report = await producerSays((m) => m.sent !== undefined);
  reported = true;
  // drain: wait until everything acknowledged has arrived, or 5 s without progress
  let last = -1;
  let still = now();
  while (received < report.acked && now() - still < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    if (received !== last) {
      last = received;
      still = now();
    }
  }
  const elapsed = (now() - runStart) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redisCpu = redis0 === null ? null : server.cpuSeconds() - redis0;

  const sorted = Array.from(lags.subarray(0, Math.min(received, lags.length))).sort((a, b) => a - b);
  const target = COUNT * RATE;
  console.log(
    `Producer: ${report.sent} writes in ${f2(report.seconds)} s = ${Math.round(report.sent / report.seconds).toLocaleString('en-US')}/s (target ${target.toLocaleString('en-US')}/s), acknowledged ${report.acked}, failed ${report.failed}${report.firstError ? ` (${report.firstError})` : ''}, max backlog at a tick ${report.behind}`,
  );
  console.log(
    `Subscriber: received ${received} of ${report.acked} acknowledged (${f2((received / Math.max(1, report.acked)) * 100)}%), over ${f2(elapsed)} s`,
  );
  console.log(
    `Lag write -> value$: p50 ${f2(percentile(sorted, 50))} ms, p99 ${f2(percentile(sorted, 99))} ms, max ${f2(sorted.at(-1) ?? 0)} ms`,
  );
  console.log('Per second: received, lag p50 / p99 (ms)');
  for (let s = 0; s < perSecond.length; s++) {
    const x = perSecond[s];
    if (!x) continue;
    const l = x.lags.sort((a, b) => a - b);
    console.log(
      `  ${String(s).padStart(3)} s  ${String(x.n).padStart(7)}  ${f2(percentile(l, 50)).padStart(8)} / ${f2(percentile(l, 99)).padStart(8)}`,
    );
  }
  // lag over the first and the second half of the producer's run
  const half = Math.max(1, Math.floor(SECONDS / 2));
  const p99Of = (from, to) =>
    percentile(
      perSecond
        .slice(from, to)
        .flatMap((x) => x?.lags ?? [])
        .sort((a, b) => a - b),
      99,
    ) ?? 0;
  const firstHalf = p99Of(0, half);
  const secondHalf = p99Of(half, SECONDS);
  const achieved = report.sent / report.seconds;
  const sustained =
    achieved >= 0.95 * target &&
    received === report.acked &&
    report.failed === 0 &&
    secondHalf < Math.max(50, 3 * firstHalf);
  console.log(`Lag p99 first half ${f2(firstHalf)} ms, second half ${f2(secondHalf)} ms`);
  console.log(
    `Sustained at ${target.toLocaleString('en-US')} updates/s: ${sustained ? 'yes' : 'NO'} ` +
      `(needs: the producer keeps >= 95% of the rate (${f1((achieved / target) * 100)}%), all received, none failed, lag p99 not growing)`,
  );
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  console.log(
    `CPU over ${f2(elapsed)} s: subscriber process ${f2(cpuSecs)} s (${f1((cpuSecs / elapsed) * 100)}% of a core, ${f2((cpu.user + cpu.system) / Math.max(1, received))} us/update), ` +
      `producer process ${f2(report.cpu / 1e6)} s (${f1((report.cpu / 1e6 / report.seconds) * 100)}% of a core, ${f2(report.cpu / Math.max(1, report.sent))} us/write), ` +
      (redisCpu === null
        ? 'redis-server: not measurable here'
        : `redis-server ${f2(redisCpu)} s (${f1((redisCpu / elapsed) * 100)}% of a core, ${f2((redisCpu * 1e6) / Math.max(1, report.sent))} us/write)`),
  );
  for (const s of subs) s.unsubscribe();
} finally {
  await manager?.dispose();
  if (producer && producer.exitCode === null) {
    // it exits by itself after its report; without a report (an error here), stop it
    const exited = new Promise((r) => producer.once('exit', r));
    if (!reported) producer.kill('SIGTERM');
    const force = setTimeout(() => producer.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  }
  await server.stop();
  clearTimeout(watchdog);
}
