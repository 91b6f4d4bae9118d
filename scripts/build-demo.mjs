// Builds the page `tk serve --demo` serves at `/` (src/demo/page/main.ts: tk-core/ui and tk-core/remote
// with uPlot, imported after the page started) into dist/demo/: index.html, app.css and the ES module app.js with its lazily loaded
// chunks. esbuild resolves tk-core/* to src/ through tsconfig.json's paths. Prints the sizes, unless
// `--quiet` (npm run build:quiet): then only esbuild's warnings and errors.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const out = new URL('dist/demo/', root);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  absWorkingDir: root.pathname,
  entryPoints: { app: 'src/demo/page/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  outdir: out.pathname,
  chunkNames: 'chunk-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

const uplotCss = readFileSync(new URL('node_modules/uplot/dist/uPlot.min.css', root), 'utf8');
const pageCss = `
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .4em; }
#connection { display: inline-block; padding: .2em .6em; border-radius: .3em; background: #ccc; }
#connection[data-status="connected"] { background: #bfe8bf; }
#connection[data-status="disconnected"] { background: #f4c0c0; }
#connection[data-status="connecting"] { background: #f4e3b0; }
#form { display: grid; grid-template-columns: max-content; margin: 1em 0; }
.row { display: grid; grid-template-columns: 14em 13em 3em 14em; gap: .2em .6em; align-items: center; padding: .15em 0; }
.row .read { padding: .15em .4em; border: 1px solid #bbb; border-radius: .2em; font-family: monospace; }
.row .problem { grid-column: 1 / -1; color: #b00; font-size: .9em; }
.row .problem:empty { display: none; }
.edit { width: 12em; font-family: monospace; }
.edit[data-style="pending"] { background: #ffd27f; }
.edit[data-style="invalid"] { background: #f4c0c0; }
.row[data-pending="true"] .label { font-weight: bold; }
#trend { max-width: 60em; }
`;
writeFileSync(new URL('app.css', out), `${uplotCss}\n${pageCss}`);
writeFileSync(
  new URL('index.html', out),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tk-core demo: the example OLDB through the gateway</title>
<link rel="stylesheet" href="app.css">
</head>
<body>
<h1>tk-core demo <span id="connection" data-status="connecting">connecting</span></h1>
<p>The example OLDB datapoints through <code>tk serve</code>, with tk-core/ui and tk-core/remote. Type a value and press Enter or Apply; Escape or Reset drops it.</p>
<div id="form"></div>
<p><button id="apply" disabled>Apply</button> <button id="reset" disabled>Reset</button></p>
<h2>Trend</h2>
<div id="trend"></div>
<script type="module" src="app.js"></script>
</body>
</html>
`,
);

// what the page loads at start: app.js and the chunks it imports statically (dynamic imports come later)
const outputs = result.metafile.outputs;
const app = Object.keys(outputs).find((f) => outputs[f].entryPoint === 'src/demo/page/main.ts');
const atStart = new Set();
const visit = (f) => {
  if (atStart.has(f)) return;
  atStart.add(f);
  for (const i of outputs[f].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
};
visit(app);
let total = 0;
let gz = 0;
let initial = 0;
for (const file of Object.keys(outputs)) {
  if (!file.endsWith('.js')) continue;
  const bytes = readFileSync(new URL(file, root));
  total += bytes.length;
  const g = gzipSync(bytes).length;
  gz += g;
  if (atStart.has(file)) initial += g;
}
if (!process.argv.includes('--quiet')) {
  console.log(
    `build-demo: dist/demo (app.js and its static chunks ${(initial / 1024).toFixed(1)} kB gzip at start; uPlot and the eval evaluator come later; all chunks ${(total / 1024).toFixed(0)} kB, ${(gz / 1024).toFixed(1)} kB gzip)`,
  );
}
