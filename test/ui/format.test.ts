import { spawnSync } from 'node:child_process';
import { fc, test } from '@fast-check/vitest';
import { Quantity } from 'tk-core';
import { compileFormat, defaultFormat, FormatError, precisionOf, pythonFloat, pythonStr } from 'tk-core/ui';
import { describe, expect, it } from 'vitest';
import { taurusStatus } from '../support/taurus/oracle.js';

/** Python itself formats the same cases: `format(value, spec)`, `fmt % value`, `str(value)`. */
function python(
  cases: readonly {
    kind: 'spec' | 'printf' | 'str' | 'numpy';
    fmt: string;
    value: unknown;
    float?: boolean;
  }[],
) {
  const script = `
import json, sys
import numpy as np
out = []
for c in json.load(sys.stdin):
    v = c['value']
    if c.get('float') and isinstance(v, (int, float)) and not isinstance(v, bool): v = float(v)
    if isinstance(v, str) and v in ('nan', 'inf', '-inf'): v = float(v)
    # tk-core's numbers are integers when integral (unless the attribute is a Float): so are Python's here
    if isinstance(v, float) and v.is_integer() and not c.get('float'): v = int(v)
    try:
        if c['kind'] == 'spec': out.append(format(v, c['fmt']))
        elif c['kind'] == 'printf': out.append(c['fmt'] % v)
        elif c['kind'] == 'numpy': out.append(str(np.array(v, dtype=float if c.get('float') else None)))
        else: out.append(str(v))
    except Exception as e:
        out.append('!Error')
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string[];
}

const SPECS = [
  '.3f',
  '6.3f',
  '+08.2f',
  '<10.1f',
  '^9.2e',
  '.2e',
  'e',
  'g',
  '.3g',
  '#.3g',
  ',',
  ',.2f',
  '_d',
  'd',
  '>6d',
  '08d',
  'x',
  '#X',
  'o',
  'b',
  '%',
  '.1%',
  '',
  '.4',
  ' .2f',
  '=+9.1f',
  '*^12.3f',
];
const NUMBERS = [
  0, 0.125, 0.375, 9.5, 1, -1, 2.5, 3.25, -12.5, 1234567.891, 1e-9, 123456789.123, 1.5e16, 2.5e22, 0.0001,
  0.00001, 255, -42, 7, 0.5, 1.5, 2.675,
];
const PRINTFS = [
  '%6.3f',
  '%d',
  '%5d',
  '%-8.2f|',
  '%+.1e',
  '%g',
  '%.3g',
  '%x',
  '%o',
  '%08.3f',
  '%s',
  '%.2f V',
  'v=%i',
  '%%%.1f',
  '%e',
  '%10.4E',
  '% d',
];

describe('formats against Python itself', () => {
  const python3 = taurusStatus().available;
  it.runIf(python3)('format(value, spec) for numbers, as Python gives it', () => {
    const cases = SPECS.flatMap((fmt) => NUMBERS.map((value) => ({ kind: 'spec' as const, fmt, value })));
    const expected = python(cases);
    const got = cases.map((c) => {
      try {
        return compileFormat(`{:${c.fmt}}`).format(c.value);
      } catch (e) {
        return e instanceof FormatError ? '!Error' : `!${String(e)}`;
      }
    });
    const diffs = cases.map((c, i) => [c.fmt, c.value, got[i], expected[i]]).filter((d) => d[2] !== d[3]);
    expect(diffs).toEqual([]);
  });

  it.runIf(python3)('fmt % value for printf formats, as Python gives it', () => {
    const cases = PRINTFS.flatMap((fmt) => NUMBERS.map((value) => ({ kind: 'printf' as const, fmt, value })));
    const expected = python(cases);
    const got = cases.map((c) => {
      try {
        return compileFormat(c.fmt).format(c.value);
      } catch (e) {
        return e instanceof FormatError ? '!Error' : `!${String(e)}`;
      }
    });
    const diffs = cases.map((c, i) => [c.fmt, c.value, got[i], expected[i]]).filter((d) => d[2] !== d[3]);
    expect(diffs).toEqual([]);
  });

  it.runIf(python3)('str(float) and numpy str(array), as Python gives them', () => {
    const floats = [...NUMBERS, 1e300, 5e-324, 0.1 + 0.2, 1 / 3, -1.5e-7, 123.456e10];
    const arrays = [
      [1, 2, 3],
      [0.1, 0.25, 3],
      [1e-9, 1],
      [1, -2, 30],
      [
        [1, 2],
        [3, 4],
      ],
      [0.5, -0.25],
      [100, 2000.5],
    ];
    const cases = [
      ...floats.map((value) => ({ kind: 'str' as const, fmt: '', value, float: true })),
      ...arrays.map((value) => ({ kind: 'numpy' as const, fmt: '', value, float: false })),
      ...arrays.slice(0, 2).map((value) => ({ kind: 'numpy' as const, fmt: '', value, float: true })),
    ];
    const expected = python(cases);
    const got = cases.map((c) => pythonStr(c.value, c.float === true));
    const diffs = cases.map((c, i) => [c.value, got[i], expected[i]]).filter((d) => d[1] !== d[2]);
    expect(diffs).toEqual([]);
  });
});

describe('formats', () => {
  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])(
    'pythonFloat round-trips every double',
    (x) => {
      expect(Object.is(Number(pythonFloat(x)), x)).toBe(true);
    },
  );

  test.prop([fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.integer({ min: 0, max: 12 })])(
    'printf %.Nf and Python {:.Nf} agree, with N decimals, within half a unit of the last one',
    (x, p) => {
      const a = compileFormat(`%.${p}f`).format(x);
      expect(compileFormat(`{:.${p}f}`).format(x)).toBe(a);
      expect(a.split('.')[1]?.length ?? 0).toBe(p);
      expect(Math.abs(Number(a) - x)).toBeLessThanOrEqual(0.5 * 10 ** -p + Math.abs(x) * 2 ** -52);
    },
  );

  test.prop([fc.string({ maxLength: 12 })])(
    'any format text compiles or fails with a FormatError naming it',
    (text) => {
      try {
        const f = compileFormat(text);
        for (const v of [1.5, 2, 'text', Quantity.of(3, 'mm')]) {
          try {
            expect(typeof f.format(v)).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError); // a value the format cannot show: a clear error
          }
        }
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).message).toContain(JSON.stringify(text));
      }
    },
  );

  it('quantities: the spec formats the magnitude, the units follow', () => {
    expect(compileFormat('%6.3f').format(Quantity.of(12.5, 'mm'))).toBe('12.500 mm');
    expect(compileFormat('{:~.2f}').format(Quantity.of(1 / 3, 'V'))).toBe('0.33 V');
    expect(defaultFormat(Quantity.of(12.5, 'm'))).toBe('12.5 m');
    expect(defaultFormat(Quantity.of(12.5, 'm'), { precision: 3 })).toBe('12.500 m');
    expect(defaultFormat(Quantity.of([1, 2, 3], 'V'))).toBe('[1 2 3] V');
    expect(defaultFormat(true)).toBe('True');
    expect(defaultFormat('text')).toBe('text');
    expect(defaultFormat(2, { asFloat: true })).toBe('2.0');
  });

  it("reads a format's precision as Taurus does", () => {
    expect([precisionOf('%6.3f'), precisionOf('%d'), precisionOf('{:.2e}'), precisionOf('%s')]).toEqual([
      3,
      0,
      2,
      undefined,
    ]);
  });

  it('bad formats name the format and show a valid one', () => {
    const bad = (f: string) => {
      try {
        compileFormat(f);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad('%6.3')).toMatch(/Incomplete conversion at position 0 of format "%6\.3"/);
    expect(bad('%f %f')).toMatch(/has 2 conversions: a printf-style format takes exactly one/);
    expect(bad('{x}')).toMatch(/Field \{x\} .* names no value/);
    expect(bad('{:.3q}')).toMatch(/Invalid format specification ".3q"/);
    expect(bad('{:.{p}f}')).toMatch(/Nested fields are not supported/);
    expect(bad('{:9999999f}')).toMatch(/width/);
    expect(bad('')).toMatch(/non-empty string/);
  });
});
