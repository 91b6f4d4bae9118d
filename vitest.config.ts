import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^tk-core$/,
        replacement: fileURLToPath(new URL('./test/support/tk-core-entry.ts', import.meta.url)),
      },
      { find: /^tk-core\/testing$/, replacement: src('testing/index.ts') },
      { find: /^tk-core\/testing\/arbitraries$/, replacement: src('testing/arbitraries.ts') },
      { find: /^tk-core\/oldb$/, replacement: src('oldb-store/index.ts') },
      { find: /^tk-core\/node$/, replacement: src('node/index.ts') },
      { find: /^tk-core\/ui$/, replacement: src('ui/with-defaults.ts') },
      { find: /^tk-core\/gateway$/, replacement: src('gateway/index.ts') },
      { find: /^tk-core\/remote$/, replacement: src('remote/index.ts') },
      { find: /^tk-core\/eval$/, replacement: src('eval/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // one fixed seed for every property test (FC_SEED=<n> for another): runs are repeatable
    setupFiles: ['test/support/fast-check-seed.ts'],
    // type tests (*.test-d.ts, expectTypeOf) run with every `vitest run`: tsc checks them, a wrong
    // expectation fails the run like a failing test
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // lets leak tests force a garbage collection before measuring the heap
    execArgv: ['--expose-gc'],
  },
});
