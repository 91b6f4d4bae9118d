import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function bundle(entry: string) {
  return build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
}

describe('the tk-core/ui entry in a browser bundle', () => {
  it('bundles from source for the browser platform with no Node built-ins and no Redis client reachable', async () => {
    const result = await bundle('src/ui/index.ts');
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:') || /(^|\/)node_modules\/ioredis\//.test(i))).toEqual(
      [],
    );
    expect(inputs.some((i) => i.startsWith('src/ui/'))).toBe(true);
  });
});
