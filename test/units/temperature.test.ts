/**
 * Issue 11 item 6 (temperatures as Taurus/pint read them) and issue 10 item
 * 12's last sentence (`abs(Q(-1,"degC"))` gave -1 degC). Before: `°C` and
 * `ºC` were refused, `Q(3,"degC") == Q(276.15,"K")` and
 * `Q(3,"degC") > Q(276,"kelvin")` were false, a reading in degC could not be
 * converted `.to('K')` and `.to('tempF')` gave 0.078 for 20 °C.
 * The comparison with the real Taurus is temperature.differential.test.ts.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createEvalScheme, createLocScheme, createManager, Quality, Quantity } from '../../src/index.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';
import { areUnitsCompatible, isKnownUnit } from '../../src/units/quantity.js';
import { TEMPERATURE_UNITS, temperatureUnit } from '../../src/units/temperature.js';

const sandbox = createSandbox();
function evaluate(expr: string): unknown {
  return sandbox.compile(expr).evaluate().value;
}
function failure(expr: string): string {
  try {
    evaluate(expr);
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
}
function expectQuantity(v: unknown, magnitude: number, units: string): void {
  expect(Quantity.isQuantity(v), String(v)).toBe(true);
  expect((v as Quantity).units).toBe(units);
  expect((v as Quantity<number>).magnitude).toBeCloseTo(magnitude, 9);
}

describe('Quantity: absolute temperatures and differences as pint reads them', () => {
  it('degC, °C, ºC and celsius are absolute Celsius; conversions apply the offsets', () => {
    for (const c of ['degC', '°C', 'ºC', 'celsius', 'degree_Celsius', 'tempC']) {
      expect(isKnownUnit(c), c).toBe(true);
      expectQuantity(Quantity.of(20, c).to('K'), 293.15, 'K');
      expectQuantity(Quantity.of(20, c).to('degF'), 68, 'degF');
      expectQuantity(Quantity.of(20, c).to('tempF'), 68, 'tempF');
      expectQuantity(Quantity.of(3, c).to('kelvin'), 276.15, 'kelvin');
    }
    expectQuantity(Quantity.of(300, 'K').to('°C'), 26.85, '°C');
    expectQuantity(Quantity.of(20, 'degF').to('degC'), -6.666666666666667, 'degC');
    expectQuantity(Quantity.of(20, 'degR').to('K'), 11.111111111111111, 'K');
    expect(Quantity.of([1, 2], 'degC').to('K').magnitude).toEqual([274.15, 275.15]);
    // kelvins with an SI prefix, in and out of expressions
    expectQuantity(Quantity.of(20, 'mK').to('K'), 0.02, 'K');
    expectQuantity(Quantity.of(-273, 'degC').to('mK'), 150, 'mK');
    expectQuantity(evaluate('Q(150,"mK").to("degC")'), -273, 'degC');
    expectQuantity(evaluate('Q(1,"K").to("mK")'), 1000, 'mK');
    expectQuantity((evaluate('Q(1,"K").to("µK")') as Quantity).to('K'), 1, 'K');
  });

  it('delta_degC and delta_degF are differences: no offset', () => {
    expectQuantity(Quantity.of(20, 'delta_degC').to('K'), 20, 'K');
    expectQuantity(Quantity.of(20, 'delta_degC').to('delta_degF'), 36, 'delta_degF');
    expectQuantity(Quantity.of(1, 'K').to('delta_degC'), 1, 'delta_degC');
    // pint converts a difference to an absolute unit through kelvins, as here
    expectQuantity(Quantity.of(20, 'delta_degC').to('degC'), -253.15, 'degC');
  });

  it('in a compound unit a temperature is a difference (degC/s), as in pint', () => {
    expectQuantity(Quantity.of(1, 'degC/s').to('K/s'), 1, 'K/s');
    expectQuantity(Quantity.of(60, 'degC/min').to('degC/s'), 1, 'degC/s');
    expect(areUnitsCompatible('degC', 'm')).toBe(false);
    expect(areUnitsCompatible('degC', 'K/s')).toBe(false);
    expect(() => Quantity.of(1, 'degC').to('m')).toThrow(/not compatible/);
  });
});

describe('eval: offset units follow pint (absolute temperatures and differences)', () => {
  it('the issue cases', () => {
    expectQuantity(evaluate('Q(3,"°C")'), 3, 'degC');
    expectQuantity(evaluate('Q(3,"ºC")'), 3, 'degC');
    expect(evaluate('Q(3,"degC") == Q(276.15,"K")')).toBe(true);
    expect(evaluate('Q(3,"degC") > Q(276,"kelvin")')).toBe(true);
    expectQuantity(evaluate('Q(20,"degC").to("K")'), 293.15, 'K');
    expectQuantity(evaluate('Q(20,"degC").to("degF")'), 68, 'degF');
    expectQuantity(evaluate('Q(20,"degC").to("tempF")'), 68, 'degF');
  });

  it('abs() and - act on the magnitude (issue 10 item 12)', () => {
    expectQuantity(evaluate('abs(Q(-1,"degC"))'), 1, 'degC');
    expectQuantity(evaluate('fabs(Q(-40,"degF"))'), 40, 'degF');
    expect((evaluate('abs(Q([-1,2],"degC"))') as Quantity).magnitude).toEqual([1, 2]);
    expectQuantity(evaluate('-Q(1,"degC")'), -1, 'degC');
    expectQuantity(evaluate('abs(Q(-3,"delta_degC"))'), 3, 'delta_degC');
  });

  it("Taurus's own test_celsius (core/test/test_units.py), as expressions", () => {
    // a = Q_(3, "°C"), b = Q_(3, "ºC"), c = Q_(3, "degC"), d = Q_(3, "celsius"), e = Q_(276.15, "kelvin")
    const v: Record<string, string> = {
      a: 'Q(3,"°C")',
      b: 'Q(3,"ºC")',
      c: 'Q(3,"degC")',
      d: 'Q(3,"celsius")',
      e: 'Q(276.15,"kelvin")',
    };
    for (const check of [
      'a == b',
      'a == c',
      'a == d',
      'a == e',
      'a.to("kelvin") == e',
      'a == e.to("°C")',
      'a == e.to("ºC")',
      'a == b.to("degC")',
      'a.to("ºC") == b',
      'a == e.to("celsius")',
    ]) {
      const expr = check.replace(/\b[a-e]\b(?!")/g, (k) => v[k]!);
      expect(evaluate(expr), `${check}: ${expr}`).toBe(true);
    }
  });

  it('differences: subtracting two temperatures, adding a difference to one', () => {
    expectQuantity(evaluate('Q(20,"degC") - Q(1,"degC")'), 19, 'delta_degC');
    expectQuantity(evaluate('Q(20,"degC") - Q(1,"degF")'), 37.22222222222222, 'delta_degC');
    expectQuantity(evaluate('Q(20,"degC") + Q(1,"delta_degC")'), 21, 'degC');
    expectQuantity(evaluate('Q(1,"delta_degC") + Q(20,"degC")'), 21, 'degC');
    expectQuantity(evaluate('Q(20,"degC") + Q(1,"delta_degF")'), 20.555555555555557, 'degC');
    expectQuantity(evaluate('Q(20,"delta_degC") * 2'), 40, 'delta_degC');
    expectQuantity(evaluate('Q([1,2],"degC").mean()'), 1.5, 'degC');
    expectQuantity(evaluate('max(Q([1,2],"degC"))'), 2, 'degC');
    expectQuantity(evaluate('max(Q(1,"degC"), Q(275,"K"))'), 275, 'K');
    expect(evaluate('Q(1,"degC") == Q(1, "delta_degC")')).toBe(false);
    expect(evaluate('Q(1,"degC") + Q(1,"delta_degC") == Q(2,"degC")')).toBe(true);
    expect(evaluate('Q([1,2],"degC") > Q(274.5,"K")')).toEqual([false, true]);
  });

  it('ambiguous operations with absolute temperatures are refused, naming the units', () => {
    for (const expr of [
      'Q(20,"degC") + Q(1,"degC")',
      'Q(20,"degC") + Q(1,"K")',
      'Q(20,"degC") * 2',
      '2 * Q(20,"degC")',
      'Q(20,"degC") / Q(1,"s")',
      'Q(20,"degC") ** 2',
      'sqrt(Q(4,"degC"))',
      'sum(Q([1,2],"degC"))',
    ]) {
      const message = failure(expr);
      expect(message, expr).toMatch(/"degC"/);
      expect(message, expr).toMatch(/ambiguous with an absolute temperature/);
    }
  });

  it('a degC reading: .to("K") in an expression, writes in degF or K to a degC point', async () => {
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createLocScheme(), createEvalScheme()] });
    try {
      const point = 'loc:/t/room?type=float&init=20&units=degC';
      const k = await m.attribute(`eval:{${point}}.to("K")`).read();
      expect(k.quality).toBe(Quality.VALID);
      expectQuantity(k.rvalue, 293.15, 'K');
      const warm = await m.attribute(`eval:{${point}} > Q(290,"K")`).read();
      expect(warm.rvalue).toBe(true);
      const room = m.attribute(point);
      expectQuantity((await room.read()).rvalue, 20, 'degC');
      expectQuantity(((await room.read()).rvalue as Quantity).to('tempF'), 68, 'tempF');
      await room.write('77 degF');
      expectQuantity((await room.read({ cache: false })).rvalue, 25, 'degC');
      await room.write(Quantity.of(300, 'K'));
      expectQuantity((await room.read({ cache: false })).rvalue, 26.85, 'degC');
      await expect(room.write('3 m')).rejects.toThrow(/not compatible/);
    } finally {
      await m.dispose();
    }
  });
});

describe('one meaning of temperature units in and out of expressions', () => {
  test.prop(
    [
      fc.double({ min: -500, max: 2000, noNaN: true }),
      fc.constantFrom(...TEMPERATURE_UNITS.keys()),
      fc.constantFrom(...TEMPERATURE_UNITS.keys()),
    ],
    { numRuns: 300, seed: 1106 },
  )("Quantity.to and an expression's .to() convert alike, to a unit of the same kind", (x, from, to) => {
    const outside = Quantity.of(x, from).to(to).magnitude as number;
    const inside = evaluate(`Q(${x}, "${from}").to("${to}")`) as Quantity<number>;
    expect(temperatureUnit(inside.units)).toBe(temperatureUnit(to));
    expect(inside.magnitude).toBeCloseTo(outside, 6);
    // and back
    expect(Quantity.of(outside, to).to(from).magnitude as number).toBeCloseTo(x, 6);
  });
});
