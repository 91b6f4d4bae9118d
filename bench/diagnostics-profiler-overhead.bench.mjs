// Cost of the profiler hooks: a build of tk-core whose core has no profiler
// calls at all (esbuild, `host.profiler` replaced by `false` so the branches
// are compiled away), the same sources built as shipped with the profiler
// off (the core checks `host.profiler` for undefined), and with a Profiler
// installed. Rates are per second of this process's CPU time (a shared
// machine's other load does not count), median of interleaved rounds. Workloads: loc writes (write timing + pushed reading) and
// uncached loc reads (read timing + reading), awaited one after another.
//
// Usage: npm run build && node bench/diagnostics-profiler-overhead.bench.mjs [seconds]
import { mkdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { median, report } from './lib.mjs';

const seconds = Number(process.argv[2] ?? 0.4);
const rounds = Number(process.argv[3] ?? 9);
const root = new URL('..', import.meta.url).pathname;
const out = `${root}.bench-out/profiler-overhead/`;
mkdirSync(out, { recursive: true });

/** Builds src/index.ts like tsup does (esm, es2022, bundled), optionally without profiler calls. */
async function buildVariant(name, stripHooks) {
  const plugin = {
    name: 'strip-profiler',
    setup(b) {
      b.onLoad({ filter: /src\/attribute\/attribute\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const stripped = text.replace(/this\.#?host\.profiler/g, 'false');
        if (stripped === text)
          throw new Error('no profiler calls found in attribute.ts: update this benchmark');
        return { contents: stripped, loader: 'ts' };
      });
    },
  };
  await build({
    entryPoints: [`${root}src/index.ts`],
    outfile: `${out}${name}.mjs`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    packages: 'external',
    logLevel: 'error',
    plugins: stripHooks ? [plugin] : [],
  });
  return import(`${out}${name}.mjs`);
}

const noHooks = await buildVariant('no-hooks', true);
const withHooks = await buildVariant('with-hooks', false);
const shipped = await import('../dist/index.js');
const noHooksText = readFileSync(`${out}no-hooks.mjs`, 'utf8');
if (/host\.profiler/.test(noHooksText.slice(noHooksText.indexOf('class AttributeModel')))) {
  throw new Error('the no-hooks build still checks host.profiler');
}

/**
 * Awaits fn() repeatedly for about `seconds` of wall time; returns calls per
 * second of this process's CPU time (user + system), so time the scheduler
 * gives to other processes on a shared machine does not count.
 */
async function cpuRate(fn, seconds) {
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const c0 = process.cpuUsage();
  while (performance.now() < deadline) {
    for (let k = 0; k < 64; k++) await fn(n++);
  }
  const c = process.cpuUsage(c0);
  return (n * 1e6) / (c.user + c.system);
}

async function setup(lib, profiled) {
  const m = lib.createManager({ builtins: false, schemes: [lib.createLocScheme()], gcTime: 60_000 });
  if (profiled) lib.startProfiling(m);
  const a = m.attribute('loc:/bench/x?units=mm');
  let seen = 0;
  const sub = a.subscribe(() => seen++);
  const b = m.attribute('loc:/bench/y');
  await a.write(0);
  await b.read({ cache: false });
  return {
    write: (i) => a.write(i),
    read: () => b.read({ cache: false }),
    async close() {
      sub.unsubscribe();
      await m.dispose();
      if (seen === 0) throw new Error('no notifications');
    },
  };
}

const variants = [
  ['build without profiler hooks', noHooks, false],
  ['profiler off (hooks compiled in)', withHooks, false],
  ['profiler on (Profiler installed)', withHooks, true],
  ['shipped dist/, profiler off', shipped, false],
  ['shipped dist/, profiler on', shipped, true],
];

const results = new Map(variants.map(([name]) => [name, { write: [], read: [] }]));
for (let r = 0; r < rounds; r++) {
  // interleaved rounds with a rotating start, so drift, GC and order hit every variant alike
  for (let v = 0; v < variants.length; v++) {
    const [name, lib, profiled] = variants[(v + r) % variants.length];
    const s = await setup(lib, profiled);
    results.get(name).write.push(await cpuRate(s.write, seconds));
    results.get(name).read.push(await cpuRate(s.read, seconds));
    await s.close();
    globalThis.gc?.();
  }
}
for (const kind of ['write', 'read']) {
  const base = median(results.get(variants[0][0])[kind]);
  report(
    `loc ${kind === 'write' ? 'writes (write + pushed notification)' : 'uncached reads'}, awaited one by one, per CPU second (median of ${rounds} interleaved rounds of ${seconds} s)`,
    variants.map(([name]) => ({
      name,
      ops: median(results.get(name)[kind]),
      baseline: base,
      baselineName: 'no hooks',
    })),
  );
}
