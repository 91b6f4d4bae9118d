import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createManager,
  createVirtualClock,
  InvalidNameError,
  Quality,
  Quantity,
  WriteError,
} from '../../src/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';
import { nearMissArbitrary, validNameArbitrary } from '../../src/testing/arbitraries.js';
import {
  adversarialNames,
  runNameTable,
  schemeConformance,
  timeValidation,
  validatorsOf,
} from '../../src/testing/index.js';

const plugin = createLocScheme();
const validators = validatorsOf(plugin);

runNameTable({ describe, it, expect }, validators.attribute, [
  {
    name: 'loc:/ui/x',
    valid: true,
    names: ['loc://local/ui/x', '/ui/x', 'x'],
    groups: { devname: '/ui', attrname: 'x' },
  },
  { name: 'loc://local/ui/x', valid: true, names: ['loc://local/ui/x', '/ui/x', 'x'] },
  { name: 'loc://panel-2/ui/x', valid: true, names: ['loc://panel-2/ui/x', '//panel-2/ui/x', 'x'] },
  { name: 'loc:/a/b/c.d-e_f', valid: true, groups: { devname: '/a/b', attrname: 'c.d-e_f' } },
  { name: 'loc:/ui/x#label', valid: true, fragment: 'label', names: ['loc://local/ui/x', '/ui/x', 'x'] },
  {
    name: 'loc:/m/speed?units=mm%2Fs&init=2.50&type=float',
    valid: true,
    names: [
      'loc://local/m/speed?type=float&init=2.5&units=mm%2Fs',
      '/m/speed?type=float&init=2.5&units=mm%2Fs',
      'speed',
    ],
  },
  {
    name: 'loc:/m/flag?type=bool&init=1',
    valid: true,
    names: ['loc://local/m/flag?type=bool&init=true', '/m/flag?type=bool&init=true', 'flag'],
  },
  { name: 'loc:/m/arr?type=int[]&init=[1,2,3]', valid: true },
  { name: 'loc:/x', valid: false, part: 'path' },
  { name: 'loc:x/y', valid: false },
  { name: 'loc:/a//b', valid: false },
  { name: 'loc:/a/b c', valid: false, part: 'path' },
  { name: 'loc:/a/b?foo=1', valid: false, part: 'query' },
  { name: 'loc:/a/b?type=complex', valid: false, part: 'query' },
  { name: 'loc:/a/b?type=int&init=1.5', valid: false, part: 'query' },
  { name: 'loc:/a/b?type=string&units=mm', valid: false, part: 'query' },
  { name: 'loc:/a/b?min=5&max=1', valid: false, part: 'query' },
  { name: 'loc:/a/b?init=20&max=10', valid: false, part: 'query' },
  { name: 'loc:/a/b?type=float&type=int', valid: false, part: 'query' },
  { name: 'loc:/a/b?init=%zz', valid: false, part: 'query' },
  { name: 'loc:/a/b#x#y', valid: false },
  { name: 'eval:/a/b', valid: false, part: 'scheme' },
]);

runNameTable({ describe, it, expect }, validators.device, [
  { name: 'loc:/ui', valid: true, names: ['loc://local/ui', '/ui', 'ui'] },
  { name: 'loc:/ui/panel', valid: true, names: ['loc://local/ui/panel', '/ui/panel', 'panel'] },
  { name: 'loc://ns/ui', valid: true, names: ['loc://ns/ui', '//ns/ui', 'ui'] },
  { name: 'loc:/ui?type=float', valid: false },
]);

runNameTable({ describe, it, expect }, validators.authority, [
  { name: 'loc://local', valid: true, names: ['loc://local', '//local', 'local'] },
  { name: 'loc://a.b-c', valid: true },
  { name: 'loc:/local', valid: false },
]);

schemeConformance(
  { describe, it, expect },
  {
    scheme: 'loc',
    createManager: () => createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 }),
    attributes: [
      'loc:/conf/a?init=1',
      'loc:/conf/s?type=string&init=hello',
      'loc://ns/conf/arr?type=float[]&init=[1,2]',
    ],
    equivalent: [
      [
        'loc:/conf/a?init=1',
        'loc://local/conf/a?init=1.0',
        'loc:/conf/a?init=1#label',
        'loc://local/conf/a?init=1#rvalue',
      ],
    ],
    invalid: ['loc:/x', 'loc:/a/b?bogus=1', 'loc:/a b/c'],
    write: {
      name: 'loc:/conf/w?units=m',
      value: '12 mm',
      check: (r) => Math.abs(Number(Number(r.rvalue)) - 0.012) < 1e-12,
    },
  },
);

describe('loc points', () => {
  const make = () =>
    createManager({
      builtins: false,
      schemes: [createLocScheme()],
      gcTime: 0,
      clock: createVirtualClock(1_000),
    });

  it('converts units on write, rejects incompatible units and out-of-range values, leaving the value unchanged', async () => {
    const m = make();
    const a = m.attribute('loc:/m/pos?units=m&min=-1&max=1');
    const seen: string[] = [];
    a.subscribe((r) => seen.push(String(r.rvalue)));
    await a.write(Quantity.of(5, 'mm'));
    expect(String((await a.read()).rvalue)).toBe('0.005 m');
    await expect(a.write('3 s')).rejects.toMatchObject({ code: 'UNIT_MISMATCH' });
    await expect(a.write(Quantity.of(2, 'm'))).rejects.toBeInstanceOf(WriteError);
    await expect(a.write('abc')).rejects.toThrow(/loc:\/\/local\/m\/pos.*expected a number/);
    expect(String((await a.read({ cache: false })).rvalue)).toBe('0.005 m');
    expect(seen).toEqual(['0 m', '0.005 m']);
    await m.dispose();
  });

  it('shares one point between names with the same path and rejects conflicting declarations', async () => {
    const m = make();
    const typed = m.attribute('loc:/p/x?type=int&init=3');
    const plain = m.attribute('loc:/p/x');
    expect(typed).not.toBe(plain);
    expect((await typed.read()).rvalue).toEqual(Quantity.of(3));
    expect((await plain.read()).rvalue).toEqual(Quantity.of(3));
    const got: unknown[] = [];
    plain.subscribe((r) => got.push(Number(r.rvalue)));
    await typed.write(7);
    expect(got).toEqual([3, 7]);
    const conflicting = m.attribute('loc:/p/x?type=string');
    const r = await conflicting.read();
    expect(r.quality).toBe(Quality.INVALID);
    expect(r.error?.message).toMatch(
      /declares type=string, but the point loc:\/\/local\/p\/x already exists with type=int/,
    );
    await m.dispose();
  });

  it('applies alarm and warning limits to the quality', async () => {
    const m = make();
    const a = m.attribute('loc:/q/t?alarm_low=-10&alarm_high=10&warn_low=-5&warn_high=5');
    const qualities: string[] = [];
    a.subscribe((r) => qualities.push(r.quality));
    for (const v of [1, 6, 11, -6, -11, 0]) await a.write(v);
    expect(qualities).toEqual(['VALID', 'VALID', 'WARNING', 'ALARM', 'WARNING', 'ALARM', 'VALID']);
    expect(
      await m.getFragment('loc:/q/t?alarm_low=-10&alarm_high=10&warn_low=-5&warn_high=5#alarms'),
    ).toEqual([-10, 10]);
    await m.dispose();
  });

  it('read-only points refuse writes', async () => {
    const m = make();
    const a = m.attribute('loc:/ro/x?writable=false&init=2');
    await a.read();
    await expect(a.write(3)).rejects.toMatchObject({ code: 'NOT_WRITABLE' });
    await m.dispose();
  });

  it('lists devices and attributes it has opened', async () => {
    const m = make();
    await m.attribute('loc:/tree/a/x').read();
    await m.attribute('loc:/tree/a/y').read();
    await m.attribute('loc:/tree/b/z').read();
    expect(await m.device('loc:/tree/a').children()).toEqual([
      'loc://local/tree/a/x',
      'loc://local/tree/a/y',
    ]);
    expect(await m.device('loc:/tree').children()).toEqual(['loc://local/tree/a', 'loc://local/tree/b']);
    await m.dispose();
  });

  it('property: any float written with compatible units reads back converted', async () => {
    const m = make();
    const a = m.attribute('loc:/prop/len?units=m');
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.constantFrom(['mm', 1e-3], ['cm', 1e-2], ['km', 1e3], ['m', 1]),
        async (v, [u, f]) => {
          await a.write(Quantity.of(v, u as string));
          const r = (await a.read()).rvalue as Quantity<number>;
          expect(r.units).toBe('m');
          expect(r.magnitude).toBeCloseTo(v * (f as number), 6);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
    await m.dispose();
  });

  it('property: a rejected write never changes the value', async () => {
    const m = make();
    const a = m.attribute('loc:/prop/bounded?type=int&min=0&max=100&init=50');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.string(), fc.boolean()),
        async (v) => {
          const before = Number((await a.read()).rvalue);
          try {
            await a.write(v);
            const after = Number((await a.read()).rvalue);
            expect(after).toBe(Number(v));
          } catch (err) {
            expect((err as Error).message).toContain('loc://local/prop/bounded');
            expect(Number((await a.read()).rvalue)).toBe(before);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
    await m.dispose();
  });
});

describe('loc name grammar properties', () => {
  const attr = validators.attribute;
  const valid = validNameArbitrary(attr, {
    pieces: {
      query: fc.constantFrom('', 'type=float', 'init=3&units=mm', 'type=string&init=a%20b', 'min=0&max=5'),
    },
  }).filter((n) => !n.includes('??'));

  it('every generated valid name has names whose full name names itself', () => {
    fc.assert(
      fc.property(valid, (name) => {
        const n = attr.getNames(name)!;
        expect(attr.isValid(n.fullName, { strict: true })).toBe(true);
        expect(attr.getNames(n.fullName)!.fullName).toBe(n.fullName);
        expect(attr.getNames(`${n.fullName}#label`)!.fullName).toBe(n.fullName);
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it('near misses are either valid with consistent names, or rejected with an error naming the input', () => {
    fc.assert(
      fc.property(nearMissArbitrary(valid), ({ name }) => {
        if (attr.isValid(name)) {
          expect(attr.getNames(name)).not.toBeNull();
        } else {
          expect(() => attr.validate(name)).toThrow(InvalidNameError);
          expect(attr.getNames(name)).toBeNull();
        }
      }),
      { seed: 2, numRuns: 1000 },
    );
  });

  it('validation runs in linear time on 100 kB adversarial inputs', () => {
    for (const v of [validators.attribute, validators.device, validators.authority]) {
      for (const input of adversarialNames(v, 100_000)) {
        // a complexity guard: catastrophic backtracking takes seconds; linear matching takes about a millisecond
        expect(timeValidation((s) => v.isValid(s), input)).toBeLessThan(50);
      }
    }
  });
});

describe('a declaration wins over a bare name, whatever the order of first use', () => {
  const make = () =>
    createManager({
      builtins: false,
      schemes: [createLocScheme()],
      gcTime: 0,
      clock: createVirtualClock(1_000),
    });

  it('the bare name read first does not define the point (the issue)', async () => {
    const m = make();
    const declaring = m.attribute('loc:/p/v?type=float&units=mm&init=5');
    const bare = m.attribute('loc:/p/v');
    const seen: string[] = [];
    bare.subscribe((r) => seen.push(String(r.rvalue)));
    // nothing declared yet: the defaults, as a placeholder
    expect(seen).toEqual(['0']);
    expect(bare.units).toBe('');
    await declaring.write('1 cm');
    expect(String((await declaring.read()).rvalue)).toBe('10 mm');
    expect(String((await bare.read()).rvalue)).toBe('10 mm');
    // the bare name's metadata and readings follow the declaration as soon as it opens the point
    expect(bare.units).toBe('mm');
    expect(seen).toEqual(['0', '5 mm', '10 mm']);
    await m.dispose();
  });

  it('any order of first use gives one definition and one value (fast-check)', async () => {
    const names = [
      'loc:/o/x',
      'loc:/o/x?units=mm',
      'loc:/o/x?min=0',
      'loc:/o/x?type=float&units=mm&init=5&min=0&max=10',
      'loc:/o/x?init=5&label=X',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(names, { minLength: names.length }),
        fc.boolean(),
        async (order, readEach) => {
          const m = make();
          for (const n of order) {
            const a = m.attribute(n);
            if (readEach) await a.read();
            else a.subscribe(() => {});
          }
          for (const n of names) {
            const a = m.attribute(n);
            const r = await a.read();
            expect(r.error).toBeUndefined();
            expect(String(r.rvalue)).toBe('5 mm');
            expect([a.units, a.range, a.label]).toEqual(['mm', [0, 10], 'X']);
          }
          await m.dispose();
        },
      ),
      { seed: 12, numRuns: 60 },
    );
  });

  it('a value written through the bare name is kept, in the declared units; one that does not fit is a conflict', async () => {
    const m = make();
    const bare = m.attribute('loc:/w/x');
    await bare.write(3);
    const declaring = m.attribute('loc:/w/x?units=mm&init=5&max=10');
    expect(String((await declaring.read()).rvalue)).toBe('3 mm');
    await bare.write(20).catch(() => undefined); // refused: outside the declared range
    expect(String((await bare.read()).rvalue)).toBe('3 mm');

    const other = m.attribute('loc:/w/y');
    await other.write(2.5);
    const asInt = await m.attribute('loc:/w/y?type=int').read();
    expect(asInt.error?.code).toBe('CONFIG');
    expect(asInt.error?.message).toMatch(
      /"loc:\/\/local\/w\/y\?type=int" declares "type=int", which does not fit the point loc:\/\/local\/w\/y as declared so far \(nothing\): its value, written before, is 2.5, not an integer/,
    );
    // the point is unchanged by the refused declaration
    expect(String((await other.read()).rvalue)).toBe('2.5');
    await m.dispose();
  });

  it('a key declared twice differently is a conflict, in either order', async () => {
    for (const [first, second] of [
      ['loc:/c/x?units=mm', 'loc:/c/x?units=m'],
      ['loc:/c/x?units=m', 'loc:/c/x?units=mm'],
    ] as const) {
      const m = make();
      await m.attribute(first).read();
      const r = await m.attribute(second).read();
      expect(r.error?.code).toBe('CONFIG');
      expect(r.error?.message).toMatch(/declares units=.*already exists with units=/);
      await m.dispose();
    }
  });
});
