import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function bundleForBrowser(entry: string) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return result;
}

describe('the tk-core entry in a browser bundle', () => {
  it('bundles from source for the browser platform with no Node built-ins reachable', async () => {
    const result = await bundleForBrowser('src/index.ts');
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /(^|\/)node_modules\/ioredis\//.test(i))).toEqual(
      [],
    );
    expect(result.outputFiles[0]!.text.length).toBeGreaterThan(1000);
  });

  it.runIf(existsSync(`${root}dist/index.js`))('bundles the built package entry too', async () => {
    const result = await bundleForBrowser('dist/index.js');
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /(^|\/)node_modules\/ioredis\//.test(i))).toEqual(
      [],
    );
  });
});
