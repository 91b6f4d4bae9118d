/**
 * Every example of docs/ui-trends.md runs as a user's script (ES module,
 * `tk-core` installed: linked to this package's build) and prints what its
 * `// comments` say.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(join(root, 'docs/ui-trends.md'), 'utf8');
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

function run(code: string): string {
  const js = transformSync(code, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
  const dir = mkdtempSync(join(tmpdir(), 'tk-ui-trends-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'tk-core'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'main.mjs'), js);
    return execFileSync(process.execPath, ['main.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, TK_OLDB_URL: '' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(existsSync(join(root, 'dist/ui/index.js')))('docs/ui-trends.md', () => {
  it('has the trend, plot and tree examples', () => {
    expect(blocks.map((b) => /create(Trend|Plot|Tree)\(/.exec(b)?.[1])).toEqual(['Trend', 'Plot', 'Tree']);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('example %i prints what its comments say', (_i, code) => {
    const promised = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!.trim());
    const out = run(code).trimEnd().split('\n');
    expect(out).toEqual(promised);
  });
});
