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
// Re-evaluation alone is the time per loc write to an input with one eval
// dependent minus the time per loc write to a point without dependents (both
// awaited, as before). It is a difference of two close figures, so it is
// measured in paired rounds (--pairs, same total time per case): each round
// measures, back to back, the mathjs baseline, the lonely write, the write
// with a dependent (then the diamond), each followed by the lonely write
// again; the round's re-evaluation time is the write with a dependent minus
// the mean of the two lonely writes around it, and the round's ratio is that
// time over the mathjs baseline's time per call in the same round. The
// figures are the medians of the rounds' values (not differences and ratios
// of medians measured up to seconds apart), with the middle half of the
// rounds as a spread. A forced GC (--expose-gc) precedes each timed slice so
// that no slice pays for its predecessor's garbage.
//
// Usage: node --expose-gc bench/eval-evaluate.bench.mjs [--seconds 1] [--rounds 5] [--pairs 15]
import { all, create } from 'mathjs';
import { createEvalScheme, createLocScheme, createManager, createSandbox, Quantity } from '../dist/index.js';
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

/** Calls `fn(i)` (sync) for about `seconds`; returns calls per second. */
function rateSync(fn, seconds) {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) fn(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

/** Calls `await fn(i)` one after another for about `seconds`; returns calls per second. */
async function rateAsync(fn, seconds) {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) await fn(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * Measures each case of `cases` (name → fn) in ROUNDS alternating rounds of
 * SLICE seconds after a warm-up; returns the median rate of each case.
 */
async function rounds(cases, async = false) {
  const entries = Object.entries(cases);
  for (const [, fn] of entries) for (let i = 0; i < 20_000; i++) await fn(i); // warm-up (JIT, lazy mathjs functions)
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
 * Paired rounds: in each of PAIRS rounds, the sync `baseline` for PAIR_SLICE
 * seconds, then `write`, then each case of `cases` followed by `write` again
 * (all awaited, PAIR_SLICE seconds each). Returns per case the rounds' times
 * per call (ns) of the case minus the mean of the writes around it, and those
 * over the baseline's time per call of the round; and the rounds' rates.
 */
async function pairedRounds(baseline, write, cases) {
  const entries = Object.entries(cases);
  for (let i = 0; i < 20_000; i++) {
    baseline(i);
    await write(i);
    for (const [, fn] of entries) await fn(i);
  }
  const ns = (rate) => 1e9 / rate;
  const out = { baseline: [], write: [], cases: {} };
  for (const [k] of entries) out.cases[k] = { rate: [], alone: [], ratio: [] };
  for (let r = 0; r < PAIRS; r++) {
    collect();
    const base = rateSync(baseline, PAIR_SLICE);
    collect();
    let before = await rateAsync(write, PAIR_SLICE);
    out.baseline.push(base);
    out.write.push(before);
    for (const [k, fn] of entries) {
      collect();
      const both = await rateAsync(fn, PAIR_SLICE);
      collect();
      const after = await rateAsync(write, PAIR_SLICE);
      const alone = ns(both) - (ns(before) + ns(after)) / 2;
      out.cases[k].rate.push(both);
      out.cases[k].alone.push(alone);
      out.cases[k].ratio.push(alone / ns(base));
      before = after;
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
// The input is a loc point; each write pushes a change, the eval attribute
// re-evaluates its compiled expression and delivers a reading to its subscriber.
// The loc write alone (to an attribute without dependents) is measured in the
// same rounds and subtracted.
const m = createManager({
  builtins: false,
  schemes: [createLocScheme(), createEvalScheme()],
  gcTime: 600_000,
});
const input = m.attribute('loc:/bench/a?init=1');
const dependent = m.attribute('eval:{loc:/bench/a?init=1}*2+1');
let delivered = 0;
dependent.subscribe(() => delivered++);
await dependent.read();
const lonely = m.attribute('loc:/bench/b?init=1');
lonely.subscribe(() => {});
const qInput = m.attribute('loc:/bench/q?init=1&units=m');
const qDependent = m.attribute('eval:{loc:/bench/q?init=1&units=m}*2');
qDependent.subscribe(() => {});
const qLonely = m.attribute('loc:/bench/qb?init=1&units=m');
qLonely.subscribe(() => {});
await qDependent.read();
// a diamond: two inputs changing with one write, evaluated once per change by the scheduler
const dInput = m.attribute('loc:/bench/d?init=1');
const diamond = m.attribute('eval:{eval:{loc:/bench/d?init=1}+1}*{loc:/bench/d?init=1}');
let diamondReadings = 0;
diamond.subscribe(() => diamondReadings++);
await diamond.read();
// the same mathjs baselines as above, measured again in each paired round
const plainPairs = await pairedRounds(
  (i) => {
    scope.set('a', i);
    return compiledPlain.evaluate(scope);
  },
  (i) => lonely.write(i),
  { reevaluate: (i) => input.write(i), diamond: (i) => dInput.write(i) },
);
const quantityPairs = await pairedRounds(
  (i) => {
    scope.set('a', math.multiply(meter, i));
    return compiledUnit.evaluate(scope);
  },
  (i) => qLonely.write(i),
  { reevaluate: (i) => qInput.write(i) },
);
if (delivered < 1000) throw new Error('the dependent did not re-evaluate');
/** Re-evaluations alone per second (from the median time), and the median ratio with its quartiles. */
const pairFigures = (pairs, k) => ({
  rate: 1e9 / median(pairs.cases[k].alone),
  ns: median(pairs.cases[k].alone),
  ratio: median(pairs.cases[k].ratio),
  spread: quartiles(pairs.cases[k].ratio),
});
const plainAlone = pairFigures(plainPairs, 'reevaluate');
const diamondAlone = pairFigures(plainPairs, 'diamond');
const quantityAlone = pairFigures(quantityPairs, 'reevaluate');
results.locWriteOnly = median(plainPairs.write);
results.tkReevaluatePlain = median(plainPairs.cases.reevaluate.rate);
results.tkReevaluatePlainOnly = plainAlone.rate;
results.tkReevaluatePlainOnlyNs = plainAlone.ns;
results.ratioPlain = plainAlone.ratio;
results.ratioPlainQuartiles = plainAlone.spread;
results.mathjsDirectPlainPaired = median(plainPairs.baseline);
results.tkReevaluateDiamond = median(plainPairs.cases.diamond.rate);
results.tkReevaluateDiamondOnly = diamondAlone.rate;
results.diamondReadingsPerWrite = diamondReadings;
results.locWriteOnlyQuantity = median(quantityPairs.write);
results.tkReevaluateQuantity = median(quantityPairs.cases.reevaluate.rate);
results.tkReevaluateQuantityOnly = quantityAlone.rate;
results.tkReevaluateQuantityOnlyNs = quantityAlone.ns;
results.ratioQuantity = quantityAlone.ratio;
results.ratioQuantityQuartiles = quantityAlone.spread;
results.mathjsDirectQuantityPaired = median(quantityPairs.baseline);

// --- tk-core: uncached reads ---------------------------------------------------
// open attributes (as Taurus's, which its factory keeps while referenced)
const plain = m.attribute('eval:2*3+1');
const quantity = m.attribute('eval:Q("12.5m")*2');
Object.assign(
  results,
  await rounds(
    {
      tkReadPlain: () => plain.read({ cache: false }),
      tkReadQuantity: () => quantity.read({ cache: false }),
    },
    true,
  ),
);
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

// --- Taurus 5, same machine, same run ----------------------------------------
const taurus = taurusRound(['readPlain', 'readQuantity', 'reevaluateOnChange'], SECONDS) ?? undefined;

const r = results;
console.log(`eval benchmarks (${SECONDS}s per case in ${ROUNDS} alternating rounds, medians)`);
console.log(
  `  mathjs compiled, direct          plain ${fmt(r.mathjsDirectPlain)}  quantity ${fmt(r.mathjsDirectQuantity)}`,
);
console.log(
  `  tk sandbox, compiled, new input  plain ${fmt(r.sandboxPlain)}  quantity ${fmt(r.sandboxQuantity)}  (ratio to mathjs direct: ${(r.mathjsDirectPlain / r.sandboxPlain).toFixed(2)}x, ${(r.mathjsDirectQuantity / r.sandboxQuantity).toFixed(2)}x)`,
);
console.log(
  `  loc write alone (input side)     plain ${fmt(r.locWriteOnly)}  quantity ${fmt(r.locWriteOnlyQuantity)}`,
);
console.log(
  `  tk re-evaluate on input change   plain ${fmt(r.tkReevaluatePlain)} (incl. the loc write), ${fmt(r.tkReevaluatePlainOnly)} re-evaluation alone`,
);
console.log(
  `                                   quantity ${fmt(r.tkReevaluateQuantity)} (incl. the loc write), ${fmt(r.tkReevaluateQuantityOnly)} re-evaluation alone`,
);
console.log(
  `  diamond {eval:{x}+1}*{x}         ${fmt(r.tkReevaluateDiamond)} (incl. the loc write), ${fmt(r.tkReevaluateDiamondOnly)} re-evaluations alone (two attributes, one scheduled flush)`,
);
const q = (xs) => `${xs[0].toFixed(2)}-${xs[1].toFixed(2)}`;
console.log(
  `  ratio mathjs direct / tk re-evaluation alone: plain ${r.ratioPlain.toFixed(2)}x, quantity ${r.ratioQuantity.toFixed(2)}x (target <= 2x)`,
);
console.log(
  `    (medians of ${PAIRS} paired rounds; middle half plain ${q(r.ratioPlainQuartiles)}x, quantity ${q(r.ratioQuantityQuartiles)}x; re-evaluation alone ${Math.round(r.tkReevaluatePlainOnlyNs)} ns plain, ${Math.round(r.tkReevaluateQuantityOnlyNs)} ns quantity; mathjs direct in those rounds ${Math.round(1e9 / r.mathjsDirectPlainPaired)} ns, ${Math.round(1e9 / r.mathjsDirectQuantityPaired)} ns)`,
);
console.log(
  `  tk read(cache:false), open       plain ${fmt(r.tkReadPlain)}  quantity ${fmt(r.tkReadQuantity)}`,
);
console.log(
  `  tk read(cache:false), gcTime 0   plain ${fmt(r.tkReadPlainGc0)}  quantity ${fmt(r.tkReadQuantityGc0)}  (compiled cache ${JSON.stringify(compiledStats)})`,
);
if (taurus) {
  console.log(
    `  Taurus read(cache=False)         plain ${fmt(taurus.readPlain)}  quantity ${fmt(taurus.readQuantity)}  re-evaluate on change ${fmt(taurus.reevaluateOnChange)}`,
  );
  console.log(
    `  ratio tk / Taurus: read plain ${(r.tkReadPlain / taurus.readPlain).toFixed(1)}x (gcTime 0: ${(r.tkReadPlainGc0 / taurus.readPlain).toFixed(1)}x), read quantity ${(r.tkReadQuantity / taurus.readQuantity).toFixed(1)}x (gcTime 0: ${(r.tkReadQuantityGc0 / taurus.readQuantity).toFixed(1)}x), re-evaluate ${(r.tkReevaluatePlain / taurus.reevaluateOnChange).toFixed(1)}x (target >= 10x)`,
  );
}
console.log(JSON.stringify({ results, taurus }));
