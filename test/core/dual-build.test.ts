import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(`${root}dist/index.js`) && existsSync(`${root}dist/index.cjs`);

describe.runIf(built)('the ESM and CJS builds in one process', () => {
  it('share one default manager, one logging state and recognise each other’s quantities', async () => {
    const esm = await import(`${root}dist/index.js`);
    const cjs = createRequire(import.meta.url)(`${root}dist/index.cjs`);
    expect(esm.getDefaultManager()).toBe(cjs.getDefaultManager());
    expect(esm.Attribute('loc:/dual/x')).toBe(cjs.Attribute('loc:/dual/x'));
    expect(cjs.Quantity.isQuantity(esm.Quantity.of(1, 'm'))).toBe(true);
    expect(esm.getLogger('factory')).toBe(cjs.getLogger('factory'));
  });
});
