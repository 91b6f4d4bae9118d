import { createManager, type Manager } from 'tk-core';
import { createEmbeddedStore, type OldbStore } from 'tk-core/oldb';
import { createDisplay, NO_BACKGROUND, QUALITY_COLORS } from 'tk-core/ui';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { untilSnapshot } from './support/until.js';

let m: Manager;
let store: OldbStore;

beforeEach(async () => {
  store = createEmbeddedStore();
  await store.declare('/root/t/volt', {
    type: 'double',
    value: 0.5,
    metadata: {
      units: 'V',
      label: 'Voltage',
      range: [-10, 10],
      alarms: [-0.7, 0.7],
      warnings: [-0.6, 0.6],
      format: '%6.3f',
      description: 'a <b>test</b> voltage',
    },
  });
  await store.declare('/root/t/count', { type: 'integer', value: 3 });
  await store.declare('/root/t/flag', { type: 'boolean', value: true });
  await store.declare('/root/t/badfmt', { type: 'double', value: 1.5, metadata: { format: '%q' } });
  m = createManager({ gcTime: 0, schemes: [createOldbScheme({ store })] });
});
afterEach(async () => {
  await m.dispose();
  await store.close();
});

describe('createDisplay: text', () => {
  it('shows a quantity as Taurus does (shortest digits, units), green on VALID', async () => {
    const d = createDisplay('eval:Q("12.5m")', { manager: m });
    const s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.text).toBe('12.5 m');
    expect(s.units).toBe('m');
    expect(s.quality).toBe('VALID');
    expect(s.background).toBe(QUALITY_COLORS.VALID.background);
    expect(s.background.css).toBe('#00ff00');
    expect(s.background.name).toBe('Frog Green');
    expect(s.foreground.css).toBe('#000000');
    expect(s.led).toBeUndefined();
    expect(s.connection).toBe('connected');
    expect(s.error).toBeUndefined();
    expect(s.tooltip).toBe(
      'Name: Q("12.5m")\nModel: eval://localhost/@DefaultEvaluator/Q("12.5m")\nDescription: Evaluation of Q("12.5m")',
    );
    d.dispose();
  });

  it("applies the attribute's own printf format, units after, and its limits to the colours", async () => {
    const d = createDisplay('cii.oldb:/root/t/volt', { manager: m });
    let s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.text).toBe(' 0.500 V');
    expect(s.label).toBe('Voltage');
    expect(s.tooltip).toBe(
      'Name: Voltage\nModel: cii.oldb:/root/t/volt\nDescription: a <b>test</b> voltage\nRange: [-10 V, 10 V]\nAlarm: [-0.7 V, 0.7 V]\nWarning: [-0.6 V, 0.6 V]',
    );
    await store.write('/root/t/volt', { value: 0.65 });
    s = await untilSnapshot(d, (s) => s.quality === 'WARNING');
    expect(s.text).toBe(' 0.650 V');
    expect(s.background.css).toBe('#ff8c00');
    expect(s.foreground.css).toBe('#ffffff');
    await store.write('/root/t/volt', { value: 0.9 });
    s = await untilSnapshot(d, (s) => s.quality === 'ALARM');
    expect(s.background).toBe(QUALITY_COLORS.ALARM.background);
    d.dispose();
  });

  it('a display format overrides the attribute format: Python style too', async () => {
    const d = createDisplay('cii.oldb:/root/t/volt', {
      manager: m,
      format: '{:.1e}',
      prefix: 'U=',
      suffix: '!',
    });
    const s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.value).toBe('5.0e-01 V');
    expect(s.text).toBe('U=5.0e-01 V!');
    d.dispose();
  });

  it('precision and showUnits: false (a form read widget shows the magnitude)', async () => {
    const d = createDisplay('eval:Q("12.5m")/3', { manager: m, precision: 2, showUnits: false });
    const s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.text).toBe('4.17');
    expect(s.units).toBe('m');
    // formatValue: other values (a trend's minimum and maximum) formatted as the display formats its own
    expect(d.formatValue(1 / 3)).toBe('0.33');
    expect(d.formatValue(null)).toBe('-----');
    d.dispose();
  });

  it('formatValue uses the display format, and the default when it does not suit the value', () => {
    const d = createDisplay('loc:/fmt/x?init=2', { manager: m, format: '%6.3f' });
    expect(d.formatValue(10)).toBe('10.000');
    expect(d.formatValue('text')).toBe('text');
    d.dispose();
  });

  it('booleans give a LED state; Python spelling of the text', async () => {
    const d = createDisplay('cii.oldb:/root/t/flag', { manager: m });
    let s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.text).toBe('True');
    expect(s.led).toEqual({ on: true, color: 'green', trouble: false });
    await store.write('/root/t/flag', { value: false });
    s = await untilSnapshot(d, (s) => s.led?.on === false);
    expect(s.text).toBe('False');
    d.dispose();
  });

  it('fgRole as a fragment (label, rvalue.magnitude, range[1]) and from the URI fragment', async () => {
    const byRole = (fgRole: string) => createDisplay('cii.oldb:/root/t/volt', { manager: m, fgRole });
    for (const [role, text] of [
      ['label', 'Voltage'],
      ['rvalue.magnitude', ' 0.500'],
      ['range[1]', '10'],
      ['quality', 'VALID'],
      ['none', ''],
      ['wvalue', '-----'],
    ] as const) {
      const d = byRole(role);
      const s = await untilSnapshot(d, (s) => s.quality !== undefined);
      expect([role, s.text]).toEqual([role, text]);
      d.dispose();
    }
    const d = createDisplay('cii.oldb:/root/t/volt#label', { manager: m });
    expect((await untilSnapshot(d, (s) => s.quality !== undefined)).text).toBe('Voltage');
    expect(d.fgRole).toBe('label');
    d.dispose();
  });

  it('bgRole none is transparent with black text; a fragment bgRole uses the state palette', async () => {
    const d = createDisplay('eval:1', { manager: m, bgRole: 'none' });
    let s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.background).toBe(NO_BACKGROUND.background);
    expect(s.background.css).toBe('transparent');
    d.dispose();
    const e = createDisplay('eval:"FAULT"', { manager: m, bgRole: 'rvalue' });
    s = await untilSnapshot(e, (s) => s.quality !== undefined);
    expect([s.background.name, s.background.css]).toEqual(['Red', '#ff0000']);
    e.dispose();
  });

  it('an error reading shows the none value, gray, and the error', async () => {
    const d = createDisplay('eval:1/0', { manager: m });
    const s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.quality).toBe('INVALID');
    expect(s.text).toBe('-----');
    expect(s.background.name).toBe('Gray');
    expect(s.foreground.css).toBe('#ffffff');
    expect(s.error).toMatch(/1\/0/);
    d.dispose();
  });
});

describe('createDisplay: store contract and lifetime', () => {
  it('keeps the snapshot identity while nothing shown changes', async () => {
    await store.declare('/root/t/steady', { type: 'double', value: 1 });
    const d = createDisplay('cii.oldb:/root/t/steady', { manager: m });
    const first = await untilSnapshot(d, (s) => s.quality !== undefined);
    let calls = 0;
    d.subscribe(() => calls++);
    const t = first.time!;
    await store.write('/root/t/steady', { value: 1, timestamp: t });
    await store.write('/root/t/steady', { value: 2, timestamp: t });
    await untilSnapshot(d, (s) => s.text === '2.0'); // a double: Python prints floats with a decimal point
    expect(calls).toBe(2); // initial call and the change to 2; the same-value write changed nothing shown
    d.dispose();
  });

  it('holds the attribute while it lives and lets go on dispose', async () => {
    const d = createDisplay('cii.oldb:/root/t/count', { manager: m });
    await untilSnapshot(d, (s) => s.quality !== undefined);
    const a = d.attribute;
    expect(a.subscriberCount).toBe(1);
    d.dispose();
    expect(a.subscriberCount).toBe(0);
    m.flush();
    expect(a.isOpen).toBe(false);
    d.dispose();
  });

  it('takes an attribute object too, and the default manager for a URI', async () => {
    const a = m.attribute('eval:2');
    const d = createDisplay(a);
    expect((await untilSnapshot(d, (s) => s.quality !== undefined)).text).toBe('2');
    d.dispose();
    const e = createDisplay('loc:/ui/display/default?type=int&init=4');
    expect((await untilSnapshot(e, (s) => s.quality !== undefined)).text).toBe('4');
    e.dispose();
  });
});

describe('createDisplay: bad input', () => {
  it('an unknown role names the role, the model and what is valid', () => {
    expect(() => createDisplay('eval:1', { manager: m, fgRole: 'colour' })).toThrow(
      /Invalid fgRole "colour" for eval:\/\/localhost\/@DefaultEvaluator\/1: .*Valid: 'rvalue', 'wvalue', 'quality', 'none', or a fragment path/,
    );
    expect(() => createDisplay('eval:1', { manager: m, bgRole: 'bogus' })).toThrow(/Invalid bgRole "bogus"/);
    expect(() => createDisplay('eval:1', { manager: m, fgRole: 42 as never })).toThrow(/not a string/);
  });

  it('a bad display format throws; a bad attribute format shows the value and says why', async () => {
    expect(() => createDisplay('eval:1', { manager: m, format: '%6.3' })).toThrow(
      /Incomplete conversion at position 0 of format "%6\.3".*e\.g\. %6\.3f/,
    );
    expect(() => createDisplay('eval:1', { manager: m, format: '{:.3q}' })).toThrow(
      /Invalid format specification/,
    );
    const d = createDisplay('cii.oldb:/root/t/badfmt', { manager: m });
    const s = await untilSnapshot(d, (s) => s.quality !== undefined);
    expect(s.text).toBe('1.5');
    expect(s.error).toMatch(/format "%q"/);
    d.dispose();
  });

  it('an invalid model throws the manager error and holds nothing', () => {
    expect(() => createDisplay('nosuch:1', { manager: m })).toThrow(/nosuch/);
    expect(() => createDisplay('cii.oldb:no/slash', { manager: m })).toThrow(/cii\.oldb:no\/slash/);
    expect(() => createDisplay(42 as never, { manager: m })).toThrow(
      /A model must be an attribute or its URI/,
    );
    expect(() => createDisplay('eval:1', { manager: m, precision: -1 })).toThrow(/Invalid precision -1/);
  });
});
