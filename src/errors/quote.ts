/**
 * How error messages quote what they were given. A message names its input,
 * but input crossing a boundary can be anything: a 200 kB name, a value
 * nested 100,000 deep, an object with a cycle. Every message that quotes
 * input goes through {@link quoteInput} (text) or {@link describeValue}
 * (values): a short excerpt, and the length when it was cut. Both take time
 * and stack bounded by the excerpt, never by the input.
 *
 * @module
 */

/** How many characters of an input a message quotes before cutting it. */
export const QUOTE_LIMIT = 160;

/** How deep {@link describeValue} goes into arrays and objects before writing `…`. */
const MAX_DEPTH = 6;

/**
 * `text` as a JSON string literal, or, when longer than `limit` characters,
 * its start as a literal followed by `…` and the length:
 * `"loc:/a/b?init=[[[[" … (10,021 characters)`.
 *
 * @example
 * ```ts
 * quoteInput('eval:1'); // '"eval:1"'
 * quoteInput('x'.repeat(5000)); // '"xxxx…xxx"… (5,000 characters)'
 * ```
 */
export function quoteInput(text: string, limit: number = QUOTE_LIMIT): string {
  if (text.length <= limit) return JSON.stringify(text);
  // never cut a surrogate pair in two (JSON.stringify would write a lone surrogate as \udxxx)
  let end = limit;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${JSON.stringify(text.slice(0, end))}… (${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * A name in a message: as it is when short, else its start quoted with its
 * length (a name may be 100 kB long; a message quotes an excerpt).
 *
 * @example
 * ```ts
 * nameInMessage('loc:/a/b'); // 'loc:/a/b'
 * ```
 */
export function nameInMessage(name: string): string {
  return name.length <= QUOTE_LIMIT ? name : quoteInput(name);
}

/**
 * A short, readable display of any value for an error message: strings
 * quoted (and cut by {@link quoteInput}), numbers as JavaScript prints them
 * (`NaN`, `Infinity`), Quantities as `"2 cm"`, arrays and plain objects in a
 * JSON-like form cut after `limit` characters with their length, anything
 * else by its type. Never throws, whatever the value (cycles, getters that
 * throw, any depth).
 *
 * @example
 * ```ts
 * describeValue(Number.NaN); // 'NaN'
 * describeValue([1, [2, [3]]]); // '[1, [2, [3]]]'
 * ```
 */
export function describeValue(value: unknown, limit: number = QUOTE_LIMIT): string {
  if (typeof value === 'string') return quoteInput(value, limit);
  const out: string[] = [];
  const budget = { left: limit };
  try {
    write(value, out, budget, 0, new Set());
  } catch {
    return `(a ${typeOf(value)})`;
  }
  const text = out.join('');
  if (budget.left >= 0) return text;
  const size = sizeOf(value);
  return `${text.slice(0, limit)}…${size === undefined ? '' : ` (${size})`}`;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return (v as object).constructor?.name || 'object';
  return typeof v;
}

function sizeOf(v: unknown): string | undefined {
  if (typeof v === 'string') return `${v.length.toLocaleString('en-US')} characters`;
  if (Array.isArray(v)) return `${v.length.toLocaleString('en-US')} elements`;
  if (isQuantityLike(v) && Array.isArray(v.magnitude))
    return `${v.magnitude.length.toLocaleString('en-US')} elements`;
  return undefined;
}

function isQuantityLike(v: unknown): v is { magnitude: unknown; units: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as Record<symbol, unknown>)[Symbol.for('tk-core.Quantity')] === true
  );
}

function push(out: string[], budget: { left: number }, s: string): boolean {
  out.push(s);
  budget.left -= s.length;
  return budget.left >= 0;
}

function write(
  v: unknown,
  out: string[],
  budget: { left: number },
  depth: number,
  seen: Set<object>,
): boolean {
  if (budget.left < 0) return false;
  switch (typeof v) {
    case 'string':
      return push(out, budget, quoteInput(v, Math.max(16, budget.left)));
    case 'number':
    case 'boolean':
    case 'undefined':
      return push(out, budget, String(v));
    case 'bigint':
      return push(out, budget, `${v}n`);
    case 'symbol':
      return push(out, budget, v.toString());
    case 'function':
      return push(out, budget, `(a function${v.name ? ` ${v.name}` : ''})`);
  }
  if (v === null) return push(out, budget, 'null');
  const o = v as object;
  if (isQuantityLike(o)) {
    const units = typeof o.units === 'string' && o.units !== '' ? ` ${o.units}` : '';
    if (!push(out, budget, '"')) return false;
    if (!write(o.magnitude, out, budget, depth, seen)) return false;
    return push(out, budget, `${units}"`);
  }
  if (seen.has(o)) return push(out, budget, '(cycle)');
  if (depth >= MAX_DEPTH) return push(out, budget, Array.isArray(o) ? '[…]' : '{…}');
  seen.add(o);
  try {
    if (Array.isArray(o) || ArrayBuffer.isView(o)) {
      const a = o as ArrayLike<unknown>;
      if (!push(out, budget, '[')) return false;
      for (let i = 0; i < a.length; i++) {
        if (i > 0 && !push(out, budget, ', ')) return false;
        if (!write(a[i], out, budget, depth + 1, seen)) return false;
      }
      return push(out, budget, ']');
    }
    if (o instanceof Date)
      return push(out, budget, Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString());
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) return push(out, budget, `(a ${typeOf(o)})`);
    if (!push(out, budget, '{')) return false;
    let first = true;
    for (const k in o) {
      if (!first && !push(out, budget, ', ')) return false;
      first = false;
      if (!push(out, budget, `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quoteInput(k, 32)}: `)) return false;
      if (!write((o as Record<string, unknown>)[k], out, budget, depth + 1, seen)) return false;
    }
    return push(out, budget, '}');
  } finally {
    seen.delete(o);
  }
}
