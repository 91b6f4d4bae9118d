// tsup's type build drops `/// <reference lib="esnext.disposable" />`; consumers without
// skipLibCheck would then fail on `Disposable`. Re-add it to every declaration file that needs it.
// `--quiet` (npm run build:quiet): print nothing unless something fails.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REF = '/// <reference lib="esnext.disposable" />\n';
let patched = 0;
function walk(dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.d\.c?ts$/.test(f)) {
      const text = readFileSync(p, 'utf8');
      if (/Disposable|Symbol\.(async)?[dD]ispose/.test(text) && !text.startsWith(REF)) {
        writeFileSync(p, REF + text);
        patched++;
      }
    }
  }
}
walk(new URL('../dist', import.meta.url).pathname);
if (!process.argv.includes('--quiet'))
  console.log(`postbuild: added the esnext.disposable reference to ${patched} declaration files`);
