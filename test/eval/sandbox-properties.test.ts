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

describe('Python spellings: floor division and conditional expressions', () => {
  const num = (expr: string) => (sandbox.compile(expr).evaluate().value as Quantity).magnitude;

  test.prop([fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -50, max: 50 })], {
    numRuns: 300,
    seed: 20261122,
  })('a // b is Python floor division (an error for b = 0)', (a, b) => {
    const expr = `(${a}) // (${b})`;
    if (b === 0) expect(() => sandbox.compile(expr).evaluate()).toThrow(/floor division by zero/);
    else expect(num(expr)).toBe(Math.floor(a / b));
  });

  test.prop(
    [
      fc.integer({ min: -9, max: 9 }),
      fc.integer({ min: -9, max: 9 }),
      fc.integer({ min: -1, max: 1 }),
      fc.boolean(),
    ],
    { numRuns: 300, seed: 20261122 },
  )('x if c else y binds loosest and chains to the right', (x, y, c, nested) => {
    const truthy = c !== 0;
    if (!nested) {
      expect(num(`${x} + 1 if ${c} else ${y} * 2`)).toBe(truthy ? x + 1 : y * 2);
      expect(num(`[${x} if ${c} else ${y}, 7][0]`)).toBe(truthy ? x : y);
    } else {
      expect(num(`${x} if ${c} else ${y} if ${c} == 0 else 5`)).toBe(truthy ? x : y);
      expect(num(`max(${x} if ${c} else ${y}, 0)`)).toBe(Math.max(truthy ? x : y, 0));
    }
  });

  test.prop([fc.constantFrom('if', 'else', '//', './', 'a if b else c')], { numRuns: 10, seed: 1 })(
    'inside quotes they are text',
    (text) => {
      expect(sandbox.compile(`"${text}" + '${text}'`).evaluate().value).toBe(`${text}${text}`);
    },
  );

  test('errors name what is wrong', () => {
    expect(() => sandbox.compile('1 if True')).toThrow(/"if" without "else"/);
    expect(() => sandbox.compile('True ? 1 : 2')).toThrow(/"\?" is not allowed: write a if condition else b/);
    expect(() => sandbox.compile('1 if 2 if 3 else 4 else 5')).toThrow(/"if" inside a condition/);
    expect(() => sandbox.compile('1 if [1, 2] else 3').evaluate()).toThrow(
      /a condition must be a single value/,
    );
    expect(() => sandbox.compile(' if True else 2')).toThrow(/needs a value before it/);
    expect(() => sandbox.compile('1 ./ 2')).toThrow(
      /"\.\/" is not allowed: write \/ for division or \/\/ for floor division/,
    );
    expect(() => sandbox.compile('Q("7m") // Q("2s")').evaluate()).toThrow(
      /floor division of incompatible quantities/,
    );
    expect(num('1./2')).toBe(0.5);
    expect(num('Q("7m") // Q("2mm")')).toBe(3500);
    expect(num('[7, -7] // 2')).toEqual([3, -4]);
    expect(() => sandbox.compile('[1, 2] // [1, 0]').evaluate()).toThrow(/floor division by zero/);
  });
});
