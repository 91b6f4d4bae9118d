/**
 * Properties of tk-core's unit engine (src/units), from the suite's fixed
 * fast-check seed: conversions round-trip, compatibility is an equivalence
 * over generated compound units, and no text makes the engine throw or
 * stall (inputs of 100 kB are answered; no time is asserted).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areUnitsCompatible, isKnownUnit, Quantity } from '../../src/units/quantity.js';
import { parseUnitTerms } from '../../src/units/unit-parser.js';
import { expressionMeaning } from '../../src/units/unit-registry.js';
import { siForm, unitExpression } from './unit-arbitraries.js';

function close(a: number, b: number, rel = 1e-12): boolean {
  return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

/** A few units of each of a few dimensions, so generated pairs are often compatible. */
const FEW = ['m', 'km', 'in', 'ft', 's', 'min', 'h', 'ms', 'kg', 'g', 'lb', 'N', 'J', 'W', 'Pa', 'bar', 'Hz'];

describe('unit engine properties', () => {
  it('to(b).to(a) gives the value back within 1e-12 relative', () => {
    fc.assert(
      fc.property(
        unitExpression(),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => Math.abs(x) > 1e-6),
        (a, x) => {
          const b = siForm(a)!;
          const there = Quantity.of(x, a).to(b);
          const back = there.to(a).magnitude;
          return close(back, x);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a→b→c equals a→c for three spellings of one compound unit (within 1e-11 relative)', () => {
    // a compound of dimension groups, written three times with units drawn from each group
    const GROUPS = [
      ['m', 'km', 'in', 'ft', 'mi', 'au', 'Å', 'um'],
      ['s', 'min', 'h', 'ms', 'd', 'week', 'a'],
      ['kg', 'g', 'lb', 'mg'],
      ['N', 'lbf', 'kN', 'mN'],
      ['Pa', 'bar', 'psi', 'torr', 'mmHg', 'atm', 'hPa'],
      ['J', 'eV', 'Wh', 'kWh', 'mJ'],
      ['rad', 'deg', 'arcmin', 'arcsec', 'mas', 'turn'],
    ];
    const shape = fc.array(fc.tuple(fc.nat(GROUPS.length - 1), fc.constantFrom(1, 2, -1, -2, 3)), {
      minLength: 1,
      maxLength: 3,
    });
    const spell = (parts: [number, number][]) =>
      fc
        .tuple(...parts.map(([g]) => fc.constantFrom(...GROUPS[g]!)))
        .map((names) => names.map((n, i) => `${n}^${parts[i]![1]}`).join('*'));
    fc.assert(
      fc.property(
        shape.chain((parts) => fc.tuple(spell(parts), spell(parts), spell(parts))),
        ([a, b, c]) => {
          expect(areUnitsCompatible(a, b) && areUnitsCompatible(b, c)).toBe(true);
          const via = Quantity.of(1, a).to(b).to(c).magnitude;
          return close(via, Quantity.of(1, a).to(c).magnitude, 1e-11);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('compatibility is symmetric and transitive over generated compound units', () => {
    fc.assert(
      fc.property(unitExpression(FEW), unitExpression(FEW), unitExpression(FEW), (a, b, c) => {
        expect(areUnitsCompatible(a, b)).toBe(areUnitsCompatible(b, a));
        if (areUnitsCompatible(a, b) && areUnitsCompatible(b, c)) expect(areUnitsCompatible(a, c)).toBe(true);
        // and it is exactly "the same dimensions": a unit is compatible with its SI base form
        expect(areUnitsCompatible(a, siForm(a)!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary texts: unknown ones are opaque labels that display and equal themselves', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), unitExpression()), (text) => {
        parseUnitTerms(text);
        expressionMeaning(text);
        const known = isKnownUnit(text);
        const q = Quantity.of(2, text);
        expect(String(q)).toBe(q.units === '' ? '2' : `2 ${q.units}`);
        expect(areUnitsCompatible(q.units, q.units)).toBe(true);
        // (to() trims its argument with String.prototype.trim, which also takes U+00A0 and others
        // that the constructor keeps: a pre-existing quirk, left alone)
        if (q.units.trim() === q.units) expect(q.to(q.units).equals(q)).toBe(true);
        if (!known) expect(areUnitsCompatible(text, 'm')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('answers texts of 100 kB made of unit syntax (the parser is one pass; nothing asserts a time)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('m', '*', '/', '(', ')', '^', '-', '2', ' ', 'µ', '²', 'k', '.', 'e', '1'), {
          minLength: 1,
          maxLength: 8,
        }),
        (pieces) => {
          const chunk = pieces.join('');
          const text = chunk.repeat(Math.ceil(100_000 / chunk.length));
          parseUnitTerms(text);
          expressionMeaning(text);
          // Quantity's own entry points cap unit texts at MAX_UNIT_TEXT: opaque at once
          expect(isKnownUnit(text)).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
    const deep = `${'('.repeat(50_000)}m${')'.repeat(50_000)}`;
    expect(parseUnitTerms(deep)).toBeUndefined(); // deeper than the parser reads
    const long = `${'m*'.repeat(50_000)}m`;
    expect(parseUnitTerms(long)?.length).toBe(50_001);
    expect(expressionMeaning(long)?.d[0]).toBe(50_001);
  });
});
