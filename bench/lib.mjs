// Shared helpers of the benchmarks: rates measured in the same run, ratios
// against baselines, and the real Taurus's figures from bench/taurus/taurus_bench.py.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Calls fn(i) repeatedly for about `seconds`; returns calls per second. */
export function rate(fn, seconds = 1) {
  let n = 0;
  let batch = 64;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  for (;;) {
    for (let k = 0; k < batch; k++) fn(n++);
    const now = performance.now();
    if (now >= deadline) return (n * 1000) / (now - start);
    if (now - start < seconds * 100) batch *= 2;
  }
}

/** Like rate, for async functions awaited one after another. */
export async function rateAsync(fn, seconds = 1) {
  let n = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (let k = 0; k < 32; k++) await fn(n++);
  }
  return (n * 1000) / (performance.now() - start);
}

/**
 * One round of Taurus 5's rates (ops/s) for `cases` (names from
 * bench/taurus/taurus_bench.py), measured now; null when python3-taurus is
 * not installed or the run fails (the reason is printed once).
 */
export function taurusRound(cases, seconds) {
  if (!existsSync('/usr/bin/python3')) return null;
  const script = new URL('./taurus/taurus_bench.py', import.meta.url).pathname;
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [script, '--seconds', String(seconds), '--cases', cases.join(',')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return JSON.parse(out.trim().split('\n').pop()).rates;
  } catch (err) {
    console.error(`(Taurus baseline unavailable: ${err.message.split('\n')[0]})`);
    return null;
  }
}

/** The median of `xs`. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/**
 * Prints a table of rows { name, ops, baseline?, baselineName?, ratio?, target? };
 * `ratio` (e.g. a median of per-round ratios) overrides ops / baseline.
 */
export function report(title, rows) {
  console.log(`\n${title}`);
  for (const r of rows) {
    const ratio = r.ratio ?? (r.baseline ? r.ops / r.baseline : undefined);
    const parts = [`  ${r.name.padEnd(52)} ${fmt(r.ops).padStart(14)} ${r.unit ?? 'ops/s'}`];
    if (ratio !== undefined)
      parts.push(`  = ${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(2)}x ${r.baselineName}`);
    if (r.target) parts.push(`  (target ${r.target})`);
    console.log(parts.join(''));
  }
}
