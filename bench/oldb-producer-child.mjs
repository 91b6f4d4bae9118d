// A producer process for the oldb benchmarks (not a benchmark itself): writes COUNT datapoints
// `${ROOT}/g<k>/p<j>` round robin at RATE updates/s per datapoint for SECONDS, through tk-core's Redis
// store, with at most MAX_INFLIGHT unacknowledged writes (a well-behaved producer does not queue without
// bound: when the server falls behind, so does the producer, and that shows), then reports over IPC:
// { sent, acked, failed, cpu (us), seconds, behind (max writes due but not yet issued at a tick) }.
import { createRedisStore } from '../dist/oldb/index.js';

const { URL: url, PREFIX: prefix, COUNT, RATE, SECONDS, ROOT } = process.env;
const MAX_INFLIGHT = Number(process.env.MAX_INFLIGHT ?? 20_000);
const count = Number(COUNT);
const rate = Number(RATE);
const seconds = Number(SECONDS);
const store = createRedisStore({ url, prefix, timeout: 10_000 });
const pathOf = (i) => `${ROOT}/g${Math.floor(i / 100)}/p${i % 100}`;
const paths = Array.from({ length: count }, (_, i) => pathOf(i));
const now = () => performance.timeOrigin + performance.now();

process.once('message', async () => {
  // warm the type cache, so every measured write is a plain batched write
  await store.readMany(paths);
  const total = Math.round(count * rate * seconds);
  const perMs = (count * rate) / 1000;
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let firstError;
  let behind = 0;
  const onAck = () => acked++;
  const onFail = (err) => {
    failed++;
    firstError ??= err.message;
  };
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((now() - t0) * perMs));
      behind = Math.max(behind, due - sent);
      const limit = Math.min(due, acked + failed + MAX_INFLIGHT);
      while (sent < limit) {
        const i = sent++;
        // value: how many times this datapoint was written (one more than before)
        store.write(paths[i % count], { value: Math.floor(i / count), timestamp: now() }).then(onAck, onFail);
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const deadline = now() + 10_000;
  while (acked + failed < sent && now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (now() - t0) / 1000;
  process.send(
    { sent, acked, failed, firstError, cpu: cpu.user + cpu.system, seconds: elapsed, behind },
    () => {
      void store.close().then(() => process.exit(0));
    },
  );
});
process.send({ ready: true });
