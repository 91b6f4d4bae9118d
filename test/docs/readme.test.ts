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
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The code blocks of a README section, by heading. */
function codeBlocks(heading: string): string[] {
  const start = readme.indexOf(`## ${heading}`);
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Runs `code` as a user's ES module script with `tk-core` installed (linked to this package's build). */
function runAsUser(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-readme-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'tk-core'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'main.mjs'), code);
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

describe.runIf(existsSync(join(root, 'dist/index.js')))('README', () => {
  it('the first example runs as written in a Node script, printing what the comment says', () => {
    const [code] = codeBlocks('First read');
    expect(code).toBeDefined();
    const out = runAsUser(code!);
    const promised = /\/\/ (.*)$/m.exec(code!)![1]!;
    expect(out.trim()).toBe(promised.trim());
  });

  it('Install says how to install while tk-core is not on the registry (issue 11 item 15)', () => {
    const start = readme.indexOf('## Install');
    const install = readme.slice(start, readme.indexOf('\n## ', start + 3));
    expect(install).toMatch(/not on the npm registry yet/);
    for (const command of [
      'npm ci && npm run build',
      'npm link',
      'npm install ../tk-core',
      'npm pack',
      'npm install ../tk-core/tk-core-0.1.0.tgz',
      "tk watch 'cii.oldb:/root/example/double/sine' --embedded",
    ])
      expect(install).toContain(command);
    // the only npm install of tk-core by name is the one said to fail
    expect(install.match(/npm install tk-core/g)).toHaveLength(1);
    expect(install).toContain('(`npm install tk-core` fails)');
  });

  it('the tour example runs as written', () => {
    const [code] = codeBlocks('What you get');
    const out = runAsUser(code!);
    expect(out).toContain('15 mm [ 0, 100 ]');
    // the simple name shows references by their simple names, as Taurus does
    const evals = out.split('\n').filter((l) => l.startsWith('sine*2 '));
    expect(evals.length).toBeGreaterThan(1);
    for (const l of evals) expect(l).toMatch(/^sine\*2 -?\d+(\.\d+)?(e-?\d+)? V VALID$/);
  });
});
