/**
 * Item 6 of issue 14, start-up: importing `tk-core` loads no mathjs (the
 * eval evaluator loads on first use) and not all of RxJS (only the modules
 * it uses, src/util/rx.ts), in ESM and in CommonJS; eval still
 * works through `tk-core`; `tk-core/eval` exports `createSandbox` and loads
 * the evaluator at once; the deprecated `createSandbox` of `tk-core` still
 * works in Node, with the same classes as the rest of the entry. Checked on
 * the built package in fresh Node processes, by the modules they load (a
 * resolve hook records every module URL; CommonJS: `require.cache`), never
 * by a time. The time is printed (bench/startup.bench.mjs measures it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/tk-process.js';

const DIST = pathToFileURL(join(ROOT, 'dist/')).href;
const dir = mkdtempSync(join(tmpdir(), 'tk-entry-import-'));
const HOOKS = join(dir, 'hooks.mjs');
const REGISTER = join(dir, 'register.mjs');
writeFileSync(
  HOOKS,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.TK_TRACE, r.url + '\\n');
  return r;
}
`,
);
writeFileSync(
  REGISTER,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(HOOKS).href)});\n`,
);

/** Runs ESM `code` in a fresh Node (with the resolve hook: `traced`); its JSON output and the module URLs it loaded. */
function esm(code: string, traced = true): { out: Record<string, unknown>; modules: string[] } {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, '');
  const hook = traced ? ['--import', REGISTER] : [];
  const stdout = execFileSync(process.execPath, [...hook, '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, TK_TRACE: trace },
    timeout: 60_000,
  });
  const modules = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  return { out: JSON.parse(stdout.trim().split('\n').at(-1)!), modules };
}

/** Runs CommonJS `code` in a fresh Node; its JSON output. */
function cjs(code: string): Record<string, unknown> {
  const stdout = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const mathjs = (urls: readonly string[]) => urls.filter((u) => u.includes('/node_modules/mathjs/'));
/** The whole of RxJS (its index: 223 CommonJS modules in Node); tk-core imports the modules it uses (src/util/rx.ts). */
const rxjsIndex = (urls: readonly string[]) =>
  urls.filter((u) => /\/node_modules\/rxjs\/dist\/[^/]+\/index\.js$/.test(u));

beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("import('tk-core')", () => {
  it('loads no mathjs (name validation needs none)', () => {
    const { out, modules } = esm(`
      const t0 = performance.now();
      const tk = await import('${DIST}index.js');
      const ms = performance.now() - t0;
      console.log(JSON.stringify({ ms, valid: tk.isValidName('eval:{loc:/a/b}*2') }));
      process.exit(0);
    `);
    console.log(
      `import('tk-core'): ${(out.ms as number).toFixed(0)} ms in a fresh process, with a resolve hook (target 150 ms)`,
    );
    expect(modules.some((u) => u.endsWith('/dist/index.js'))).toBe(true); // the hook saw the entry
    expect(out.valid).toBe(true);
    expect(mathjs(modules)).toEqual([]);
    expect(rxjsIndex(modules)).toEqual([]);
  });

  it("loads RxJS's Observable, not all of RxJS, and it is the Observable of the program's own rxjs", () => {
    const { out, modules } = esm(`
      const tk = await import('${DIST}index.js');
      const ui = await import('${DIST}ui/index.js');
      const remote = await import('${DIST}remote/index.js');
      const streams = tk.Attribute('loc:/rx/x?type=float&init=1').value$;
      const rx = await import('rxjs');
      const first = await rx.firstValueFrom(streams.pipe(rx.map((r) => String(r.rvalue))));
      console.log(JSON.stringify({
        sameClass: streams instanceof rx.Observable && ui.createDisplay('loc:/rx/x').state$ instanceof rx.Observable,
        remote: typeof remote.connectGateway,
        first,
      }));
      process.exit(0);
    `);
    expect(out).toEqual({ sameClass: true, remote: 'function', first: '1' });
    // rxjs's index was loaded by the program (import('rxjs')) after the entries, not by them
    const index = modules.findIndex((u) => rxjsIndex([u]).length > 0);
    const entries = modules.findIndex((u) => u.endsWith('/dist/remote/index.js'));
    expect(entries).toBeGreaterThanOrEqual(0);
    expect(index).toBeGreaterThan(entries);
  });

  it("require('tk-core') loads no mathjs and no rxjs index either; its deprecated createSandbox loads it when called", () => {
    const out = cjs(`
      const tk = require(${JSON.stringify(join(ROOT, 'dist/index.cjs'))});
      const mathjs = () => Object.keys(require.cache).filter((f) => f.includes('/node_modules/mathjs/')).length;
      const before = mathjs();
      const rxjsIndex = Object.keys(require.cache).filter((f) => /node_modules.rxjs.dist.cjs.index.js$/.test(f)).length;
      const value = String(tk.createSandbox().compile('2 * 3').evaluate().value);
      console.log(JSON.stringify({ before, rxjsIndex, after: mathjs() > 0, value }));
    `);
    expect(out).toEqual({ before: 0, rxjsIndex: 0, after: true, value: '6' });
  });
});

describe('eval through tk-core and tk-core/eval', () => {
  it("evaluates on first use; createSandbox from tk-core/eval, and tk-core's deprecated one with the same classes", () => {
    const { out } = esm(
      `
      const tk = await import('${DIST}index.js');
      const read = String((await tk.Attribute('eval:Q("12.5m")*2').read()).rvalue);
      const ev = await import('${DIST}eval/index.js');
      const fromEval = String(ev.createSandbox().compile('Q("12.5 m") * 2').evaluate().value);
      const s = tk.createSandbox();
      let error;
      try { s.compile('1 +'); } catch (e) { error = e; }
      console.log(JSON.stringify({
        read,
        fromEval,
        deprecated: String(s.compile('Q("1 m") + Q("20 cm")').evaluate().value),
        sameClass: error instanceof tk.ExpressionError && error instanceof ev.ExpressionError,
        code: error?.code,
      }));
      process.exit(0);
    `,
      false,
    );
    expect(out).toEqual({
      read: '25 m',
      fromEval: '25 m',
      deprecated: '1.2 m',
      sameClass: true,
      code: 'EXPRESSION',
    });
  });
});
