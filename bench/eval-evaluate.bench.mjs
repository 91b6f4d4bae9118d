// Eval scheme benchmarks: re-evaluation on input change against calling the
// mathjs compiled expression directly (target: within 2x), and uncached reads
// of a plain and a quantity expression against the real Taurus 5 measured in
// the same run (target: at least 10x). Build first: `npm run build`.
//
// A baseline and what is compared with it are measured in alternating rounds
// (the machine is shared; load changes within a second) and each figure is
// the median of its rounds. The mathjs baseline runs with the sandbox's own
// mathjs instance created, as in an application (a second instance slows the
// first one's shared code down), on the same input values.
//
// Re-evaluation on input change is measured two ways, each as a difference
// of two close figures in paired rounds (--pairs, same total time per case):
//
// 1. Pushed input (the target's figure). A backend delivers an input change
//    by calling its sink (OLDB's notification does, and so does the loc store
//    here, reached through the scheme plugin contract). Each round measures,
//    back to back, mathjs's compiled expression called directly in a loop, a
//    push into a loc point without dependents, a push into the input of one
//    eval attribute, and the lonely push again; re-evaluation alone is the
//    push with a dependent minus the mean of the lonely pushes around it, and
//    the round's ratio is that over mathjs's time per call in the same round.
//    Both sides run hot, in a loop.
// 2. Awaited loc writes (both sides in the same context). A write to the
//    input of an eval attribute, and a write to a point whose subscriber calls
//    mathjs's compiled expression directly on the new value (what an
//    application would write by hand), each minus a write to a point without
//    dependents; the ratio is the first over the second, per round. Between
//    two writes the promise machinery runs, so both sides run colder (and
//    slower) than in a loop; comparing either with the hot loop of 1. would
//    compare cold code with hot code.
//
// The figures are the medians of the rounds' values (not differences and
// ratios of medians measured up to seconds apart), with the middle half of
// the rounds as a spread. A forced GC (--expose-gc) precedes each timed slice
// so that no slice pays for its predecessor's garbage.
//
// Usage: node --expose-gc bench/eval-evaluate.bench.mjs [--seconds 1] [--rounds 5] [--pairs 15] [--taurus-rounds 3]
import { all, create } from 'mathjs';
import { createEvalScheme, createLocScheme, createManager, createSandbox, Quantity } from '../dist/index.js';
import { tapSinks } from '../dist/testing/index.js';
import { median, taurusRound } from './lib.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('--seconds', 1);
const ROUNDS = arg('--rounds', 5);
const SLICE = SECONDS / ROUNDS;
const PAIRS = arg('--pairs', 15);
const PAIR_SLICE = SECONDS / PAIRS;
const collect = () => globalThis.gc?.();

/**
 * A loop calling `fn` of its own for each function measured (compiled from a
 * source text of its own, so that no two cases share the loop's code): with
 * one loop for all, which case's code the JIT inlines into the loop depends
 * on which ran when it optimized it, and figures from one run to the next
 * differed by up to 2x (Benchmark.js compiles each test for the same reason).
 */
const loops = { sync: new Map(), async: new Map() };
function loopOf(fn, async) {
  const own = async ? loops.async : loops.sync;
  let loop = own.get(fn);
  if (loop === undefined) {
    // the comment makes each source text distinct (V8 caches compilations by source text)
    const tag = `/* loop ${loops.sync.size + loops.async.size} */`;
    const body = async
      ? `return (async () => { for (let i = start; i < end; i++) await fn(i); })(); ${tag}`
      : `for (let i = start; i < end; i++) fn(i); ${tag}`;
    loop = new Function('fn', 'start', 'end', body);
    own.set(fn, loop);
  }
  return loop;
}
/** Runs `fn` `count` times through its own loop (warm-up). */
const warm = async (fn, async, count = 20_000) => {
  if (async) await loopOf(fn, true)(fn, 0, count);
  else loopOf(fn, false)(fn, 0, count);
};

/** Calls `fn(i)` (sync) for about `seconds`; returns calls per second. */
function rateSync(fn, seconds) {
  const loop = loopOf(fn, false);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    loop(fn, n, n + 1000);
    n += 1000;
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * As {@link rateSync}, with a macrotask between batches of 1,000 calls: the
 * eval scheduler gives each turn of the event loop a time slice (25 ms) and
 * defers what comes after it to a later turn, coalesced; pushes in one long
 * synchronous loop would measure pushes that are never evaluated.
 */
async function rateYielding(fn, seconds) {
  const loop = loopOf(fn, false);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    loop(fn, n, n + 1000);
    n += 1000;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return n / ((performance.now() - start) / 1000);
}

/** Calls `await fn(i)` one after another for about `seconds`; returns calls per second. */
async function rateAsync(fn, seconds) {
  const loop = loopOf(fn, true);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await loop(fn, n, n + 100);
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * Measures each case of `cases` (name → fn) in ROUNDS alternating rounds of
 * SLICE seconds after a warm-up; returns the median rate of each case.
 */
async function rounds(cases, async = false) {
  const entries = Object.entries(cases);
  for (const [, fn] of entries) await warm(fn, async); // warm-up (JIT, lazy mathjs functions)
  const rates = Object.fromEntries(entries.map(([k]) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, fn] of entries) rates[k].push(async ? await rateAsync(fn, SLICE) : rateSync(fn, SLICE));
  }
  return Object.fromEntries(entries.map(([k]) => [k, median(rates[k])]));
}

/** The first and third quartiles of `xs`. */
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
  return [at(0.25), at(0.75)];
};

/**
 * Paired rounds: in each of PAIRS rounds, the `baseline` (a sync function, or
 * a case of `cases` when `baseline` is a string) for PAIR_SLICE seconds, then
 * `lonely`, then each case of `cases` followed by `lonely` again (awaited
 * when `async`). Returns per case the rounds' rates, their times per call (ns)
 * minus the mean of the lonely runs around them ("alone"), and those over the
 * baseline's time per call ("ratio": for a string baseline, over that case's
 * time alone in the round); and the rounds' baseline and lonely rates.
 */
async function pairedRounds(baseline, lonely, cases, async) {
  const entries = Object.entries(cases);
  const run = (fn) => (async ? rateAsync(fn, PAIR_SLICE) : rateYielding(fn, PAIR_SLICE));
  for (let i = 0; i < 20_000; i++) {
    if (typeof baseline === 'function') baseline(i);
    if (async) await lonely(i);
    else lonely(i);
    for (const [, fn] of entries)
      if (async) await fn(i);
      else fn(i);
    if (!async && i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  const ns = (rate) => 1e9 / rate;
  const out = { baseline: [], lonely: [], cases: {} };
  for (const [k] of entries) out.cases[k] = { rate: [], alone: [], ratio: [] };
  for (let r = 0; r < PAIRS; r++) {
    let base;
    if (typeof baseline === 'function') {
      collect();
      base = rateSync(baseline, PAIR_SLICE);
      out.baseline.push(base);
    }
    collect();
    let before = await run(lonely);
    out.lonely.push(before);
    const alone = {};
    for (const [k, fn] of entries) {
      collect();
      const both = await run(fn);
      collect();
      const after = await run(lonely);
      alone[k] = ns(both) - (ns(before) + ns(after)) / 2;
      out.cases[k].rate.push(both);
      out.cases[k].alone.push(alone[k]);
      before = after;
    }
    for (const [k] of entries) {
      out.cases[k].ratio.push(alone[k] / (typeof baseline === 'function' ? ns(base) : alone[baseline]));
    }
  }
  return out;
}

const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
const results = {};

// --- mathjs compiled expression called directly, and the sandbox ----------------
const sandbox = createSandbox(); // its private mathjs instance exists, as in an application
const math = create(all, { matrix: 'Array' });
const meter = math.unit(1, 'm');
const compiledPlain = math.compile('a*2+1');
const compiledUnit = math.compile('a*2');
const scope = new Map();
const sbPlain = sandbox.compile('_a_*2+1', { inputs: ['_a_'] });
const sbUnit = sandbox.compile('_a_*2', { inputs: ['_a_'] });
const values = [0];
// builds before evaluateValues existed evaluate a Map of prepared inputs
const evalValues = (c, vs) =>
  c.evaluateValues ? c.evaluateValues(vs) : c.evaluatePrepared(new Map([['_a_', vs[0]]]));
Object.assign(
  results,
  await rounds({
    mathjsDirectPlain: (i) => {
      scope.set('a', i);
      return compiledPlain.evaluate(scope);
    },
    sandboxPlain: (i) => {
      values[0] = i;
      return evalValues(sbPlain, values);
    },
  }),
  await rounds({
    mathjsDirectQuantity: (i) => {
      scope.set('a', math.multiply(meter, i));
      return compiledUnit.evaluate(scope);
    },
    // the input arrives as a tk-core Quantity and is converted, as an input reading is
    sandboxQuantity: (i) => {
      values[0] = sandbox.toMathValue(Quantity.of(i, 'm'));
      return evalValues(sbUnit, values);
    },
  }),
);

// --- tk-core: re-evaluation when an input changes ----------------------------
// The inputs are loc points. The loc scheme's plugin is wrapped to keep each
// attribute's sink, so that a change can be pushed as a backend pushes it.
const locTap = tapSinks(createLocScheme());
const m = createManager({ builtins: false, schemes: [locTap.plugin, createEvalScheme()], gcTime: 600_000 });
/** An open loc point with a subscriber (`onReading`, or one doing nothing). */
async function point(name, onReading = () => {}) {
  const a = m.attribute(name);
  a.subscribe(onReading);
  await a.read();
  return a;
}
/** An eval attribute with a subscriber counting its readings. */
async function dependentOf(expression) {
  const a = m.attribute(expression);
  const counter = { readings: 0 };
  a.subscribe(() => counter.readings++);
  await a.read();
  return counter;
}
const input = await point('loc:/bench/a?init=1');
const dependent = await dependentOf('eval:{loc:/bench/a?init=1}*2+1');
const lonely = await point('loc:/bench/b?init=1');
const qInput = await point('loc:/bench/q?init=1&units=m');
const qDependent = await dependentOf('eval:{loc:/bench/q?init=1&units=m}*2');
const qLonely = await point('loc:/bench/qb?init=1&units=m');
// what an application would write by hand: a subscriber calling mathjs's compiled expression
let handResult;
const byHand = await point('loc:/bench/h?init=1', (r) => {
  scope.set('a', r.rvalue.magnitude);
  handResult = compiledPlain.evaluate(scope);
});
const qByHand = await point('loc:/bench/qh?init=1&units=m', (r) => {
  scope.set('a', math.unit(r.rvalue.magnitude, r.rvalue.units));
  handResult = compiledUnit.evaluate(scope);
});
// a diamond: two inputs changing with one write, evaluated once per change by the scheduler
const dInput = await point('loc:/bench/d?init=1');
const diamond = await dependentOf('eval:{eval:{loc:/bench/d?init=1}+1}*{loc:/bench/d?init=1}');

/** Pushes `{ rvalue: i }` into the sink of `attribute`, as its backend does on a change. */
const pusher = (attribute) => {
  const sink = locTap.sink(attribute.fullName);
  const time = Date.now();
  return (i) => sink.reading({ rvalue: i, time });
};
const mathjsPlain = (i) => {
  scope.set('a', i);
  return compiledPlain.evaluate(scope);
};
const mathjsQuantity = (i) => {
  scope.set('a', math.multiply(meter, i));
  return compiledUnit.evaluate(scope);
};
// 1. pushed inputs, against mathjs called directly in a loop (the same baselines as above)
const pushPlain = await pairedRounds(mathjsPlain, pusher(lonely), { reevaluate: pusher(input) }, false);
const pushQuantity = await pairedRounds(
  mathjsQuantity,
  pusher(qLonely),
  { reevaluate: pusher(qInput) },
  false,
);
// 2. awaited loc writes, against a subscriber calling mathjs directly, in the same context
const writer = (attribute) => (i) => attribute.write(i);
const writePlain = await pairedRounds(
  'byHand',
  writer(lonely),
  { byHand: writer(byHand), reevaluate: writer(input), diamond: writer(dInput) },
  true,
);
const writeQuantity = await pairedRounds(
  'byHand',
  writer(qLonely),
  { byHand: writer(qByHand), reevaluate: writer(qInput) },
  true,
);
if (dependent.readings < 1000 || qDependent.readings < 1000 || handResult === undefined)
  throw new Error('the dependents did not re-evaluate');
/** Re-evaluations alone per second (from the median time), and the median ratio with its quartiles. */
const pairFigures = (pairs, k) => ({
  rate: 1e9 / median(pairs.cases[k].alone),
  ns: median(pairs.cases[k].alone),
  ratio: median(pairs.cases[k].ratio),
  spread: quartiles(pairs.cases[k].ratio),
});
results.pushPlain = { ...pairFigures(pushPlain, 'reevaluate'), mathjsNs: 1e9 / median(pushPlain.baseline) };
results.pushQuantity = {
  ...pairFigures(pushQuantity, 'reevaluate'),
  mathjsNs: 1e9 / median(pushQuantity.baseline),
};
results.writePlain = {
  ...pairFigures(writePlain, 'reevaluate'),
  byHandNs: median(writePlain.cases.byHand.alone),
};
results.writeQuantity = {
  ...pairFigures(writeQuantity, 'reevaluate'),
  byHandNs: median(writeQuantity.cases.byHand.alone),
};
results.locWriteOnly = median(writePlain.lonely);
results.locWriteOnlyQuantity = median(writeQuantity.lonely);
results.tkReevaluatePlain = median(writePlain.cases.reevaluate.rate);
results.tkReevaluateQuantity = median(writeQuantity.cases.reevaluate.rate);
results.tkReevaluateDiamond = median(writePlain.cases.diamond.rate);
results.tkReevaluateDiamondOnly = pairFigures(writePlain, 'diamond').rate;
results.diamondReadings = diamond.readings;

// --- tk-core against Taurus 5: uncached reads and re-evaluation on change -------
// Open attributes (as Taurus's, which its factory keeps while referenced). The
// machine's speed drifts within a run, so tk-core and Taurus are measured in
// alternating rounds (--taurus-rounds; Taurus in a process of its own each
// round) and each ratio is the median of the rounds' ratios.
const plain = m.attribute('eval:2*3+1');
const quantity = m.attribute('eval:Q("12.5m")*2');
const tkCases = {
  readPlain: () => plain.read({ cache: false }),
  readQuantity: () => quantity.read({ cache: false }),
  reevaluateOnChange: writer(input),
};
const TAURUS_ROUNDS = arg('--taurus-rounds', 3);
for (const fn of Object.values(tkCases)) await warm(fn, true);
const versus = { tk: {}, taurus: {}, ratio: {} };
for (const k of Object.keys(tkCases)) {
  versus.tk[k] = [];
  versus.taurus[k] = [];
  versus.ratio[k] = [];
}
for (let round = 0; round < TAURUS_ROUNDS; round++) {
  const tk = {};
  for (const [k, fn] of Object.entries(tkCases)) tk[k] = await rateAsync(fn, SLICE);
  const taurus = taurusRound(Object.keys(tkCases), SECONDS / 2);
  for (const k of Object.keys(tkCases)) {
    versus.tk[k].push(tk[k]);
    if (taurus) {
      versus.taurus[k].push(taurus[k]);
      versus.ratio[k].push(tk[k] / taurus[k]);
    }
  }
  if (!taurus) break;
}
const tkVs = Object.fromEntries(Object.entries(versus.tk).map(([k, xs]) => [k, median(xs)]));
const taurus =
  versus.ratio.readPlain.length > 0
    ? {
        rates: Object.fromEntries(Object.entries(versus.taurus).map(([k, xs]) => [k, median(xs)])),
        ratio: Object.fromEntries(Object.entries(versus.ratio).map(([k, xs]) => [k, median(xs)])),
        ratios: versus.ratio,
      }
    : undefined;
results.tkReadPlain = tkVs.readPlain;
results.tkReadQuantity = tkVs.readQuantity;
await m.dispose();
// gcTime 0: every read opens the attribute again (compiled expressions are kept by the backend)
const m0 = createManager({ builtins: false, schemes: [createEvalScheme()], gcTime: 0 });
Object.assign(
  results,
  await rounds(
    {
      tkReadPlainGc0: () => m0.attribute('eval:2*3+1').read({ cache: false }),
      tkReadQuantityGc0: () => m0.attribute('eval:Q("12.5m")*2').read({ cache: false }),
    },
    true,
  ),
);
const compiledStats = m0.getBackend('eval').describe?.().compiled;
await m0.dispose();

const r = results;
console.log(`eval benchmarks (${SECONDS}s per case in ${ROUNDS} alternating rounds, medians)`);
console.log(
  `  mathjs compiled, direct          plain ${fmt(r.mathjsDirectPlain)}  quantity ${fmt(r.mathjsDirectQuantity)}`,
);
console.log(
  `  tk sandbox, compiled, new input  plain ${fmt(r.sandboxPlain)}  quantity ${fmt(r.sandboxQuantity)}  (ratio to mathjs direct: ${(r.mathjsDirectPlain / r.sandboxPlain).toFixed(2)}x, ${(r.mathjsDirectQuantity / r.sandboxQuantity).toFixed(2)}x)`,
);
const q = (xs) => `${xs[0].toFixed(2)}-${xs[1].toFixed(2)}`;
const ns = (x) => `${Math.round(x)} ns`;
const { pushPlain: pp, pushQuantity: pq, writePlain: wp, writeQuantity: wq } = r;
console.log(
  `  re-evaluation on a pushed input   plain ${ns(pp.ns)} (mathjs direct ${ns(pp.mathjsNs)})  quantity ${ns(pq.ns)} (mathjs direct ${ns(pq.mathjsNs)})`,
);
console.log(
  `  ratio to mathjs direct (target <= 2x): plain ${pp.ratio.toFixed(2)}x, quantity ${pq.ratio.toFixed(2)}x  (medians of ${PAIRS} paired rounds; middle half ${q(pp.spread)}x, ${q(pq.spread)}x)`,
);
console.log(
  `  loc write alone (input side)      plain ${fmt(r.locWriteOnly)}  quantity ${fmt(r.locWriteOnlyQuantity)}`,
);
console.log(
  `  re-evaluation on an awaited write plain ${ns(wp.ns)} (a subscriber calling mathjs: ${ns(wp.byHandNs)})  quantity ${ns(wq.ns)} (${ns(wq.byHandNs)})`,
);
console.log(
  `  ratio to that subscriber:         plain ${wp.ratio.toFixed(2)}x, quantity ${wq.ratio.toFixed(2)}x  (middle half ${q(wp.spread)}x, ${q(wq.spread)}x)`,
);
console.log(
  `  tk write with re-evaluation       plain ${fmt(r.tkReevaluatePlain)}  quantity ${fmt(r.tkReevaluateQuantity)}`,
);
console.log(
  `  diamond {eval:{x}+1}*{x}          ${fmt(r.tkReevaluateDiamond)} (incl. the loc write), ${fmt(r.tkReevaluateDiamondOnly)} re-evaluations alone (two attributes, one scheduled flush)`,
);
console.log(
  `  tk read(cache:false), open       plain ${fmt(r.tkReadPlain)}  quantity ${fmt(r.tkReadQuantity)}`,
);
console.log(
  `  tk read(cache:false), gcTime 0   plain ${fmt(r.tkReadPlainGc0)}  quantity ${fmt(r.tkReadQuantityGc0)}  (compiled cache ${JSON.stringify(compiledStats)})`,
);
if (taurus) {
  const t = taurus.rates;
  const x = taurus.ratio;
  const each = (k) => taurus.ratios[k].map((v) => v.toFixed(1)).join(', ');
  console.log(
    `  Taurus read(cache=False)         plain ${fmt(t.readPlain)}  quantity ${fmt(t.readQuantity)}  re-evaluate on change ${fmt(t.reevaluateOnChange)}`,
  );
  console.log(
    `  ratio tk / Taurus (medians of ${taurus.ratios.readPlain.length} alternating rounds; target >= 10x): read plain ${x.readPlain.toFixed(1)}x (${each('readPlain')}), read quantity ${x.readQuantity.toFixed(1)}x (${each('readQuantity')}), re-evaluate on change ${x.reevaluateOnChange.toFixed(1)}x (${each('reevaluateOnChange')})`,
  );
  console.log(
    `    (gcTime 0, against the same Taurus rates: read plain ${(r.tkReadPlainGc0 / t.readPlain).toFixed(1)}x, read quantity ${(r.tkReadQuantityGc0 / t.readQuantity).toFixed(1)}x)`,
  );
}
console.log(JSON.stringify({ results, taurus }));
