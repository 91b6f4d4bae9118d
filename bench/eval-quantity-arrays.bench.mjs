// Cost of quantity arrays against plain arrays in the eval sandbox (issue 10
// item 5: quantities on large arrays should cost about what the same work
// costs on numbers, not 10 to 100 times more). For each expression and size,
// the same compiled expression is evaluated on inputs holding Quantities
// (`x` in m, `y` in cm) and on inputs holding the plain magnitudes, in
// alternating rounds; each figure is the median of the rounds' times, and the
// ratio is quantity time over plain time, per round, then the median.
// Build first: `npm run build`.
//
// Usage: node --expose-gc bench/eval-quantity-arrays.bench.mjs [--rounds 7] [--sizes 1000,10000,100000]
import { createSandbox, Quantity } from '../dist/index.js';
import { median } from './lib.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ROUNDS = Number(arg('--rounds', 7));
const SIZES = String(arg('--sizes', '1000,10000,100000')).split(',').map(Number);
const EXPRESSIONS = ['x + y', 'x * 2', 'sum(x)', 'x - y * 3'];

// the time budget is out of the way: what is measured here is cost
const sandbox = createSandbox({ limits: { maxTimeMs: 1e9 } });
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Milliseconds of CPU time per evaluation of `fn`, over at least `reps` calls and 20 ms. */
function timeOf(fn, reps) {
  globalThis.gc?.();
  let n = 0;
  const start = cpu();
  let now = start;
  while (n < reps || now - start < 20) {
    fn();
    n++;
    now = cpu();
  }
  return (now - start) / n;
}

const rows = [];
for (const size of SIZES) {
  const xs = Array.from({ length: size }, (_, i) => 1 + (i % 97));
  const ys = Array.from({ length: size }, (_, i) => 2 + (i % 89));
  const quantities = new Map([
    ['x', new Quantity(xs, 'm')],
    ['y', new Quantity(ys, 'cm')],
  ]);
  const plain = new Map([
    ['x', new Quantity(xs, '')],
    ['y', new Quantity(ys, '')],
  ]);
  for (const expr of EXPRESSIONS) {
    const compiled = sandbox.compile(expr, { inputs: ['x', 'y'] });
    const withUnits = () => compiled.evaluate(quantities);
    const withoutUnits = () => compiled.evaluate(plain);
    const reps = Math.max(3, Math.round(200_000 / size));
    timeOf(withUnits, reps); // warm-up
    timeOf(withoutUnits, reps);
    const q = [];
    const p = [];
    const ratios = [];
    for (let r = 0; r < ROUNDS; r++) {
      const tq = timeOf(withUnits, reps);
      const tp = timeOf(withoutUnits, reps);
      q.push(tq);
      p.push(tp);
      ratios.push(tq / tp);
    }
    rows.push({ expr, size, quantityMs: median(q), plainMs: median(p), ratio: median(ratios) });
  }
}

console.log(
  `eval: quantity arrays against plain arrays (CPU ms per evaluation, medians of ${ROUNDS} alternating rounds)`,
);
console.log(
  'expression'.padEnd(12),
  'size'.padStart(8),
  'quantity'.padStart(10),
  'plain'.padStart(10),
  'ratio'.padStart(7),
);
for (const r of rows) {
  console.log(
    r.expr.padEnd(12),
    String(r.size).padStart(8),
    r.quantityMs.toFixed(3).padStart(10),
    r.plainMs.toFixed(3).padStart(10),
    `${r.ratio.toFixed(2)}x`.padStart(7),
  );
}
console.log(JSON.stringify({ rows }));
