// Factory hot paths: lookup of an existing attribute, creation of distinct
// attributes, name validation; heap per idle attribute. Ratios against a plain
// Map.get and the real Taurus 5, measured in the same run.
//
// Creation is measured twice: sustained for the whole period into one manager
// that keeps every attribute (its maps grow to hundreds of thousands of
// entries, where each map operation misses the CPU caches: the target's case),
// and in batches of 10,000 into a new manager each (a panel opening). Taurus's
// figure is the same in both rows: its factory holds attributes weakly, so its
// maps stay small either way.
// Run: npm run bench (builds first), or node --expose-gc bench/core-factory.bench.mjs
import { createManager } from '../dist/index.js';
import { rate, report, taurusRates } from './lib.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const taurus = taurusRates(Math.min(seconds, 1));
const m = createManager({ gcTime: 60_000 });
const hasEval = m.schemes.includes('eval');

// lookup of a name already seen vs Map.get of the same string
const name = hasEval ? 'eval:3*4+5' : 'loc:/bench/lookup/x';
m.attribute(name);
const map = new Map([[name, {}]]);
let sink;
const mapRate = rate(() => {
  sink = map.get(name);
}, seconds);
const lookupRate = rate(() => {
  sink = m.attribute(name);
}, seconds);

// Each phase gets its own manager and a collected heap, so one phase's garbage does not slow the next.
const phase = async (fn) => {
  globalThis.gc?.();
  const mm = createManager({ gcTime: 60_000 });
  const r = fn(mm);
  await mm.dispose();
  return r;
};

// creating distinct attributes
let i = 0;
const createRate = await phase((mm) =>
  rate(() => {
    sink = mm.attribute(hasEval ? `eval:${1_000_000 + i++}*2+1` : `loc:/bench/create/x${i++}`);
  }, seconds),
);
// the same, in batches of 10,000 into a new manager (a panel opening): maps that stay small
const batchCreateRate = await phase(async () => {
  const rates = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline || rates.length < 3) {
    const mm = createManager({ gcTime: 60_000 });
    const names = Array.from({ length: 10_000 }, () =>
      hasEval ? `eval:${1_000_000 + i++}*2+1` : `loc:/bench/batch/x${i++}`,
    );
    const t0 = performance.now();
    for (const n of names) sink = mm.attribute(n);
    rates.push(10_000 / ((performance.now() - t0) / 1000));
    await mm.dispose();
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1];
});
const locCreateRate = await phase((mm) =>
  rate(() => {
    sink = mm.attribute(`loc:/bench/create2/x${i++}`);
  }, seconds),
);

// validating names
let j = 0;
const validateRate = await phase((mm) =>
  rate(() => {
    sink = mm.isValidName(hasEval ? `eval:x=${j};x*2+{eval:${j++ % 7}}` : `loc:/bench/v/x${j++}`);
  }, seconds),
);

report(`factory (${hasEval ? 'eval' : 'loc'} names)`, [
  { name: 'Map.get of the same string (baseline)', ops: mapRate },
  {
    name: 'lookup of an existing attribute',
    ops: lookupRate,
    baseline: mapRate,
    baselineName: 'Map.get',
    target: '>= 0.33x',
  },
  ...(taurus
    ? [
        {
          name: 'lookup of an existing attribute',
          ops: lookupRate,
          baseline: taurus.lookupAttribute,
          baselineName: 'Taurus',
          target: '>= 1000x',
        },
        {
          name: 'creating distinct attributes',
          ops: createRate,
          baseline: taurus.createAttribute,
          baselineName: 'Taurus',
          target: '>= 100x',
        },
        {
          name: 'creating 10,000 in a new manager (median batch)',
          ops: batchCreateRate,
          baseline: taurus.createAttribute,
          baselineName: 'Taurus',
        },
        {
          name: 'validating a name',
          ops: validateRate,
          baseline: taurus.validateName,
          baselineName: 'Taurus',
          target: '>= 30x',
        },
      ]
    : [
        { name: 'creating distinct attributes', ops: createRate },
        { name: 'creating 10,000 in a new manager (median batch)', ops: batchCreateRate },
        { name: 'validating a name', ops: validateRate },
      ]),
  { name: 'creating distinct loc attributes', ops: locCreateRate },
]);
void sink;
await m.dispose();

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
