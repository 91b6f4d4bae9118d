// What checking untrusted input costs on the OLDB update path, measured in one run:
//   update path   store.write -> store.subscribe listener through a redis-server of our own (as
//                 bench/oldb-update-path.bench.mjs's "tk store" variant): seconds per message received
//   validation    per message, parseNotification (shape check) + decodeParsedValue (strict value check)
//                 against what an unchecked receiver does (JSON.parse and use the value), on the very
//                 payload the write script publishes
// The share is (validated - unchecked) / (seconds per message of the update path), per round; rounds
// alternate the two measurements and the figure is the median of the per-round shares (target <= 5%).
// Also shown: strict decoding of a datapoint hash (the read path) against a bare copy of its fields.
// Env: N (messages per throughput round), ROUNDS.
import {
  createRedisStore,
  decodeDatapointHash,
  decodeParsedValue,
  parseNotification,
} from '../dist/oldb/index.js';
import { median, rate } from './lib.mjs';
import { now, startRedis } from './oldb-redis-server.mjs';

const N = Number(process.env.N ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PATH = '/root/bench/v';
const server = await startRedis();

async function updatePathSecondsPerMessage() {
  const prefix = 'bench:validation:';
  const writer = createRedisStore({ url: server.url, prefix });
  await writer.declare(PATH, { type: 'double', metadata: { units: 'mm' } }, { ifExists: 'replace' });
  const reader = createRedisStore({ url: server.url, prefix });
  let received = 0;
  let done;
  const all = new Promise((r) => (done = r));
  let ready;
  const first = new Promise((r) => (ready = r));
  const sub = reader.subscribe(PATH, (ev) => {
    if (ev.kind !== 'value') return ready();
    if (++received === N) done();
  });
  await first;
  const t0 = now();
  for (let i = 0; i < N; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) batch.push(writer.write(PATH, { value: 1 + j * 0.001 }));
    await Promise.all(batch);
  }
  let timer;
  await Promise.race([all, new Promise((r) => (timer = setTimeout(r, 30_000)))]);
  clearTimeout(timer);
  const secs = (now() - t0) / 1000;
  sub.unsubscribe();
  await reader.close();
  await writer.close();
  return secs / Math.max(1, received);
}

// byte for byte what WRITE_MANY_SCRIPT publishes for a write of a double
const payloads = Array.from(
  { length: 1024 },
  (_, i) => `{"k":"v","s":${1000 + i},"t":${1_700_000_000_000 + i},"q":"OK","v":${1 + i * 0.001}}`,
);
let sink = 0;
const unchecked = (i) => {
  const n = JSON.parse(payloads[i & 1023]);
  sink += n.v;
};
const validated = (i) => {
  const n = parseNotification(payloads[i & 1023]);
  if (typeof n !== 'string') sink += decodeParsedValue('double', n.v);
};

const hash = {
  type: 'double',
  v: '1.25',
  t: '1700000000000',
  q: 'OK',
  s: '42',
  'm.units': '"mm"',
  'm.alarms': '[-1,1]',
};
const bareHash = () => {
  sink +=
    Number(hash.v) + Number(hash.t) + Number(hash.s) + hash.q.length + JSON.parse(hash['m.units']).length;
};
const strictHash = () => {
  sink += decodeDatapointHash(PATH, hash).timestamp;
};

try {
  await updatePathSecondsPerMessage(); // warm-up
  rate(unchecked, 0.3);
  rate(validated, 0.3);
  const shares = [];
  const perMsg = [];
  const costs = [];
  for (let r = 0; r < ROUNDS; r++) {
    const spm = await updatePathSecondsPerMessage();
    const a = rate(unchecked, 0.5);
    const b = rate(validated, 0.5);
    const cost = 1 / b - 1 / a;
    perMsg.push(spm);
    costs.push(cost);
    shares.push(cost / spm);
  }
  const f = (x) => (x * 1e6).toFixed(3);
  console.log(`\nValidation on the update path, ${N} messages per round, median of ${ROUNDS} rounds`);
  console.log(`  update path (store.write -> store.subscribe): ${f(median(perMsg))} us per message`);
  console.log(
    `  checking one notification (shape and value) over an unchecked JSON.parse: ${f(median(costs))} us`,
  );
  console.log(
    `  share of the update path: ${(median(shares) * 100).toFixed(2)}% (rounds: ${shares.map((s) => (s * 100).toFixed(2)).join(', ')}%) (target <= 5%)`,
  );
  const h1 = rate(bareHash, 0.5);
  const h2 = rate(strictHash, 0.5);
  console.log(
    `  read path: strict decoding of a datapoint hash ${f(1 / h2)} us vs a bare copy of its fields ${f(1 / h1)} us`,
  );
  if (sink === 42) console.log('');
} finally {
  await server.stop();
}
