// Issue 10 item 12: messages of the loc scheme quote a long name or value as
// a short excerpt with its length, never whole.
import { describe, expect, it } from 'vitest';
import { createManager } from '../../src/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';

const LONG = 'a'.repeat(100_000);
const make = () => createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 });

/** The message is bounded and states the length of what it cut. */
function expectExcerpt(message: string | undefined): void {
  expect(message).toBeDefined();
  expect(message!.length).toBeLessThan(800);
  expect(message).toMatch(/… \(100,0\d\d characters\)/);
}

describe('loc messages quote an excerpt of a 100 kB name', () => {
  it('a declaration that does not fit the value written before', async () => {
    const m = make();
    await m.attribute(`loc:/f/${LONG}`).write(50);
    const r = await m.attribute(`loc:/f/${LONG}?max=10`).read();
    expect(r.error?.message).toContain('is 50, outside the range');
    expectExcerpt(r.error?.message);
    await m.dispose();
  });

  it('a declaration that does not fit the type declared before', async () => {
    const m = make();
    await m.attribute(`loc:/g/${LONG}?type=string`).read();
    const r = await m.attribute(`loc:/g/${LONG}?units=m`).read();
    expect(r.error?.message).toContain('applies to numeric points only');
    expectExcerpt(r.error?.message);
    // each name is quoted at most once, cut
    expect(r.error!.message.split('aaaaaaaaaa').length).toBeLessThan(60);
    await m.dispose();
  });
});

describe('a refused write quotes an excerpt of a 100 kB name', () => {
  it('a value out of range', async () => {
    const m = make();
    const a = m.attribute(`loc:/w/${LONG}?type=float&max=10`);
    const error = await a.write(50).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain('Cannot write 50 to');
    expectExcerpt(error?.message);
    await m.dispose();
  });
});
