import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explicitScheme } from '../../src/validators/name-validator.js';

describe('explicitScheme', () => {
  it('agrees with Taurus’s /([^:/?#]+):/ for every string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ':', '/', '?', '#', '.', '\n', 'é', '{') }), (s) => {
        expect(explicitScheme(s)).toBe(/^([^:/?#]+):/.exec(s)?.[1]);
      }),
      { seed: 9, numRuns: 3000 },
    );
  });
});
