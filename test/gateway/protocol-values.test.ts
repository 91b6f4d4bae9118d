import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { TkError } from '../../src/errors/tk-error.js';
import {
  base64ToBytes,
  bytesToBase64,
  decodeWithTable,
  encodeWithTable,
  isCanonicalBase64,
} from '../../src/protocol/base64.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { decodeValue, encodeValue } from '../../src/protocol/values.js';
import { Quantity } from '../../src/units/quantity.js';

/** What a value becomes after a trip through JSON text. */
const trip = (v: unknown) => decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));

/** Values a reading, a fragment or a write can hold. */
const scalar = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.constant(undefined),
);
const vector = fc.array(fc.double(), { minLength: 1, maxLength: 20 });
const ints = fc.array(fc.integer(), { minLength: 1, maxLength: 20 });
const floats32 = fc.array(fc.float(), { minLength: 1, maxLength: 20 });
const matrix = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .chain(([r, c]) =>
    fc.array(fc.array(fc.double(), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
  );
const units = fc.constantFrom('', 'mm', 'm/s', 'counts', 'degC', 'µA');
const quantity = fc
  .tuple(fc.oneof(fc.double(), vector, ints, floats32, matrix), units)
  .map(([m, u]) => new Quantity(m as never, u));
const bytes = fc.uint8Array({ maxLength: 64 });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    quantity,
    bytes,
    vector,
    matrix,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('$', 'u', 'm')), tie('v'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  ),
})).v;

describe('values on the wire', () => {
  test.prop([value], { numRuns: 2000 })(
    'every value comes back equal after a trip through JSON text',
    (v) => {
      const back = trip(v);
      expect(back).toStrictEqual(v);
    },
  );

  it('keeps what JSON alone loses: NaN, infinities, -0, undefined limits, bigints', () => {
    const v = [Number.NaN, Number.POSITIVE_INFINITY, -0, undefined, 12n];
    const back = trip(v) as unknown[];
    expect(Object.is(back[0], Number.NaN)).toBe(true);
    expect(back[1]).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(back[2], -0)).toBe(true);
    expect(back[3]).toBeUndefined();
    expect(back[4]).toBe(12n);
    const q = trip(new Quantity([1.5, Number.NaN, -0], 'mm')) as Quantity;
    expect(q.units).toBe('mm');
    expect(Object.is((q.magnitude as number[])[2], -0)).toBe(true);
  });

  it('sends numeric arrays as little-endian typed arrays of the narrowest exact type', () => {
    expect(encodeValue([1, 2, 3])).toEqual({ $: 'nd', dt: 'i32', sh: [3], b64: 'AQAAAAIAAAADAAAA' });
    expect(encodeValue([0.5, 1.25])).toMatchObject({ dt: 'f32', sh: [2] });
    expect(encodeValue([0.1])).toMatchObject({ dt: 'f64' });
    expect(encodeValue([2 ** 31])).toMatchObject({ dt: 'f32' }); // an integer beyond i32, exact in f32
    expect(encodeValue([2 ** 31 + 1])).toMatchObject({ dt: 'f64' });
    expect(
      encodeValue([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ).toMatchObject({ dt: 'i32', sh: [3, 2] });
    expect(encodeValue(new Quantity(7, 'mm'))).toEqual({ $: 'q', m: 7, u: 'mm' });
    expect(encodeValue(new Quantity(7))).toEqual({ $: 'q', m: 7 });
    // a typed array of any element type decodes as the plain array readings hold
    expect(
      decodeValue({ $: 'nd', dt: 'u16', sh: [2], b64: bytesToBase64(new Uint8Array([1, 0, 0, 1])) }),
    ).toEqual([1, 256]);
    // a Float64Array becomes a plain array, as readings normalize it
    expect(trip(new Float64Array([1.5, 2.5]))).toEqual([1.5, 2.5]);
    // 10,000 doubles: the JSON text is base64 (4/3 of 8 bytes per element) plus a few dozen characters
    const big = Array.from({ length: 10_000 }, (_, i) => Math.sin(i));
    expect(JSON.stringify(encodeValue(big)).length).toBeLessThan(10_000 * 11 + 100);
  });

  it('wraps an object that has a "$" key, so no object is mistaken for a tag', () => {
    expect(encodeValue({ $: 'q', m: 1 })).toEqual({ $: 'o', v: { $: 'q', m: 1 } });
    expect(trip({ $: 'nd' })).toEqual({ $: 'nd' });
  });

  it('carries errors as TkErrors with their codes', () => {
    const back = trip(new TkError('OUT_OF_RANGE', '12 is above 10', { details: { max: 10 } })) as TkError;
    expect(back).toBeInstanceOf(TkError);
    expect(back.code).toBe('OUT_OF_RANGE');
    expect(back.details).toEqual({ max: 10 });
  });

  it.each([
    [{ $: 'zz' }, 'value.$', 'unknown tag "zz"'],
    [{ $: 'q', m: 'ten' }, 'value.m', 'must be "NaN", "Infinity", "-Infinity" or "-0"'],
    [{ $: 'q', m: 1, u: 3 }, 'value.u', 'string of units'],
    [{ $: 'q', m: { a: 1 } }, 'value.m', 'must be a magnitude'],
    [{ $: 'nd', dt: 'f128', sh: [1], b64: 'AAAAAAAAAAA=' }, 'value.dt', 'one of f64'],
    [
      { $: 'nd', dt: 'f64', sh: [2], b64: 'AAAAAAAAAAA=' },
      'value.b64',
      'holds 8 bytes where shape [2] of f64 needs 16',
    ],
    [{ $: 'nd', dt: 'f64', sh: [0], b64: '' }, 'value.sh', 'positive integers'],
    [{ $: 'nd', dt: 'f64', sh: [1, 1, 1, 1, 1], b64: 'AAAAAAAAAAA=' }, 'value.sh', '1 to 4'],
    [{ $: 'nd', dt: 'f64', sh: [65536, 65536], b64: '' }, 'value.sh', 'more than'],
    [{ $: 'nd', dt: 'f64', sh: [1], b64: 'AAAA AAAAAA=' }, 'value.b64', 'padded base64'],
    [{ $: 'bytes', b64: 'QQ' }, 'value.b64', 'padded base64'],
    [{ $: 'num', v: 'nan' }, 'value.v', '"NaN"'],
    [{ $: 'big', v: '1e3' }, 'value.v', 'decimal digits'],
    [{ $: 'err', code: 'lower', message: 'x' }, 'value.code', 'error code'],
    [{ $: 'o', v: [1] }, 'value.v', 'must be an object'],
    [[1, { $: 'q' }], 'value[1].m', 'must be a magnitude'],
  ])('refuses %j at %s, saying what is valid', (w, path, text) => {
    let err: unknown;
    try {
      decodeValue(w);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe('BAD_REQUEST');
    expect((err as ProtocolError).details.path).toBe(path);
    expect((err as ProtocolError).message).toContain(text);
  });

  it('refuses values nested deeper than 32 levels without exhausting the stack', () => {
    let w: unknown = 1;
    for (let i = 0; i < 100_000; i++) w = [w];
    expect(() => decodeValue(w)).toThrow(/deeper than 32/);
    let v: unknown = 'x';
    for (let i = 0; i < 40; i++) v = { a: v };
    expect(() => encodeValue(v)).toThrow(/deeper than 32/);
  });

  test.prop([fc.jsonValue()], { numRuns: 1000 })('any JSON either decodes or is a ProtocolError', (w) => {
    try {
      decodeValue(w);
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
    }
  });

  it('does not let "__proto__" keys reach a prototype', () => {
    const v = decodeValue(JSON.parse('{"__proto__":{"polluted":1},"a":1}')) as Record<string, unknown>;
    expect(v).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('base64', () => {
  test.prop([fc.uint8Array({ maxLength: 300 })])(
    'the table and Node agree, and decoding inverts encoding',
    (b) => {
      const text = bytesToBase64(b);
      expect(encodeWithTable(b)).toBe(text);
      expect(decodeWithTable(text)).toEqual(b);
      expect(base64ToBytes(text)).toEqual(new Uint8Array(b));
    },
  );

  test.prop([fc.string({ unit: fc.constantFrom(...'AQgw+/=a '.split('')), maxLength: 12 })])(
    'accepts only canonical text: what it decodes encodes back to the same text',
    (text) => {
      const b = base64ToBytes(text);
      if (b !== null) expect(bytesToBase64(b)).toBe(text);
      expect(b !== null).toBe(isCanonicalBase64(text));
    },
  );

  it('refuses non-zero padding bits (two texts for one byte string)', () => {
    expect(base64ToBytes('QQ==')).toEqual(new Uint8Array([65]));
    expect(base64ToBytes('QR==')).toBeNull();
    expect(base64ToBytes('QUI=')).toEqual(new Uint8Array([65, 66]));
    expect(base64ToBytes('QUJ=')).toBeNull();
  });
});
