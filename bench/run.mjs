// Runs every benchmark under bench/ one after another, each in its own
// process with --expose-gc. Usage: npm run bench [-- filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && f.includes(filter))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n### ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}${f}`], {
    stdio: 'inherit',
    timeout: 600_000,
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
