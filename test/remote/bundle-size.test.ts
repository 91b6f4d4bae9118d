/**
 * Item 6 of issue 14: a page that imports tk-core/remote and tk-core/ui and
 * evaluates nothing carries no mathjs, no OLDB store and none of the
 * built-in schemes' runtime at start (tk-core/ui reaches the default manager
 * through a slot, not by importing it; the eval evaluator and the stores are
 * chunks loaded on first use), and what it loads at start is at most 60 kB
 * gzip. Measured with esbuild as a page's bundler would build it (browser,
 * ESM, minified, code splitting): the entry chunk and every chunk it imports
 * statically. The figures are printed.
 *
 * The issue's target is 60 kB, reached: this page is at about 57 kB (it was
 * 297 kB with mathjs, 73 kB with the built-in schemes, 64 kB with
 * js-quantities, replaced by tk-core's own unit engine): the name grammars
 * of eval, loc and cii.oldb (the remote manager validates names at once),
 * the model core, the protocol, rxjs, the ui controllers and the units.
 * The demo page adds its own code (about 1.5 kB) and is bounded at 64 kB.
 */
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const PAGE = `
import { createRemoteManager } from 'tk-core/remote';
import { createDisplay, createForm, createInput, createTrend } from 'tk-core/ui';
const manager = createRemoteManager('ws://127.0.0.1:8765/');
const models = ['cii.oldb:/root/example/double/sine', 'loc:/demo/x?type=float&units=mm'];
createForm(models, { manager });
createTrend(models, { manager });
createDisplay(models[0], { manager });
createInput(models[1], { manager });
console.log(manager.isValidName('eval:{cii.oldb:/root/example/double/sine}*2'));
`;

async function bundle(contents: string | { entry: string }) {
  const input =
    typeof contents === 'string'
      ? { stdin: { contents, resolveDir: process.cwd(), loader: 'ts' as const, sourcefile: 'page.ts' } }
      : { entryPoints: [contents.entry] };
  const result = await build({
    ...input,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    outdir: '/virtual',
    logLevel: 'silent',
  });
  const meta = result.metafile as Metafile;
  const gz = new Map(
    result.outputFiles.map((f) => [f.path.replace(/^\/virtual\//, ''), gzipSync(f.contents).length]),
  );
  const key = (p: string) => p.replace(/^.*virtual\//, '');
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint !== undefined)!;
  // what the page loads at start: the entry and its static imports, transitively
  const initial = new Set<string>();
  const visit = (o: string) => {
    if (initial.has(o)) return;
    initial.add(o);
    for (const i of meta.outputs[o]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  const inputsOf = (outs: Iterable<string>) =>
    new Set([...outs].flatMap((o) => Object.keys(meta.outputs[o]!.inputs)));
  const initialInputs = inputsOf(initial);
  const lazy = Object.keys(meta.outputs).filter((o) => o.endsWith('.js') && !initial.has(o));
  return {
    initialGzip: [...initial].reduce((n, o) => n + (gz.get(key(o)) ?? 0), 0),
    lazyGzip: lazy.reduce((n, o) => n + (gz.get(key(o)) ?? 0), 0),
    initialInputs,
    lazyInputs: inputsOf(lazy),
  };
}

describe('a page with tk-core/remote and tk-core/ui', () => {
  it('loads no mathjs, no OLDB store and no built-in scheme runtime at start, and at most 60 kB gzip', async () => {
    const b = await bundle(PAGE);
    const has = (set: Set<string>, re: RegExp) => [...set].some((i) => re.test(i));
    console.log(
      `page bundle at start: ${(b.initialGzip / 1024).toFixed(1)} kB gzip (target 60 kB); loaded later: ${(b.lazyGzip / 1024).toFixed(1)} kB gzip`,
    );
    expect(has(b.initialInputs, /node_modules\/mathjs\//)).toBe(false);
    expect(has(b.initialInputs, /src\/schemes\/eval\/sandbox\//)).toBe(false);
    expect(
      has(
        b.initialInputs,
        /src\/oldb\/(redis-(store|connection|client|reader|writer|watches)|embedded-store)/,
      ),
    ).toBe(false);
    expect(has(b.initialInputs, /node_modules\/(ws|ioredis)\//)).toBe(false);
    // the built-in schemes come with tk-core's default manager, which the page does not use: no
    // loc points, no res maps, no cii.oldb option parsing, no eval plugin (eval names are validated
    // by the remote manager and evaluated by the gateway), at start or later
    const all = new Set([...b.initialInputs, ...b.lazyInputs]);
    expect(has(all, /src\/(builtins|default-manager)\.ts$/)).toBe(false);
    expect(
      has(all, /src\/schemes\/(loc|res)\/(backend|source|point-store|plugin|resource-map|options)\.ts$/),
    ).toBe(false);
    expect(has(all, /src\/schemes\/(oldb|eval)\/(plugin|options|backend)\.ts$/)).toBe(false);
    expect(has(all, /node_modules\/mathjs\//)).toBe(false);
    // units are read by tk-core's own engine after pint (src/units, ~2.6 kB gzip), not js-quantities (9.1 kB)
    expect(has(all, /node_modules\/js-quantities\//)).toBe(false);
    expect(has(b.initialInputs, /src\/units\/unit-registry\.ts$/)).toBe(true);
    expect(b.initialGzip).toBeLessThanOrEqual(60 * 1024);
  });
});

describe('the demo page (src/demo/page, what tk serve --demo serves)', () => {
  it('loads no mathjs and no uPlot at start (the chart library comes after the form), at most 64 kB gzip', async () => {
    const b = await bundle({ entry: 'src/demo/page/main.ts' });
    const has = (set: Set<string>, re: RegExp) => [...set].some((i) => re.test(i));
    console.log(
      `demo page at start: ${(b.initialGzip / 1024).toFixed(1)} kB gzip; loaded later (uPlot): ${(b.lazyGzip / 1024).toFixed(1)} kB gzip`,
    );
    expect(has(b.initialInputs, /node_modules\/mathjs\//)).toBe(false);
    expect(has(b.initialInputs, /node_modules\/uplot\//)).toBe(false);
    expect(has(b.lazyInputs, /node_modules\/uplot\//)).toBe(true);
    expect(b.initialGzip).toBeLessThanOrEqual(64 * 1024);
  });
});
