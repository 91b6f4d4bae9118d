import { describe, expect, it } from 'vitest';
import { TkError } from '../../src/errors/tk-error.js';
import { createSandbox, createSeededRandom } from '../../src/schemes/eval/sandbox/index.js';
import { Quantity } from '../../src/units/quantity.js';

const sandbox = createSandbox({ random: createSeededRandom(42) });
const run = (expr: string) => sandbox.compile(expr).evaluate();

/**
 * A sandbox whose time budget never runs out (its clock stands still): what
 * it refuses, it refuses by a count (elements, depth, length) or a check,
 * not after running until a time limit. A resource bomb that it did not stop
 * before doing the work would run on until the test's own timeout.
 */
const refusing = createSandbox({ random: createSeededRandom(42), clock: () => 0 });

function rejects(expr: string): TkError {
  let caught: unknown;
  try {
    refusing.compile(expr).evaluate();
  } catch (err) {
    caught = err;
  }
  expect(caught, `${expr} should be rejected`).toBeInstanceOf(TkError);
  const err = caught as TkError;
  expect(['EXPRESSION', 'LIMIT_EXCEEDED']).toContain(err.code);
  expect(err.message).toContain(JSON.stringify(expr.length > 200 ? expr.slice(0, 200) : expr).slice(1, 40));
  expect(err.message).not.toMatch(/time budget/);
  return err;
}

describe('sandbox values', () => {
  it.each([
    ['1+2', 3, 'Integer', 'scalar'],
    ['4/2', 2, 'Float', 'scalar'],
    ['2**3', 8, 'Integer', 'scalar'],
    ['2.0*3', 6, 'Float', 'scalar'],
    ['sin(pi/2)', 1, 'Float', 'scalar'],
    ['abs(-2)', 2, 'Integer', 'scalar'],
    ['sum([1,2,3])', 6, 'Integer', 'scalar'],
    ['linspace(0,1,5)', [0, 0.25, 0.5, 0.75, 1], 'Float', 'spectrum'],
    ['arange(5)', [0, 1, 2, 3, 4], 'Integer', 'spectrum'],
    ['arange(5)[1:3]', [1, 2], 'Integer', 'spectrum'],
    ['arange(5)[::-2]', [4, 2, 0], 'Integer', 'spectrum'],
    ['arange(5)[-1]', 4, 'Integer', 'scalar'],
    ['zeros(3)', [0, 0, 0], 'Float', 'spectrum'],
    [
      'ones(2,3)',
      [
        [1, 1, 1],
        [1, 1, 1],
      ],
      'Float',
      'image',
    ],
    ['[[1,2,3]]', [[1, 2, 3]], 'Integer', 'image'],
    ['[1,2]*[3,4]', [3, 8], 'Integer', 'spectrum'],
    ['[[1,2],[3,4]][:,1]', [2, 4], 'Integer', 'spectrum'],
  ])('%s', (expr, magnitude, type, format) => {
    const r = run(expr);
    expect(Quantity.isQuantity(r.value)).toBe(true);
    expect((r.value as Quantity).magnitude).toEqual(magnitude);
    expect((r.value as Quantity).units).toBe('');
    expect(r.type).toBe(type);
    expect(r.dataFormat).toBe(format);
  });

  it.each([
    ['True', true, 'Boolean'],
    ['False or True', true, 'Boolean'],
    ['1 < 2 < 3', true, 'Boolean'],
    ['"abc"', 'abc', 'String'],
    ["'a' + 'b'", 'ab', 'String'],
    ['[True, False]', [true, false], 'Boolean'],
    ['["a", "b"]', ['a', 'b'], 'String'],
  ])('%s', (expr, value, type) => {
    const r = run(expr);
    expect(r.value).toEqual(value);
    expect(r.type).toBe(type);
  });

  it.each([
    ['Q("12.5m")', 12.5, 'm'],
    ['Quantity("12.5 mm")', 12.5, 'mm'],
    ['Q(2, "mm")', 2, 'mm'],
    ['Q("1m")+Q("20cm")', 1.2, 'm'],
    ['Q("1 m/s")*Q("2s")', 2, 'm'],
    ['Q("1 km").to("m")', 1000, 'm'],
    ['Q("3 counts")*2', 6, 'counts'],
    ['sqrt(Q("4 m**2"))', 2, 'm'],
  ])('%s has units', (expr, magnitude, units) => {
    const v = run(expr).value as Quantity;
    expect(Quantity.isQuantity(v)).toBe(true);
    expect(v.magnitude).toBeCloseTo(magnitude, 12);
    expect(v.units).toBe(units);
  });

  it('dimensionless quotient of quantities has no units', () => {
    expect((run('Q("4m")/Q("2m")').value as Quantity).units).toBe('');
  });

  it('takes inputs per evaluation and keeps no state between evaluations', () => {
    const c = sandbox.compile('x * 2 + y', { inputs: ['x', 'y'] });
    expect(
      (
        c.evaluate(
          new Map<string, unknown>([
            ['x', Quantity.of(3)],
            ['y', Quantity.of(1)],
          ]),
        ).value as Quantity
      ).magnitude,
    ).toBe(7);
    expect(
      (
        c.evaluate(
          new Map<string, unknown>([
            ['x', Quantity.of(3, 'm')],
            ['y', Quantity.of(1, 'cm')],
          ]),
        ).value as Quantity
      ).toString(),
    ).toBe('6.01 m');
    expect(() => c.evaluate(new Map([['x', Quantity.of(3)]]))).toThrow(/input y has no value/);
  });

  it('seeded random is reproducible and in range', () => {
    const a = createSandbox({ random: createSeededRandom(7) })
      .compile('rand(4)')
      .evaluate().value as Quantity;
    const b = createSandbox({ random: createSeededRandom(7) })
      .compile('rand(4)')
      .evaluate().value as Quantity;
    expect(a.magnitude).toEqual(b.magnitude);
    for (const x of a.magnitude as number[]) expect(x >= 0 && x < 1).toBe(true);
    const img = run('rand(256,128)').value as Quantity<number[][]>;
    expect(img.magnitude.length).toBe(256);
    expect(img.magnitude[0]!.length).toBe(128);
    const ints = run('randint(3, 6, 50)').value as Quantity<number[]>;
    for (const x of ints.magnitude) expect([3, 4, 5]).toContain(x);
    expect((run('randn(3)').value as Quantity<number[]>).magnitude).toHaveLength(3);
  });
});

describe('max and min', () => {
  it.each([
    ['max(arange(100000))', 99999],
    ['min(arange(1, 100001))', 1],
    ['arange(60000).max()', 59999],
    ['(-arange(60000)).min()', -59999],
    ['max(ones(500, 200))', 1],
    ['max(3, [1, 7], 2)', 7],
    ['min([[4, 2], [3, 5]])', 2],
    ['max([1, NaN, 3])', Number.NaN],
  ])('%s is %d, whatever the size of the array', (expr, expected) => {
    expect((run(expr).value as Quantity).magnitude).toBe(expected);
  });

  it('compares quantities through their units and refuses what cannot be compared', () => {
    expect(String(run('max(Q(1, "m"), Q(20, "cm"))').value)).toBe('1 m');
    expect(String(run('min(Q([300, 1], "cm"))').value)).toBe('1 cm');
    expect(rejects('max([])').message).toMatch(/max\(\) of an empty array/);
    expect(rejects('max(Q(1, "m"), 2)').message).toMatch(/max\(\) cannot compare quantity with number/);
    expect(rejects('min("a", "b")').message).toMatch(/min\(\) expects numbers or quantities/);
  });
});

describe("Python's text repetition", () => {
  it.each([
    ['"m"*3', 'mmm'],
    ['3*"m"', 'mmm'],
    ['"ab"*2+"c"', 'ababc'],
    ['2*"ab"*2', 'abababab'],
    ['"m"*0', ''],
    ['"m"*-2', ''],
    ['"m"*True', 'm'],
  ])('%s is %j', (expr, expected) => {
    const r = run(expr);
    expect(r.value).toBe(expected);
    expect(r.type).toBe('String');
  });

  it.each(['"m"*2.5', '"m"*2.0', '"m"*[1, 2]', '[1, 2]*"m"', '"m"*"m"', '"m"*Q(2, "m")'])(
    '%s is refused: only a whole number of times',
    (expr) => {
      expect(rejects(expr).message).toMatch(/a text can only be repeated a whole number of times/);
    },
  );

  it('the length is counted against the element limit before the text is built', () => {
    const err = rejects('"ab"*100000000');
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/200000000 characters \(the limit is 1000000\)/);
  });
});

describe('sandbox errors name the expression and the cause', () => {
  it.each([
    ['1/0', /division by zero/],
    ['5 % 0', /modulo by zero/],
    ['[1,2]/[1,0]', /division by zero/],
    ['Q("1m")+Q("1s")', /incompatible units/],
    ['foo', /unknown symbol "foo"/],
    ['bar(1)', /unknown function "bar"/],
    ['3^2', /\*\* for power/],
    ['sin', /must be called/],
    ['1 +', /syntax error/],
    ['[1,2] + [1,2,3]', /cannot be broadcast|Dimension mismatch/],
    ['int("x")', /cannot read/],
    ['arange(5)[7]', /out of range/],
  ])('%s', (expr, cause) => {
    const err = rejects(expr);
    expect(err.code).toBe('EXPRESSION');
    expect(err.message).toMatch(cause);
  });
});

describe('escape payloads are rejected', () => {
  it.each([
    'cos.constructor("return process")()',
    'cos.constructor',
    '[].map.constructor("return this")()',
    'sin["constructor"]',
    '"x".constructor',
    'import({}, {override: true})',
    'import',
    'createUnit("foo")',
    'config({number: "BigNumber"})',
    'config',
    'evaluate("1+1")',
    'parse("1+1")',
    'compile("1")',
    'parser()',
    'simplify("x+x")',
    'derivative("x^2", "x")',
    'resolve("x")',
    'rationalize("1/x")',
    'help("sin")',
    'symbolicEqual("x", "x")',
    'simplifyCore("x")',
    'f(x) = x',
    'a = 1',
    'a = 1; a',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty("x")',
    '{a: 1}',
    '{a: 1}.a',
    'Q.constructor',
    'e.constructor',
    'pi["__proto__"]',
    'Q("1m").__proto__',
    'Q("1m").constructor("x")',
    'x => x',
    '1:10',
    'range',
    'typed("f", {})',
    'chain(1)',
    'reviver',
    'ones(2).map(sin)',
    'Function("return process")()',
    'globalThis',
    'process',
    'require("fs")',
    'this',
    '2 m',
    '50%',
    "x'",
    'a ?? b',
  ])('%s', (expr) => {
    rejects(expr);
  });

  it('an assignment does not leak into later evaluations', () => {
    expect(() => sandbox.compile('a = 5').evaluate()).toThrow(TkError);
    expect(() => sandbox.compile('a').evaluate()).toThrow(/unknown symbol "a"/);
  });
});

describe('resource bombs are rejected quickly', () => {
  it.each([
    ['range(1, 1e9)', 'LIMIT_EXCEEDED'],
    ['arange(0, 1e9)', 'LIMIT_EXCEEDED'],
    ['zeros(1e5, 1e5)', 'LIMIT_EXCEEDED'],
    ['ones(1e4, 1e4)', 'LIMIT_EXCEEDED'],
    ['rand(1e9)', 'LIMIT_EXCEEDED'],
    ['rand(1e5, 1e5)', 'LIMIT_EXCEEDED'],
    ['randn(1e9)', 'LIMIT_EXCEEDED'],
    ['randint(0, 2, 1e9)', 'LIMIT_EXCEEDED'],
    ['linspace(0, 1, 1e9)', 'LIMIT_EXCEEDED'],
    ['logspace(0, 1, 1e9)', 'LIMIT_EXCEEDED'],
    ['zeros(2000) + zeros(2000, 1)', 'LIMIT_EXCEEDED'],
    ['dot(ones(1000, 1000), ones(1000, 1000))', 'LIMIT_EXCEEDED'],
    [`${'('.repeat(500)}1${')'.repeat(500)}`, 'LIMIT_EXCEEDED'],
    [`${'['.repeat(500)}1${']'.repeat(500)}`, 'LIMIT_EXCEEDED'],
    [`${'-'.repeat(3000)}1`, 'LIMIT_EXCEEDED'],
    [`1${'+1'.repeat(3000)}`, 'LIMIT_EXCEEDED'],
    [`${'sin('.repeat(100)}1${')'.repeat(100)}`, 'LIMIT_EXCEEDED'],
  ])('%s', (expr, code) => {
    expect(rejects(expr).code).toBe(code);
  });

  it('a very long expression is rejected before parsing', () => {
    const long = `1${'+1'.repeat(50_000)}`;
    const err = rejects(long);
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/characters long/);
  });

  it('limits are configurable', () => {
    const small = createSandbox({ limits: { maxElements: 10 } });
    expect(() => small.compile('zeros(11)').evaluate()).toThrow(/limit is 10/);
    expect((small.compile('zeros(10)').evaluate().value as Quantity<number[]>).magnitude).toHaveLength(10);
  });
});

describe('sandboxes are independent', () => {
  it('a unit learned by one sandbox does not exist in another', () => {
    const a = createSandbox();
    const b = createSandbox();
    expect((a.compile('Q("2 widgets")').evaluate().value as Quantity).units).toBe('widgets');
    expect((b.compile('Q(1, "m")').evaluate().value as Quantity).units).toBe('m');
  });
});
