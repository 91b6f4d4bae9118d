/**
 * Unit names and generated unit expressions of tk-core's table, shared by
 * the pint differential test and the property tests.
 */
import fc from 'fast-check';
import { expressionMeaning } from '../../src/units/unit-registry.js';
import { BASE_UNITS, DERIVED_UNITS, PREFIXES } from '../../src/units/unit-table.js';

/** Every name of the table, grouped by entry (first: the canonical name). */
export const ENTRIES: readonly (readonly string[])[] = [
  ...BASE_UNITS.map((e) => e.split(' ')),
  ...DERIVED_UNITS.split(';').map((e) => e.split('=')[0]!.split(' ')),
];

/** Every name of the table. */
export const NAMES: readonly string[] = ENTRIES.flat();

/** Names tk-core reads that pint 0.19 (Debian's, Taurus's) does not: later pint releases define them. */
export const LATER_PINT: ReadonlySet<string> = new Set(['%', 'percent', 'ppm', 'Jy', 'jansky']);

/** Prefix spellings pint 0.19 does not read (later releases do). */
export const LATER_PINT_PREFIXES: ReadonlySet<string> = new Set(['μ']);

/** Units used with every prefix. */
export const PREFIXED_UNITS = ['m', 's', 'g', 'Hz', 'Pa', 'V', 'eV', 'rad', 'L', 'W', 'A', 'K', 'arcsec'];

/** Each prefix on each of {@link PREFIXED_UNITS}. */
export const PREFIXED: readonly string[] = PREFIXES.filter(([p]) => !LATER_PINT_PREFIXES.has(p)).flatMap(
  ([p]) => PREFIXED_UNITS.map((u) => `${p}${u}`),
);

const BASE_SYMBOLS = ['m', 'kg', 's', 'A', 'K', 'mol', 'cd'];

/** The same units in SI base units (`kg*m**2*s**-2` for `J`), `''` when dimensionless; undefined when unknown. */
export function siForm(units: string): string | undefined {
  const meaning = expressionMeaning(units);
  if (meaning === undefined) return undefined;
  return meaning.d
    .map((p, i) => (p === 0 ? '' : p === 1 ? BASE_SYMBOLS[i]! : `${BASE_SYMBOLS[i]}**${p}`))
    .filter((x) => x !== '')
    .join('*');
}

/** Atoms of generated expressions: table names that pint 0.19 reads too, and prefixed units. */
export const ATOMS: readonly string[] = [
  ...NAMES.filter((n) => !LATER_PINT.has(n) && n !== '°'),
  ...PREFIXED,
];

/** A unit expression of 1 to 3 atoms with powers, `*`, `/`, spaces and parentheses, in pint's grammar. */
export function unitExpression(atoms: readonly string[] = ATOMS): fc.Arbitrary<string> {
  const factor = fc
    .tuple(fc.constantFrom(...atoms), fc.constantFrom(1, 1, 1, 2, 3, -1, -2), fc.constantFrom('**', '^'))
    .map(([a, p, op]) => (p === 1 ? a : `${a}${op}${p}`));
  return fc
    .tuple(
      factor,
      fc.array(fc.tuple(fc.constantFrom('*', '/', ' ', ' / ', ' * '), factor), { maxLength: 2 }),
      fc.boolean(),
    )
    .map(([first, rest, group]) => {
      if (rest.length === 0) return first;
      const tail = rest.map(([op, f]) => `${op}${f}`);
      // a group after a division: a/(b*c)
      // (not after a space: pint reads `a (b)` as a call)
      return group && rest.length === 2 && rest[0]![0].trim() !== ''
        ? `${first}${rest[0]![0]}(${rest[0]![1]}${tail[1]})`
        : `${first}${tail.join('')}`;
    });
}
