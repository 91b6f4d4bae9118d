/**
 * Issue 11 item 8: readings, Quantities, attributes, devices and authorities
 * print readably in a console or a debugger (Node's util.inspect, which
 * console.log uses, and String()). Before, a reading printed as
 * `{ rvalue: _Quantity { magnitude: 12.5, units: 'mm' }, ... }` and
 * String(reading) as `[object Object]`.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  createManager,
  createReading,
  createVirtualClock,
  errorReading,
  Quality,
  Quantity,
  type Reading,
  TkError,
  WriteError,
} from 'tk-core';
import { afterEach, describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 11, 7, 14, 0, 0, 250);
const ISO = '2026-12-07T14:00:00.250Z';
const managers: { dispose(): Promise<void> }[] = [];

function manager() {
  const m = createManager({ clock: createVirtualClock(T0), gcTime: 0 });
  managers.push(m);
  return m;
}

afterEach(async () => {
  for (const m of managers.splice(0)) await m.dispose();
});

describe('Quantity', () => {
  it('String() is the value with its units; inspect names the type', () => {
    const q = Quantity.of(12.5, 'mm');
    expect(String(q)).toBe('12.5 mm');
    expect(`${q}`).toBe('12.5 mm');
    expect(inspect(q)).toBe('Quantity<12.5 mm>');
    expect(inspect(Quantity.of(0.5))).toBe('Quantity<0.5>');
    expect(String(Quantity.of(0.5))).toBe('0.5');
    expect(inspect(Quantity.of(3, 'counts'))).toBe('Quantity<3 counts>'); // an opaque label prints too
  });

  it('arrays and images print as nested lists, inside other values too', () => {
    expect(inspect(Quantity.of([1, 2, 3], 'V'))).toBe('Quantity<[1, 2, 3] V>');
    expect(
      inspect(
        Quantity.of([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('Quantity<[[1, 2], [3, 4]]>');
    expect(inspect([Quantity.of(1, 'm'), Quantity.of(2, 's')])).toBe('[ Quantity<1 m>, Quantity<2 s> ]');
    expect(inspect({ x: Quantity.of(1, 'm') })).toBe('{ x: Quantity<1 m> }');
  });

  it('long arrays are cut as Node cuts them (maxArrayLength), and shown whole when asked', () => {
    const q = Quantity.of(
      Array.from({ length: 256 }, (_, i) => i),
      'V',
    );
    const shown = inspect(q);
    expect(shown.startsWith('Quantity<[0, 1, 2, ')).toBe(true);
    expect(shown.endsWith(', 99, ... 156 more] V>')).toBe(true);
    expect(inspect(q, { maxArrayLength: 2 })).toBe('Quantity<[0, 1, ... 254 more] V>');
    expect(inspect(q, { maxArrayLength: null })).toBe(`Quantity<[${q.magnitude.join(', ')}] V>`);
    expect(String(q)).toBe(`[${q.magnitude.join(', ')}] V`); // String() is never cut
  });

  it('colours like a number when the console colours', () => {
    expect(inspect(Quantity.of(12.5, 'mm'), { colors: true })).toBe('Quantity<\u001b[33m12.5 mm\u001b[39m>');
  });
});

describe('Reading', () => {
  it('a reading from an attribute prints every field; String() is a short line', async () => {
    const m = manager();
    const r = await m.attribute('eval:Q("12.5 mm")').read();
    expect(inspect(r)).toBe(`Reading { rvalue: Quantity<12.5 mm>, quality: VALID, time: ${ISO} }`);
    expect(String(r)).toBe('12.5 mm (VALID)');
    // console.log shows what inspect shows
    expect(inspect([r])).toBe(`[\n  Reading { rvalue: Quantity<12.5 mm>, quality: VALID, time: ${ISO} }\n]`);
  });

  it('a set-point, strings, booleans and other values', async () => {
    const m = manager();
    const x = m.attribute('loc:/print/x?type=float&units=mm&init=1');
    await x.write('0.3 cm');
    const r = await x.read();
    expect(inspect(r)).toBe(
      `Reading { rvalue: Quantity<3 mm>, wvalue: Quantity<3 mm>, quality: VALID, time: ${ISO} }`,
    );
    expect(String(r)).toBe('3 mm, set-point 3 mm (VALID)');
    const s = await m.attribute('eval:"abc"').read();
    expect(inspect(s)).toBe(`Reading { rvalue: 'abc', quality: VALID, time: ${ISO} }`);
    expect(String(s)).toBe('"abc" (VALID)');
    const b = await m.attribute('eval:True').read();
    expect(inspect(b)).toBe(`Reading { rvalue: true, quality: VALID, time: ${ISO} }`);
    expect(String(b)).toBe('true (VALID)');
  });

  it('an INVALID reading names its error, its class and code', async () => {
    const m = manager();
    const r = await m.attribute('eval:nope').read();
    expect(r.error).toBeInstanceOf(TkError);
    expect(inspect(r)).toBe(
      `Reading { rvalue: null, quality: INVALID, time: ${ISO}, error: ${r.error!.name} [${r.error!.code}]: ${r.error!.message} }`,
    );
    expect(String(r)).toBe(`error: ${r.error!.message} (INVALID)`);
    const made = errorReading(new WriteError('OUT_OF_RANGE', 'too far'), T0);
    expect(inspect(made)).toBe(
      `Reading { rvalue: null, quality: INVALID, time: ${ISO}, error: WriteError [OUT_OF_RANGE]: too far }`,
    );
  });

  it('nested deeper than the depth asked, a reading is [Reading], as Node shows [Object]', () => {
    const r = createReading({ rvalue: 1 }, T0);
    expect(inspect({ a: { b: { r } } })).toBe('{ a: { b: { r: [Reading] } } }');
    expect(inspect({ a: { b: { r } } }, { depth: 3 })).toContain('r: Reading { rvalue: Quantity<1>');
  });

  it('a time that is not a date prints as the number', () => {
    expect(inspect(createReading({ rvalue: 'x', time: Number.NaN }, T0))).toBe(
      "Reading { rvalue: 'x', quality: VALID, time: NaN }",
    );
  });

  it('printing adds no keys: JSON, Object.keys, copies and equality are as before', async () => {
    const r: Reading = createReading({ rvalue: 2, quality: Quality.ALARM }, T0, 'V');
    expect(Object.keys(r)).toEqual(['rvalue', 'time', 'quality']);
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      rvalue: { magnitude: 2, units: 'V' },
      time: T0,
      quality: 'ALARM',
    });
    expect(r).toEqual({ rvalue: Quantity.of(2, 'V'), time: T0, quality: Quality.ALARM });
    const copy = { ...r, rvalue: Quantity.of(3, 'V') };
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(inspect(copy)).toBe(`{ rvalue: Quantity<3 V>, time: ${T0}, quality: 'ALARM' }`);
    // frozen readings (freezeReadings) print the same
    const m = createManager({ clock: createVirtualClock(T0), freezeReadings: true });
    managers.push(m);
    const frozen = await m.attribute('eval:Q("1 m")').read();
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(inspect(frozen)).toBe(`Reading { rvalue: Quantity<1 m>, quality: VALID, time: ${ISO} }`);
  });
});

describe('models', () => {
  it('attributes print their full name, value and quality; devices and authorities their full name', async () => {
    const m = manager();
    const a = m.attribute('eval:Q("12.5 mm")');
    const held = a.hold(); // keeps the reading (gcTime 0 would release it at once)
    expect(String(a)).toBe('Attribute<eval://localhost/@DefaultEvaluator/Q("12.5 mm")> (no reading)');
    await a.read();
    expect(String(a)).toBe('Attribute<eval://localhost/@DefaultEvaluator/Q("12.5 mm")> 12.5 mm (VALID)');
    expect(inspect(a)).toBe(String(a));
    expect(inspect(m.device('eval://localhost/@DefaultEvaluator'))).toBe(
      'Device<eval://localhost/@DefaultEvaluator>',
    );
    expect(String(m.authority('eval://localhost'))).toBe('Authority<eval://localhost>');
    expect(inspect(m.authority('eval://localhost'))).toBe('Authority<eval://localhost>');
    const bad = m.attribute('eval:nope');
    const heldBad = bad.hold();
    await bad.read();
    expect(inspect(bad)).toBe(
      `Attribute<eval://localhost/@DefaultEvaluator/nope> error: ${bad.reading!.error!.message} (INVALID)`,
    );
    held.dispose();
    heldBad.dispose();
  });
});

describe('browser safety', () => {
  it('the printing code reaches util.inspect.custom through Symbol.for, never node:util', () => {
    expect(Symbol.for('nodejs.util.inspect.custom')).toBe(inspect.custom);
    for (const file of [
      '../../src/util/inspect.ts',
      '../../src/core/reading-object.ts',
      '../../src/units/quantity.ts',
    ]) {
      expect(readFileSync(new URL(file, import.meta.url), 'utf8')).not.toMatch(/from 'node:/);
    }
  });
});
