// Error messages quote input by a short excerpt and its length (issue 10, item 12).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createManager, describeValue, QUOTE_LIMIT, Quantity, quoteInput } from '../../src/index.js';

/** The message of what `fn` throws or rejects with. */
async function messageOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('quoteInput', () => {
  it('quotes short text whole and long text by its start and its length', () => {
    expect(quoteInput('eval:1')).toBe('"eval:1"');
    const long = 'x'.repeat(5000);
    const q = quoteInput(long);
    expect(q.startsWith(`"${'x'.repeat(QUOTE_LIMIT)}"…`)).toBe(true);
    expect(q.endsWith('(5,000 characters)')).toBe(true);
  });

  it('never cuts a surrogate pair in two', () => {
    const s = `${'a'.repeat(QUOTE_LIMIT - 1)}😀${'b'.repeat(100)}`;
    expect(quoteInput(s)).not.toMatch(/\\ud83d/);
  });

  it('is bounded for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (s) => {
        expect(quoteInput(s).length).toBeLessThanOrEqual(6 * QUOTE_LIMIT + 40);
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});

describe('describeValue', () => {
  it('names NaN, Infinity, Quantities and types readably', () => {
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(describeValue(Quantity.of(2, 'cm'))).toBe('"2 cm"');
    expect(describeValue([1, [2, 'a']])).toBe('[1, [2, "a"]]');
    expect(describeValue({ a: 1 })).toBe('{a: 1}');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(() => 1)).toMatch(/function/);
  });

  it('is short for huge, deep and cyclic values, and never throws', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const throwing = {
      get x() {
        throw new Error('boom');
      },
    };
    for (const v of [deep, cyclic, throwing, new Array(1e6).fill(1), 'y'.repeat(1e6)]) {
      expect(describeValue(v).length).toBeLessThan(QUOTE_LIMIT + 60);
    }
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 8, withBigInt: true, withTypedArray: true, withMap: true }),
        (v) => {
          expect(describeValue(v).length).toBeLessThan(QUOTE_LIMIT + 60);
        },
      ),
      { seed: 2, numRuns: 500 },
    );
  });
});

describe('messages that quote input are short', () => {
  const m = createManager({ gcTime: 0 });
  afterAll(() => m.dispose());

  it('a loc init error (200 kB) and a loc write error (100 kB)', async () => {
    const init = await messageOf(() => m.attribute(`loc:/q/a?type=float&init=${'9'.repeat(200_000)}x`));
    expect(init.length).toBeLessThan(600);
    expect(init).toContain('(200,001 characters)');
    const write = await messageOf(() => m.attribute('loc:/q/b?type=float').write('1'.repeat(100_000)));
    expect(write.length).toBeLessThan(600);
    expect(write).toContain('(100,000 characters)');
  });

  it('an invalid name, an unknown scheme, a fragment-less URI', async () => {
    for (const name of [`loc:/a/b c${'x'.repeat(100_000)}`, `nope${'x'.repeat(100_000)}:1`]) {
      expect((await messageOf(() => m.attribute(name))).length).toBeLessThan(800);
    }
    expect((await messageOf(() => m.getFragment(`eval:${'1+'.repeat(50_000)}1`))).length).toBeLessThan(800);
  });
});
