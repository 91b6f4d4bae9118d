/**
 * Issue 10 item 10: one expression must not spend the budget of unknown unit
 * names (256 per manager) that every later one needs. Before,
 * `eval:[Q(1,"z0"),…,Q(1,"z259")]` (itself refused) used all of it, and from
 * then on `eval:Q(3,"ADU")*2` and a `loc` input with `units=widgets` read
 * INVALID LIMIT_EXCEEDED for the manager's whole life.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createEvalScheme, createLocScheme, createManager, Quality, Quantity } from '../../src/index.js';
import { createSandbox, DEFAULT_SANDBOX_LIMITS } from '../../src/schemes/eval/sandbox/index.js';

/** `Q(1,"e0")*…*Q(1,"e<n-1>")`: a valid expression using n unit names. */
function product(n: number, prefix: string): string {
  return Array.from({ length: n }, (_, k) => `Q(1,"${prefix}${k}")`).join('*');
}

/** `[Q(1,"z0"),…,Q(1,"z<n-1>")]`. */
function bomb(n: number, prefix = 'z'): string {
  return `[${Array.from({ length: n }, (_, k) => `Q(1,"${prefix}${k}")`).join(',')}]`;
}

function evaluate(sandbox: ReturnType<typeof createSandbox>, expr: string) {
  try {
    return { value: sandbox.compile(expr).evaluate().value };
  } catch (err) {
    return { error: err as Error & { code?: string } };
  }
}

/** How many unknown unit names a sandbox has learned. */
function learned(sandbox: ReturnType<typeof createSandbox>): number {
  return sandbox.customUnitCount();
}

describe('the budget of unknown unit names (issue 10 item 10)', () => {
  it('the issue bomb is refused and leaves nothing behind: ADU and widgets still work', () => {
    const s = createSandbox();
    const r = evaluate(s, bomb(260));
    expect(r.error?.code).toBe('LIMIT_EXCEEDED');
    expect(r.error?.message).toMatch(/more than 16 unit names unknown/);
    expect(learned(s)).toBe(0);
    expect(evaluate(s, 'Q(3,"ADU")*2').value).toEqual(Quantity.of(6, 'ADU'));
    expect(Quantity.isQuantity(s.toMathValue(Quantity.of(2, 'widgets')))).toBe(false); // a mathjs unit
    expect(learned(s)).toBe(2);
  });

  it('a failed evaluation of any kind removes the names it learned; names learned before keep working', () => {
    const s = createSandbox();
    expect(evaluate(s, 'Q(1,"ADU")+Q(2,"ADU")').value).toEqual(Quantity.of(3, 'ADU'));
    for (const failing of [
      'Q(1,"zz")+Q(1,"m")', // incompatible units
      'Q(1,"zz")/0', // division by zero
      '[Q(1,"zz"), Q(1,"yy"), 1/0]',
      `${bomb(17, 'w')}`, // over the per-expression share
      'Q(1,"zz") + int("x")', // an error after learning
    ]) {
      const before = learned(s);
      expect(evaluate(s, failing).error, failing).toBeDefined();
      expect(learned(s), failing).toBe(before);
    }
    // the dimensions of what stayed are intact: arithmetic and comparisons with learned units
    expect(evaluate(s, 'Q(1,"ADU")+Q(2,"ADU")').value).toEqual(Quantity.of(3, 'ADU'));
    expect(evaluate(s, 'Q(4,"ADU")/Q(2,"s")').value).toEqual(Quantity.of(2, 'ADU/s'));
    expect(evaluate(s, 'Q(1,"ADU") < Q(2,"ADU")').value).toBe(true);
    expect(evaluate(s, 'Q(1,"ADU")+Q(1,"m")').error?.message).toMatch(/cannot add "ADU" and "m"/);
    // a name removed after a failure can be learned again, as a unit of its own
    expect(evaluate(s, 'Q(2,"zz")*Q(3,"zz")').value).toEqual(Quantity.of(6, 'zz^2'));
    expect(evaluate(s, 'Q(2,"zz")+Q(3,"ADU")').error?.message).toMatch(/incompatible units/);
  });

  it('expressions take at most half of the budget: units of input data always have the other half', () => {
    const s = createSandbox();
    const per = DEFAULT_SANDBOX_LIMITS.maxCustomUnitsPerExpression;
    const share = DEFAULT_SANDBOX_LIMITS.maxCustomUnits / 2;
    for (let k = 0; k < share / per; k++) expect(evaluate(s, product(per, `e${k}x`)).value).toBeDefined();
    expect(learned(s)).toBe(share);
    const refused = evaluate(s, 'Q(1,"more")');
    expect(refused.error?.code).toBe('LIMIT_EXCEEDED');
    expect(refused.error?.message).toMatch(/kept for units of input data/);
    expect(learned(s)).toBe(share);
    // names already learned still work; units of input data have their half
    expect(evaluate(s, 'Q(1,"e0x3")*2').value).toEqual(Quantity.of(2, 'e0x3'));
    for (let k = 0; k < share; k++) s.toMathValue(Quantity.of(1, `data${k}`));
    expect(learned(s)).toBe(DEFAULT_SANDBOX_LIMITS.maxCustomUnits);
    expect(() => s.toMathValue(Quantity.of(1, 'onemore'))).toThrow(/more than 256 unknown unit names/);
  });

  it("one expression's inputs bring at most 16 unknown names; other expressions keep theirs", () => {
    const s = createSandbox();
    for (let k = 0; k < 16; k++) s.toMathValue(Quantity.of(1, `w${k}`), 'x+y');
    expect(() => s.toMathValue(Quantity.of(1, 'w16'), 'x+y')).toThrow(
      /inputs of the expression bring more than 16/,
    );
    expect(learned(s)).toBe(16);
    // names already learned are free for anyone; another expression may bring its own
    expect(() => s.toMathValue(Quantity.of(1, 'w3'), 'x+y')).not.toThrow();
    expect(() => s.toMathValue(Quantity.of(1, 'widgets'), 'z*2')).not.toThrow();
    expect(learned(s)).toBe(17);
  });

  test.prop(
    [
      fc.array(
        fc.record({
          names: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), {
            minLength: 1,
            maxLength: 5,
          }),
          fails: fc.boolean(),
        }),
        { minLength: 1, maxLength: 25 },
      ),
    ],
    { numRuns: 20, seed: 1010 },
  )(
    'whatever the sequence, the names learned are exactly those of the evaluations that succeeded',
    (steps) => {
      const s = createSandbox();
      const kept = new Set<string>();
      for (const { names, fails } of steps) {
        // a product of quantities in unknown units; a failing one divides by zero at the end
        const terms = names.map((n) => `Q(1,"zq${n}")`).join('*');
        const r = evaluate(s, fails ? `${terms}/0` : terms);
        expect(r.error !== undefined, terms).toBe(fails);
        if (!fails) for (const n of names) kept.add(n);
        expect(learned(s)).toBe(kept.size);
      }
      for (const n of kept)
        expect(evaluate(s, `Q(2,"zq${n}")+Q(1,"zq${n}")`).value).toEqual(Quantity.of(3, `zq${n}`));
    },
  );

  it('in a manager: after the bomb, eval:Q(3,"ADU")*2 and a loc input with units=widgets read VALID', async () => {
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createEvalScheme(), createLocScheme()] });
    try {
      const refused = await m.attribute(`eval:${bomb(260)}`).read();
      expect(refused.quality).toBe(Quality.INVALID);
      expect(refused.error?.code).toBe('LIMIT_EXCEEDED');
      const adu = await m.attribute('eval:Q(3,"ADU")*2').read();
      expect(adu.error).toBeUndefined();
      expect(adu.rvalue).toEqual(Quantity.of(6, 'ADU'));
      const widgets = await m.attribute('eval:{loc:/w/x?type=float&init=2&units=widgets}*2').read();
      expect(widgets.error).toBeUndefined();
      expect(widgets.rvalue).toEqual(Quantity.of(4, 'widgets'));
      // the bomb again, many times: still nothing spent
      for (let k = 0; k < 5; k++) await m.attribute(`eval:${bomb(260, `b${k}x`)}`).read();
      expect((await m.attribute('eval:Q(1,"counts")+Q(2,"counts")').read()).rvalue).toEqual(
        Quantity.of(3, 'counts'),
      );
    } finally {
      await m.dispose();
    }
  });
});
