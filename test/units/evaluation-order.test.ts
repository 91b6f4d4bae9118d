/**
 * Issue 10 item 9: one attribute's evaluation must not change another's
 * value. mathjs's "auto" unit system is rewritten by every unit text the
 * instance parses, and mathjs's simplification read it: after
 * `Q(1,"m").to("km")` had run, `(Q(2,"m")*Q(1,"m")/Q(1,"m")).magnitude` was
 * 0.002 (km) instead of 2 (m). The sandbox now simplifies by a rule of its
 * own that reads no shared state; these tests evaluate a set of expressions
 * in many seeded random orders, in one sandbox and in one manager, and
 * compare every result with the result of the same expression in a fresh
 * sandbox.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createEvalScheme, createManager, type Quantity } from '../../src/index.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';

/** Expressions whose results mathjs's shared unit system could change, and ones that change it. */
const EXPRESSIONS: readonly string[] = [
  '(Q(2,"m")*Q(1,"m")/Q(1,"m")).magnitude > 1',
  'Q(2,"m")*Q(1,"m")/Q(1,"m")',
  'Q(1,"m").to("km")',
  'Q(1,"km")*2',
  'Q(1,"km")*Q(1,"km")',
  'Q(1,"km")*Q(1,"m")',
  'Q(3,"cm")*Q(2,"cm")/Q(1,"mm")',
  'Q(1,"kg")*Q(1,"m")/Q(1,"s")**2',
  'Q(1,"N").to("kN")',
  'Q(5,"mm")/Q(1,"s")',
  'Q(1,"m")/Q(1,"km")',
  'Q(2,"ms")*Q(3,"s")/Q(1,"ms")',
  'Q(1,"g")*Q(1,"kg")/Q(1,"g")',
  'Q(10,"km")/Q(2,"h")',
  'Q(1,"h").to("s")',
  'str(Q(1,"km")*Q(2,"km")/Q(1,"m"))',
  'Q([1,2,3],"m")*Q(1,"km")/Q(1,"m")',
  '(Q([1,2],"m")*Q(1,"m")/Q(1,"m")).magnitude',
  '(Q([1,2],"m")*Q(1,"m")/Q(1,"m")).units',
  'Q(1,"V")*Q(2,"A")',
  'Q(1,"W").to("mW")',
  'Q(300,"K")',
  'Q(1,"mV")*Q(1,"mA")',
  'Q("12.5mm")+Q("1m")',
];

/** A result as comparable data (a Quantity as magnitude and units). */
function plain(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && 'magnitude' in v && 'units' in v) {
    const q = v as Quantity;
    return { magnitude: q.magnitude, units: q.units };
  }
  return v;
}

function result(sandbox: ReturnType<typeof createSandbox>, expr: string): unknown {
  try {
    return plain(sandbox.compile(expr).evaluate().value);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Each expression alone in a fresh sandbox: the reference. */
const ALONE = new Map(EXPRESSIONS.map((e) => [e, result(createSandbox(), e)]));

describe('results do not depend on what was evaluated before (issue 10 item 9)', () => {
  it('the issue example: (Q(2,"m")*Q(1,"m")/Q(1,"m")).magnitude > 1 stays true after Q(1,"m").to("km")', () => {
    const s = createSandbox();
    const probe = '(Q(2,"m")*Q(1,"m")/Q(1,"m")).magnitude > 1';
    expect(result(s, probe)).toBe(true);
    expect(result(s, 'Q(1,"m").to("km")')).toEqual({ magnitude: 0.001, units: 'km' });
    expect(result(s, probe)).toBe(true);
    expect(result(s, 'Q(2,"m")*Q(1,"m")/Q(1,"m")')).toEqual({ magnitude: 2, units: 'm' });
  });

  it('units are simplified by one rule: same units merged, others kept as pint keeps them', () => {
    expect(ALONE.get('Q(1,"km")*Q(1,"km")')).toEqual({ magnitude: 1, units: 'km^2' });
    expect(ALONE.get('Q(1,"km")*Q(1,"m")')).toEqual({ magnitude: 1, units: 'km*m' });
    expect(ALONE.get('Q(1,"km")*2')).toEqual({ magnitude: 2, units: 'km' });
    expect(ALONE.get('Q(1,"kg")*Q(1,"m")/Q(1,"s")**2')).toEqual({ magnitude: 1, units: 'kg*m/s^2' });
    expect(ALONE.get('Q(1,"m")/Q(1,"km")')).toEqual({ magnitude: 0.001, units: '' });
    const area = ALONE.get('Q(3,"cm")*Q(2,"cm")/Q(1,"mm")') as { magnitude: number; units: string };
    expect(area.units).toBe('cm^2/mm');
    expect(area.magnitude).toBeCloseTo(6, 12);
    expect(ALONE.get('(Q([1,2],"m")*Q(1,"m")/Q(1,"m")).magnitude')).toEqual({ magnitude: [1, 2], units: '' });
    expect(ALONE.get('(Q([1,2],"m")*Q(1,"m")/Q(1,"m")).units')).toBe('m');
  });

  test.prop([fc.array(fc.constantFrom(...EXPRESSIONS), { minLength: 5, maxLength: 40 })], {
    numRuns: 20,
    seed: 20261207,
  })('in one sandbox, in any order, every result equals its result alone', (order) => {
    const s = createSandbox();
    for (const expr of order) expect(result(s, expr), expr).toEqual(ALONE.get(expr));
  });

  it('in one manager: eval attributes read in seeded random orders give the same readings', async () => {
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createEvalScheme()] });
    try {
      const read = async (expr: string) => {
        const r = await m.attribute(`eval:${expr}`).read({ cache: false });
        return r.error === undefined ? plain(r.rvalue) : { error: r.error.message };
      };
      const first = new Map<string, unknown>();
      for (const expr of EXPRESSIONS) first.set(expr, await read(expr));
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray([...EXPRESSIONS], { minLength: EXPRESSIONS.length }),
          async (order) => {
            for (const expr of order) expect(await read(expr), expr).toEqual(first.get(expr));
          },
        ),
        { numRuns: 20, seed: 7 },
      );
      // and the same as each expression alone in a fresh sandbox (an error's text names the expression the same way)
      for (const expr of EXPRESSIONS) {
        const alone = ALONE.get(expr);
        if (typeof alone === 'object' && alone !== null && 'error' in alone) continue;
        expect(first.get(expr), expr).toEqual(alone);
      }
    } finally {
      await m.dispose();
    }
  });
});
