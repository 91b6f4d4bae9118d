/**
 * The evaluation fast paths give the same answers as the general ones: the
 * array-of-values evaluation, the shared scope (and a re-entrant evaluation
 * getting its own), unit conversion through cached unit templates, the
 * number fast path of type inference, and the backend's cache of compiled
 * expressions for attributes opened again.
 */
import { fc, test } from '@fast-check/vitest';
import { all, create } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { createManager, DataType, Quality, Quantity } from '../../src/index.js';
import { CompiledCache } from '../../src/schemes/eval/evaluation/index.js';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import { type CompiledExpression, createSandbox } from '../../src/schemes/eval/sandbox/index.js';
import { evaluateWithMathjs } from '../../src/schemes/eval/sandbox/test-hooks.js';
import { UnitBridge } from '../../src/schemes/eval/sandbox/unit-bridge.js';

const sandbox = createSandbox();
// (temperatures: test/units/temperature.test.ts; tempC comes back as degC, the same absolute unit)
const UNITS = ['m', 'mm', 'km', 'm/s', 'kg*m2/s2', 'ms', 'counts', 'V', 'mA'];
const magnitude = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);

describe('evaluation fast paths', () => {
  test.prop([magnitude, fc.constantFrom(...UNITS)], { numRuns: 400, seed: 20261122 })(
    'a Quantity input comes back unchanged through an expression that returns it (unit templates)',
    (x, units) => {
      const c = sandbox.compile('_a_', { inputs: ['_a_'] });
      const r = c.evaluateValues([sandbox.toMathValue(Quantity.of(x, units))]).value as Quantity;
      // the same quantity, possibly spelled otherwise (kg*m2/s2 comes back as kg*m^2/s^2)
      expect(r.isCompatible(units)).toBe(true);
      expect(r.to(units).magnitude as number).toBeCloseTo(x, 6);
    },
  );

  it('unit templates give the units mathjs parses (values, offsets, prefixes)', () => {
    const math = create(all!, { matrix: 'Array' });
    const c = sandbox.compile('_a_', { inputs: ['_a_'] });
    for (const [units, mathUnits] of [
      ['tempC', 'degC'],
      ['mm', 'mm'],
      ['m/s', 'm / s'],
    ] as const) {
      const mine = sandbox.toMathValue(Quantity.of(12.5, units)) as { value: number; toString(): string };
      const theirs = math.unit(12.5, mathUnits) as unknown as { value: number; toString(): string };
      expect(mine.value).toBeCloseTo(theirs.value, 12);
      expect(mine.toString()).toBe(theirs.toString());
      expect(c.evaluateValues([mine])).toEqual(c.evaluate(new Map([['_a_', Quantity.of(12.5, units)]])));
    }
  });

  const reference = create(all!, { matrix: 'Array', predictable: true, number: 'number' });
  // mathjs spellings of UNITS (the bridge translates them)
  const MATHJS_UNITS: Record<string, string> = { 'm/s': 'm / s', 'kg*m2/s2': 'kg m^2 / s^2' };
  test.prop([magnitude, fc.constantFrom(...UNITS.filter((u) => u !== 'counts'))], {
    numRuns: 400,
    seed: 20261123,
  })(
    'unit templates and results: the very values mathjs gives (no rounding difference from the shortcuts)',
    (x, units) => {
      const mathUnits = MATHJS_UNITS[units] ?? units;
      // to mathjs: x times the template's factor is what math.unit(x, units) holds
      const mine = sandbox.toMathValue(Quantity.of(x, units)) as { value: number };
      const theirs = reference.unit(x, mathUnits) as unknown as { value: number; toNumeric(): number };
      expect(mine.value).toBe(theirs.value);
      // back from mathjs: the value in the result's own units is what toNumeric() gives
      for (const [expression, f] of [
        ['_a_', (u: unknown) => u],
        ['_a_ * 3', (u: unknown) => reference.multiply(u as never, 3)],
        ['_a_ / 7', (u: unknown) => reference.divide(u as never, 7)],
      ] as const) {
        const r = sandbox.compile(expression, { inputs: ['_a_'] }).evaluateValues([mine]).value as Quantity;
        const expected = f(reference.unit(x, mathUnits)) as { toNumeric(): number };
        expect(r.magnitude).toBe(expected.toNumeric());
      }
    },
  );

  test.prop(
    [
      fc.array(
        fc.constantFrom(
          'm',
          'mm',
          'km',
          'm^2',
          'km^2',
          'mm^3',
          'm^-1',
          's',
          'ms',
          'm / s',
          'kg m^2 / s^2',
          'degC',
          'V',
        ),
        { minLength: 1, maxLength: 12 },
      ),
    ],
    { numRuns: 200, seed: 20261123 },
  )(
    'a unit is spelled as a bridge that never saw another one spells it (kept spellings)',
    (units) => {
      const math = create(all!, { matrix: 'Array', predictable: true, number: 'number' });
      const budget = { total: 10, perExpression: 10 };
      const bridge = new UnitBridge(math, budget);
      for (const u of units) {
        const unit = math.unit(2, u);
        expect(bridge.tkUnits(unit)).toBe(new UnitBridge(math, budget).tkUnits(unit));
      }
    },
    120_000,
  ); // a fresh mathjs instance per run: slow on a loaded machine

  test.prop([fc.array(magnitude, { minLength: 2, maxLength: 2 })], { numRuns: 300, seed: 20261122 })(
    'evaluateValues, evaluatePrepared and evaluate agree, with types as the general inference gives them',
    ([a, b]) => {
      const c = sandbox.compile('_a_ * 2 + _b_ / 4', { inputs: ['_a_', '_b_'] });
      const byValues = c.evaluateValues([a, b]);
      const byMap = c.evaluatePrepared(
        new Map<string, unknown>([
          ['_a_', a],
          ['_b_', b],
        ]),
      );
      const converted = c.evaluate(
        new Map<string, unknown>([
          ['_a_', Quantity.of(a!)],
          ['_b_', Quantity.of(b!)],
        ]),
      );
      expect(byValues).toEqual(byMap);
      expect(byValues).toEqual(converted);
      // a division makes the type Float, whatever the value
      expect(byValues.type).toBe(DataType.Float);
      const noDivision = sandbox.compile('_a_ * 2 + _b_', { inputs: ['_a_', '_b_'] }).evaluateValues([a, b]);
      const v = (noDivision.value as Quantity).magnitude as number;
      expect(noDivision.type).toBe(Number.isInteger(v) ? DataType.Integer : DataType.Float);
      expect(noDivision.dataFormat).toBe('scalar');
    },
  );

  // expressions of operators, constants and inputs: evaluated by the sandbox's closures
  // (evaluateValues) and by mathjs's own compiler on the same checked tree (the reference)
  const leaf = fc.oneof(
    fc.constantFrom('_a_', '_b_', '_c_'),
    fc.integer({ min: -5, max: 5 }).map(String),
    fc.constantFrom('0.5', '2.0', 'True', 'False', '"x"'),
  );
  const OPS = ['+', '-', '*', '/', '//', '%', '**', '==', '!=', '<', '>=', 'and', 'or', '&', '<<'];
  const COMPARISONS = new Set(['==', '!=', '<', '>=']);
  const tree = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('e'), fc.constantFrom(...OPS), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(fc.constantFrom('-', 'not ', '~'), tie('e')).map(([op, a]) => `(${op}${a})`),
      fc.tuple(fc.constantFrom('abs', 'sqrt', 'floor'), tie('e')).map(([f, a]) => `${f}(${a})`),
      // chains without brackets: one level (loops over links from 4 on) or mixed levels
      fc
        .tuple(
          tie('e'),
          fc.array(fc.tuple(fc.constantFrom(...OPS), tie('e')), { minLength: 1, maxLength: 7 }),
        )
        // (a chained comparison stops at its first false comparison, which mathjs's code does not: bracketed)
        .map(
          ([a, rest]) =>
            `(${rest.reduce((acc, [op, b]) => (COMPARISONS.has(op) ? `(${acc} ${op} ${b})` : `${acc} ${op} ${b}`), a)})`,
        ),
      fc
        .tuple(
          fc.constantFrom(['+', '-'], ['*', '/', '//', '%'], ['**'], ['and'], ['or', 'or']),
          fc.array(leaf, { minLength: 2, maxLength: 9 }),
          fc.nat(),
        )
        .map(([ops, xs, seed]) =>
          xs.reduce((acc, x, i) => (i === 0 ? x : `${acc} ${ops[(seed + i) % ops.length]} ${x}`), ''),
        ),
    ),
  })).e;
  const outcome = (f: () => unknown): unknown => {
    try {
      return { value: f() };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  test.prop([tree, fc.array(magnitude, { minLength: 3, maxLength: 3 })], { numRuns: 800, seed: 20261123 })(
    "the sandbox's closures give the value, type or error mathjs's compiler gives for the same tree",
    (expression, [a, b, c]) => {
      let compiled: CompiledExpression;
      try {
        compiled = sandbox.compile(expression, { inputs: ['_a_', '_b_', '_c_'] });
      } catch {
        return; // refused at compile time, whatever the path
      }
      const scope = new Map<string, unknown>([
        ['_a_', a],
        ['_b_', b],
        ['_c_', c],
      ]);
      expect(outcome(() => compiled.evaluateValues([a, b, c]))).toEqual(
        outcome(() => evaluateWithMathjs(compiled, scope)),
      );
      expect(outcome(() => compiled.evaluatePrepared(scope))).toEqual(
        outcome(() => compiled.evaluateValues([a, b, c])),
      );
    },
  );

  it.each([
    ['_a_ / _b_', 1, 0],
    ['_a_ // _b_', 1, 0],
    ['_a_ % _b_', 1, 0],
    ['_a_ % _b_', -7, 3],
    ['_a_ // _b_', -7, 2],
    ['_a_ ** _b_', 0, -1],
    ['_a_ ** _b_', 0, 0],
    ['_a_ ** _b_', -8, 0.5],
    ['-_a_ * _b_', 0, 5],
    ['(_a_ < _b_) + (_a_ >= _b_) * 2', 1, 1],
    ['(_a_ == _b_) + (_a_ != _b_) * 2', 0.1 + 0.2, 0.3],
    ['_a_ + "x"', 1, 0],
  ])('the in-place number path of %s with %d and %d gives what the guarded operators give', (e, a, b) => {
    const compiled = sandbox.compile(e, { inputs: ['_a_', '_b_'] });
    const scope = new Map<string, unknown>([
      ['_a_', a],
      ['_b_', b],
    ]);
    const expected = outcome(() => evaluateWithMathjs(compiled, scope));
    expect(outcome(() => compiled.evaluateValues([a, b]))).toEqual(expected);
  });

  it('Float literals keep a Float type even for integral results; 2 is an Integer', () => {
    expect(sandbox.compile('2.0*3').evaluateValues([]).type).toBe(DataType.Float);
    expect(sandbox.compile('2*3').evaluateValues([]).type).toBe(DataType.Integer);
    expect(sandbox.compile('7/2').evaluateValues([]).type).toBe(DataType.Float);
  });

  it('a missing input is an error naming it', () => {
    const c = sandbox.compile('_a_ + _b_', { inputs: ['_a_', '_b_'] });
    expect(() => c.evaluateValues([1])).toThrow(/input _b_ has no value/);
  });

  it('a re-entrant evaluation (an evaluator evaluating the same expression) gets its own scope', () => {
    let compiled: CompiledExpression | undefined;
    const external = new Map([
      [
        'down',
        {
          kind: 'function' as const,
          call: (x: unknown) => {
            const n = (x as Quantity).magnitude as number;
            return n <= 0 ? 0 : (compiled!.evaluateValues([n - 1]).value as Quantity).magnitude;
          },
        },
      ],
    ]);
    compiled = sandbox.compile('down(_n_) + _n_', { inputs: ['_n_'], external });
    // n + (n-1) + ... + 0: each level must still see its own _n_ after the inner call returned
    expect((compiled.evaluateValues([5]).value as Quantity).magnitude).toBe(15);
    expect((compiled.evaluateValues([3]).value as Quantity).magnitude).toBe(6);
  });
});

describe('compiled expressions kept by the backend', () => {
  it('an attribute opened again (gcTime 0) reuses its compiled expression', async () => {
    const m = createManager({ builtins: false, schemes: [createEvalScheme()], gcTime: 0 });
    for (let i = 0; i < 5; i++)
      expect((await m.attribute('eval:2*3+1').read({ cache: false })).rvalue).toEqual(Quantity.of(7));
    await m.attribute('eval:a=2;a*3+1').read();
    const stats = m.getBackend('eval').describe?.().compiled as {
      hits: number;
      misses: number;
      size: number;
    };
    expect(stats.misses).toBe(2);
    expect(stats.hits).toBe(4);
    await m.dispose();
  });

  it('an expression that does not compile is compiled (and refused) again at each open', async () => {
    const m = createManager({ builtins: false, schemes: [createEvalScheme()], gcTime: 0 });
    for (let i = 0; i < 2; i++) {
      const r = await m.attribute('eval:import(1)').read();
      expect(r.quality).toBe(Quality.INVALID);
      expect(r.error?.message).toMatch(/import/);
    }
    const stats = m.getBackend('eval').describe?.().compiled as {
      hits: number;
      misses: number;
      size: number;
    };
    expect(stats).toMatchObject({ hits: 0, misses: 2, size: 0 });
    await m.dispose();
  });

  it('an evaluator registered again (another instance) is not served the old compiled expression', async () => {
    const scheme = createEvalScheme();
    const m = createManager({ builtins: false, schemes: [scheme], gcTime: 0 });
    scheme.registerEvaluator('cfg', { gain: 2 });
    expect((await m.attribute('eval:@cfg/gain*10').read()).rvalue).toEqual(Quantity.of(20));
    scheme.registerEvaluator('cfg', { gain: 3 });
    expect((await m.attribute('eval:@cfg/gain*10').read()).rvalue).toEqual(Quantity.of(30));
    await m.dispose();
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 60 })], { numRuns: 200, seed: 20261122 })(
    'the cache keeps at most its size, the most recently used, and compiles each miss once',
    (keys) => {
      const cache = new CompiledCache(3);
      const compiled = new Map<string, CompiledExpression>();
      const recent: string[] = [];
      let compiles = 0;
      for (const k of keys) {
        const key = `k${k}`;
        const wasKept = recent.includes(key);
        const c = cache.get(key, undefined, () => {
          compiles++;
          const made = sandbox.compile(String(k));
          compiled.set(key, made);
          return made;
        });
        expect(c).toBe(compiled.get(key));
        if (!wasKept) expect(compiles).toBe(cache.stats().misses);
        recent.splice(recent.indexOf(key) >>> 0, wasKept ? 1 : 0);
        recent.push(key);
        if (recent.length > 3) recent.shift();
        expect(cache.stats().size).toBe(recent.length);
      }
    },
  );
});
