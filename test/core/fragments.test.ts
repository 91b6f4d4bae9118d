import fc from 'fast-check';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { sliceArray } from '../../src/fragments/fragment-path.js';
import {
  compileFragment,
  createManager,
  FragmentError,
  parseFragmentPath,
  Quantity,
} from '../../src/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';

const view = (rvalue: unknown) => ({
  names: { fullName: 'loc://local/a/b', normalName: '/a/b', simpleName: 'b' },
  config: {
    label: 'B',
    description: 'the b',
    writable: true,
    type: undefined,
    dataFormat: undefined,
    units: 'mm',
    range: [0, 10] as const,
    alarms: [undefined, 9] as const,
    warnings: [1, 8] as const,
  },
  reading: { rvalue, time: 1234, quality: 'VALID' as const },
});

describe('fragments', () => {
  it.each([
    ['label', 'B'],
    ['name', 'b'],
    ['fullname', 'loc://local/a/b'],
    ['description', 'the b'],
    ['writable', true],
    ['range', [0, 10]],
    ['range[1]', 10],
    ['alarms.high', 9],
    ['warnings', [1, 8]],
    ['quality', 'VALID'],
    ['rvalue.quality', 'VALID'],
    ['time', 1234],
    ['rvalue.timestamp', 1234],
    ['rvalue.units', 'mm'],
    ['rvalue.magnitude', [1, 2, 3, 4]],
    ['rvalue[0:2].magnitude', [1, 2]],
    ['rvalue.magnitude[-1]', 4],
    ['rvalue.magnitude[::-1]', [4, 3, 2, 1]],
    ['rvalue.magnitude[1:]', [2, 3, 4]],
    ['type', 'Integer'],
    ['data_format', 'spectrum'],
  ])('#%s', (fragment, expected) => {
    const v = compileFragment(fragment).apply(view(Quantity.of([1, 2, 3, 4], 'mm')));
    expect(Quantity.isQuantity(v) ? v.magnitude : v).toEqual(expected);
  });

  it.each([
    'constructor',
    '__proto__',
    'toString',
    'rvalue.constructor',
    'label.__proto__',
    'prototype',
    'rvalue[0',
    'a..b',
    '',
    '1abc',
    'rvalue[::0]',
  ])('#%s is an error naming the fragment, never a property lookup', (fragment) => {
    expect(() => compileFragment(fragment).apply(view(Quantity.of(1)))).toThrow(FragmentError);
  });

  it('slices like Python for every list and slice', () => {
    const pySlice = (arr: number[], start: number | undefined, stop: number | undefined, step: number) => {
      const n = arr.length;
      const idx: number[] = [];
      const norm = (v: number | undefined, d: number, lo: number, hi: number) =>
        v === undefined ? d : v < 0 ? Math.max(lo, n + v) : Math.min(v, hi);
      if (step > 0) for (let i = norm(start, 0, 0, n); i < norm(stop, n, 0, n); i += step) idx.push(i);
      else for (let i = norm(start, n - 1, -1, n - 1); i > norm(stop, -1, -1, n - 1); i += step) idx.push(i);
      return idx.map((i) => arr[i]);
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 12 }),
        fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
        fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
        fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0),
        (arr, a, b, step) => {
          expect(sliceArray(arr, a, b, step)).toEqual(pySlice(arr, a, b, step));
        },
      ),
      { seed: 3, numRuns: 2000 },
    );
  });

  it('the fragment parser never throws anything but a FragmentError, and never evaluates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseFragmentPath(text);
        } catch (err) {
          expect(err).toBeInstanceOf(FragmentError);
        }
      }),
      { seed: 4, numRuns: 3000 },
    );
  });

  it('getFragment and fragment$ through a manager', async () => {
    const m = createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 });
    const uri = 'loc:/f/x?units=mm&init=2&label=Position';
    expect(await m.getFragment(`${uri}#label`)).toBe('Position');
    expect(await m.getFragment(`${uri}#rvalue.units`)).toBe('mm');
    const a = m.attribute(uri);
    const values = firstValueFrom(m.fragment$(`${uri}#rvalue.magnitude`).pipe(take(3), toArray()));
    await a.write(3);
    await a.write(3);
    await a.write('0.5 cm');
    expect(await values).toEqual([2, 3, 5]);
    await expect(m.getFragment(uri)).rejects.toThrow(/has no fragment/);
    await expect(m.getFragment(`${uri}#nope`)).rejects.toThrow(
      /Unknown fragment "#nope": valid fragments are/,
    );
    await m.dispose();
  });
});

describe('Quantity', () => {
  it('converts between compatible units and back', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.constantFrom('mm', 'km', 'in', 'ft', 'um'),
        (v, u) => {
          const back = Quantity.of(v, 'm').to(u).to('m').magnitude as number;
          expect(back).toBeCloseTo(v, Math.max(0, 6 - Math.log10(Math.abs(v) + 1)));
        },
      ),
      { seed: 5 },
    );
  });

  it('keeps unknown units as opaque labels that never throw on display', () => {
    const q = Quantity.of(3, 'counts');
    expect(String(q)).toBe('3 counts');
    expect(q.hasKnownUnits).toBe(false);
    expect(q.to('counts')).toBe(q);
    expect(() => q.to('m')).toThrow(/Cannot convert from "counts" to "m"/);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.double(), (units, v) => {
        expect(typeof String(Quantity.of(v, units))).toBe('string');
      }),
      { seed: 6 },
    );
  });

  it('parses "12.5 mm" and rejects text that is not a quantity, naming it', () => {
    expect(Quantity.parse('12.5mm').toJSON()).toEqual({ magnitude: 12.5, units: 'mm' });
    expect(Quantity.parse(' -3e-2 V ').toJSON()).toEqual({ magnitude: -0.03, units: 'V' });
    expect(() => Quantity.parse('twelve')).toThrow(/Cannot read "twelve" as a quantity/);
  });
});

describe('fragment types', () => {
  it('standard fragments are typed from the URI', async () => {
    const m = createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 });
    const label: string = await m.getFragment('loc:/t/x?label=X#label');
    const writable: boolean = await m.getFragment('loc:/t/x?label=X#writable');
    const units: string | undefined = await m.getFragment('loc:/t/x?label=X#rvalue.units');
    expect([label, writable, units]).toEqual(['X', true, '']);
    await m.dispose();
  });
});
