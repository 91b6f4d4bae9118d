/** The React and Vue examples of docs/ui.md (docs/examples/ui/) type-check against tk-core/ui and build for the browser. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = ['docs/examples/ui/react-label.tsx', 'docs/examples/ui/vue-label.ts'];

describe('front-end examples of docs/ui.md', () => {
  it('are the code docs/ui.md shows', () => {
    const doc = readFileSync(join(root, 'docs/ui.md'), 'utf8');
    for (const file of EXAMPLES) expect(doc).toContain(readFileSync(join(root, file), 'utf8').trim());
  });

  it('type-check with tsc (strict) against tk-core/ui', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-ui-examples-'));
    try {
      const tsconfig = {
        compilerOptions: {
          strict: true,
          noEmit: true,
          jsx: 'react-jsx',
          module: 'esnext',
          moduleResolution: 'bundler',
          target: 'es2022',
          lib: ['es2022', 'dom', 'esnext.disposable'],
          skipLibCheck: true,
          types: [],
          baseUrl: root,
          paths: { 'tk-core': ['src/index.ts'], 'tk-core/ui': ['src/ui/index.ts'] },
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: EXAMPLES.map((f) => join(root, f)),
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      const r = spawnSync(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
        {
          encoding: 'utf8',
        },
      );
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('build for the browser with esbuild', async () => {
    for (const file of EXAMPLES) {
      const result = await build({
        entryPoints: [join(root, file)],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
        jsx: 'automatic',
        alias: { 'tk-core/ui': join(root, 'src/ui/index.ts'), 'tk-core': join(root, 'src/index.ts') },
        absWorkingDir: root,
      });
      expect(result.errors).toEqual([]);
      expect(result.outputFiles[0]!.text).toContain(
        file.includes('react') ? 'useSyncExternalStore' : 'shallowRef',
      );
    }
  }, 120_000);
});
