/**
 * The library's browser-safe entry never reaches the CLI, the Node-only
 * helpers or the terminal libraries: walk the static import graph of
 * src/index.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT = /^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm;

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      if (/^\s*import\s+type\s/.test(m[0]) || /^\s*export\s+type\s/.test(m[0])) continue;
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('browser-safe entry', () => {
  const { files, packages } = graph(join(SRC, 'index.ts'));

  it('reaches the diagnostics but neither src/cli nor src/node', () => {
    const rel = [...files].map((f) => relative(SRC, f));
    expect(rel).toContain('diagnostics/index.ts');
    expect(
      rel.filter((f) => f.startsWith('cli/') || f.startsWith('node/') || f.startsWith('testing/')),
    ).toEqual([]);
  });

  it('imports no Node built-in and no terminal library', () => {
    const bad = [...packages].filter(
      (p) => p.startsWith('node:') || ['commander', 'picocolors', 'fs', 'readline', 'process'].includes(p),
    );
    expect(bad).toEqual([]);
  });
});

describe('the import walker', () => {
  it("sees the CLI's terminal libraries from src/cli/tk.ts (so the checks above can fail)", () => {
    const { files, packages } = graph(join(SRC, 'cli/tk.ts'));
    expect([...packages]).toEqual(expect.arrayContaining(['commander', 'picocolors', 'node:process']));
    expect([...files].some((f) => f.endsWith('cli/commands/watch.ts'))).toBe(true);
  });
});
