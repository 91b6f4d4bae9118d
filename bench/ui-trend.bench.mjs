// Trends: M4 decimation of 1,000,000 points into 1,000 columns against a hand-written min/max loop over the
// same Float64Array (the floor of any decimation that keeps peaks), and the cost of appending a point against
// a bare typed-array store and a JS array used as a queue, all measured in this run. Variants are interleaved
// over ROUNDS rounds (order reversed every other round); ratios are medians of the per-round ratios.
// Env: N (points), WIDTH (columns), ROUNDS, BENCH_SECONDS (per append measurement).
import { createManager } from '../dist/index.js';
import { createTrend, decimateArray, TimeSeriesBuffer } from '../dist/ui/index.js';

import { median, rate, report } from './lib.mjs';

const N = Number(process.env.N ?? 1_000_000);
const WIDTH = Number(process.env.WIDTH ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const seconds = Number(process.env.BENCH_SECONDS ?? 0.5);

// a noisy sine with rare spikes, the shape a trend of a real signal has
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const values = new Float64Array(N);
for (let i = 0; i < N; i++) values[i] = Math.sin(i / 5000) + 0.1 * random() + (random() < 1e-5 ? 5 : 0);

// the baseline: per column, the min and max of its slice, by hand
const mins = new Float64Array(WIDTH);
const maxs = new Float64Array(WIDTH);
function minMaxLoop(v, width) {
  const n = v.length;
  for (let c = 0; c < width; c++) {
    const a = Math.floor((c * n) / width);
    const b = Math.floor(((c + 1) * n) / width);
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    for (let i = a; i < b; i++) {
      const x = v[i];
      if (x < mn) mn = x;
      if (x > mx) mx = x;
    }
    mins[c] = mn;
    maxs[c] = mx;
  }
  return maxs[0];
}

// the same values in a trend's ring buffer, wrapped (the oldest point is not at slot 0), one point per ms
const ring = new TimeSeriesBuffer({ capacity: N });
const t0 = 1.7e12;
for (let i = 0; i < N / 3; i++) ring.push(t0 - N + i, 0);
for (let i = 0; i < N; i++) ring.push(t0 + i, values[i]);

function time(fn, reps) {
  const start = performance.now();
  for (let r = 0; r < reps; r++) fn();
  return (performance.now() - start) / reps;
}

const cases = {
  'hand-written min/max loop': () => minMaxLoop(values, WIDTH),
  'decimateArray (M4 by index)': () => decimateArray(values, WIDTH),
  'TimeSeriesBuffer.decimate (M4 by time, wrapped ring)': () => ring.decimate(WIDTH),
};
for (const fn of Object.values(cases)) time(fn, 20); // warm up
const ms = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = Object.keys(cases);
  if (round % 2 === 1) order.reverse();
  for (const k of order) ms[k].push(time(cases[k], 10));
}
const base = 'hand-written min/max loop';
const ratio = (k) => median(ms[k].map((x, i) => x / ms[base][i]));
report(
  `Decimation of ${N.toLocaleString('en-US')} points into ${WIDTH} columns (ms per call; ratio = time against the loop)`,
  [
    { name: base, ops: median(ms[base]), unit: 'ms' },
    ...Object.keys(cases)
      .filter((k) => k !== base)
      .map((k) => ({
        name: k,
        ops: median(ms[k]),
        unit: 'ms',
        ratio: ratio(k),
        baselineName: "the loop's time",
        target: '<= 2x',
      })),
  ],
);
const peak = ring.decimate(WIDTH);
console.log(
  `  (the peaks survive: max ${peak.max.toFixed(3)} of ${Math.max(...maxs).toFixed(3)}, ${peak.x.length} points drawn)`,
);

// appending: O(1) whatever the capacity, against the cheapest store and a queue
const small = new TimeSeriesBuffer({ capacity: 1000 });
const big = new TimeSeriesBuffer({ capacity: 1_000_000 });
const typed = new Float64Array(1000);
const queue = [];
const appends = {
  'Float64Array store (no ring, no time)': (i) => {
    typed[i % 1000] = values[i % N];
  },
  'TimeSeriesBuffer.push, capacity 1,000': (i) => small.push(t0 + i, values[i % N]),
  'TimeSeriesBuffer.push, capacity 1,000,000': (i) => big.push(t0 + i, values[i % N]),
  'JS array queue (push + shift, 1,000 kept)': (i) => {
    queue.push(values[i % N]);
    if (queue.length > 1000) queue.shift();
  },
};
const rates = Object.fromEntries(Object.keys(appends).map((name) => [name, []]));
for (let round = 0; round < Math.max(3, ROUNDS >> 1); round++) {
  const order = Object.keys(appends);
  if (round % 2 === 1) order.reverse();
  for (const name of order) rates[name].push(rate(appends[name], seconds));
}
const typedName = 'Float64Array store (no ring, no time)';
report('Appending a point (appends/s; ratio = rate against the bare Float64Array store)', [
  { name: typedName, ops: median(rates[typedName]) },
  ...Object.keys(appends)
    .filter((n) => n !== typedName)
    .map((name) => ({
      name,
      ops: median(rates[name]),
      ratio: median(rates[name].map((r, i) => r / rates[typedName][i])),
      baselineName: 'the bare store',
    })),
]);

// the whole path of a reading into a trend: a loc point written, the trend's curve appended
{
  const m = createManager({ gcTime: 60_000 });
  const x = m.attribute('loc:/bench/trend/x?type=float&init=0');
  const y = m.attribute('loc:/bench/trend/y?type=float&init=0');
  const trend = createTrend([x], { manager: m, capacity: 100_000 });
  let got = 0;
  const sub = y.value$.subscribe(() => got++);
  const write = (a) => (i) => a.write(i * 0.5);
  const paths = {
    'write -> bare value$ subscriber': write(y),
    'write -> createTrend curve': write(x),
  };
  const pr = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
  for (let round = 0; round < 5; round++) {
    const order = Object.keys(paths);
    if (round % 2 === 1) order.reverse();
    for (const name of order) {
      // writes resolve synchronously enough for loc: await each one to keep the pace fair
      const fn = paths[name];
      const start = performance.now();
      let n = 0;
      while (performance.now() - start < seconds * 1000) await fn(n++);
      pr[name].push((n * 1000) / (performance.now() - start));
    }
  }
  const bare = 'write -> bare value$ subscriber';
  report('A reading into a trend (loc writes/s end to end)', [
    { name: bare, ops: median(pr[bare]) },
    {
      name: 'write -> createTrend curve',
      ops: median(pr['write -> createTrend curve']),
      ratio: median(pr['write -> createTrend curve'].map((r, i) => r / pr[bare][i])),
      baselineName: 'the bare subscriber',
    },
  ]);
  sub.unsubscribe();
  trend.dispose();
  await m.dispose();
  if (got === 0) throw new Error('the baseline subscriber saw nothing');
}
