/**
 * The functions eval expressions may call: the numpy and Python names Taurus
 * exposes (`sin`, `linspace`, `arange`, `zeros`, `rand`, `randint`, `len`,
 * `Q`...), written here against nested arrays and mathjs units, each array
 * builder bounded by the sandbox's element limit.
 *
 * @module
 */
import type { Unit } from 'mathjs';
import { Quantity } from '../../../units/quantity.js';
import { checkBroadcast, checkElements, filled, mapLeaves, shapeOf, sizeOf, zipWith } from './arrays.js';
import { createDot } from './dot.js';
import { expressionFault } from './errors.js';
import { codePoints, formatBounded } from './format.js';
import { SLOW_LEAF } from './meter.js';
import { normalFrom } from './random.js';
import { createReductions } from './reductions.js';
import { isUnit, kindOf, type RuntimeContext, type RuntimeFunction } from './runtime-context.js';
import { createUnitOperations } from './unit-operations.js';

function num(x: unknown, fn: string, arg: string): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  return expressionFault(`${fn}() expects a number for ${arg}, got ${kindOf(x)}`);
}

function count(x: unknown, fn: string, arg: string): number {
  const n = num(x, fn, arg);
  if (!Number.isInteger(n) || n < 0)
    expressionFault(`${fn}() expects a non-negative integer for ${arg}, got ${n}`);
  return n;
}

/** The dimensions given to zeros/ones/rand: `f(3)`, `f(2, 3)` or `f([2, 3])`. */
function dims(args: unknown[], fn: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return list.map((d, i) => count(d, fn, `dimension ${i + 1}`));
}

/** Builds the function table of one sandbox, keyed by the names expressions use. */
export function createFunctions(ctx: RuntimeContext): Record<string, RuntimeFunction> {
  const m = ctx.math;
  const max = ctx.limits.maxElements;
  const meter = ctx.meter;
  const units = createUnitOperations(ctx);
  const { total, extreme, mean } = createReductions(ctx, units);
  const unary =
    (name: string, onNumber: (x: number) => number, onUnit?: (u: Unit) => unknown) =>
    (x: unknown): unknown =>
      mapLeaves(
        x,
        (v) => {
          if (typeof v === 'number') return onNumber(v);
          if (typeof v === 'boolean') return onNumber(v ? 1 : 0);
          if (isUnit(v) && onUnit !== undefined) {
            meter.tick(SLOW_LEAF);
            return onUnit(v);
          }
          return expressionFault(`${name}() expects numbers, got ${kindOf(v)}`);
        },
        meter,
      );
  const binaryNumeric =
    (name: string, f: (a: number, b: number) => number) =>
    (a: unknown, b: unknown): unknown => {
      checkBroadcast(a, b, max, `${name}()`);
      return zipWith(
        a,
        b,
        (x, y) => f(num(x, name, 'the first argument'), num(y, name, 'the second argument')),
        meter,
      );
    };
  const array = (shape: number[], fn: string, fill: () => unknown): unknown => {
    checkElements(sizeOf(shape), max, `${fn}(${shape.join(', ')})`);
    return filled(shape, fill, meter);
  };
  const sequence = (start: number, step: number, n: number, fn: string): number[] => {
    checkElements(n, max, `${fn}()`);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = start + i * step;
    meter.tick(n);
    return out;
  };
  const arange = (fn: string, ...args: unknown[]): number[] => {
    if (args.length === 0 || args.length > 3)
      expressionFault(`${fn}() takes 1 to 3 arguments (stop, or start, stop[, step])`);
    const [start, stop, step] =
      args.length === 1
        ? [0, num(args[0], fn, 'stop'), 1]
        : [
            num(args[0], fn, 'start'),
            num(args[1], fn, 'stop'),
            args.length === 3 ? num(args[2], fn, 'step') : 1,
          ];
    if (step === 0) expressionFault(`${fn}() step must not be zero`);
    const n = Math.max(0, Math.ceil((stop - start) / step));
    return sequence(start, step, n, fn);
  };
  const linspace = (start: unknown, stop: unknown, n: unknown = 50): number[] => {
    const a = num(start, 'linspace', 'start');
    const b = num(stop, 'linspace', 'stop');
    const k = count(n, 'linspace', 'num');
    checkElements(k, max, `linspace(${a}, ${b}, ${k})`);
    if (k === 1) return [a];
    const step = (b - a) / (k - 1);
    const out = sequence(a, step, k, 'linspace');
    if (k > 1) out[k - 1] = b;
    return out;
  };
  const quantity = (value: unknown, units?: unknown): unknown => {
    if (units === undefined) {
      if (typeof value === 'string') {
        const q = Quantity.parse(value);
        return ctx.bridge.unit(q.magnitude, q.units);
      }
      if (isUnit(value) || typeof value === 'number' || Array.isArray(value)) return value;
      return expressionFault(`Q() expects a text like "12.5 mm" or a number and units, got ${kindOf(value)}`);
    }
    if (typeof units !== 'string') expressionFault(`Q() expects the units as a text, got ${kindOf(units)}`);
    if (typeof value === 'string') return ctx.bridge.unit(Quantity.parse(value).magnitude, units);
    const magnitude = mapLeaves(value, (v) => num(v, 'Q', 'the magnitude'), meter);
    return ctx.bridge.unit(magnitude as number, units);
  };
  const random = (shape: number[], fn: string, draw: () => number): unknown =>
    shape.length === 0 ? draw() : array(shape, fn, draw);

  return {
    abs: unary('abs', Math.abs, (u) => units.abs(u)),
    fabs: unary('fabs', Math.abs, (u) => units.abs(u)),
    ceil: unary('ceil', Math.ceil),
    floor: unary('floor', Math.floor),
    sqrt: unary('sqrt', Math.sqrt, (u) => {
      units.refuseAbsolute('take the square root of', u);
      return m.sqrt(u);
    }),
    exp: unary('exp', Math.exp),
    log: unary('log', Math.log),
    log10: unary('log10', Math.log10),
    sin: unary('sin', Math.sin, (u) => m.sin(u)),
    cos: unary('cos', Math.cos, (u) => m.cos(u)),
    tan: unary('tan', Math.tan, (u) => m.tan(u)),
    arcsin: unary('arcsin', Math.asin),
    arccos: unary('arccos', Math.acos),
    arctan: unary('arctan', Math.atan),
    sinh: unary('sinh', Math.sinh),
    cosh: unary('cosh', Math.cosh),
    tanh: unary('tanh', Math.tanh),
    degrees: unary('degrees', (x) => (x * 180) / Math.PI),
    radians: unary('radians', (x) => (x * Math.PI) / 180),
    arctan2: binaryNumeric('arctan2', Math.atan2),
    hypot: binaryNumeric('hypot', Math.hypot),
    fmod: binaryNumeric('fmod', (a, b) => {
      if (b === 0) expressionFault('fmod() by zero');
      return a % b;
    }),
    ldexp: binaryNumeric('ldexp', (a, b) => a * 2 ** b),
    pow: (a: unknown, b: unknown) => {
      if (typeof a === 'number' && typeof b === 'number') return a ** b;
      checkBroadcast(a, b, max, 'pow()');
      units.refuseAbsolute('take the power of', a, b);
      return m.dotPow(a as never, b as never);
    },
    sum: (x: unknown) => total(x, 'sum'),
    average: (x: unknown) => mean(x, 'average'),
    mean: (x: unknown) => mean(x, 'mean'),
    min: (...args: unknown[]) => extreme(args, 'min'),
    max: (...args: unknown[]) => extreme(args, 'max'),
    round: (x: unknown, digits: unknown = 0) => {
      const d = count(digits, 'round', 'digits');
      return mapLeaves(x, (v) => m.round(v as never, d), meter, SLOW_LEAF);
    },
    dot: createDot(ctx),
    array: (x: unknown) => x,
    list: (x: unknown) => {
      if (typeof x !== 'string') return x;
      checkElements(codePoints(x), max, 'list() of the text');
      meter.tick(x.length);
      return [...x];
    },
    shape: (x: unknown) => shapeOf(x),
    len: (x: unknown) => {
      if (Array.isArray(x)) return x.length;
      if (typeof x === 'string') {
        meter.tick(x.length);
        return codePoints(x);
      }
      return expressionFault(`len() expects an array or a text, got ${kindOf(x)}`);
    },
    int: (x: unknown) => {
      if (typeof x === 'string') {
        if (!/^\s*[-+]?\d+\s*$/.test(x))
          expressionFault(`int() cannot read ${JSON.stringify(x)} as an integer`);
        return Number.parseInt(x, 10);
      }
      return Math.trunc(num(x, 'int', 'the value'));
    },
    float: (x: unknown) => {
      if (typeof x === 'string') {
        const v = Number(x.trim());
        if (x.trim() === '' || Number.isNaN(v))
          expressionFault(`float() cannot read ${JSON.stringify(x)} as a number`);
        return v;
      }
      return num(x, 'float', 'the value');
    },
    bool: (x: unknown) => {
      if (Array.isArray(x) || typeof x === 'string') return x.length > 0;
      if (isUnit(x)) return x.value !== 0;
      return Boolean(x);
    },
    str: (x: unknown) => {
      if (typeof x === 'string') return x;
      if (typeof x === 'boolean') return x ? 'True' : 'False';
      if (isUnit(x)) return ctx.bridge.toQuantity(x).toString();
      return formatBounded(m, x, max, meter);
    },
    range: (...args: unknown[]) => {
      for (const a of args)
        if (!Number.isInteger(a)) expressionFault(`range() expects integers, got ${String(a)}`);
      return arange('range', ...args);
    },
    arange: (...args: unknown[]) => arange('arange', ...args),
    linspace,
    logspace: (start: unknown, stop: unknown, n: unknown = 50) =>
      mapLeaves(linspace(start, stop, n), (x) => 10 ** (x as number), meter),
    zeros: (...args: unknown[]) => array(dims(args, 'zeros'), 'zeros', () => 0),
    ones: (...args: unknown[]) => array(dims(args, 'ones'), 'ones', () => 1),
    rand: (...args: unknown[]) => random(dims(args, 'rand'), 'rand', ctx.random),
    randn: (...args: unknown[]) => random(dims(args, 'randn'), 'randn', () => normalFrom(ctx.random)),
    randint: (low: unknown, high?: unknown, size?: unknown) => {
      const a = high === undefined ? 0 : num(low, 'randint', 'low');
      const b = high === undefined ? num(low, 'randint', 'high') : num(high, 'randint', 'high');
      if (!Number.isInteger(a) || !Number.isInteger(b) || b <= a) {
        expressionFault(`randint() needs integers low < high, got ${a} and ${b}`);
      }
      const draw = () => a + Math.floor(ctx.random() * (b - a));
      return random(size === undefined ? [] : dims([size], 'randint'), 'randint', draw);
    },
    Q: quantity,
    Quantity: quantity,
  };
}
