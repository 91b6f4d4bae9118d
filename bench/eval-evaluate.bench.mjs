// Eval scheme benchmarks: re-evaluation on input change against calling the
// mathjs compiled expression directly (target: within 2x), and uncached reads
// of a plain and a quantity expression against the real Taurus 5 measured in
// the same run (target: at least 10x). Build first: `npx tsup`.
//
// Usage: node bench/eval-evaluate.bench.mjs [--seconds 1]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { all, create } from 'mathjs';
import { createEvalScheme, createLocScheme, createManager, createSandbox } from '../dist/index.js';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 1;

/** Runs `fn(i)` (sync or async) for about SECONDS; returns calls per second. */
async function rate(fn) {
  for (let i = 0; i < 20_000; i++) await fn(i); // warm-up (JIT, mathjs's lazily created functions)
  let n = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) await fn(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

function rateSync(fn) {
  for (let i = 0; i < 2000; i++) fn(i);
  let n = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) fn(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
const results = {};

// --- baseline: mathjs compiled expression, called directly ------------------
const math = create(all, { matrix: 'Array' });
const compiledPlain = math.compile('a*2+1');
const scope = new Map();
results.mathjsDirectPlain = rateSync((i) => {
  scope.set('a', i);
  return compiledPlain.evaluate(scope);
});
const compiledUnit = math.compile('a*2');
const meter = math.unit(1, 'm');
results.mathjsDirectQuantity = rateSync((i) => {
  scope.set('a', math.multiply(meter, i));
  return compiledUnit.evaluate(scope);
});

// --- tk-core sandbox: the compiled expression evaluated with a changed input --
const sandbox = createSandbox();
const sbPlain = sandbox.compile('_a_*2+1', { inputs: ['_a_'] });
results.sandboxPlain = rateSync((i) => sbPlain.evaluatePrepared(new Map([['_a_', i]])));
const sbUnit = sandbox.compile('_a_*2', { inputs: ['_a_'] });
results.sandboxQuantity = rateSync((i) =>
  sbUnit.evaluatePrepared(new Map([['_a_', math.multiply(meter, i)]])),
);

// --- tk-core: re-evaluation when an input changes ----------------------------
// The input is a loc point; each write pushes a change, the eval attribute
// re-evaluates its compiled expression and delivers a reading to its subscriber.
// attributes stay cached between reads, as Taurus's do
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
// the write path of loc is part of the cost; measure it alone to subtract it
const lonely = m.attribute('loc:/bench/b?init=1');
lonely.subscribe(() => {});
const writeOnly = await rate((i) => lonely.write(i));
const before = delivered;
results.tkReevaluatePlain = await rate((i) => input.write(i));
if (delivered - before < 1000) throw new Error('the dependent did not re-evaluate');
// time per re-evaluation alone = time per (write + re-evaluation) - time per write
results.tkReevaluatePlainOnly = 1 / (1 / results.tkReevaluatePlain - 1 / writeOnly);
results.locWriteOnly = writeOnly;

const qInput = m.attribute('loc:/bench/q?init=1&units=m');
const qDependent = m.attribute('eval:{loc:/bench/q?init=1&units=m}*2');
qDependent.subscribe(() => {});
const qLonely = m.attribute('loc:/bench/qb?init=1&units=m');
qLonely.subscribe(() => {});
const qWriteOnly = await rate((i) => qLonely.write(i));
results.tkReevaluateQuantity = await rate((i) => qInput.write(i));
results.tkReevaluateQuantityOnly = 1 / (1 / results.tkReevaluateQuantity - 1 / qWriteOnly);

// --- tk-core: uncached reads ---------------------------------------------------
const plain = m.attribute('eval:2*3+1');
const quantity = m.attribute('eval:Q("12.5m")*2');
results.tkReadPlain = await rate(() => plain.read({ cache: false }));
results.tkReadQuantity = await rate(() => quantity.read({ cache: false }));
await m.dispose();

// --- Taurus 5, same machine, same run ----------------------------------------
const here = dirname(fileURLToPath(import.meta.url));
const py = spawnSync(
  '/usr/bin/python3',
  [join(here, 'taurus', 'taurus_bench.py'), '--seconds', String(SECONDS)],
  {
    encoding: 'utf8',
    timeout: 300_000,
  },
);
let taurus;
if (py.status === 0) {
  taurus = JSON.parse(py.stdout.trim().split('\n').pop()).rates;
} else {
  console.log(`Taurus not measured: ${py.stderr.trim().split('\n').pop()}`);
}

console.log(`eval benchmarks (${SECONDS}s per case)`);
console.log(
  `  mathjs compiled, direct          plain ${fmt(results.mathjsDirectPlain)}  quantity ${fmt(results.mathjsDirectQuantity)}`,
);
console.log(
  `  tk sandbox, compiled, new input  plain ${fmt(results.sandboxPlain)}  quantity ${fmt(results.sandboxQuantity)}  (ratio to mathjs direct: ${(results.mathjsDirectPlain / results.sandboxPlain).toFixed(2)}x, ${(results.mathjsDirectQuantity / results.sandboxQuantity).toFixed(2)}x)`,
);
console.log(`  loc write alone (input side)     plain ${fmt(writeOnly)}  quantity ${fmt(qWriteOnly)}`);
console.log(
  `  tk re-evaluate on input change   plain ${fmt(results.tkReevaluatePlain)} (incl. the loc write), ${fmt(results.tkReevaluatePlainOnly)} re-evaluation alone`,
);
console.log(
  `                                   quantity ${fmt(results.tkReevaluateQuantity)} (incl. the loc write), ${fmt(results.tkReevaluateQuantityOnly)} re-evaluation alone`,
);
console.log(
  `  ratio mathjs direct / tk re-evaluation alone: plain ${(results.mathjsDirectPlain / results.tkReevaluatePlainOnly).toFixed(2)}x, quantity ${(results.mathjsDirectQuantity / results.tkReevaluateQuantityOnly).toFixed(2)}x (target <= 2x)`,
);
console.log(
  `  tk read(cache:false)             plain ${fmt(results.tkReadPlain)}  quantity ${fmt(results.tkReadQuantity)}`,
);
if (taurus) {
  console.log(
    `  Taurus read(cache=False)         plain ${fmt(taurus.readPlain)}  quantity ${fmt(taurus.readQuantity)}  re-evaluate on change ${fmt(taurus.reevaluateOnChange)}`,
  );
  console.log(
    `  ratio tk / Taurus: read plain ${(results.tkReadPlain / taurus.readPlain).toFixed(1)}x, read quantity ${(results.tkReadQuantity / taurus.readQuantity).toFixed(1)}x, re-evaluate ${(results.tkReevaluatePlain / taurus.reevaluateOnChange).toFixed(1)}x (target >= 10x)`,
  );
}
console.log(JSON.stringify({ results, taurus }));
