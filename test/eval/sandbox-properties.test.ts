import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { TkError } from '../../src/errors/tk-error.js';
import { createSandbox, createSeededRandom } from '../../src/schemes/eval/sandbox/index.js';
import { Quantity } from '../../src/units/quantity.js';

const sandbox = createSandbox({ random: createSeededRandom(1) });

/** An arithmetic expression with its JavaScript reference value (null when Python would raise). */
interface Arith {
  text: string;
  value: number | null;
}

const arith: fc.Arbitrary<Arith> = fc.letrec<{ e: Arith }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 1000 }).map((n) => ({ text: String(n), value: n })),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, op, b]) => {
      const text = `(${a.text} ${op} ${b.text})`;
      if (a.value === null || b.value === null) return { text, value: null };
      if (op === '/' && b.value === 0) return { text, value: null };
      const v =
        op === '+'
          ? a.value + b.value
          : op === '-'
            ? a.value - b.value
            : op === '*'
              ? a.value * b.value
              : a.value / b.value;
      return { text, value: v };
    }),
    tie('e').map((a) => ({ text: `-${a.text}`, value: a.value === null ? null : -a.value })),
  ),
})).e;

describe('sandbox properties', () => {
  test.prop([arith], { numRuns: 300 })(
    'arithmetic evaluates like JavaScript, division by zero is an error',
    (a) => {
      const c = sandbox.compile(a.text);
      if (a.value === null) {
        expect(() => c.evaluate()).toThrow(/division by zero/);
        return;
      }
      const v = c.evaluate().value as Quantity;
      expect(Quantity.isQuantity(v)).toBe(true);
      expect(Object.is(v.magnitude, a.value) || v.magnitude === a.value).toBe(true);
    },
  );

  const tokens = fc.constantFrom(
    '1',
    '2.5',
    'x',
    'pi',
    'e',
    'True',
    '"s"',
    "'t'",
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    ',',
    ':',
    ';',
    '.',
    '+',
    '-',
    '*',
    '**',
    '/',
    '%',
    '^',
    '=',
    '==',
    '<',
    '>',
    '!',
    '?',
    "'",
    'sin',
    'Q',
    'zeros',
    'constructor',
    '__proto__',
    'import',
    'config',
    'evaluate',
    'a',
    ' ',
    '1e9',
    'rand',
    'arange',
    'end',
    '@',
    '#',
    '\\',
    '$',
    'f(x)=',
  );
  test.prop([fc.array(tokens, { maxLength: 25 }).map((t) => t.join(''))], { numRuns: 1500 })(
    'any text either evaluates to a value or fails with a TkError naming it',
    (text) => {
      try {
        const r = sandbox.compile(text).evaluate();
        expect(r.dataFormat).toMatch(/scalar|spectrum|image/);
      } catch (err) {
        expect(err).toBeInstanceOf(TkError);
        expect(['EXPRESSION', 'LIMIT_EXCEEDED']).toContain((err as TkError).code);
        expect((err as TkError).details.expression).toBeDefined();
      }
    },
  );

  test.prop([fc.string({ maxLength: 60 })], { numRuns: 1000 })(
    'arbitrary strings never throw raw errors',
    (text) => {
      try {
        sandbox.compile(text).evaluate();
      } catch (err) {
        expect(err).toBeInstanceOf(TkError);
      }
    },
  );

  test.prop([
    fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 20 }),
    fc.integer({ min: -25, max: 25 }),
    fc.integer({ min: -25, max: 25 }),
    fc.integer({ min: 1, max: 4 }),
  ])('slices follow Python semantics', (items, start, stop, step) => {
    const v = sandbox.compile(`[${items.join(',')}][${start}:${stop}:${step}]`).evaluate().value;
    const n = items.length;
    const norm = (x: number) => Math.min(Math.max(x < 0 ? x + n : x, 0), n);
    const expected: number[] = [];
    for (let i = norm(start); i < norm(stop); i += step) expected.push(items[i]!);
    if (expected.length === 0) expect(Quantity.isQuantity(v) ? (v as Quantity).magnitude : v).toEqual([]);
    else expect((v as Quantity).magnitude).toEqual(expected);
  });
});
