import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'testing/arbitraries': 'src/testing/arbitraries.ts',
      'oldb/index': 'src/oldb-store/index.ts',
      'node/index': 'src/node/index.ts',
      // Node and the default conditions: with the default manager; browser bundles: without (package.json)
      'ui/index': 'src/ui/with-defaults.ts',
      'ui/browser': 'src/ui/index.ts',
      'gateway/index': 'src/gateway/index.ts',
      'remote/index': 'src/remote/index.ts',
      'eval/index': 'src/eval/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: true,
    outDir: 'dist',
    external: ['vitest'],
  },
  {
    entry: { 'cli/tk': 'src/cli/tk.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    outDir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
