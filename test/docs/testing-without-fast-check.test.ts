/**
 * `tk-core/testing` loads without fast-check (issue 11 item 15): the built
 * package, installed in a scratch project whose module resolution cannot see
 * fast-check (a loader hook for `import`, a resolver patch for `require`),
 * gives `expectNoLeaks` through both its ESM and CommonJS entries. Only
 * `tk-core/testing/arbitraries` needs fast-check, and says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/tk-process.js';

/** Makes `fast-check` (and `@fast-check/*`) unresolvable, for `import` and for `require`. */
const BLOCK = `
import Module, { register } from 'node:module';
const blocked = /^(?:fast-check(?:\\/|$)|@fast-check\\/)/;
register('data:text/javascript,' + encodeURIComponent(\`
  export async function resolve(specifier, context, next) {
    if (\${blocked}.test(specifier)) {
      const e = new Error("Cannot find package '" + specifier + "' (hidden by the test)");
      e.code = 'ERR_MODULE_NOT_FOUND';
      throw e;
    }
    return next(specifier, context);
  }\`));
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (blocked.test(request)) {
    const e = new Error("Cannot find module '" + request + "' (hidden by the test)");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return original.call(this, request, ...rest);
};
`;

let dir = '';

function run(file: string, code: string): string {
  writeFileSync(join(dir, file), code);
  return execFileSync(process.execPath, ['--import', './block.mjs', file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, TK_OLDB_URL: '', TK_OLDB: '', NODE_OPTIONS: '' },
  }).trim();
}

beforeAll(() => ensureBuilt());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-no-fast-check-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'tk-core'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
  writeFileSync(join(dir, 'block.mjs'), BLOCK);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const USE = (load: string) => `
${load}
const m = createManager();
const x = m.attribute('loc:/leaks/x?init=1');
const sub = x.value$.subscribe(() => {});
let leaked = '';
try { expectNoLeaks(m); } catch (e) { leaked = e.name; }
sub.unsubscribe();
expectNoLeaks(m);
console.log('expectNoLeaks', leaked, typeof createVirtualClock, typeof schemeConformance);
m.dispose();
`;

describe('tk-core/testing without fast-check', () => {
  it('the hook does hide fast-check: tk-core/testing/arbitraries fails, naming it', () => {
    const out = run(
      'arbitraries.mjs',
      `try { await import('tk-core/testing/arbitraries'); console.log('loaded'); }
       catch (e) { console.log(e.code, /fast-check/.test(e.message)); }`,
    );
    expect(out).toBe('ERR_MODULE_NOT_FOUND true');
  });

  it('ESM: import { expectNoLeaks } from tk-core/testing loads and works', () => {
    const out = run(
      'esm.mjs',
      USE(`import { createManager } from 'tk-core';
import { createVirtualClock, expectNoLeaks, schemeConformance } from 'tk-core/testing';`),
    );
    expect(out).toBe('expectNoLeaks LeakError function function');
  });

  it('CommonJS: require(tk-core/testing) loads and works', () => {
    const out = run(
      'cjs.cjs',
      USE(`const { createManager } = require('tk-core');
const { createVirtualClock, expectNoLeaks, schemeConformance } = require('tk-core/testing');`),
    );
    expect(out).toBe('expectNoLeaks LeakError function function');
  });
});
