/**
 * tk-core's units (unit-table.ts, after pint) in the sandbox's private
 * mathjs instance, with pint's meaning. mathjs lacks many of them (`Gy`,
 * `sr`, `mas`, `nmi`, `pc`, `%`, prefixes it does not allow on a unit:
 * `kmin`, `yoctom`) and reads a few differently (`eV`, `torr`, `mmHg` and
 * `psi` with other factors, `ch` a chain where pint reads a centi-hour).
 * Each tk-core unit name an expression or an input uses is checked once
 * against mathjs's reading of it: when mathjs reads it with pint's factor
 * and dimension it is left to mathjs, otherwise it becomes a unit of the
 * instance with pint's factor and dimension, replacing mathjs's own unit of
 * that name: pint wins, as tk-core follows pint (Taurus). These are not
 * names learned from users: they take nothing from the custom-unit budget
 * (custom-units.ts), and there are at most as many as tk-core reads
 * (the table's names with a prefix or a plural).
 *
 * One deliberate difference stays: mathjs gives angles a dimension of their
 * own, pint counts the radian as dimensionless. Units tk-core defines from
 * the radian (`sr`, `turn`, `mas`, `rpm`, `lm`, `lx`) keep that angle
 * dimension here, so they convert into each other and into `rad` as in
 * pint, and trigonometric functions take them.
 *
 * @module
 */
import type { MathJsInstance, Unit } from 'mathjs';
import { factorOf } from '../../../units/dimension.js';
import { parseUnitTerms } from '../../../units/unit-parser.js';
import { nameMeaning, unitNameParts } from '../../../units/unit-registry.js';
import { DERIVED_UNITS } from '../../../units/unit-table.js';

/** The parts of mathjs's Unit class this module touches. */
interface MathUnitClass {
  createUnitSingle(name: string, definition: { definition: Unit; prefixes?: string }): unknown;
  deleteUnit(name: string): void;
  readonly BASE_DIMENSIONS: string[];
  readonly PREFIXES: Record<string, unknown>;
  readonly UNITS: Record<string, { prefixes: unknown }>;
}

/** mathjs's dimension of each of tk-core's (dimension.ts order). */
const MATHJS_DIMENSIONS = [
  'LENGTH',
  'MASS',
  'TIME',
  'CURRENT',
  'TEMPERATURE',
  'AMOUNT_OF_SUBSTANCE',
  'LUMINOUS_INTENSITY',
];

let angles: Map<string, number> | undefined;

/** The power of the radian in each entry of the table (`sr` 2, `rpm` 1, `Hz` 0), by each of its names. */
function angleTable(): Map<string, number> {
  const t = new Map<string, number>();
  for (const entry of DERIVED_UNITS.split(';')) {
    const [names, definition] = entry.split('=') as [string, string];
    let power = 0;
    if (names.startsWith('rad ')) power = 1;
    else {
      for (const { name, power: p } of parseUnitTerms(definition) ?? []) {
        if (typeof name !== 'string') continue;
        const parts = t.has(name) ? { unit: name } : unitNameParts(name);
        power += p * (parts === undefined ? 0 : (t.get(parts.unit) ?? 0));
      }
    }
    for (const name of names.split(' ')) t.set(name, power);
  }
  return t;
}

/**
 * The power of the radian in a unit name of tk-core's table (`mas` 1, `kHz`
 * 0, `msr` 2): the angle dimension mathjs gives it. Undefined when the name
 * is not one of the table's.
 */
export function angleExponent(name: string): number | undefined {
  const parts = unitNameParts(name);
  if (parts === undefined) return undefined;
  angles ??= angleTable();
  return angles.get(parts.unit) ?? 0;
}

const VALID = /^[A-Za-z][A-Za-z0-9]*$/;

/** The mathjs units of one instance that carry tk-core's (pint's) meaning. */
export class PintUnits {
  readonly #math: MathJsInstance;
  readonly #unit: MathUnitClass;
  /** tk-core name → the mathjs name with its meaning (null: not a name of the table). */
  readonly #names = new Map<string, string | null>();
  /** mathjs name → tk-core name, for the units defined here under another name (`%`, `light_year`). */
  readonly #spelling = new Map<string, string>();

  constructor(math: MathJsInstance) {
    this.#math = math;
    this.#unit = (math as unknown as { Unit: MathUnitClass }).Unit;
  }

  /** The units this instance defined or replaced, by mathjs name. */
  readonly #defined = new Set<string>();

  /** How many units this instance defined or replaced. */
  get size(): number {
    return this.#defined.size;
  }

  /**
   * The mathjs name of the tk-core unit `name` (one name, with an optional
   * prefix and plural: `kPa`, `µrad`, `Gy`, `%`), which mathjs reads with
   * pint's factor and dimension; defines it in the instance when mathjs
   * does not. Undefined when `name` is not a name of tk-core's table (a
   * temperature, `counts`, a mathjs-only name).
   */
  mathName(name: string): string | undefined {
    let known = this.#names.get(name);
    if (known === undefined) {
      try {
        known = this.#resolve(name) ?? null;
      } catch {
        known = null; // mathjs refused the definition: the name goes the way of the others
      }
      this.#names.set(name, known);
    }
    return known ?? undefined;
  }

  /** The tk-core spelling of a unit this instance defined under another name, or undefined. */
  tkName(mathName: string): string | undefined {
    return this.#spelling.get(mathName);
  }

  #resolve(name: string): string | undefined {
    const meaning = nameMeaning(name);
    const angle = angleExponent(name);
    if (meaning === undefined || angle === undefined) return undefined;
    const factor = factorOf(meaning);
    const dims = new Array<number>(this.#unit.BASE_DIMENSIONS.length).fill(0);
    MATHJS_DIMENSIONS.forEach((d, i) => {
      dims[this.#unit.BASE_DIMENSIONS.indexOf(d)] = meaning.d[i]!;
    });
    dims[this.#unit.BASE_DIMENSIONS.indexOf('ANGLE')] = angle;
    // mathjs spells micro `u` and the ohm `ohm`
    const ascii = name.replace(/^[µμ]/, 'u').replace(/Ω$/, 'ohm');
    const valid = VALID.test(ascii);
    if (valid && this.#agrees(ascii, factor, dims)) return ascii;
    const mathName = valid
      ? ascii
      : `tk${[...ascii].map((c) => (VALID.test(c) ? c : `X${c.codePointAt(0)}X`)).join('')}`;
    const U = this.#unit;
    let prefixes: string | undefined;
    if (Object.hasOwn(U.UNITS, mathName)) {
      // mathjs's own unit of that name means something else: pint's replaces it, with its prefixes
      const own = U.UNITS[mathName]!.prefixes;
      prefixes = Object.keys(U.PREFIXES).find((k) => U.PREFIXES[k] === own);
      U.deleteUnit(mathName);
    }
    const definition = this.#math.unit(1, 'm') as Unit & { value: number; dimensions: number[] };
    definition.value = factor;
    definition.dimensions = dims;
    U.createUnitSingle(mathName, prefixes === undefined ? { definition } : { definition, prefixes });
    this.#defined.add(mathName);
    if (mathName !== ascii || !valid) this.#spelling.set(mathName, name);
    return mathName;
  }

  /** Whether mathjs reads `mathName` as `factor` SI units of dimension `dims`, within 1e-12. */
  #agrees(mathName: string, factor: number, dims: readonly number[]): boolean {
    let u: Unit & { value: number; dimensions: number[] };
    try {
      u = this.#math.unit(1, mathName) as typeof u;
    } catch {
      return false;
    }
    const v = u.value;
    if (Math.abs(v - factor) > 1e-12 * Math.max(Math.abs(v), Math.abs(factor))) return false;
    for (let i = 0; i < Math.max(dims.length, u.dimensions.length); i++) {
      if (Math.abs((u.dimensions[i] ?? 0) - (dims[i] ?? 0)) > 1e-12) return false;
    }
    return true;
  }
}
