/**
 * The bridge between mathjs units (inside the sandbox) and tk-core's
 * {@link Quantity} (tk-core's units after pint, everywhere else). Only unit
 * strings cross it: tk-core spells products `kg*m^2/s^2` and quotients of
 * several units `W/(m^2*Hz)` (pint's grammar: `/` applies to the next
 * factor only), mathjs spells them `kg m^2 / s^2`; a few names differ
 * (`Ω` is mathjs's `ohm`, `tempC` its `degC`). Units neither library knows (`counts`, `ADU`) become base
 * units of the private mathjs instance, so they flow through arithmetic and
 * come back as the same opaque label.
 *
 * @module
 */
import type { MathJsInstance, Unit } from 'mathjs';
import { excerpt, MAX_UNIT_TEXT, type Magnitude, Quantity } from '../../../units/quantity.js';
import { temperatureUnit } from '../../../units/temperature.js';
import { parseUnitTerms } from '../../../units/unit-parser.js';
import { expressionMeaning } from '../../../units/unit-registry.js';
import { type CustomUnitBudget, CustomUnits } from './custom-units.js';
import { expressionFault } from './errors.js';
import type { Meter } from './meter.js';
import { PackedUnits } from './packed.js';
import { PintUnits } from './pint-units.js';
import { unitLeaf } from './unit-arrays.js';

/** tk-core names (pint's, and js-quantities' read before) that mathjs spells differently. */
const TO_MATHJS: Readonly<Record<string, string>> = {
  Ω: 'ohm',
  kΩ: 'kohm',
  MΩ: 'Mohm',
  mΩ: 'mohm',
  Ohm: 'ohm',
  kOhm: 'kohm',
  MOhm: 'Mohm',
  mOhm: 'mohm',
};

/** mathjs names that tk-core spells differently. */
const MATHJS_TO_TK: Readonly<Record<string, string>> = {
  deltadegC: 'delta_degC',
  deltadegF: 'delta_degF',
};

/**
 * The mathjs unit of each temperature unit tk-core reads (temperature.ts):
 * `degC` and `degF` are mathjs's offset units; the differences are units of
 * this instance (mathjs names allow no `_`).
 */
const TEMPERATURE_TO_MATHJS: Readonly<Record<string, string>> = {
  degC: 'degC',
  degF: 'degF',
  K: 'K',
  degR: 'degR',
  delta_degC: 'deltadegC',
  delta_degF: 'deltadegF',
};

/** The mathjs spelling of a single temperature unit (`°C` → `degC`), or undefined. */
function mathTemperature(units: string): string | undefined {
  const t = temperatureUnit(units);
  if (t === undefined) return undefined;
  // a prefixed kelvin (mK) is mathjs's own spelling; µ is u there
  return TEMPERATURE_TO_MATHJS[t.name] ?? t.name.replace(/^[µμ]/, 'u');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Converts units and values between the private mathjs instance and tk-core. */
export class UnitBridge {
  readonly #math: MathJsInstance;
  /** The unit names learned, within their budgets. */
  readonly #custom: CustomUnits;
  /** tk-core's units with pint's meaning (pint-units.ts): not learned, outside the budget. */
  readonly #pint: PintUnits;
  /** tk-core unit string → mathjs unit string. */
  readonly #toMath = new Map<string, string>();
  /** mathjs unit string → a Unit of value 1 in it, cloned for each value (parsing a unit string costs more). */
  readonly #templates = new Map<string, Template>();
  /** The tk-core spelling of each single-part unit last converted back, by mathjs unit definition. */
  readonly #spelled = new Map<unknown, { prefix: unknown; power: number; text: string }>();

  constructor(math: MathJsInstance, budget: CustomUnitBudget) {
    this.#math = math;
    this.#custom = new CustomUnits(math, budget);
    this.#pint = new PintUnits(math);
    const U = (
      math as unknown as { Unit: { createUnitSingle(name: string, def: unknown): unknown; UNITS: object } }
    ).Unit;
    // temperature differences (pint's delta_degC, delta_degF): kelvin-sized units without an offset
    if (!Object.hasOwn(U.UNITS, 'deltadegC')) {
      U.createUnitSingle('deltadegC', { definition: math.unit(1, 'K') });
      U.createUnitSingle('deltadegF', { definition: math.unit(5 / 9, 'K') });
    }
  }

  /** The time budget the loops over array elements report to (set by the sandbox). */
  meter: Meter | undefined;

  /** How many unknown unit names this bridge has learned (see {@link CustomUnits}). */
  get customUnitCount(): number {
    return this.#custom.size;
  }

  /** Marks the start of one evaluation: unit names learned until its end are the expression's. */
  beginEvaluation(): void {
    this.#custom.begin();
  }

  /** Marks its end; a failed evaluation (`ok` false) leaves no unit name behind. */
  endEvaluation(ok: boolean): void {
    if (this.#custom.end(ok)) {
      // the caches may hold units that no longer exist
      this.#toMath.clear();
      this.#templates.clear();
      this.#spelled.clear();
    }
  }

  /**
   * The mathjs spelling of a tk-core unit string; learns unknown single names
   * as new base units (`owner`: the expression whose input brings them).
   */
  mathUnits(units: string, owner?: string): string {
    const known = this.#toMath.get(units);
    if (known !== undefined) return known;
    if (units.length > MAX_UNIT_TEXT) {
      // no unit parser (ours, mathjs's) sees a text this long: they are not all linear
      expressionFault(
        `the units ${excerpt(units)} are longer than ${MAX_UNIT_TEXT} characters, the most a unit text may have`,
      );
    }
    let result = mathTemperature(units) ?? this.#pintUnits(units) ?? this.#tryTranslate(units);
    if (result === undefined) {
      if (!IDENTIFIER.test(units)) {
        expressionFault(`the units ${excerpt(units)} are not known and are not a single unit name`);
      }
      this.#custom.learn(units, owner);
      result = units;
    }
    if (this.#toMath.size > 4096) this.#toMath.clear();
    this.#toMath.set(units, result);
    return result;
  }

  /**
   * The mathjs spelling of a text tk-core reads (`kPa`, `Gy/s`, `W/(m^2*Hz)`),
   * each name with pint's meaning (pint-units.ts), or undefined.
   */
  #pintUnits(units: string): string | undefined {
    if (expressionMeaning(units) === undefined) return undefined;
    const text = translateUnits(units, (name) => this.#pint.mathName(name));
    if (text === undefined) return undefined;
    try {
      this.#math.unit(1, text);
      return text;
    } catch {
      return undefined;
    }
  }

  #tryTranslate(units: string): string | undefined {
    const candidates = [units, translateUnits(units)];
    for (const c of candidates) {
      if (c === undefined) continue;
      try {
        this.#math.unit(1, c);
        return c;
      } catch {
        // try the next spelling
      }
    }
    return undefined;
  }

  /**
   * A mathjs value for a tk-core value: Quantities with units become Units,
   * others their magnitude (`owner`: the expression it is an input of).
   */
  toMath(value: unknown, owner?: string): unknown {
    if (Quantity.isQuantity(value)) {
      if (value.units === '') return value.magnitude;
      return this.#units(value.magnitude, this.mathUnits(value.units, owner));
    }
    return value;
  }

  /** A mathjs Unit of `magnitude` in tk-core `units`. */
  unit(magnitude: Magnitude, units: string): unknown {
    if (units.trim() === '') return magnitude;
    return this.#units(magnitude, this.mathUnits(units.trim()));
  }

  /** Units of the magnitude's leaves in the mathjs unit string `mu` (what `math.unit(x, mu)` gives). */
  #units(magnitude: Magnitude, mu: string): unknown {
    let template = this.#templates.get(mu);
    if (template === undefined) {
      const unit = this.#math.unit(1, mu) as Template['unit'];
      // one unit: _normalize(x) is x * _normalize(1), the same operations (a product of several is not)
      const factor =
        typeof unit._normalize === 'function' && unit.units.length === 1 ? unit._normalize(1) : undefined;
      template = { unit, factor: typeof factor === 'number' ? factor : undefined };
      if (this.#templates.size > 4096) this.#templates.clear();
      this.#templates.set(mu, template);
    }
    const t = template.unit;
    if (typeof t._normalize !== 'function') return mapLeaves(magnitude, (x) => this.#math.unit(x, mu));
    const factor = template.factor;
    if (factor !== undefined && typeof magnitude === 'number') {
      const u = t.clone() as Unit & { value: number };
      u.value = magnitude * factor;
      return u;
    }
    if (typeof magnitude === 'number') {
      const u = t.clone() as Unit & { value: number };
      u.value = t._normalize(magnitude);
      return u;
    }
    // an array: its elements share one copy of the template as their prototype (unit-arrays.ts);
    // without an offset, x * factor is what _normalize(x) computes (see above)
    const proto = t.clone();
    if (magnitude.length > 0 && this.meter !== undefined && isFlatNumbers(magnitude, this.meter)) {
      // a row of numbers: packed (packed.ts), the magnitudes kept as they are when one factor normalizes them
      if (factor !== undefined) return new PackedUnits(proto, magnitude as number[], factor);
      const values = (magnitude as number[]).map((x) => t._normalize!(x));
      this.meter.tick(16 * values.length);
      return new PackedUnits(proto, values, 1);
    }
    const part = t.units[0] as { unit: { offset?: number } } | undefined;
    if (factor !== undefined && part !== undefined && part.unit.offset === 0) {
      return mapCounted(magnitude, (x) => unitLeaf(proto, x * factor), this.meter);
    }
    return mapCounted(magnitude, (x) => unitLeaf(proto, t._normalize!(x)), this.meter);
  }

  /** The tk-core unit string of a mathjs Unit. */
  tkUnits(u: Unit): string {
    if (u.units.length !== 1) return this.#spell(u);
    // one part (the common case): its spelling is kept by unit definition, prefix and power
    const part = u.units[0]!;
    const last = this.#spelled.get(part.unit);
    if (last !== undefined && last.prefix === part.prefix && last.power === part.power) return last.text;
    const text = this.#spell(u);
    // bounded by the number of unit definitions (mathjs's and at most maxCustomUnits of ours)
    this.#spelled.set(part.unit, { prefix: part.prefix, power: part.power, text });
    return text;
  }

  #spell(u: Unit): string {
    const num: string[] = [];
    const den: string[] = [];
    for (const part of u.units) {
      const prefix = (part.prefix as unknown as { name?: string } | null)?.name ?? '';
      const base = `${prefix}${part.unit.name}`;
      const name = Object.hasOwn(MATHJS_TO_TK, base)
        ? MATHJS_TO_TK[base]!
        : (this.#pint.tkName(base) ?? base);
      const p = Math.abs(part.power);
      const text = p === 1 ? name : `${name}^${p}`;
      (part.power > 0 ? num : den).push(text);
    }
    if (num.length === 0 && den.length === 0) return '';
    const over = den.length === 0 ? '' : den.length === 1 ? `/${den[0]}` : `/(${den.join('*')})`;
    return `${num.length === 0 ? '1' : num.join('*')}${over}`;
  }

  /**
   * The units of `u` simplified the same way whatever was evaluated before:
   * parts of one unit and prefix are merged (`m*m/m` is `m`, `km*km` is
   * `km^2`), different units are kept as written (`km*m`, `kg*m/s^2`, as pint
   * keeps them), and a result without dimensions is a plain value (`m/km` is
   * 0.001). mathjs's own `simplify()` reads its "auto" unit system, which
   * every unit text parsed in the instance rewrites: a result then depended
   * on which expressions had run before (issue 10 item 9).
   */
  simplify(u: Unit): Unit {
    const parts = u.units;
    if (parts.length === 0) return u;
    const dims = (u as Unit & { dimensions: number[] }).dimensions;
    if (dims.every((d) => Math.abs(d) < 1e-12)) {
      if (parts.length === 1 && parts[0]!.power === 1) return u; // rad, %, a one-part dimensionless unit
      const plain = u.clone();
      plain.units = [];
      return plain;
    }
    if (parts.length === 1) return u;
    const merged: { unit: unknown; prefix: unknown; power: number }[] = [];
    for (const part of parts) {
      const same = merged.find((q) => q.unit === part.unit && q.prefix === part.prefix);
      if (same === undefined) merged.push({ unit: part.unit, prefix: part.prefix, power: part.power });
      else same.power += part.power;
    }
    const kept = merged.filter((q) => Math.abs(q.power) > 1e-12);
    if (kept.length === parts.length) return u;
    const ret = u.clone();
    ret.units = kept as Unit['units'];
    return ret;
  }

  /** A tk-core Quantity for a mathjs Unit (its value in its own units). */
  toQuantity(u: Unit): Quantity {
    if (u.value === null) expressionFault(`the result is a unit without a value (${u.toString()})`);
    const simple = this.simplify(u);
    const units = this.tkUnits(simple);
    // the value in the unit's own units, as toNumeric(formatUnits()) gives it, without parsing
    return new Quantity(numericOf(simple), units);
  }
}

/** A Unit of value 1 cloned for each value, and its normalization factor when it has one unit. */
interface Template {
  readonly unit: Unit & { _normalize?: (x: number) => number };
  readonly factor: number | undefined;
}

/** What `u.toNumeric()` gives (the value in the unit's own units), without the copy of `u` it makes. */
function numericOf(u: Unit): number {
  const x = u as Unit & {
    value: unknown;
    _isDerived?: () => boolean;
    _denormalize?: (value: unknown, prefixValue?: unknown) => unknown;
  };
  if (typeof x._denormalize !== 'function' || typeof x._isDerived !== 'function')
    return u.toNumeric() as number;
  const parts = u.units;
  return (
    x._isDerived() || parts.length === 0
      ? x._denormalize(x.value)
      : x._denormalize(x.value, (parts[0]!.prefix as unknown as { value: unknown }).value)
  ) as number;
}

/**
 * A tk-core unit text in mathjs spelling, read by tk-core's unit parser
 * (pint's grammar: `kg*m/s^2`, `kg m / s`, `W/(m^2*Hz)`, `mm**2`, and
 * js-quantities' `kg*m2/s2`, still read): `kg m^2 / (s^2)`. Undefined when the text is
 * not a unit expression or has a number other than 1. `named`: the mathjs
 * name of a tk-core name, when it has one (pint-units.ts).
 */
function translateUnits(text: string, named?: (name: string) => string | undefined): string | undefined {
  const terms = parseUnitTerms(text);
  if (terms === undefined) return undefined;
  const num: string[] = [];
  const den: string[] = [];
  for (const { name, power } of terms) {
    if (typeof name === 'number') {
      if (name !== 1) return undefined;
      continue;
    }
    const spelled =
      mathTemperature(name) ??
      named?.(name) ??
      (Object.hasOwn(TO_MATHJS, name) ? TO_MATHJS[name]! : name.replace(/^[µμ]/, 'u'));
    const p = Math.abs(power);
    (power > 0 ? num : den).push(p === 1 ? spelled : `${spelled}^${p}`);
  }
  const n = num.join(' ');
  if (den.length === 0) return n === '' ? undefined : n;
  // not `1 / (s)`: mathjs reads that as a unit with a value, which .to() refuses
  if (n === '') return den.map((d) => (d.includes('^') ? d.replace('^', '^-') : `${d}^-1`)).join(' ');
  return `${n} / (${den.join(' ')})`;
}

/** Whether `m` is a 1-D array of numbers (the check reported to `meter`). */
function isFlatNumbers(m: readonly unknown[], meter: Meter): boolean {
  for (let i = 0; i < m.length; i++) if (typeof m[i] !== 'number') return false;
  meter.tick(m.length);
  return true;
}

/** Like mapLeaves, each row reported to `meter`. */
function mapCounted(m: Magnitude, fn: (x: number) => unknown, meter: Meter | undefined): unknown {
  if (typeof m === 'number') return fn(m);
  const out = new Array<unknown>(m.length);
  for (let i = 0; i < m.length; i++) {
    const x = m[i]!;
    out[i] = typeof x === 'number' ? fn(x) : mapCounted(x, fn, meter);
    if ((i & 1023) === 1023) meter?.tick(4096);
  }
  meter?.tick((m.length & 1023) * 4);
  return out;
}

function mapLeaves(m: Magnitude, fn: (x: number) => unknown): unknown {
  return typeof m === 'number' ? fn(m) : m.map((x) => mapLeaves(x, fn));
}
