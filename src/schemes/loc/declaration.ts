/**
 * Declarations of `loc` points, written in the query of their name:
 * `loc:/ui/motor/speed?type=float&init=2.5&units=mm/s&min=0&max=10`.
 *
 * @module
 */
import { DataFormat, DataType } from '../../core/enums.js';
import { describeValue, nameInMessage, quoteInput } from '../../errors/quote.js';
import { InvalidNameError } from '../../errors/tk-error.js';
import type { AttributeConfig, Limits } from '../contract.js';

/** Value types of loc points. */
export const LOC_TYPES = [
  'float',
  'int',
  'string',
  'bool',
  'float[]',
  'int[]',
  'string[]',
  'bool[]',
] as const;
/** One of {@link LOC_TYPES}. */
export type LocType = (typeof LOC_TYPES)[number];

/** Declaration keys, in canonical order. */
export const LOC_KEYS = [
  'type',
  'init',
  'units',
  'min',
  'max',
  'alarm_low',
  'alarm_high',
  'warn_low',
  'warn_high',
  'label',
  'description',
  'writable',
] as const;
/** One of {@link LOC_KEYS}. */
export type LocKey = (typeof LOC_KEYS)[number];

/** A parsed declaration: only the keys written in the name. */
export type LocDeclaration = Partial<Record<LocKey, string>>;

/** A point's complete definition, after defaults. */
export interface LocDefinition {
  readonly type: LocType;
  readonly init: unknown;
  readonly units: string;
  readonly range: Limits;
  readonly alarms: Limits;
  readonly warnings: Limits;
  readonly label: string | undefined;
  readonly description: string;
  readonly writable: boolean;
}

const NUMERIC_KEYS: ReadonlySet<LocKey> = new Set([
  'min',
  'max',
  'alarm_low',
  'alarm_high',
  'warn_low',
  'warn_high',
]);

/** Thrown by {@link parseDeclaration}; the validator turns it into an InvalidNameError. */
export class DeclarationError extends Error {}

export { nameInMessage };

/** Parses the query text of a loc name into a declaration. Throws {@link DeclarationError}. */
export function parseDeclaration(query: string | undefined): LocDeclaration {
  const decl: LocDeclaration = {};
  if (query === undefined || query === '') return decl;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq) as LocKey;
    if (!(LOC_KEYS as readonly string[]).includes(key)) {
      throw new DeclarationError(
        `unknown declaration key ${quoteInput(key, 40)}; valid keys are ${LOC_KEYS.join(', ')}`,
      );
    }
    if (decl[key] !== undefined) throw new DeclarationError(`declaration key "${key}" is given twice`);
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw new DeclarationError(`the value of "${key}" has a malformed %-escape`);
    }
    decl[key] = value;
  }
  // check everything the definition needs, so an invalid declaration is an invalid name
  defineFrom(decl, 'x');
  return decl;
}

/** The canonical query text of a declaration (fixed key order, canonical numbers, %-encoding). */
export function canonicalQuery(decl: LocDeclaration): string {
  const parts: string[] = [];
  const type = decl.type !== undefined ? normalizeType(decl.type) : inferType(decl.init);
  for (const k of LOC_KEYS) {
    const v = decl[k];
    if (v === undefined) continue;
    let c = v;
    if (NUMERIC_KEYS.has(k)) c = String(Number(v));
    else if (k === 'type') c = v.toLowerCase();
    else if (k === 'writable') c = String(parseBool(v, k));
    else if (k === 'init') c = canonicalInit(v, type);
    parts.push(`${k}=${encodeURIComponent(c)}`);
  }
  return parts.join('&');
}

function canonicalInit(v: string, type: LocType): string {
  const value = parseInit(v, type);
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function normalizeType(t: string): LocType {
  const n = t.trim().toLowerCase();
  const alias: Record<string, LocType> = {
    double: 'float',
    number: 'float',
    integer: 'int',
    str: 'string',
    boolean: 'bool',
  };
  const type = (alias[n] ?? n) as LocType;
  if (!(LOC_TYPES as readonly string[]).includes(type)) {
    throw new DeclarationError(`unknown type ${quoteInput(t, 40)}; valid types are ${LOC_TYPES.join(', ')}`);
  }
  return type;
}

function parseBool(v: string, what: string): boolean {
  const n = v.trim().toLowerCase();
  if (n === 'true' || n === '1') return true;
  if (n === 'false' || n === '0') return false;
  throw new DeclarationError(`${what} must be true or false, not ${quoteInput(v)}`);
}

function parseNumber(v: string, what: string, integer: boolean): number {
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n))
    throw new DeclarationError(`${what} must be a finite number, not ${quoteInput(v)}`);
  if (integer && !Number.isInteger(n))
    throw new DeclarationError(`${what} must be an integer, not ${quoteInput(v)}`);
  return n;
}

/** One element of an array init: a scalar of the element type (never an array: points hold flat arrays). */
function parseElement(x: unknown, elem: LocType, index: number): unknown {
  const what = `element ${index} of init`;
  if (typeof x === 'string') return parseInit(x, elem, what);
  if (typeof x === 'number' || typeof x === 'boolean') return parseInit(String(x), elem, what);
  throw new DeclarationError(
    `${what} is ${x === null ? 'null' : Array.isArray(x) ? 'an array' : 'an object'}: a ${elem}[] point holds a flat array of ${elem} values`,
  );
}

function parseInit(v: string, type: LocType, what = 'init'): unknown {
  if (type.endsWith('[]')) {
    let arr: unknown;
    try {
      // JSON.parse is not recursive: any depth parses, and parseElement refuses nested arrays without recursion
      arr = JSON.parse(v);
    } catch {
      throw new DeclarationError(
        `${what} of a ${type} point must be a JSON array such as [1,2,3], not ${quoteInput(v)}`,
      );
    }
    if (!Array.isArray(arr))
      throw new DeclarationError(`${what} of a ${type} point must be a JSON array, not ${quoteInput(v)}`);
    const elem = type.slice(0, -2) as LocType;
    const out = new Array<unknown>(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = parseElement(arr[i], elem, i);
    return out;
  }
  if (type === 'float') return parseNumber(v, what, false);
  if (type === 'int') return parseNumber(v, what, true);
  if (type === 'bool') return parseBool(v, what);
  return v;
}

function inferType(init: string | undefined): LocType {
  if (init === undefined) return 'float';
  const t = init.trim();
  if (t !== '' && Number.isFinite(Number(t))) return 'float';
  if (t === 'true' || t === 'false') return 'bool';
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'number')) return 'float[]';
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'boolean')) return 'bool[]';
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'string')) return 'string[]';
    } catch {
      // a string that starts with "[": fall through
    }
  }
  return 'string';
}

function defaultInit(type: LocType): unknown {
  if (type.endsWith('[]')) return [];
  return type === 'string' ? '' : type === 'bool' ? false : 0;
}

function limits(decl: LocDeclaration, low: LocKey, high: LocKey): Limits {
  const l = decl[low] === undefined ? undefined : parseNumber(decl[low]!, low, false);
  const h = decl[high] === undefined ? undefined : parseNumber(decl[high]!, high, false);
  if (l !== undefined && h !== undefined && l > h)
    throw new DeclarationError(`${low} (${l}) is above ${high} (${h})`);
  return [l, h];
}

/** The complete definition of a point from a declaration; `name` is used in messages. */
export function defineFrom(decl: LocDeclaration, name: string): LocDefinition {
  const type = decl.type !== undefined ? normalizeType(decl.type) : inferType(decl.init);
  const numeric = type === 'float' || type === 'int' || type === 'float[]' || type === 'int[]';
  if (!numeric) {
    for (const k of ['units', 'min', 'max', 'alarm_low', 'alarm_high', 'warn_low', 'warn_high'] as const) {
      if (decl[k] !== undefined)
        throw new DeclarationError(
          `"${k}" applies to numeric points only, and ${nameInMessage(name)} is ${type}`,
        );
    }
  }
  const init = decl.init !== undefined ? parseInit(decl.init, type) : defaultInit(type);
  const def: LocDefinition = {
    type,
    init,
    units: decl.units?.trim() ?? '',
    range: limits(decl, 'min', 'max'),
    alarms: limits(decl, 'alarm_low', 'alarm_high'),
    warnings: limits(decl, 'warn_low', 'warn_high'),
    label: decl.label,
    description: decl.description ?? '',
    writable: decl.writable === undefined ? true : parseBool(decl.writable, 'writable'),
  };
  if (!type.endsWith('[]') && numeric) checkInitRange(init as number, def, name);
  return def;
}

function checkInitRange(v: number, def: LocDefinition, name: string): void {
  const [lo, hi] = def.range;
  if ((lo !== undefined && v < lo) || (hi !== undefined && v > hi)) {
    throw new DeclarationError(
      `init ${v}${def.units ? ` ${def.units}` : ''} is outside the range [${lo ?? '-inf'}, ${hi ?? 'inf'}] of ${name}`,
    );
  }
}

/** The value of key `k` in a definition, as text (for comparing two declarations of one point). */
export function describeKey(d: LocDefinition, k: LocKey): string {
  switch (k) {
    case 'type':
      return d.type;
    case 'units':
      return d.units;
    case 'min':
      return String(d.range[0]);
    case 'max':
      return String(d.range[1]);
    case 'alarm_low':
      return String(d.alarms[0]);
    case 'alarm_high':
      return String(d.alarms[1]);
    case 'warn_low':
      return String(d.warnings[0]);
    case 'warn_high':
      return String(d.warnings[1]);
    case 'label':
      return String(d.label);
    case 'description':
      return d.description;
    case 'writable':
      return String(d.writable);
    default:
      return '';
  }
}

/**
 * Why `value` (a stored value) does not fit `def`, as a phrase such as
 * `is 12, outside the range [0, 10]`; undefined when it fits.
 */
export function fitsDefinition(value: unknown, def: LocDefinition): string | undefined {
  if (def.type.endsWith('[]')) {
    if (!Array.isArray(value)) return `is ${describeValue(value)}, not an array`;
    const elem = { ...def, type: def.type.slice(0, -2) as LocType };
    for (let i = 0; i < value.length; i++) {
      const why = fitsDefinition(value[i], elem);
      if (why !== undefined) return `at element ${i} ${why}`;
    }
    return undefined;
  }
  const shown = describeValue(value);
  switch (def.type) {
    case 'float':
    case 'int': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `is ${shown}, not a number`;
      if (def.type === 'int' && !Number.isInteger(value)) return `is ${shown}, not an integer`;
      const [lo, hi] = def.range;
      if ((lo !== undefined && value < lo) || (hi !== undefined && value > hi))
        return `is ${shown}, outside the range [${lo ?? '-inf'}, ${hi ?? 'inf'}]`;
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : `is ${shown}, not true or false`;
    default:
      return typeof value === 'string' ? undefined : `is ${shown}, not a string`;
  }
}

/** The attribute configuration of a point. */
export function configOf(def: LocDefinition, simpleName: string): Partial<AttributeConfig> {
  const elem = def.type.replace('[]', '');
  const type =
    elem === 'float'
      ? DataType.Float
      : elem === 'int'
        ? DataType.Integer
        : elem === 'bool'
          ? DataType.Boolean
          : DataType.String;
  return {
    label: def.label ?? simpleName,
    description: def.description,
    writable: def.writable,
    type,
    dataFormat: def.type.endsWith('[]') ? DataFormat.Spectrum : DataFormat.Scalar,
    units: def.units,
    range: def.range,
    alarms: def.alarms,
    warnings: def.warnings,
  };
}

/** An InvalidNameError for a loc name whose declaration is wrong. */
export function declarationNameError(name: string, err: DeclarationError): InvalidNameError {
  return new InvalidNameError(
    name,
    `Invalid loc attribute name ${quoteInput(name)}: the query part is wrong: ${err.message}`,
    {
      scheme: 'loc',
      elementType: 'Attribute',
      part: 'query',
      expected: `key=value pairs joined by "&" with keys ${LOC_KEYS.join(', ')}`,
    },
  );
}
