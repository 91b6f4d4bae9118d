// N clients x M attributes at R Hz through a real Redis OLDB, the gateway and its clients, against the
// baseline measured in the same run: the same manager subscriptions and the same JSON, broadcast with plain
// `ws` to the same number of clients. A producer process writes the OLDB (bench/oldb-producer-child.mjs);
// the server (bench/gateway-fanout-server.mjs) and the clients (bench/gateway-fanout-clients.mjs) run in
// processes of their own, so each one's CPU is its own. Figures: delivered updates/s, server CPU us per
// delivered update, latency from the OLDB write to the client's value (p50, p99), and the gateway's memory
// with one client that stops reading. Targets (issue 14) at 50 x 100 x 2 Hz: throughput >= 70% of the
// baseline, p99 added <= 5 ms, memory bounded with the stalled client.
// Env: CLIENTS (50), ATTRS (100), RATE (2 per attribute per s), SECONDS (10), ROUNDS (2: baseline and
// gateway alternate), PROTOCOL_CLIENT=1 (protocol clients over ws even when tk-core/remote is built);
// the stalled-client run: STALL_CLIENTS (5), STALL_RATE (10), STALL_SECONDS (20), STALL_SIDS (10 subscriptions
// per attribute for the stalled client, so that its socket backs up within seconds).
import { fork } from 'node:child_process';
import { createRedisStore } from '../dist/oldb/index.js';
import { percentile, startRedis } from './oldb-redis-server.mjs';

const CLIENTS = Number(process.env.CLIENTS ?? 50);
const ATTRS = Number(process.env.ATTRS ?? 100);
const RATE = Number(process.env.RATE ?? 2);
const SECONDS = Number(process.env.SECONDS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const ROOT = '/root/fanout';
const PREFIX = 'bench:fanout:';
const pathOf = (i) => `${ROOT}/g${Math.floor(i / 100)}/p${i % 100}`;
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const watchdog = setTimeout(() => {
  console.error('gateway-fanout bench: gave up after 600 s');
  process.exit(2);
}, 600_000);
watchdog.unref();

/** A child process and a way to wait for its messages. */
function child(file, env) {
  const p = fork(new URL(file, import.meta.url), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox = [];
  let wake = () => {};
  let failWaiter = () => {};
  p.on('exit', (code) => failWaiter(new Error(`${file} exited with ${code}`)));
  p.on('message', (m) => {
    inbox.push(m);
    wake();
  });
  return {
    proc: p,
    send: (m) => p.send(m),
    next: (pred) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const i = inbox.findIndex(pred);
          if (i >= 0) resolve(inbox.splice(i, 1)[0]);
        };
        wake = check;
        failWaiter = reject;
        check();
      }),
  };
}

const server = await startRedis();
const common = { URL: server.url, PREFIX, COUNT: String(ATTRS), ROOT };
const results = { raw: [], gateway: [] };
let clientKind = '';
try {
  const setup = createRedisStore({ url: server.url, prefix: PREFIX, timeout: 10_000 });
  await Promise.all(
    Array.from({ length: ATTRS }, (_, i) =>
      setup.declare(
        pathOf(i),
        { type: 'integer', value: 0, metadata: { units: 'counts' } },
        { ifExists: 'replace' },
      ),
    ),
  );
  await setup.close();

  /** One measured run of `mode`; `stall` adds a client that stops reading and samples memory each second. */
  async function run(mode, { stall = false, clients = CLIENTS, rate = RATE, seconds = SECONDS } = {}) {
    const srv = child('./gateway-fanout-server.mjs', { ...common, MODE: mode });
    const { url } = await srv.next((m) => m.url !== undefined);
    const cl = child('./gateway-fanout-clients.mjs', {
      ...common,
      URL: url,
      MODE: mode,
      CLIENTS: String(clients),
      STALL: stall ? '1' : '0',
    });
    const ready = await cl.next((m) => m.ready);
    clientKind = mode === 'gateway' ? ready.kind : clientKind;
    await new Promise((r) => setTimeout(r, 1000)); // initial values delivered, the stalled client paused
    const producer = child('./oldb-producer-child.mjs', {
      MAX_INFLIGHT: '2000',
      ...common,
      URL: server.url,
      RATE: String(rate),
      SECONDS: String(seconds),
    });
    await producer.next((m) => m.ready);
    srv.send('sample');
    const s0 = await srv.next((m) => m.cpu !== undefined);
    cl.send('reset');
    producer.send('go');
    const memory = [];
    let producing = true;
    const sampling = (async () => {
      while (stall && producing) {
        await new Promise((r) => setTimeout(r, 1000));
        if (!producing) break;
        srv.send('sample');
        memory.push(await srv.next((m) => m.cpu !== undefined));
      }
    })();
    const report = await producer.next((m) => m.sent !== undefined);
    producing = false;
    await sampling;
    await new Promise((r) => setTimeout(r, 1000)); // the last updates in flight
    srv.send('sample');
    const s1 = await srv.next((m) => m.cpu !== undefined);
    cl.send('report');
    const c = await cl.next((m) => m.received !== undefined);
    cl.send('stop');
    srv.send('stop');
    await srv.next((m) => m.stopped);
    const serverCpu = s1.cpu - s0.cpu;
    return {
      mode,
      offered: report.acked * clients,
      delivered: c.received,
      perSecond: c.received / report.seconds,
      cpuPerUpdate: serverCpu / Math.max(1, c.received),
      serverCpuShare: serverCpu / 1e6 / report.seconds,
      p50: percentile(c.lags, 50) ?? 0,
      p99: percentile(c.lags, 99) ?? 0,
      producer: report,
      memory,
      end: s1,
    };
  }

  console.log(
    `\n${CLIENTS} clients x ${ATTRS} attributes x ${RATE} Hz = ${(CLIENTS * ATTRS * RATE).toLocaleString('en-US')} updates/s offered, ${SECONDS} s per run, ${ROUNDS} rounds`,
  );
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of r % 2 === 0 ? ['raw', 'gateway'] : ['gateway', 'raw']) {
      const x = await run(mode);
      results[mode].push(x);
      console.log(
        `  round ${r + 1} ${mode.padEnd(7)}: delivered ${x.delivered} of ${x.offered} (${f1(x.perSecond)}/s), server CPU ${f2(x.cpuPerUpdate)} us/update (${f1(x.serverCpuShare * 100)}% of a core), latency p50 ${f2(x.p50)} ms, p99 ${f2(x.p99)} ms`,
      );
    }
  }
  const med = (xs, k) => {
    const s = xs.map((x) => x[k]).sort((a, b) => a - b);
    const h = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const raw = {
    perSecond: med(results.raw, 'perSecond'),
    cpu: med(results.raw, 'cpuPerUpdate'),
    p50: med(results.raw, 'p50'),
    p99: med(results.raw, 'p99'),
  };
  const gw = {
    perSecond: med(results.gateway, 'perSecond'),
    cpu: med(results.gateway, 'cpuPerUpdate'),
    p50: med(results.gateway, 'p50'),
    p99: med(results.gateway, 'p99'),
  };
  console.log(`\nClients of the gateway: ${clientKind}; of the baseline: plain ws (JSON.parse)`);
  console.log('Medians of the rounds:  delivered/s   server CPU us/update   latency p50 / p99 (ms)');
  console.log(
    `  raw ws broadcast  ${f1(raw.perSecond).padStart(11)}   ${f2(raw.cpu).padStart(20)}   ${f2(raw.p50)} / ${f2(raw.p99)}`,
  );
  console.log(
    `  tk-core gateway   ${f1(gw.perSecond).padStart(11)}   ${f2(gw.cpu).padStart(20)}   ${f2(gw.p50)} / ${f2(gw.p99)}`,
  );
  const ratio = gw.perSecond / raw.perSecond;
  const added = gw.p99 - raw.p99;
  console.log(
    `  throughput gateway / raw: ${f2(ratio)} (target >= 0.70: ${ratio >= 0.7 ? 'met' : 'NOT met'})`,
  );
  console.log(`  CPU per update gateway / raw: ${f2(gw.cpu / raw.cpu)}`);
  console.log(
    `  p99 added by the gateway: ${f2(added)} ms (target <= 5 ms: ${added <= 5 ? 'met' : 'NOT met'})`,
  );

  // memory with one client that stops reading: enough traffic for its socket to back up (a few MB of kernel
  // buffers first), so that the gateway's own bound is what is measured
  const STALL_CLIENTS = Number(process.env.STALL_CLIENTS ?? 5);
  const STALL_RATE = Number(process.env.STALL_RATE ?? 10);
  const STALL_SECONDS = Number(process.env.STALL_SECONDS ?? 20);
  const stalled = await run('gateway', {
    stall: true,
    clients: STALL_CLIENTS,
    rate: STALL_RATE,
    seconds: STALL_SECONDS,
  });
  console.log(
    `\n${STALL_CLIENTS} clients x ${ATTRS} attributes x ${STALL_RATE} Hz for ${STALL_SECONDS} s, and one more client that stops reading (its socket paused after subscribing ${process.env.STALL_SIDS ?? 10} times to each of the ${ATTRS}):`,
  );
  console.log('  second   rss MB   heap MB   buffered KB   pending subs   blocked clients');
  stalled.memory.forEach((m, i) => {
    console.log(
      `  ${String(i + 1).padStart(6)}   ${f1(m.rss / 2 ** 20).padStart(6)}   ${f1(m.heapUsed / 2 ** 20).padStart(7)}   ${f1((m.stats.bufferedBytes ?? 0) / 1024).padStart(11)}   ${String(m.stats.pendingSubscriptions ?? 0).padStart(12)}   ${String(m.stats.blockedClients ?? 0).padStart(15)}`,
    );
  });
  const mid = stalled.memory[Math.floor(stalled.memory.length / 2)];
  const last = stalled.memory.at(-1);
  const bounded =
    mid !== undefined &&
    last !== undefined &&
    last.stats.pendingSubscriptions <= (STALL_CLIENTS + Number(process.env.STALL_SIDS ?? 10)) * ATTRS &&
    last.stats.bufferedBytes <= 512 * 1024 &&
    last.heapUsed < mid.heapUsed * 1.25 + 8 * 2 ** 20;
  console.log(
    `  the other ${STALL_CLIENTS} clients: delivered ${stalled.delivered} of ${stalled.offered}, p99 ${f2(stalled.p99)} ms; coalesced for the stalled one: ${stalled.end.stats.updatesCoalesced}`,
  );
  console.log(
    `  memory bounded with the stalled client: ${bounded ? 'yes' : 'NO'} (pending <= one update per subscription, socket backlog under 512 KiB, heap not growing)`,
  );
  console.log(
    '(The machine is shared: figures vary with its load; ratios come from runs of the same round.)',
  );
} finally {
  await server.stop();
}
