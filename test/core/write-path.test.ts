// One write path for every scheme (issue 11, item 4): numbers, strings with or without units and
// Quantities are converted to the point's units, type and range are checked before anything is
// sent, and every refused write is a WriteError with a code.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AttributeModel,
  coerceWriteValue,
  createEvalScheme,
  createManager,
  DataFormat,
  DataType,
  Quantity,
  WriteError,
  withDeclaration,
} from '../../src/index.js';

/** The Motor evaluator exactly as docs/eval.md shows it, with the scheme it builds. */
function motorFromDocs(): { scheme: ReturnType<typeof createEvalScheme> } {
  const doc = readFileSync(new URL('../../docs/eval.md', import.meta.url), 'utf8');
  const block = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('class Motor'));
  expect(block).toBeDefined();
  const run = new Function('createEvalScheme', 'Quantity', `${block}\nreturn { scheme };`);
  return run(createEvalScheme, Quantity) as { scheme: ReturnType<typeof createEvalScheme> };
}

const m = createManager({
  gcTime: 0,
  schemes: [motorFromDocs().scheme],
  schemeOptions: { 'cii.oldb': { store: 'embedded' } },
});
afterAll(() => m.dispose());
const unique = () => Math.random().toString(36).slice(2);

/** A float attribute in mm with the range [0, 10], in each writable scheme. */
async function floatsInMm(): Promise<[string, AttributeModel][]> {
  const path = `/root/core-write/${unique()}`;
  const oldb = m.attribute(`cii.oldb:${path}`);
  await oldb.write(
    withDeclaration(Quantity.of(1.5, 'mm'), { type: 'double', metadata: { units: 'mm', range: [0, 10] } }),
  );
  return [
    ['loc', m.attribute(`loc:/w/${unique()}?type=float&units=mm&min=0&max=10&init=1.5`)],
    ['cii.oldb', oldb],
    ['eval (the Motor of docs/eval.md)', m.attribute('eval:@motor/position')],
  ];
}

/** The outcome of a write: the value read back, or the refusal's class and code. */
async function outcome(a: AttributeModel, v: unknown): Promise<string> {
  try {
    await a.write(v);
    return String((await a.read()).rvalue);
  } catch (err) {
    return `${(err as Error).constructor.name} ${(err as WriteError).code}`;
  }
}

describe('one write path for every scheme', () => {
  it.each([
    [5, '5 mm'],
    ['7', '7 mm'],
    ['0.5 cm', '5 mm'],
    [' 2.5mm ', '2.5 mm'],
    [Quantity.of(3, 'mm'), '3 mm'],
    [Quantity.of(0.004, 'm'), '4 mm'],
    ['2 cm', 'WriteError OUT_OF_RANGE'],
    [-1, 'WriteError OUT_OF_RANGE'],
    ['3 s', 'WriteError UNIT_MISMATCH'],
    [Quantity.of(3), 'WriteError UNIT_MISMATCH'],
    [Number.NaN, 'WriteError TYPE_MISMATCH'],
    [Number.POSITIVE_INFINITY, 'WriteError TYPE_MISMATCH'],
    ['abc', 'WriteError TYPE_MISMATCH'],
    [true, 'WriteError TYPE_MISMATCH'],
    [[1, 2], 'WriteError TYPE_MISMATCH'],
    [null, 'WriteError TYPE_MISMATCH'],
  ])('write(%j) gives %s in loc, cii.oldb and eval alike', async (input, expected) => {
    for (const [scheme, a] of await floatsInMm()) {
      await a.write(1);
      const got = await outcome(a, input);
      expect({ scheme, got }).toEqual({ scheme, got: expected });
      // a refused write leaves the value as it was
      if (got.startsWith('WriteError')) expect(String((await a.read({ cache: false })).rvalue)).toBe('1 mm');
    }
  });

  it('names NaN and Infinity, and the attribute, in the message', async () => {
    for (const [, a] of await floatsInMm()) {
      await expect(a.write(Number.NaN)).rejects.toThrow(/Cannot write NaN to .*: NaN is not a finite number/);
      await expect(a.write(Number.NEGATIVE_INFINITY)).rejects.toThrow(/-Infinity is not a finite number/);
      await expect(a.write('2 cm')).rejects.toThrow(
        /20 mm is outside the range \[0, 10\]; nothing was written/,
      );
    }
  });

  it('the Motor evaluator of docs/eval.md takes write("2 cm") as a range error, and 0.5 cm as 5 mm', async () => {
    const pos = m.attribute('eval:@motor/position');
    const err = await pos.write('2 cm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).code).toBe('OUT_OF_RANGE');
    await pos.write('0.5 cm');
    expect(String((await pos.read()).rvalue)).toBe('5 mm');
  });

  it('an eval attribute whose value is whole still takes a fraction (its type follows its value)', async () => {
    const pos = m.attribute('eval:@motor/position');
    await pos.write('4 mm');
    expect(pos.type).toBe(DataType.Integer);
    await pos.write(2.5);
    expect(String((await pos.read()).rvalue)).toBe('2.5 mm');
  });

  it('a cii.oldb attribute takes write("2 cm") and write("2") (it refused both as TYPE_MISMATCH)', async () => {
    const a = m.attribute(`cii.oldb:/root/core-write/${unique()}`);
    await a.write(withDeclaration(Quantity.of(1, 'mm')));
    await a.write('2 cm');
    expect(String((await a.read()).rvalue)).toBe('20 mm');
    await a.write('2');
    expect(String((await a.read()).rvalue)).toBe('2 mm');
  });

  it('a read-only point refuses with a WriteError NOT_WRITABLE (it threw a plain TkError)', async () => {
    const a = m.attribute(`loc:/w/${unique()}?writable=false&init=2`);
    const err = await a.write(3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).code).toBe('NOT_WRITABLE');
    const polled = await m
      .attribute('eval:1+1')
      .write(3)
      .catch((e: unknown) => e);
    expect(polled).toBeInstanceOf(WriteError);
  });

  it('integers: whole values, conversions that land on one, never a silent rounding', async () => {
    const loc = m.attribute(`loc:/w/${unique()}?type=int&units=mm`);
    await loc.write('1.1 cm');
    expect(String((await loc.read()).rvalue)).toBe('11 mm');
    await expect(loc.write(2.5)).rejects.toMatchObject({ code: 'TYPE_MISMATCH' });
    await expect(loc.write(5e-324)).rejects.toMatchObject({ code: 'TYPE_MISMATCH' });
  });

  it('arrays: element by element, in loc and cii.oldb alike', async () => {
    const loc = m.attribute(`loc:/w/${unique()}?type=float[]&units=mm&max=100`);
    const oldb = m.attribute(`cii.oldb:/root/core-write/${unique()}`);
    await oldb.write(
      withDeclaration(Quantity.of([0], 'mm'), {
        type: 'double[]',
        metadata: { units: 'mm', range: [null, 100] },
      }),
    );
    for (const a of [loc, oldb]) {
      await a.write([1, '2 cm', Quantity.of(3, 'mm')]);
      expect(String((await a.read()).rvalue)).toBe('[1, 20, 3] mm');
      await a.write('[4, 5]');
      expect(String((await a.read()).rvalue)).toBe('[4, 5] mm');
      await a.write(Quantity.of([0.1, 0.2], 'cm'));
      expect(String((await a.read()).rvalue)).toBe('[1, 2] mm');
      const bad = await a.write([1, '1 m']).catch((e: unknown) => e as WriteError);
      expect(bad).toMatchObject({ code: 'OUT_OF_RANGE' });
      expect(String((bad as Error).message)).toMatch(/\(element 1\): 1000 mm is outside the range/);
      await expect(a.write(5)).rejects.toMatchObject({ code: 'TYPE_MISMATCH' });
    }
  });

  it('booleans and texts', async () => {
    const flag = m.attribute(`loc:/w/${unique()}?type=bool`);
    for (const [v, r] of [
      ['true', true],
      [0, false],
      [' TRUE ', true],
    ] as const) {
      await flag.write(v);
      expect((await flag.read()).rvalue).toBe(r);
    }
    await expect(flag.write('yes')).rejects.toMatchObject({ code: 'TYPE_MISMATCH' });
    const text = m.attribute(`loc:/w/${unique()}?type=string`);
    await text.write('2 cm');
    expect((await text.read()).rvalue).toBe('2 cm');
    await expect(text.write(2)).rejects.toMatchObject({ code: 'TYPE_MISMATCH' });
  });

  it('a long text is refused without being parsed, with a short message', async () => {
    const a = m.attribute(`loc:/w/${unique()}?type=float`);
    const err = (await a.write(`1 ${'a'.repeat(60_000)}b`).catch((e: unknown) => e)) as WriteError;
    expect(err.code).toBe('TYPE_MISMATCH');
    expect(err.message.length).toBeLessThan(400);
  });

  it('the same input gives the same outcome in loc and cii.oldb (fast-check)', async () => {
    const input = fc.oneof(
      fc.double({ noDefaultInfinity: false }),
      fc.integer({ min: -20, max: 20 }),
      fc.constantFrom('1', '2 cm', '0.1 m', '3 s', 'x', '', '1e2 mm', '-0', '5 km', '1.5'),
      fc
        .tuple(fc.double({ min: -20, max: 20, noNaN: true }), fc.constantFrom('mm', 'cm', 'm', '', 'V'))
        .map(([v, u]) => Quantity.of(v, u)),
      fc.boolean(),
    );
    const schemes = await floatsInMm();
    const loc = schemes[0]![1];
    const oldb = schemes[1]![1];
    await fc.assert(
      fc.asyncProperty(input, async (v) => {
        await loc.write(1);
        await oldb.write(1);
        expect(await outcome(oldb, v)).toBe(await outcome(loc, v));
      }),
      { seed: 4, numRuns: 150 },
    );
  });
});

describe('coerceWriteValue', () => {
  const target = {
    name: 'x',
    type: DataType.Float,
    dataFormat: DataFormat.Scalar,
    units: 'mm',
    range: [0, 100] as const,
  };

  it('is what every scheme runs: a Quantity in the target units, or a WriteError with a code', () => {
    expect(String(coerceWriteValue('1.5 cm', target))).toBe('15 mm');
    expect(() => coerceWriteValue(Number.NaN, target)).toThrow(WriteError);
    // a scheme's own write request passes unchanged
    const req = withDeclaration(1);
    expect(coerceWriteValue(req, target)).toBe(req);
    // unknown types pass any value but undefined, null, NaN and infinities
    const any = { ...target, type: undefined, dataFormat: undefined };
    expect(coerceWriteValue({ a: 1 }, any)).toEqual({ a: 1 });
    expect(() => coerceWriteValue([1, [Number.NaN]], any)).toThrow(/NaN is not a finite number/);
  });
});
