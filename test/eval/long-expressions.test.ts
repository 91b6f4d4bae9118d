/**
 * Nesting counts what is really nested (brackets, calls, unary operators,
 * conditionals), not the links of a chain written without brackets: a flat
 * sum or product of 1,000 terms, or of 1,000 references, evaluates, at any
 * stack depth; chained comparisons evaluate each operand once and stop at
 * the first false one, as Python does.
 */
import { describe, expect, it } from 'vitest';
import { createManager, Quality, type Quantity } from '../../src/index.js';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import { createSandbox, type ExternalSymbol } from '../../src/schemes/eval/sandbox/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';

const sandbox = createSandbox();
const value = (expr: string, inputs: string[] = [], values: unknown[] = []) =>
  (sandbox.compile(expr, { inputs }).evaluateValues(values).value as Quantity).magnitude;

/** Runs `f` below `frames` frames of recursion (an evaluation called from deep in an application). */
function below<T>(frames: number, f: () => T): T {
  return frames === 0 ? f() : below(frames - 1, f);
}

describe('flat chains are one level of nesting', () => {
  const terms = (n: number, op: string, term = (i: number) => String(i % 7)) =>
    Array.from({ length: n }, (_, i) => term(i)).join(op);

  it.each([
    [
      'a sum of 1,000 terms',
      terms(1000, '+'),
      Array.from({ length: 1000 }, (_, i) => i % 7).reduce((a, b) => a + b),
    ],
    [
      'a difference chain',
      terms(1000, '-'),
      Array.from({ length: 1000 }, (_, i) => i % 7).reduce((a, b) => a - b),
    ],
    ['a product of 1,000 terms', terms(1000, '*', () => '1'), 1],
    [
      'a mixed chain of sums and products',
      terms(700, '+', (i) => `${i % 5}*2`),
      2 * Array.from({ length: 700 }, (_, i) => i % 5).reduce((a, b) => a + b),
    ],
    ['a power chain (right-associative)', terms(60, '**', () => '1') + '**2', 1],
    ['an and chain', terms(1000, ' and ', () => 'True'), true],
  ])('%s evaluates', (_what, expr, expected) => {
    const r = sandbox.compile(expr).evaluate();
    const v = typeof expected === 'boolean' ? r.value : (r.value as Quantity).magnitude;
    expect(v).toBe(expected);
  });

  it('a sum of 1,000 inputs evaluates, in the order the nested operators run', () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => `_x${i}_`);
    const values = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0.1 : 0.2));
    let expected = values[0]!;
    for (let i = 1; i < values.length; i++) expected += values[i]!;
    expect(value(inputs.join(' + '), inputs, values)).toBe(expected);
  });

  it('a long chain evaluates from deep in the stack of an application', () => {
    const expr = terms(2000, '+', () => '1');
    const compiled = below(5000, () => sandbox.compile(expr));
    expect(below(8000, () => (compiled.evaluate().value as Quantity).magnitude)).toBe(2000);
  });

  it.each([
    ['brackets', `${'('.repeat(49)}1${')'.repeat(49)}`],
    ['calls', `${'abs('.repeat(49)}1${')'.repeat(49)}`],
    ['bracketed sums', `${'(1+'.repeat(49)}1${')'.repeat(49)}`],
    ['unary minus', `${'-'.repeat(49)}1`],
    ['conditionals', `${'(1 if True else '.repeat(49)}1${')'.repeat(49)}`],
  ])('real nesting is still counted: 49 levels of %s are refused', (_what, expr) => {
    expect(() => sandbox.compile(expr)).toThrow(/nested more than 48 deep/);
  });

  it('48 levels of brackets around a long chain are accepted', () => {
    const expr = `${'('.repeat(47)}${terms(500, '+', () => '1')}${')'.repeat(47)}`;
    expect((sandbox.compile(expr).evaluate().value as Quantity).magnitude).toBe(500);
  });
});

describe('chained comparisons', () => {
  it('evaluate each operand once and stop at the first false comparison', () => {
    const calls: number[] = [];
    const external = new Map<string, ExternalSymbol>([
      [
        'f',
        {
          kind: 'function',
          call: (x: unknown) => {
            calls.push((x as Quantity).magnitude as number);
            return x;
          },
        },
      ],
    ]);
    const run = (expr: string) => sandbox.compile(expr, { external }).evaluate().value;
    expect(run('1 < f(2) < 3')).toBe(true);
    expect(calls).toEqual([2]);
    expect(run('1 > f(2) > f(3)')).toBe(false);
    expect(calls).toEqual([2, 2]);
    expect(run('0 < 1 < 2 < 3 < 4 <= 4 != 5')).toBe(true);
    expect(run('0 < 1 < 2 < 2 < 4')).toBe(false);
  });
});

describe('through a manager', () => {
  it('an attribute summing 1,000 references evaluates and follows its inputs', async () => {
    const m = createManager({ builtins: false, schemes: [createLocScheme(), createEvalScheme()], gcTime: 0 });
    const refs = Array.from({ length: 1000 }, (_, i) => `{loc:/flat/x${i}?init=1}`);
    const sum = m.attribute(`eval:${refs.join('+')}`);
    const r = await sum.read();
    expect(r.error).toBeUndefined();
    expect(r.quality).toBe(Quality.VALID);
    expect((r.rvalue as Quantity).magnitude).toBe(1000);
    await m.attribute('loc:/flat/x500?init=1').write(3);
    expect(((await sum.read()).rvalue as Quantity).magnitude).toBe(1002);
    await m.dispose();
  });

  it('a product of 1,000 terms and of the same reference 1,000 times evaluates', async () => {
    const m = createManager({ builtins: false, schemes: [createEvalScheme()], gcTime: 0 });
    const product = await m.attribute(`eval:${Array.from({ length: 1000 }, () => '1.001').join('*')}`).read();
    expect((product.rvalue as Quantity).magnitude).toBeCloseTo(1.001 ** 1000, 9);
    const same = await m.attribute(`eval:${Array.from({ length: 1000 }, () => '{eval:2}').join('+')}`).read();
    expect(same.error).toBeUndefined();
    expect((same.rvalue as Quantity).magnitude).toBe(2000);
    await m.dispose();
  });
});
