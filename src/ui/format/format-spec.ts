/**
 * Python's format-specification mini-language (`format(value, spec)`), the
 * engine behind both kinds of format string an attribute may carry: Python
 * style (`{:.3f}`) and printf style (`%6.3f`, translated to the same spec).
 *
 * `[[fill]align][sign][z][#][0][width][,|_][.precision][type]`, plus pint's
 * `~` (abbreviated units), which tk-core accepts and ignores: units are kept
 * as the attribute spells them.
 *
 * @module
 */
import { TkError } from '../../errors/tk-error.js';
import { Quantity } from '../../units/quantity.js';
import { pythonFloat, pythonStr } from './python-str.js';

/** A parsed format specification. */
export interface FormatSpec {
  /** Fill character (default space). */
  readonly fill: string;
  /** `<`, `>`, `^`, `=`, or `''` for the type's default. */
  readonly align: '' | '<' | '>' | '^' | '=';
  /** `+`, `-`, `' '`. */
  readonly sign: '' | '+' | '-' | ' ';
  /** `#`: alternate form. */
  readonly alternate: boolean;
  /** Minimum width (0 for none). */
  readonly width: number;
  /** `,` or `_` thousands separator, or `''`. */
  readonly grouping: '' | ',' | '_';
  /** Precision, or undefined. */
  readonly precision: number | undefined;
  /** Presentation type, or `''`. */
  readonly type: string;
  /** printf's `%d` of a non-integer: truncate instead of refusing. */
  readonly truncate?: boolean;
}

/** A format string or specification that cannot be used. */
export class FormatError extends TkError {
  constructor(message: string, format: string) {
    super('CONFIG', message, { details: { format } });
  }
}

const SPEC = /^(?:(.)?([<>^=]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;
const MAX_WIDTH = 1000;

/** Parses a Python format spec (without the braces and colon). Throws {@link FormatError}. */
export function parseFormatSpec(spec: string, whole: string = spec): FormatSpec {
  const text = spec.replace(/~/g, '');
  const m = SPEC.exec(text);
  if (m === null) {
    throw new FormatError(
      `Invalid format specification ${JSON.stringify(spec)} in ${JSON.stringify(whole)}: expected [[fill]align][sign][#][0][width][,][.precision][type], e.g. ".3f", ">8.2e" or ","`,
      whole,
    );
  }
  let fill = m[1] ?? ' ';
  let align = (m[2] ?? '') as FormatSpec['align'];
  if (m[6] !== undefined && m[2] === undefined) {
    fill = '0';
    align = '=';
  }
  const width = m[7] === undefined ? 0 : Number(m[7]);
  const precision = m[9] === undefined ? undefined : Number(m[9]);
  if (width > MAX_WIDTH || (precision ?? 0) > 100) {
    throw new FormatError(
      `Format ${JSON.stringify(whole)} asks for ${width > MAX_WIDTH ? `a width of ${width}` : `a precision of ${precision}`}: at most width ${MAX_WIDTH} and precision 100`,
      whole,
    );
  }
  return {
    fill,
    align,
    sign: (m[3] ?? '') as FormatSpec['sign'],
    alternate: m[5] !== undefined,
    width,
    grouping: (m[8] ?? '') as FormatSpec['grouping'],
    precision,
    type: m[10] ?? '',
  };
}

function group(int: string, sep: string, every = 3): string {
  if (sep === '') return int;
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % every === 0) out += sep;
    out += int[i];
  }
  return out;
}

function pad(body: string, sign: string, spec: FormatSpec, defaultAlign: '<' | '>'): string {
  const len = sign.length + body.length;
  if (len >= spec.width) return sign + body;
  const n = spec.width - len;
  const fill = spec.fill.repeat(n);
  switch (spec.align || defaultAlign) {
    case '<':
      return sign + body + fill;
    case '^': {
      const left = Math.floor(n / 2);
      return spec.fill.repeat(left) + sign + body + spec.fill.repeat(n - left);
    }
    case '=':
      return sign + fill + body;
    default:
      return fill + sign + body;
  }
}

function exp2(s: string): string {
  // JS "1.5e+3" -> Python "1.5e+03"
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function gFormat(a: number, p: number, alternate: boolean, upper: boolean): string {
  const prec = p === 0 ? 1 : p;
  if (a === 0) return alternate ? `0.${'0'.repeat(prec - 1)}` : '0';
  const exp = Number(exponential(a, prec - 1).split('e')[1]);
  let s: string;
  if (exp >= -4 && exp < prec) s = fixed(a, prec - 1 - exp);
  else s = exp2(exponential(a, prec - 1));
  if (!alternate) {
    s = s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
  } else if (!s.includes('.')) {
    s = s.replace(/(e|$)/, '.$1');
  }
  return upper ? s.toUpperCase() : s;
}

/** `format(n, spec)` for a number, as Python does. */
export function formatNumber(n: number, spec: FormatSpec, integral = false): string {
  let type = spec.type;
  if (type === 'n') type = integral ? 'd' : 'g';
  if (type === 'd' || type === 'b' || type === 'o' || type === 'x' || type === 'X' || type === 'c') {
    if (!Number.isInteger(n)) {
      if (!spec.truncate || !Number.isFinite(n)) {
        throw new FormatError(
          `Format code '${type}' needs an integer, got ${pythonFloat(n)}: use 'f', 'e' or 'g' for non-integers`,
          type,
        );
      }
      n = Math.trunc(n);
    }
  }
  const neg = n < 0 || Object.is(n, -0);
  const a = Math.abs(n);
  const sign = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  let body: string;
  if (!Number.isFinite(a)) {
    body = Number.isNaN(a) ? 'nan' : 'inf';
    if (type === 'E' || type === 'F' || type === 'G') body = body.toUpperCase();
    if (type === '%') body += '%';
    return pad(body, sign, { ...spec, fill: spec.fill === '0' && spec.align === '=' ? ' ' : spec.fill }, '>');
  }
  switch (type) {
    case 'd':
      body = group(intDigits(a, 10), spec.grouping);
      break;
    case 'b':
      body = (spec.alternate ? '0b' : '') + group(intDigits(a, 2), spec.grouping === '_' ? '_' : '', 4);
      break;
    case 'o':
      body = (spec.alternate ? '0o' : '') + group(intDigits(a, 8), spec.grouping === '_' ? '_' : '', 4);
      break;
    case 'x':
    case 'X': {
      const h = group(intDigits(a, 16), spec.grouping === '_' ? '_' : '', 4);
      body = (spec.alternate ? '0x' : '') + h;
      if (type === 'X') body = body.toUpperCase();
      break;
    }
    case 'c':
      return pad(String.fromCodePoint(a), '', spec, '<');
    case 'e':
    case 'E':
      body = exp2(exponential(a, spec.precision ?? 6));
      if (spec.alternate && (spec.precision ?? 6) === 0) body = body.replace('e', '.e');
      if (type === 'E') body = body.toUpperCase();
      break;
    case 'f':
    case 'F':
    case '%': {
      const v = type === '%' ? a * 100 : a;
      const s = v >= 1e21 ? bigFixed(v, spec.precision ?? 6) : fixed(v, spec.precision ?? 6);
      const [int = '', frac] = s.split('.');
      body = group(int, spec.grouping) + (frac !== undefined ? `.${frac}` : spec.alternate ? '.' : '');
      if (type === '%') body += '%';
      break;
    }
    case 'g':
    case 'G':
      body = gFormat(a, spec.precision ?? 6, spec.alternate, type === 'G');
      body = groupLeading(body, spec.grouping);
      break;
    case '':
      if (spec.precision !== undefined) {
        if (integral) {
          throw new FormatError(
            `Precision not allowed for an integer (got ${a}): give a type such as 'f' or 'g', e.g. {:.3f}`,
            `.${spec.precision}`,
          );
        }
        body = gFormat(a, spec.precision, spec.alternate, false);
        if (!body.includes('e') && !body.includes('.')) body += '.0';
      } else {
        body = integral ? intDigits(a, 10) : pythonFloat(a, true);
      }
      body = groupLeading(body, spec.grouping);
      break;
    default:
      throw new FormatError(`Format code '${type}' is not for numbers`, type);
  }
  return pad(body, sign, spec, '>');
}

/**
 * Whether `x` lies exactly half-way at the digit after `digits` in `text`
 * (text made with `digits + 1` digits after the point or the mantissa's
 * point), judged on a longer exact expansion: JS then rounds up, Python to even.
 */
function halfway(longer: string, digitsBeforeTie: number): boolean {
  const [m = ''] = longer.split('e');
  const dot = m.indexOf('.');
  const frac = dot < 0 ? '' : m.slice(dot + 1);
  return frac[digitsBeforeTie] === '5' && /^0*$/.test(frac.slice(digitsBeforeTie + 1));
}

function lastDigitOdd(text: string): boolean {
  const m = text.split('e')[0]!.replace('.', '');
  return (m.charCodeAt(m.length - 1) - 48) % 2 === 1;
}

/** `x.toFixed(p)` with Python's rounding of exact ties (to even); `x` is finite, non-negative and below 1e21. */
function fixed(x: number, p: number): string {
  const js = x.toFixed(p);
  if (p + 30 > 100 || !halfway(x.toFixed(p + 30), p) || !lastDigitOdd(js)) return js;
  const t = x.toFixed(p + 1).slice(0, -1);
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

/** `x.toExponential(p)` with Python's rounding of exact ties (to even); `x` is finite and non-negative. */
function exponential(x: number, p: number): string {
  const js = x.toExponential(p);
  if (p + 30 > 100 || !halfway(x.toExponential(p + 30), p) || !lastDigitOdd(js)) return js;
  const longer = x.toExponential(p + 1);
  const e = longer.indexOf('e');
  let mant = longer.slice(0, e - 1);
  if (mant.endsWith('.')) mant = mant.slice(0, -1);
  return mant + longer.slice(e);
}

function intDigits(a: number, radix: number): string {
  return a < 1e21 ? a.toString(radix) : BigInt(a).toString(radix);
}

function groupLeading(body: string, sep: string): string {
  if (sep === '') return body;
  const m = /^(\d+)(.*)$/s.exec(body);
  return m === null ? body : group(m[1]!, sep) + m[2];
}

function bigFixed(v: number, precision: number): string {
  // toFixed switches to exponent notation from 1e21; BigInt gives the digits of the (integral) value
  const int = BigInt(v).toString();
  return precision > 0 ? `${int}.${'0'.repeat(precision)}` : int;
}

/** `format(s, spec)` for a string. */
export function formatText(s: string, spec: FormatSpec): string {
  if (spec.type !== '' && spec.type !== 's') {
    throw new FormatError(`Format code '${spec.type}' is not for text (got ${JSON.stringify(s)})`, spec.type);
  }
  const body = spec.precision === undefined ? s : [...s].slice(0, spec.precision).join('');
  return pad(body, '', spec, '<');
}

/**
 * `format(value, spec)` for the values of readings: numbers, Quantities (the
 * spec applies to the magnitude; the units follow, as pint does), numeric
 * arrays (each element, numpy style), booleans (as integers under a numeric
 * type, as text otherwise), strings. `asFloat`: integral numbers are floats.
 */
export function formatWithSpec(value: unknown, spec: FormatSpec, asFloat = false): string {
  if (Quantity.isQuantity(value)) {
    const m = formatWithSpec(value.magnitude, spec, asFloat);
    return value.units === '' ? m : `${m} ${value.units}`;
  }
  if (typeof value === 'number') return formatNumber(value, spec, !asFloat && Number.isInteger(value));
  if (typeof value === 'boolean') {
    if (spec.type === '' || spec.type === 's') return formatText(value ? 'True' : 'False', spec);
    return formatNumber(value ? 1 : 0, spec, true);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => formatWithSpec(v, spec, asFloat)).join(' ')}]`;
  }
  return formatText(pythonStr(value, asFloat), spec);
}
