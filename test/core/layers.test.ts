// The layer check (`npm run deps`, part of `npm run lint`) refuses an import that runs
// against the layer list in .dependency-cruiser.cjs: run with that file's rules on a
// miniature tree (test/fixtures/layers) holding two upward imports and downward ones.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as { forbidden: { name: string; comment: string }[] };
const fixture = fileURLToPath(new URL('../fixtures/layers', import.meta.url));

describe('layers', () => {
  it('refuses exactly the imports that run upwards', async () => {
    const result = await cruise(
      ['src'],
      {
        baseDir: fixture,
        validate: true,
        ruleSet: { forbidden: config.forbidden } as never,
        tsPreCompilationDeps: true,
      },
      { extensions: ['.ts', '.js'] },
    );
    const output = result.output as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    const found = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    expect(found).toEqual([
      'core-imports-upwards: src/core/upward.ts -> src/manager/manager.ts',
      'models-imports-upwards: src/attribute/attribute.ts -> src/schemes/eval/plugin.ts',
    ]);
  });

  it('names, for every layer, the layers it may import from', () => {
    const core = config.forbidden.find((r) => r.name === 'core-imports-upwards');
    expect(core?.comment).toContain('may import only from: base, names, core');
  });
});
