/**
 * The meaning of unit names and unit expressions: the table (unit-table.ts)
 * built on first use, names read with pint's rules (an exact name first,
 * then an SI prefix and a name in pint's prefix order, then a plural `s`),
 * temperatures inside compound units as differences (`degC/s`, as in pint).
 *
 * @module
 */
import { combine, KELVIN, scalarMeaning, type UnitMeaning } from './dimension.js';
import { temperatureUnit } from './temperature.js';
import { parseUnitTerms } from './unit-parser.js';
import { BASE_UNITS, DERIVED_UNITS, PREFIXES } from './unit-table.js';

let table: Map<string, UnitMeaning> | undefined;

function buildTable(): Map<string, UnitMeaning> {
  const t = new Map<string, UnitMeaning>();
  table = t;
  BASE_UNITS.forEach((names, i) => {
    const d = [0, 0, 0, 0, 0, 0, 0];
    d[i] = 1;
    for (const name of names.split(' ')) t.set(name, { f: 1, e: i === 1 ? -3 : 0, d });
  });
  for (const entry of DERIVED_UNITS.split(';')) {
    const [names, definition] = entry.split('=') as [string, string];
    const meaning = expressionMeaning(definition, true);
    if (meaning === undefined) throw new Error(`tk-core unit table: cannot read ${entry}`);
    for (const name of names.split(' ')) t.set(name, meaning);
  }
  return t;
}

/** A name of the table, or a temperature (as a difference: scale only). */
function exact(name: string): UnitMeaning | undefined {
  const known = (table ?? buildTable()).get(name);
  if (known !== undefined) return known;
  const t = temperatureUnit(name);
  if (t === undefined) return undefined;
  const d = [0, 0, 0, 0, 0, 0, 0];
  d[KELVIN] = 1;
  return { f: t.scale, e: 0, d };
}

/** A name with an optional SI prefix (pint's order of prefixes decides between two readings). */
function prefixed(name: string, minLength: number): UnitMeaning | undefined {
  const whole = name.length >= minLength ? exact(name) : undefined;
  if (whole !== undefined) return whole;
  const t = table ?? buildTable();
  const at = prefixAt(name, minLength, t);
  if (at === undefined) return undefined;
  const [prefix, e] = PREFIXES[at]!;
  const unit = t.get(name.slice(prefix.length))!;
  return { f: unit.f, e: unit.e + e, d: unit.d };
}

/** The index in PREFIXES of the prefix pint reads `name` with (the rest a name of the table), or undefined. */
function prefixAt(name: string, minLength: number, t: Map<string, UnitMeaning>): number | undefined {
  for (let k = 0; k < PREFIXES.length; k++) {
    const prefix = PREFIXES[k]![0];
    if (name.length - prefix.length < minLength || !name.startsWith(prefix)) continue;
    if (t.has(name.slice(prefix.length))) return k;
  }
  return undefined;
}

/** How a unit name of the table is read: its SI prefix (`''` for none) and the table's name it prefixes. */
export interface UnitNameParts {
  /** The prefix as written (`k`, `milli`, `µ`), `''` without one. */
  readonly prefix: string;
  /** The name of the table (`m`, `Gy`, `Ω`), without the prefix and a plural `s`. */
  readonly unit: string;
}

/**
 * How `name` is read with pint's rules (as {@link nameMeaning} reads it):
 * `kPa` is `k` and `Pa`, `meters` is `meter`. Undefined when it is not a
 * name of the table with an optional prefix and plural, and for temperatures
 * that are not in the table (`degC`).
 */
export function unitNameParts(name: string): UnitNameParts | undefined {
  const t = table ?? buildTable();
  const read = (n: string, minLength: number): UnitNameParts | undefined => {
    if (n.length >= minLength && t.has(n)) return { prefix: '', unit: n };
    if (n.length >= minLength && exact(n) !== undefined) return undefined; // a temperature
    const at = prefixAt(n, minLength, t);
    if (at === undefined) return undefined;
    const prefix = PREFIXES[at]![0];
    return { prefix, unit: n.slice(prefix.length) };
  };
  const whole = read(name, 1);
  if (whole !== undefined || nameMeaning(name) === undefined) return whole;
  return name.length > 2 && name.endsWith('s') ? read(name.slice(0, -1), 2) : undefined;
}

const names = new Map<string, UnitMeaning | null>();

/** The meaning of one unit name (`mm`, `kPa`, `µrad`, `meters`, `degC`), or undefined. */
export function nameMeaning(name: string): UnitMeaning | undefined {
  let m = names.get(name);
  if (m === undefined) {
    m =
      prefixed(name, 1) ??
      (name.length > 2 && name.endsWith('s') ? prefixed(name.slice(0, -1), 2) : undefined) ??
      null;
    if (names.size >= 2048) names.clear();
    names.set(name, m);
  }
  return m ?? undefined;
}

/**
 * The meaning of a unit expression (`kg*m/s^2`, `mm**2`, `1/s`, `µm`,
 * `degC/s`), or undefined when it is not one of known units. Numbers are
 * refused except `1` (`2*m` is not a unit), unless `factors` (the table's
 * own definitions). Linear in the length of the text; never throws.
 */
export function expressionMeaning(text: string, factors = false): UnitMeaning | undefined {
  const terms = parseUnitTerms(text);
  if (terms === undefined || terms.length === 0) return undefined;
  let meaning = scalarMeaning(1);
  for (const { name, power } of terms) {
    let m: UnitMeaning | undefined;
    if (typeof name === 'number') {
      if (!factors && name !== 1) return undefined;
      m = literal(name);
    } else {
      m = nameMeaning(name);
    }
    if (m === undefined) return undefined;
    meaning = combine(meaning, m, power);
  }
  return meaning;
}

/** A number as a meaning, its decimal exponent kept apart (`1e5` is `1 * 10^5`). */
function literal(x: number): UnitMeaning {
  const [f, e] = x.toExponential().split('e') as [string, string];
  return scalarMeaning(Number(f), Number(e));
}
