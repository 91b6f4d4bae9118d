// Start-up cost of the entries (issue 14 item 6): how long `await import(entry)` takes in a fresh Node
// process, for tk-core (the main entry), tk-core/remote + tk-core/ui (what a page imports), and the
// baseline measured in the same run: import('rxjs') alone (all of RxJS, which every entry loaded until
// they imported only the RxJS modules they use, src/util/rx.ts; the target of 150 ms was set when it
// took about 160 ms, so import('tk-core') at 0.9x of it or less meets the target); tk-core/eval shows
// what the evaluator (mathjs) costs, which import('tk-core') no longer pays. Also the first eval
// read after importing tk-core/ui + tk-core/remote (the evaluator and mathjs loaded on that first use).
// Rounds alternate the cases; medians are printed with their ratio to the baseline.
// Usage: npm run build && node bench/startup.bench.mjs [ROUNDS=7]
import { spawnSync } from 'node:child_process';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const dist = new URL('../dist/', import.meta.url).href;
const cases = {
  'rxjs (baseline)': `await import('rxjs');`,
  "import('tk-core')": `await import('${dist}index.js');`,
  "import('tk-core/eval') (loads the evaluator: mathjs)": `await import('${dist}eval/index.js');`,
  "import('tk-core/remote') + import('tk-core/ui')": `await import('${dist}remote/index.js'); await import('${dist}ui/index.js');`,
  'tk-core/ui, then a first eval read (loads the evaluator)': `const ui = await import('${dist}ui/index.js'); const d = ui.createDisplay('eval:1+1'); await d.attribute.read();`,
};
const runs = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, code] of Object.entries(cases)) {
    const script = `const t0 = performance.now(); ${code} console.log(performance.now() - t0); process.exit(0);`;
    const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`${name}: ${p.stderr}`);
    runs[name].push(Number(p.stdout.trim().split('\n').at(-1)));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(runs['rxjs (baseline)']);
console.log(
  `start-up, median of ${ROUNDS} fresh processes (target: import('tk-core') with no eval <= 150 ms)`,
);
for (const [name, xs] of Object.entries(runs)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(58)} ${m.toFixed(0).padStart(6)} ms  ${(m / base).toFixed(1)}x baseline`);
}
