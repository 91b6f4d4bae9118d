/**
 * How Python (and so Taurus, whose default display of a value without a
 * precision is `"{0}".format(value)`) prints values: floats in their shortest
 * round-trip form with Python's switch to exponent notation, booleans as
 * `True`/`False`, numeric arrays as numpy does (`[1 2 3]`, `[0.1  0.25 3.  ]`).
 *
 * @module
 */
import { Quantity } from '../../units/quantity.js';

/** Digits and exponent of the shortest round-trip form of a finite non-zero `|x|`. */
function shortest(x: number): { digits: string; exp: number } {
  const s = Math.abs(x).toExponential(); // "1.2345e-7": as many digits as needed to round-trip
  const e = s.indexOf('e');
  return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) };
}

function exponent(exp: number): string {
  const a = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
}

/**
 * Python's `repr(float)`: `0.1`, `1e-05`, `1e+16`, `2.0`, `inf`, `nan`, `-0.0`.
 * With `integral: false` an integral value prints without `.0` (a Python int).
 */
export function pythonFloat(x: number, integral = true): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? (integral ? '-0.0' : '0') : integral ? '0.0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = shortest(x);
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mant}${exponent(exp)}`;
  }
  let text: string;
  if (exp < 0) text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length > exp + 1) text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else {
    text = digits + '0'.repeat(exp + 1 - digits.length);
    if (integral) text += '.0';
  }
  return sign + text;
}

/** Python's `str(int)` for a safe integer, else its float form. */
export function pythonNumber(x: number, asFloat: boolean): string {
  if (!asFloat && Number.isInteger(x)) {
    return Object.is(x, -0) ? '0' : Math.abs(x) < 1e21 ? String(x) : BigInt(x).toString();
  }
  return pythonFloat(x, true);
}

const MAX_SHOWN = 1000; // numpy's threshold: longer arrays are summarised
const EDGE = 3; // numpy's edgeitems

function flatNumbers(m: readonly unknown[]): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'number') out.push(v);
  };
  walk(m);
  return out;
}

/**
 * One formatter for every element of a numpy array, as numpy's default
 * `str()` picks it: integers right-aligned; floats in positional notation
 * padded to one width (`[0.1  0.25 3.  ]`), or in scientific notation when
 * the values span more than 1e3 or reach 1e16 or go below 1e-4.
 */
function numpyElementFormatter(values: readonly number[], asFloat: boolean): (x: number) => string {
  const finite = values.filter(Number.isFinite);
  if (!asFloat && values.every((v) => Number.isInteger(v))) {
    const width = Math.max(1, ...values.map((v) => String(v).length));
    return (x) => String(x).padStart(width);
  }
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const max = abs.length ? Math.max(...abs) : 0;
  const min = abs.length ? Math.min(...abs) : 0;
  const special = (x: number) => (Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');
  if (max >= 1e16 || (min < 1e-4 && min > 0) || (min > 0 && max / min > 1e3)) {
    // scientific: one mantissa precision for all (the longest unique one, at most 8)
    let prec = 0;
    for (const v of finite) {
      if (v === 0) continue;
      prec = Math.max(prec, Math.min(8, shortest(v).digits.replace(/0+$/, '').length - 1));
    }
    const items = (x: number) => {
      if (!Number.isFinite(x)) return special(x);
      const s = x.toExponential(prec);
      const e = s.indexOf('e');
      const mant = s.slice(0, e);
      const exp = Number(s.slice(e + 1));
      return `${prec === 0 ? `${mant}.` : mant}${exponent(exp)}`;
    };
    const width = Math.max(...values.map((v) => items(v).length));
    return (x) => items(x).padStart(width);
  }
  // positional: the longest unique fraction (at most 8 digits), padded with spaces to one width
  let frac = 0;
  let intWidth = 1;
  for (const v of finite) {
    const r = Number(v.toFixed(8));
    const s = Math.abs(r).toString();
    const dot = s.indexOf('.');
    frac = Math.max(frac, dot < 0 ? 0 : s.length - dot - 1);
    intWidth = Math.max(intWidth, (dot < 0 ? s.length : dot) + (r < 0 ? 1 : 0));
  }
  const items = (x: number) => {
    if (!Number.isFinite(x)) return special(x);
    const r = Number(x.toFixed(8));
    const s = Math.abs(r).toString();
    const dot = s.indexOf('.');
    const int = `${r < 0 || Object.is(r, -0) ? '-' : ''}${dot < 0 ? s : s.slice(0, dot)}`;
    const f = dot < 0 ? '' : s.slice(dot + 1);
    return `${int.padStart(intWidth)}.${f.padEnd(frac)}`;
  };
  return items;
}

function numpyArray(m: readonly unknown[], fmt: (x: number) => string, indent: number): string {
  const parts = (list: readonly unknown[]) => {
    const shown =
      list.length > EDGE * 2 && countLeaves(m) > MAX_SHOWN
        ? [...list.slice(0, EDGE), '...', ...list.slice(-EDGE)]
        : list;
    return shown.map((v) =>
      v === '...' ? '...' : Array.isArray(v) ? numpyArray(v, fmt, indent + 1) : fmt(v as number),
    );
  };
  const inner = parts(m);
  if (m.length > 0 && Array.isArray(m[0])) return `[${inner.join(`\n${' '.repeat(indent + 1)}`)}]`;
  return `[${inner.join(' ')}]`;
}

function countLeaves(m: readonly unknown[]): number {
  let n = 0;
  for (const v of m) n += Array.isArray(v) ? countLeaves(v) : 1;
  return n;
}

/** numpy's `str()` of a numeric array (of any depth). */
export function numpyStr(m: readonly unknown[], asFloat = false): string {
  const leaves = flatNumbers(m);
  return numpyArray(m, numpyElementFormatter(leaves, asFloat), 0);
}

/**
 * Python's `str(value)` for the values a reading carries: numbers as Python
 * prints them (floats when `asFloat`), Quantities as `<magnitude> <units>`,
 * booleans `True`/`False`, strings as they are, `null` as `None`, bytes as
 * `b'...'`, arrays as numpy prints them.
 */
export function pythonStr(value: unknown, asFloat = false): string {
  if (Quantity.isQuantity(value)) {
    const m = pythonStr(value.magnitude, asFloat);
    return value.units === '' ? m : `${m} ${value.units}`;
  }
  if (typeof value === 'number') return pythonNumber(value, asFloat);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return 'None';
  if (value instanceof Uint8Array) return pythonBytes(value);
  if (Array.isArray(value)) {
    if (value.length > 0 && flatNumbers(value).length === countLeaves(value)) return numpyStr(value, asFloat);
    if (value.every((v) => typeof v === 'boolean')) {
      return `[${value.map((v) => (v ? ' True' : 'False')).join(' ')}]`;
    }
    return `[${value.map((v) => (typeof v === 'string' ? `'${v}'` : pythonStr(v, asFloat))).join(', ')}]`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function pythonBytes(b: Uint8Array): string {
  let s = "b'";
  for (const c of b) {
    if (c === 0x5c) s += '\\\\';
    else if (c === 0x27) s += "\\'";
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${s}'`;
}
