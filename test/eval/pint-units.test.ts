/**
 * tk-core's units in the sandbox (pint-units.ts): where mathjs lacks a unit
 * or reads it otherwise, pint's meaning wins; these units are not learned
 * names and take nothing from the custom-unit budget. (Every unit of the
 * table: units.differential.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';
import type { Quantity } from '../../src/units/quantity.js';

const run = (expr: string, sandbox = createSandbox()) => sandbox.compile(expr).evaluate().value as Quantity;

describe('where mathjs and pint read a name differently, pint wins', () => {
  it.each([
    ['Q(1,"eV").to("J")', 1.602176634e-19, 'J'], // mathjs: 1.602176565e-19 (CODATA 2010)
    ['Q(1,"keV").to("J")', 1.602176634e-16, 'J'],
    ['Q(1,"torr").to("Pa")', 101325 / 760, 'Pa'], // mathjs: 133.322
    ['Q(1,"mmHg").to("Pa")', 133.322387415, 'Pa'], // mathjs: 133.322
    ['Q(1,"psi").to("Pa")', 6894.75729316836, 'Pa'],
    ['Q(1,"ch").to("s")', 36, 's'], // a centi-hour in pint; mathjs: a chain (20.1168 m)
  ])('%s', (expr, magnitude, units) => {
    const q = run(expr);
    expect(q.units).toBe(units);
    expect(Math.abs((q.magnitude as number) / magnitude - 1)).toBeLessThan(1e-12);
  });
});

describe('units mathjs lacks', () => {
  it.each([
    ['Q(1,"Gy").to("J/kg")', 1, 'J/kg'],
    ['Q(2,"kmin").to("s")', 120_000, 's'],
    ['Q(1,"nmi").to("m")', 1852, 'm'],
    ['Q(1,"pc").to("ly")', 3.2615637771418804, 'ly'],
    ['Q(1,"light_year").to("m")', 9460730472580800, 'm'],
    ['Q(1,"a").to("d")', 365.25, 'd'],
    ['Q(1,"turn").to("deg")', 360, 'deg'],
    ['Q(60,"rpm").to("turn/s")', 1, 'turn/s'],
    ['Q(1,"lm").to("cd*sr")', 1, 'cd*sr'],
    ['Q(1,"mas").to("arcsec")', 0.001, 'arcsec'],
    ['Q(1,"Jy").to("W/(m^2*Hz)")', 1e-26, 'W/(m^2*Hz)'],
  ])('%s', (expr, magnitude, units) => {
    const q = run(expr);
    expect(q.units).toBe(units);
    expect(Math.abs((q.magnitude as number) / magnitude - 1)).toBeLessThan(1e-12);
  });

  it('keep the spelling tk-core reads', () => {
    expect(run('Q(50,"%")').units).toBe('%');
    expect(run('Q(50,"%")*2').units).toBe('%');
    expect(run('Q(3,"Å")').units).toBe('Å');
    expect(run('Q(1,"astronomical_unit")+Q(1,"astronomical_unit")').units).toBe('astronomical_unit');
    expect(run('Q(1,"Gy")/Q(1,"s")').units).toBe('Gy/s');
    expect(run('Q(50,"%").to("m/m")').magnitude).toBe(0.5);
  });

  it('angles keep mathjs angle dimension: trigonometry takes them', () => {
    expect(run('sin(Q(0.25,"turn"))').magnitude).toBeCloseTo(1, 15);
    expect(run('cos(Q(1,"cycle"))').magnitude).toBeCloseTo(1, 15);
  });
});

describe('they are not learned names', () => {
  it('take nothing from the budget of unknown names', () => {
    const sandbox = createSandbox({ limits: { maxCustomUnits: 2, maxCustomUnitsPerExpression: 1 } });
    const q = run('Q(1,"Gy")*Q(1,"kmin")*Q(1,"nmi")*Q(1,"sr")*Q(1,"%")*Q(1,"light_year")', sandbox);
    expect(q.units).toBe('Gy*kmin*nmi*sr*%*light_year');
    expect(sandbox.customUnitCount()).toBe(0);
    // the budget is still whole for names nobody knows
    expect(run('Q(3,"counts")', sandbox).units).toBe('counts');
    expect(sandbox.customUnitCount()).toBe(1);
  });

  it('stay after an evaluation that fails', () => {
    const sandbox = createSandbox();
    expect(() => run('Q(1,"Gy") + Q(1,"m")', sandbox)).toThrow();
    expect(run('Q(1,"Gy").to("J/kg")', sandbox).magnitude).toBe(1);
  });
});
