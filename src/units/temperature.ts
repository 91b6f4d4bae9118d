/**
 * Temperatures as Taurus (pint) reads them. `degC`, `°C`, `ºC`, `celsius`
 * are absolute Celsius temperatures (pint's offset unit `degree_Celsius`),
 * likewise `degF` and `°F`; `K` and `degR` are absolute too, without an
 * offset; `delta_degC` and `delta_degF` are temperature differences.
 * js-quantities, which tk-core used before, spelled these
 * `tempC`/`tempF`/`tempK`/`tempR`: those spellings are still read. A temperature converts to any other one as pint does
 * (`20 degC` is `293.15 K` and `68 degF`; `20 delta_degC` is `20 K`).
 *
 * @module
 */

/** What a temperature unit is: `kelvin = value * scale + offset`. */
export interface TemperatureUnit {
  /** Kelvins per unit. */
  readonly scale: number;
  /** Kelvins at zero of the unit (0 for K, degR and differences). */
  readonly offset: number;
  /** Whether the unit is a difference of temperatures (`delta_degC`). */
  readonly delta: boolean;
  /** pint's short name: `degC`, `degF`, `K`, `degR`, `delta_degC`, `delta_degF`. */
  readonly name: string;
}

const C: TemperatureUnit = { scale: 1, offset: 273.15, delta: false, name: 'degC' };
const F: TemperatureUnit = { scale: 5 / 9, offset: (459.67 * 5) / 9, delta: false, name: 'degF' };
const K: TemperatureUnit = { scale: 1, offset: 0, delta: false, name: 'K' };
const R: TemperatureUnit = { scale: 5 / 9, offset: 0, delta: false, name: 'degR' };
const DC: TemperatureUnit = { scale: 1, offset: 0, delta: true, name: 'delta_degC' };
const DF: TemperatureUnit = { scale: 5 / 9, offset: 0, delta: true, name: 'delta_degF' };

/** Every spelling of a temperature unit tk-core reads, as pint means it (and the `temp*` names of js-quantities, read before). */
export const TEMPERATURE_UNITS: ReadonlyMap<string, TemperatureUnit> = new Map<string, TemperatureUnit>([
  ['degC', C],
  ['°C', C],
  ['ºC', C], // U+00BA, the ordinal indicator: Taurus defines it as a Celsius temperature
  ['celsius', C],
  ['degree_Celsius', C],
  ['degreeC', C],
  ['tempC', C],
  ['degF', F],
  ['°F', F],
  ['fahrenheit', F],
  ['degree_Fahrenheit', F],
  ['degreeF', F],
  ['tempF', F],
  ['K', K],
  ['kelvin', K],
  ['degK', K],
  ['tempK', K],
  ['degR', R],
  ['°R', R],
  ['rankine', R],
  ['degree_Rankine', R],
  ['tempR', R],
  ['delta_degC', DC],
  ['delta_°C', DC],
  ['delta_ºC', DC],
  ['delta_celsius', DC],
  ['delta_degree_Celsius', DC],
  ['Δ°C', DC],
  ['ΔºC', DC],
  ['delta_degF', DF],
  ['delta_°F', DF],
  ['delta_fahrenheit', DF],
  ['delta_degree_Fahrenheit', DF],
  ['Δ°F', DF],
]);

/** SI prefixes read before `K` (`mK`, `µK`): kelvins per unit. */
const KELVIN_PREFIXES: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  µ: 1e-6,
  μ: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
};

const prefixedKelvins = new Map<string, TemperatureUnit>();

/** The temperature unit `units` names (one unit, no power, `K` with an SI prefix too), or undefined. */
export function temperatureUnit(units: string): TemperatureUnit | undefined {
  const known = TEMPERATURE_UNITS.get(units);
  if (known !== undefined || units.length !== 2 || units[1] !== 'K') return known;
  const scale = KELVIN_PREFIXES[units[0]!];
  if (scale === undefined) return undefined;
  let t = prefixedKelvins.get(units);
  if (t === undefined) {
    t = { scale, offset: 0, delta: false, name: units };
    prefixedKelvins.set(units, t);
  }
  return t;
}

/** A converter of values between two temperature units, as pint converts them. */
export function temperatureConverter(from: TemperatureUnit, to: TemperatureUnit): (value: number) => number {
  if (from === to) return (v) => v;
  return (v) => (v * from.scale + from.offset - to.offset) / to.scale;
}
