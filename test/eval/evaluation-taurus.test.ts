/**
 * Values, units, data type and data format of eval attributes compared with
 * the real Taurus 5, through the oracle in test/support/taurus.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createManager, Quality, Quantity } from '../../src/index.js';
import { createEvalScheme, createSeededRandom } from '../../src/schemes/eval/index.js';
import { describeWithTaurus } from '../support/taurus/describe-with-taurus.js';
import type { TaurusReading } from '../support/taurus/oracle.js';

/** Expressions whose value, units, type and format must match Taurus's. */
const SAME: readonly string[] = [
  '1',
  '1+2',
  '2.5*4',
  '4/2',
  '7/2',
  '2**3',
  '2**-1',
  '-3',
  '7%3',
  '-7%3',
  'True',
  'False',
  '1 < 2',
  '"abc"',
  "'single'",
  '[1,2,3]',
  '[1.5,2,3]',
  '[[1,2,3]]',
  '[[1,2],[3,4]]',
  '[True,False]',
  '["a","b"]',
  'Q("12.5m")',
  'Q("12m")',
  'Quantity("12.5 mm")',
  'Q(2,"mm")',
  'Q("1m")+Q("20cm")',
  'Q("2m")*Q("3m")',
  'Q("4m")/Q("2s")',
  'Q("10 km").to("m")',
  'sin(pi/2)',
  'cos(0)',
  'sqrt(16)',
  'abs(-2)',
  'abs(-2.5)',
  'sum([1,2,3])',
  'sum([1.5,2])',
  'e',
  'pi',
  'exp(1)',
  'log10(1000)',
  'floor(2.7)',
  'linspace(0,1,5)',
  'arange(5)',
  'arange(1,2,0.25)',
  'zeros(3)',
  'ones(4)',
  'arange(5)[1:3]',
  'arange(10)[::3]',
  'arange(5)[-1]',
  'len([1,2,3])',
  'a=2;b=3;a*b',
  'a=1+1;a*2',
  'x=1.5;x*2',
  'arctan2(1,1)',
  'hypot(3,4)',
  'degrees(pi)',
  'average([1,2,3,4])',
  'int(2.7)',
  'float(3)',
  'dot([1,2],[3,4])',
  'arange(4)**2',
  'zeros(3)+1',
  'shape(zeros(3))',
  // floor division and conditional expressions (Python spellings)
  '7//2',
  '-7//2',
  '7.0//2',
  '7//2.5',
  'arange(7)//2',
  'Q("7m")//Q("2m")',
  '1./2',
  '2.*3',
  // Python's text repetition
  '"m"*3',
  '3*"m"',
  '"m"*0',
  '"m"*-1',
  '"m"*True',
  '"ab"*2+"c"',
  '2*"ab"*2',
];

/** Expressions where Taurus fails (INVALID); tk-core must fail too. */
const BOTH_FAIL: readonly string[] = ['1/0', '5%0', 'Q("1m")+Q("1s")', 'int("x")', '7//0', '"m"*2.5'];

/**
 * Deliberate differences (docs/eval.md): list literals are numpy-like arrays
 * in tk-core, Python lists in Taurus; `ones(2,3)` is a 2x3 array in tk-core
 * (numpy reads 3 as a dtype and fails); `3^5` is refused (XOR in Taurus);
 * `a if c else b` evaluates (Taurus 5 reads `if` as an unknown symbol).
 */
const DIFFERENT: ReadonlyArray<{ expr: string; taurus: unknown; ours: unknown }> = [
  { expr: '[1,2]*[3,4]', taurus: 'ATTR_INVALID', ours: [3, 8] },
  { expr: '[1,2]+[3,4]', taurus: [1, 2, 3, 4], ours: [4, 6] },
  {
    expr: 'ones(2,3)',
    taurus: 'ATTR_INVALID',
    ours: [
      [1, 1, 1],
      [1, 1, 1],
    ],
  },
  { expr: '3^5', taurus: 6, ours: 'EXPRESSION' },
  // Python's conditional expression: Taurus 5 reads `if` as an unknown symbol (a VALID None, with a warning)
  { expr: '1 if True else 2', taurus: null, ours: 1 },
  { expr: '1 if 0 else 2', taurus: null, ours: 2 },
  { expr: '1 if False else 2 if True else 3', taurus: null, ours: 2 },
  { expr: '1+2 if False else 3*4', taurus: null, ours: 12 },
  { expr: '(1 if True else 2)*10', taurus: null, ours: 10 },
  { expr: 'arange(10)[7 if True else 0:]', taurus: null, ours: [7, 8, 9] },
  { expr: 'max(1 if True else 9, 3)', taurus: null, ours: 3 },
  { expr: 'a=3;a//2 if a > 2 else a', taurus: null, ours: 1 },
];

/** Expressions whose result shape only is compared (random). */
const SHAPE_ONLY: readonly string[] = [
  'rand()',
  'rand(256)',
  'rand(256,128)',
  'randn(4)',
  'randint(5)',
  'randint(1,5,3)',
];

const FORMATS: Record<string, string> = { _0D: 'scalar', _1D: 'spectrum', _2D: 'image' };

function closeTo(ours: unknown, theirs: unknown): boolean {
  if (typeof ours === 'number' && typeof theirs === 'number') {
    return Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    return ours.length === theirs.length && ours.every((x, i) => closeTo(x, theirs[i]));
  }
  return ours === theirs;
}

function shapeOf(v: unknown): number[] {
  const s: number[] = [];
  for (let x = v; Array.isArray(x); x = x[0]) s.push(x.length);
  return s;
}

describeWithTaurus('eval values against Taurus 5', (oracle) => {
  const m = createManager({
    builtins: false,
    schemes: [createEvalScheme({ random: createSeededRandom(5) })],
    gcTime: 0,
  });
  const taurus = new Map<string, TaurusReading | { error: string }>();

  beforeAll(async () => {
    const names = [...SAME, ...BOTH_FAIL, ...SHAPE_ONLY, ...DIFFERENT.map((d) => d.expr)].map(
      (e) => `eval:${e}`,
    );
    const answers = await oracle().batch<TaurusReading>(names.map((name) => ({ op: 'read', name })));
    names.forEach((n, i) => {
      const a = answers[i]!;
      taurus.set(n, a.ok ? a.result : { error: a.error });
    });
  }, 60_000);
  afterAll(async () => {
    await m.dispose();
  });

  const theirs = (expr: string): TaurusReading => {
    const t = taurus.get(`eval:${expr}`);
    if (t === undefined || 'error' in t)
      throw new Error(`Taurus could not read eval:${expr}: ${JSON.stringify(t)}`);
    return t;
  };

  it.each(SAME)('%s', async (expr) => {
    const t = theirs(expr);
    expect(t.quality).toBe('ATTR_VALID');
    const r = await m.attribute(`eval:${expr}`).read({ cache: false });
    expect(r.error).toBeUndefined();
    expect(r.quality).toBe(Quality.VALID);
    const a = m.attribute(`eval:${expr}`);
    expect(a.config.type).toBe(t.type);
    expect(a.config.dataFormat).toBe(FORMATS[t.data_format ?? '']);
    if (Quantity.isQuantity(r.rvalue)) {
      const units = t.units === null || t.units === 'dimensionless' ? '' : (t.unitsSymbol ?? '');
      let ours: Quantity = r.rvalue;
      if (units !== '' || ours.units !== '') {
        expect(units, `Taurus gives units for ${expr}`).not.toBe('');
        // same physical quantity: convert ours into Taurus's units
        const factor = Quantity.of(1, ours.units).to(units).magnitude as number;
        ours = Quantity.of(
          shapeOf(ours.magnitude).length === 0
            ? (ours.magnitude as number) * factor
            : (ours.magnitude as number[]).map((x) => x * factor),
          units,
        );
      }
      expect(
        closeTo(ours.magnitude, t.magnitude),
        `${JSON.stringify(ours.magnitude)} vs ${JSON.stringify(t.magnitude)}`,
      ).toBe(true);
    } else {
      expect(r.rvalue).toEqual(t.magnitude);
    }
  });

  it.each(BOTH_FAIL)('%s fails in both, with an error in tk-core', async (expr) => {
    expect(theirs(expr).quality).toBe('ATTR_INVALID');
    const r = await m.attribute(`eval:${expr}`).read({ cache: false });
    expect(r.quality).toBe(Quality.INVALID);
    expect(r.error?.code).toBe('EXPRESSION');
    expect(r.error?.message).toContain(JSON.stringify(expr));
  });

  it.each(DIFFERENT)('$expr differs from Taurus on purpose', async ({ expr, taurus: expected, ours }) => {
    const t = theirs(expr);
    if (expected === 'ATTR_INVALID') expect(t.quality).toBe('ATTR_INVALID');
    else expect(t.magnitude).toEqual(expected);
    const r = await m.attribute(`eval:${expr}`).read({ cache: false });
    if (ours === 'EXPRESSION') expect(r.error?.code).toBe('EXPRESSION');
    else expect((r.rvalue as Quantity).magnitude).toEqual(ours);
  });

  it.each(SHAPE_ONLY)('%s has the shape, type and format of Taurus', async (expr) => {
    const t = theirs(expr);
    const r = await m.attribute(`eval:${expr}`).read({ cache: false });
    const a = m.attribute(`eval:${expr}`);
    expect(shapeOf((r.rvalue as Quantity).magnitude)).toEqual(shapeOf(t.magnitude));
    expect(a.config.type).toBe(t.type);
    expect(a.config.dataFormat).toBe(FORMATS[t.data_format ?? '']);
  });
});
