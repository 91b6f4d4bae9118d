// The sandbox combines arrays in its own counted loops (issue 10 item 5: an
// evaluation can be stopped between rows); on two numbers each operator
// computes what mathjs's `number, number` signature computes. Checked here
// against mathjs itself, on arrays and on pairs of numbers chosen to sit at
// the edges (nearly equal values, NaN, infinities, zeros).
import { fc, test } from '@fast-check/vitest';
import { all, create, type MathJsInstance } from 'mathjs';
import { describe, expect } from 'vitest';
import { numberOps } from '../../src/schemes/eval/sandbox/elementwise.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';

const math = create(all!, { matrix: 'Array', predictable: true, number: 'number' }) as MathJsInstance;
const ops = numberOps(math);
const call = (name: string, x: number, y: number) =>
  (math as unknown as Record<string, (a: number, b: number) => unknown>)[name]!(x, y);

const edgy = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    0.1 + 0.2,
    0.3,
    1e-16,
    1 + 1e-13,
  ),
);

describe('number paths of the element-wise operators are mathjs', () => {
  test.prop([fc.constantFrom(...Object.keys(ops)), edgy, edgy], { numRuns: 3000, seed: 20261207 })(
    '%s',
    (name, x, y) => {
      expect(ops[name]!(x, y)).toStrictEqual(call(name, x, y));
    },
  );
  // nearly equal: mathjs compares with tolerances, so 0.1 + 0.2 == 0.3 holds in arrays too
  test.prop([fc.double({ min: -1e6, max: 1e6, noNaN: true })], { numRuns: 500, seed: 7 })(
    'nearly equal neighbours',
    (x) => {
      const y = x * (1 + 1e-14);
      for (const name of ['equal', 'unequal', 'smaller', 'larger', 'smallerEq', 'largerEq']) {
        expect(ops[name]!(x, y)).toStrictEqual(call(name, x, y));
      }
    },
  );
});

describe('array operators give what mathjs gives on the same arrays', () => {
  const sandbox = createSandbox();
  const cases: [string, string, (a: never, b: never) => unknown][] = [
    ['+', 'add', math.add],
    ['-', 'subtract', math.subtract],
    ['*', 'dotMultiply', math.dotMultiply],
    ['/', 'dotDivide', math.dotDivide],
    ['%', 'mod', math.mod],
    ['**', 'dotPow', math.dotPow],
    ['==', 'equal', math.equal],
    ['!=', 'unequal', math.unequal],
    ['<', 'smaller', math.smaller],
    ['>=', 'largerEq', math.largerEq],
  ];
  const nonzero = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.double({ min: 0.5, max: 100, noNaN: true }));
  test.prop(
    [
      fc.constantFrom(...cases),
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }),
      nonzero,
    ],
    { numRuns: 300, seed: 11 },
  )('a OP [b...] and [a...] OP b', ([op, , f], xs, y) => {
    const text = `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
    const magnitude = (expr: string) => {
      const v = sandbox.compile(expr).evaluate().value as { magnitude?: unknown } | unknown[];
      return Array.isArray(v) ? v : (v as { magnitude: unknown }).magnitude;
    };
    expect(magnitude(`${text} ${op} ${y}`)).toStrictEqual(f(xs as never, y as never));
    expect(magnitude(`${y} ${op} ${text}`)).toStrictEqual(f(y as never, xs as never));
  });
});
