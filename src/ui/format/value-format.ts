/**
 * Display formats of values: the format an attribute carries (printf style
 * such as `%6.3f`, or Python style such as `{:.3f}`), compiled once, and
 * Taurus's default formatter (`defaultFormatDict` in Taurus's
 * `taurusbase.py`) when there is none.
 *
 * @module
 */
import { Quantity } from '../../units/quantity.js';
import { FormatError, type FormatSpec, formatWithSpec, parseFormatSpec } from './format-spec.js';
import { pythonStr } from './python-str.js';

/** A compiled format string: turns one value into text. */
export interface ValueFormat {
  /** The format string as given. */
  readonly source: string;
  /** `printf` (`%6.3f`) or `python` (`{:.3f}`). */
  readonly style: 'printf' | 'python';
  /** Formats `value`; `asFloat` prints integral numbers as floats (`2.0`). Throws {@link FormatError} when the value does not suit the format. */
  format(value: unknown, asFloat?: boolean): string;
}

type Part = string | { spec: FormatSpec; conversion: '' | 'r' | 's' | 'a' };

function render(parts: readonly Part[], value: unknown, asFloat: boolean): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if (p.conversion === 'r' || p.conversion === 'a') {
      out += formatWithSpec(pythonRepr(value, asFloat), p.spec, asFloat);
    } else if (p.conversion === 's') out += formatWithSpec(pythonStr(value, asFloat), p.spec, asFloat);
    else out += formatWithSpec(value, p.spec, asFloat);
  }
  return out;
}

function pythonRepr(value: unknown, asFloat: boolean): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Quantity.isQuantity(value))
    return `<Quantity(${pythonStr(value.magnitude, asFloat)}, '${value.units}')>`;
  return pythonStr(value, asFloat);
}

function compilePython(text: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '{' && text[i + 1] === '{') {
      literal += '{';
      i += 2;
    } else if (c === '}' && text[i + 1] === '}') {
      literal += '}';
      i += 2;
    } else if (c === '}') {
      throw new FormatError(
        `Single '}' at position ${i} of format ${JSON.stringify(text)}: write '}}' for a literal brace`,
        text,
      );
    } else if (c === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) {
        throw new FormatError(
          `Unclosed '{' at position ${i} of format ${JSON.stringify(text)}: a field is {} or {:spec}, e.g. {:.3f}`,
          text,
        );
      }
      const field = text.slice(i + 1, end);
      if (field.includes('{')) {
        throw new FormatError(
          `Nested fields are not supported in format ${JSON.stringify(text)}: give the precision as a number, e.g. {:.3f}`,
          text,
        );
      }
      const m = /^(0?)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (m === null) {
        throw new FormatError(
          `Field {${field}} in format ${JSON.stringify(text)} names no value: the value is {} or {0}, with an optional !r/!s and :spec, e.g. {:.3f}`,
          text,
        );
      }
      if (literal) parts.push(literal);
      literal = '';
      parts.push({
        spec: parseFormatSpec(m[3] ?? '', text),
        conversion: (m[2] ?? '') as '' | 'r' | 's' | 'a',
      });
      i = end + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

const PRINTF = /%([-+ #0]*)(\d+)?(?:\.(\d*))?[hlLqjzt]*([diouxXeEfFgGcrsa%])?/gy;

function compilePrintf(text: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let conversions = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    PRINTF.lastIndex = i;
    const m = PRINTF.exec(text);
    const conv = m?.[4];
    if (m === null || conv === undefined) {
      throw new FormatError(
        `Incomplete conversion at position ${i} of format ${JSON.stringify(text)}: expected %[flags][width][.precision]type with type one of d i o u x X e E f F g G c s r, e.g. %6.3f`,
        text,
      );
    }
    i = PRINTF.lastIndex;
    if (conv === '%') {
      literal += '%';
      continue;
    }
    const flags = m[1] ?? '';
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const type =
      conv === 'i' || conv === 'u' ? 'd' : conv === 's' || conv === 'r' || conv === 'a' ? '' : conv;
    const precision = m[3] === undefined ? undefined : m[3] === '' ? 0 : Number(m[3]);
    const width = m[2] === undefined ? 0 : Number(m[2]);
    if (width > 1000 || (precision ?? 0) > 100) {
      throw new FormatError(
        `Format ${JSON.stringify(text)} asks for too wide a field: at most width 1000 and precision 100`,
        text,
      );
    }
    const spec: FormatSpec = {
      fill: zero && type !== '' ? '0' : ' ',
      align: left ? '<' : zero && type !== '' ? '=' : '>',
      sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '',
      alternate: flags.includes('#'),
      width,
      grouping: '',
      precision:
        conv === 's' || conv === 'r' || conv === 'a'
          ? precision
          : (precision ?? (type === 'd' ? undefined : 6)),
      type,
      truncate: type === 'd',
    };
    if (literal) parts.push(literal);
    literal = '';
    parts.push({ spec, conversion: conv === 's' ? 's' : conv === 'r' || conv === 'a' ? 'r' : '' });
    conversions++;
  }
  if (literal) parts.push(literal);
  if (conversions !== 1) {
    throw new FormatError(
      `Format ${JSON.stringify(text)} has ${conversions} conversions: a printf-style format takes exactly one, e.g. %6.3f`,
      text,
    );
  }
  return parts;
}

/**
 * Compiles a format string: Python style when it holds a `{` field, else
 * printf style. Throws a {@link FormatError} that names the format and shows
 * a valid one.
 *
 * @example
 * ```ts
 * compileFormat('%6.3f').format(Quantity.of(12.5, 'mm')); // "12.500 mm"
 * compileFormat('{:.2e}').format(1234.5);                 // "1.23e+03"
 * ```
 */
export function compileFormat(text: string): ValueFormat {
  if (typeof text !== 'string' || text === '') {
    throw new FormatError(
      `A format must be a non-empty string such as "%6.3f" or "{:.3f}", got ${JSON.stringify(text)}`,
      String(text),
    );
  }
  const python = text.includes('{') || (text.includes('}') && !text.includes('%'));
  const parts = python ? compilePython(text) : compilePrintf(text);
  return {
    source: text,
    style: python ? 'python' : 'printf',
    format: (value, asFloat = false) => render(parts, value, asFloat),
  };
}

const FORMAT_CACHE_LIMIT = 512;
const formatCache = new Map<string, ValueFormat | FormatError>();

/** {@link compileFormat} with a cache (formats are few and shared by many attributes). Throws like it. */
export function cachedFormat(text: string): ValueFormat {
  let f = formatCache.get(text);
  if (f === undefined) {
    try {
      f = compileFormat(text);
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      f = err;
    }
    if (formatCache.size >= FORMAT_CACHE_LIMIT) formatCache.clear();
    formatCache.set(text, f);
  }
  if (f instanceof FormatError) throw f;
  return f;
}

/** How a value without a format of its own is shown: Taurus's default formatter. */
export interface DefaultFormatOptions {
  /**
   * Decimal places of numbers (Taurus's attribute `precision`). With one,
   * numbers print as `{:.<precision>f}` (with their units); without one, as
   * Python prints them (`12.5 m`, `1e-09`), which is what Taurus shows for
   * attributes that declare no precision.
   */
  readonly precision?: number | undefined;
  /** Print integral numbers as floats (`2.0`): the attribute's type is Float. */
  readonly asFloat?: boolean | undefined;
}

const precisionSpecs: FormatSpec[] = [];

function precisionSpec(p: number): FormatSpec {
  let s = precisionSpecs[p];
  if (s === undefined) {
    s = parseFormatSpec(`.${p}f`);
    precisionSpecs[p] = s;
  }
  return s;
}

/**
 * Taurus's `defaultFormatter`: numbers and Quantities with the precision
 * (`{:~.<p>f}`), everything else `"{0}".format(value)`.
 */
export function defaultFormat(value: unknown, options: DefaultFormatOptions = {}): string {
  const p = options.precision;
  if (p !== undefined && (typeof value === 'number' || Quantity.isQuantity(value))) {
    return formatWithSpec(value, precisionSpec(p), options.asFloat);
  }
  return pythonStr(value, options.asFloat);
}

/**
 * The precision a printf or Python format implies (Taurus reads it from a
 * Tango format the same way: `%6.3f` → 3, `%d` → 0), or undefined.
 */
export function precisionOf(format: string): number | undefined {
  const m = /[^.]*\.([0-9]+)[eEfFgG%]/.exec(format);
  if (m) return Number(m[1]);
  if (/%[0-9]*d/.test(format) || /\{:?[0-9]*d\}/.test(format)) return 0;
  return undefined;
}

export { FormatError } from './format-spec.js';
