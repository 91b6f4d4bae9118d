// Factory hot paths: lookup of an existing attribute, creation of distinct
// attributes, name validation; heap per idle attribute. Ratios against a plain
// Map.get and the real Taurus 5 (bench/taurus/taurus_bench.py, each case warmed
// up), measured in the same run: BENCH_ROUNDS rounds (5) alternating Taurus and
// tk-core, each ratio the median of the per-round ratios, so a change of the
// shared machine's load during the run hits both sides alike. The sustained
// creation case and the others run BENCH_SECONDS (1) per round each (BENCH_SLICE
// for the others: shorter slices measure less steady code).
//
// Creation is sustained for the whole slice into one manager that keeps every
// attribute (its maps grow to hundreds of thousands of entries, where each map
// operation misses the CPU caches, and every attribute survives the young
// generation); Taurus's factory holds attributes weakly, so its maps stay small.
// Run: npm run bench (builds first), or node --expose-gc bench/core-factory.bench.mjs
import { createManager } from '../dist/index.js';
import { median, rate, report, taurusRound } from './lib.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const slice = Number(process.env.BENCH_SLICE ?? seconds);
const hasEval = createManager().schemes.includes('eval');
const TAURUS_CASES = ['lookupAttribute', 'createAttribute', 'validateName'];

let sink;
let i = 0;
let j = 0;
const name = hasEval ? 'eval:3*4+5' : 'loc:/bench/lookup/x';

/** Runs `fn(manager)` on a new manager after a collection, so one case's garbage does not slow the next. */
async function inNewManager(fn) {
  globalThis.gc?.();
  const mm = createManager({ gcTime: 60_000 });
  try {
    return await fn(mm);
  } finally {
    await mm.dispose();
  }
}

/** One round of every case (ops/s). */
async function round() {
  const r = {};
  const map = new Map([[name, {}]]);
  r.map = rate(() => {
    sink = map.get(name);
  }, slice);
  r.lookup = await inNewManager((mm) => {
    mm.attribute(name);
    mm.attribute(name); // a spelling used again is indexed
    return rate(() => {
      sink = mm.attribute(name);
    }, slice);
  });
  r.validate = await inNewManager((mm) =>
    rate(() => {
      sink = mm.isValidName(hasEval ? `eval:x=${j};x*2+{eval:${j++ % 7}}` : `loc:/bench/v/x${j++}`);
    }, slice),
  );
  r.locCreate = await inNewManager((mm) =>
    rate(() => {
      sink = mm.attribute(`loc:/bench/create2/x${i++}`);
    }, slice),
  );
  // the heavy case last: its garbage is collected before the next round
  // sustained: every attribute kept, the maps grow for the whole period
  r.create = await inNewManager((mm) =>
    rate(() => {
      sink = mm.attribute(hasEval ? `eval:${1_000_000 + i++}*2+1` : `loc:/bench/create/x${i++}`);
    }, seconds),
  );
  return r;
}

// Taurus and tk-core in alternating rounds; each ratio is the median of the per-round ratios,
// so a change of the shared machine's load during the run hits both sides alike.
const ours = [];
const theirs = [];
for (let k = 0; k < rounds; k++) {
  const t = hasEval ? taurusRound(TAURUS_CASES, slice) : null;
  if (t !== null) theirs.push(t);
  ours.push(await round());
  if (process.env.BENCH_VERBOSE)
    console.log(
      JSON.stringify(Object.fromEntries(Object.entries(ours.at(-1)).map(([k, v]) => [k, Math.round(v)]))),
      JSON.stringify(theirs.at(-1)),
    );
}
const med = (key) => median(ours.map((r) => r[key]));
const perRound = (key, baselineOf) => median(ours.map((r, k) => r[key] / baselineOf(k)));
const taurus = theirs.length === rounds ? theirs : null;
const vsTaurus = (key, tcase) => ({
  ops: med(key),
  baseline: median(taurus.map((t) => t[tcase])),
  ratio: perRound(key, (k) => taurus[k][tcase]),
  baselineName: 'Taurus',
});

console.log(
  `factory (${hasEval ? 'eval' : 'loc'} names): medians of ${rounds} rounds alternating with Taurus 5; ` +
    `ratios are medians of per-round ratios`,
);
report(`factory (${hasEval ? 'eval' : 'loc'} names)`, [
  { name: 'Map.get of the same string (baseline)', ops: med('map') },
  {
    name: 'lookup of an existing attribute',
    ops: med('lookup'),
    baseline: med('map'),
    ratio: perRound('lookup', (k) => ours[k].map),
    baselineName: 'Map.get',
    target: '>= 0.33x',
  },
  ...(taurus
    ? [
        {
          name: 'Taurus 5: lookup of an existing attribute',
          ops: median(taurus.map((t) => t.lookupAttribute)),
        },
        { name: 'Taurus 5: creating distinct attributes', ops: median(taurus.map((t) => t.createAttribute)) },
        { name: 'Taurus 5: validating a name', ops: median(taurus.map((t) => t.validateName)) },
        {
          name: 'lookup of an existing attribute',
          ...vsTaurus('lookup', 'lookupAttribute'),
          target: '>= 1000x',
        },
        { name: 'creating distinct attributes', ...vsTaurus('create', 'createAttribute'), target: '>= 100x' },
        { name: 'validating a name', ...vsTaurus('validate', 'validateName'), target: '>= 30x' },
      ]
    : [
        { name: 'creating distinct attributes', ops: med('create') },
        { name: 'validating a name', ops: med('validate') },
      ]),
  { name: 'creating distinct loc attributes', ops: med('locCreate') },
]);
void sink;

// heap per idle attribute at 100k attributes
if (typeof globalThis.gc === 'function') {
  const N = 100_000;
  const m2 = createManager({ gcTime: 3_600_000 });
  m2.attribute(hasEval ? 'eval:0' : 'loc:/warm/x');
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const keep = [];
  for (let k = 0; k < N; k++)
    keep.push(m2.attribute(hasEval ? `eval:${k}+1` : `loc:/heap/d${k % 100}/x${k}`));
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  const perAttr = (after - before) / N;
  report('memory', [
    {
      name: `heap per idle attribute at ${N.toLocaleString('en-US')}`,
      ops: perAttr,
      unit: 'bytes',
      target: '<= 1536 bytes',
    },
  ]);
  keep.length = 0;
  await m2.dispose();
} else {
  console.log('\n(memory: run with node --expose-gc to measure heap per idle attribute)');
}
