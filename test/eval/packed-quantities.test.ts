// Issue 10 item 5: arrays of quantities are packed (one unit, the values as
// numbers) through the sandbox's operators, reductions and conversions. Each
// property compares an expression on whole arrays with its definition element
// by element (scalar quantities, one expression per element): the results are
// identical, magnitudes to the last bit, units and errors included, for random
// unit pairs, offset units (degC, degF) among them.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { TkError } from '../../src/errors/tk-error.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';
import { isPacked } from '../../src/schemes/eval/sandbox/packed.js';
import { withResultProbe } from '../../src/schemes/eval/sandbox/test-hooks.js';
import { Quantity } from '../../src/units/quantity.js';

const sandbox = createSandbox();
const UNITS = [
  'm',
  'cm',
  'km',
  'mm',
  's',
  'ms',
  'kg',
  'g',
  'V',
  'mA',
  'degC',
  'degF',
  'K',
  'm/s',
  'km/h',
  'rad',
];
const COMPATIBLE = ['m', 'cm', 'km', 'mm', 'degC', 'degF', 'K', 'm/s', 'km/h', 's', 'ms'];

const list = (a: readonly number[]) => `[${a.map((x) => JSON.stringify(x)).join(', ')}]`;
const value = fc.oneof(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }),
);
const values = fc.array(value, { minLength: 1, maxLength: 6 });

/** The result of `expr` as plain data: magnitude and units, or the error's message without the expression. */
function run(expr: string): unknown {
  try {
    const v = sandbox.compile(expr).evaluate().value;
    if (Array.isArray(v)) return { array: v };
    if (typeof v === 'boolean') return { boolean: v };
    const q = v as Quantity;
    return { magnitude: q.magnitude, units: q.units };
  } catch (err) {
    return { error: (err as TkError).message.replace(/^.*?": /, '') };
  }
}

describe('packed arrays of quantities give what the same work element by element gives', () => {
  test.prop(
    [
      values,
      values,
      fc.constantFrom(...UNITS),
      fc.constantFrom(...UNITS),
      fc.constantFrom('+', '-', '*', '/', '<', '>', '<=', '>=', '==', '!='),
      fc.constantFrom('array', 'scalar', 'left scalar'),
    ],
    { numRuns: 150, seed: 20261207 },
  )('Q(xs, u) op Q(ys, v), and with a scalar on either side', (xs, ysAll, u, v, op, shape) => {
    const ys = Array.from({ length: xs.length }, (_, i) => ysAll[i % ysAll.length]!);
    const a = shape === 'left scalar' ? `Q(${xs[0]}, "${u}")` : `Q(${list(xs)}, "${u}")`;
    const b = shape === 'scalar' ? `Q(${ys[0]}, "${v}")` : `Q(${list(ys)}, "${v}")`;
    const each = xs.map((x, i) => {
      const l = shape === 'left scalar' ? xs[0] : x;
      const r = shape === 'scalar' ? ys[0] : ys[i];
      return `Q(${l}, "${u}") ${op} Q(${r}, "${v}")`;
    });
    const whole = run(`${a} ${op} ${b}`);
    const reference = run(`[${each.join(', ')}]`);
    if ((reference as { error?: string }).error !== undefined) expect(whole).toHaveProperty('error');
    else expect(whole).toStrictEqual(reference);
  });

  test.prop([values, fc.constantFrom(...UNITS), fc.constantFrom('*', '/'), value, fc.boolean()], {
    numRuns: 100,
    seed: 20261208,
  })('Q(xs, u) times or divided by a number, on either side', (xs, u, op, k, left) => {
    const whole = left ? `${k} ${op} Q(${list(xs)}, "${u}")` : `Q(${list(xs)}, "${u}") ${op} ${k}`;
    const each = xs.map((x) => (left ? `${k} ${op} Q(${x}, "${u}")` : `Q(${x}, "${u}") ${op} ${k}`));
    const reference = run(`[${each.join(', ')}]`);
    if ((reference as { error?: string }).error !== undefined) expect(run(whole)).toHaveProperty('error');
    else expect(run(whole)).toStrictEqual(reference);
  });

  test.prop([values, fc.constantFrom(...COMPATIBLE), fc.constantFrom(...COMPATIBLE)], {
    numRuns: 120,
    seed: 20261209,
  })('Q(xs, u).to(v), offset units converted by one affine map', (xs, u, v) => {
    const reference = run(`[${xs.map((x) => `Q(${x}, "${u}").to("${v}")`).join(', ')}]`);
    if ((reference as { error?: string }).error !== undefined)
      expect(run(`Q(${list(xs)}, "${u}").to("${v}")`)).toHaveProperty('error');
    else expect(run(`Q(${list(xs)}, "${u}").to("${v}")`)).toStrictEqual(reference);
  });

  test.prop([values, fc.constantFrom(...UNITS), fc.constantFrom('sum', 'mean', 'max', 'min', 'magnitude')], {
    numRuns: 120,
    seed: 20261210,
  })('sum, mean, max, min and .magnitude of Q(xs, u) as of the array of its elements', (xs, u, fn) => {
    // the array of the elements, built one by one (an array literal is never packed)
    const elements = `[${xs.map((x) => `Q(${x}, "${u}")`).join(', ')}]`;
    const packed = `Q(${list(xs)}, "${u}")`;
    const call = (x: string) => (fn === 'magnitude' ? `${x}.magnitude` : `${fn}(${x})`);
    expect(run(call(packed))).toStrictEqual(run(call(elements)));
  });

  test.prop([values, values, fc.constantFrom(...COMPATIBLE), fc.constantFrom(...COMPATIBLE), value], {
    numRuns: 100,
    seed: 20261211,
  })('a chain: (Q(xs, u) - Q(ys, v) * 3).to(u) / k, packed between the steps', (xs, ysAll, u, v, k) => {
    const ys = Array.from({ length: xs.length }, (_, i) => ysAll[i % ysAll.length]!);
    const whole = run(`(Q(${list(xs)}, "${u}") - Q(${list(ys)}, "${v}") * 3).to("${u}") / ${k}`);
    const each = xs.map((x, i) => `(Q(${x}, "${u}") - Q(${ys[i]}, "${v}") * 3).to("${u}") / ${k}`);
    const reference = run(`[${each.join(', ')}]`);
    if ((reference as { error?: string }).error !== undefined) expect(whole).toHaveProperty('error');
    else expect(whole).toStrictEqual(reference);
  });

  it('inputs: Quantity arrays in m and cm, added and summed, as element by element', () => {
    const xs = [1, 2.5, -3, 0.1];
    const ys = [7, -0.2, 3e-3, 12];
    const inputs = new Map([
      ['x', new Quantity(xs, 'm')],
      ['y', new Quantity(ys, 'cm')],
    ]);
    const value = (expr: string) => sandbox.compile(expr, { inputs: ['x', 'y'] }).evaluate(inputs).value;
    expect(value('x')).toEqual(new Quantity(xs, 'm'));
    const each = xs.map((x, i) => `Q(${x}, "m") + Q(${ys[i]}, "cm")`);
    expect(value('x + y')).toEqual(sandbox.compile(`[${each.join(', ')}]`).evaluate().value);
    expect(value('sum(y)')).toEqual(
      sandbox.compile(ys.map((y) => `Q(${y}, "cm")`).join(' + ')).evaluate().value,
    );
  });

  it('operators, conversions and reductions on Quantity arrays compute with numbers: no mathjs Unit per element', () => {
    const results = new Map<string, unknown>();
    const probed = createSandbox(withResultProbe({}, (name, result) => results.set(name, result)));
    const n = 10_000;
    const inputs = new Map([
      [
        'x',
        new Quantity(
          Array.from({ length: n }, (_, i) => i),
          'm',
        ),
      ],
      [
        'y',
        new Quantity(
          Array.from({ length: n }, (_, i) => 2 * i),
          'cm',
        ),
      ],
    ]);
    const r = probed.compile('((x + y) * 2 - y / 4).to("km")', { inputs: ['x', 'y'] }).evaluate(inputs);
    for (const name of ['tk_add', 'tk_mul', 'tk_div', 'tk_sub', 'tk_method_to']) {
      const v = results.get(name);
      expect(isPacked(v), name).toBe(true);
    }
    expect((r.value as Quantity).units).toBe('km');
    expect(((r.value as Quantity).magnitude as number[]).length).toBe(n);
  });
});
