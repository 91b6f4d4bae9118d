/**
 * Examples of docs/oldb.md and docs/debugging.md run as a user runs them
 * (issue 11 item 15): each `<!-- example: name -->` block as an ES module
 * script of a scratch project with `tk-core` installed (linked to this
 * package's build), on the Node running the tests (20: the oldest `engines`
 * allows), printing what its comments say. So the imports are the package's
 * real entries (`createOldbScheme` from `tk-core`, not `tk-core/oldb`) and no
 * example uses syntax Node 20 lacks (`using`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/tk-process.js';

function block(doc: string, name: string): string {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const m = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (m === null) throw new Error(`${doc} has no example "${name}"`);
  return m[1]!;
}

/** What the `// ...` comments after console.log calls promise, in order. */
function promised(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
}

let dir = '';

beforeAll(() => ensureBuilt());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-doc-examples-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'tk-core'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function runAsUser(file: string, code: string): string[] {
  writeFileSync(join(dir, file), code);
  return execFileSync(process.execPath, [file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, TK_OLDB_URL: '', TK_OLDB: '' },
  })
    .trimEnd()
    .split('\n');
}

describe('doc examples, as a user runs them on Node 20', () => {
  it('docs/oldb.md: createOldbScheme and withDeclaration from tk-core, the store from tk-core/oldb', () => {
    const code = block('docs/oldb.md', 'oldb-imports');
    expect(code).toMatch(/import \{[^}]*createOldbScheme[^}]*withDeclaration[^}]*\} from 'tk-core';/);
    expect(runAsUser('oldb-imports.mjs', code)).toEqual(promised(code));
  });

  it('docs/oldb.md: tk-core/oldb has neither createOldbScheme nor withDeclaration (so the doc says where they are)', () => {
    const out = runAsUser(
      'oldb-entry.mjs',
      `const o = await import('tk-core/oldb'); const t = await import('tk-core');
       console.log(typeof o.createOldbScheme, typeof o.withDeclaration, typeof t.createOldbScheme, typeof t.withDeclaration);`,
    );
    expect(out).toEqual(['undefined undefined function function']);
  });

  it('docs/debugging.md: hold() disposed in try/finally runs on this Node and leaves no leak', () => {
    const code = block('docs/debugging.md', 'hold');
    expect(code).not.toMatch(/\busing\s+\w+\s*=/);
    expect(runAsUser('hold.mjs', code)).toEqual(promised(code));
  });
});
