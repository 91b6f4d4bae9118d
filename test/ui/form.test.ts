import { createManager, type Manager } from 'tk-core';
import { createEmbeddedStore, type OldbStore, startExampleProducer } from 'tk-core/oldb';
import { expectNoLeaks } from 'tk-core/testing';
import { createForm, type FormController, type FormSnapshot, restoreForm } from 'tk-core/ui';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { untilSnapshot } from './support/until.js';

let m: Manager;
let store: OldbStore;

beforeEach(async () => {
  store = createEmbeddedStore();
  await store.declare('/root/f/volt', {
    type: 'double',
    value: 1.5,
    metadata: { units: 'V', label: 'Voltage', range: [0, 10] },
  });
  await store.declare('/root/f/on', { type: 'boolean', value: true });
  await store.declare('/root/f/wave', { type: 'double[]', value: [1, 2, 3], metadata: { writable: false } });
  await store.declare('/root/f/names', { type: 'string[]', value: ['a', 'b'] });
  await store.declare('/root/f/ro', { type: 'double', value: 2, metadata: { writable: false } });
  m = createManager({ gcTime: 0, schemes: [createOldbScheme({ store })] });
});
afterEach(async () => {
  await m.dispose();
  await store.close();
});

/** Resolves with the form's snapshot once every item's display has its first reading. */
async function settledForm(form: FormController): Promise<FormSnapshot> {
  await Promise.all(
    form
      .getSnapshot()
      .items.map((i) => (i.display ? untilSnapshot(i.display, (d) => d.quality !== undefined) : undefined)),
  );
  return form.getSnapshot();
}
const kinds = (s: FormSnapshot) => s.items.map((i) => [i.readWidget, i.writeWidget, i.unitsWidget]);

describe('createForm: widget kinds as TaurusValue picks them', () => {
  it('label/lineEdit for numbers, led/checkBox for booleans, plot for numeric spectra, table for others, none when read-only', async () => {
    const form = createForm(
      [
        'cii.oldb:/root/f/volt',
        'cii.oldb:/root/f/on',
        'cii.oldb:/root/f/wave',
        'cii.oldb:/root/f/names',
        'cii.oldb:/root/f/ro',
        'eval:Q("12.5m")',
      ],
      { manager: m },
    );
    const s = await settledForm(form);
    expect(kinds(s)).toEqual([
      ['label', 'lineEdit', 'units'],
      ['led', 'checkBox', 'units'],
      ['plot', 'none', 'units'],
      ['table', 'tableEdit', 'units'],
      ['label', 'none', 'units'],
      ['label', 'none', 'units'],
    ]);
    expect(s.items.map((i) => i.label)).toEqual(['Voltage', 'on', 'wave', 'names', 'ro', 'Q("12.5m")']);
    expect(s.items[0]!.display!.getSnapshot().text).toBe('1.5'); // the units widget shows the units
    expect(s.items[0]!.input).toBeDefined();
    expect(s.items[4]!.input).toBeUndefined();
    form.dispose();
  });

  it('per-item overrides and custom mappings by attribute type and by device', async () => {
    const form = createForm(
      [
        { model: 'cii.oldb:/root/f/volt', readWidget: 'gauge', label: 'U' },
        'cii.oldb:/root/f/on',
        'cii.oldb:/root/f/ro',
      ],
      {
        manager: m,
        customMappings: {
          byAttributeType: { Boolean: { read: 'switch', write: 'toggle' } },
          byDevice: { 'cii.oldb:/root/f': { units: 'none' } },
        },
      },
    );
    const s = await settledForm(form);
    expect(kinds(s)).toEqual([
      ['gauge', 'lineEdit', 'none'],
      ['switch', 'toggle', 'none'],
      ['label', 'none', 'none'],
    ]);
    expect(s.items[0]!.label).toBe('U');
    form.dispose();
  });
});

describe('createForm: apply, reset, pending', () => {
  it('counts pending items, applies them all, resets', async () => {
    await store.declare('/root/f/volt2', { type: 'double', value: 1, metadata: { units: 'V' } });
    const form = createForm(['cii.oldb:/root/f/volt', 'cii.oldb:/root/f/volt2', 'cii.oldb:/root/f/ro'], {
      manager: m,
    });
    const s0 = await untilSnapshot(form, (s) => s.items.filter((i) => i.input).length === 2);
    const [a, b] = s0.items;
    a!.input!.edit('2.5');
    b!.input!.edit('3 V');
    expect(form.getSnapshot().pending).toBe(2);
    const result = await form.apply();
    expect(result).toEqual({ applied: 2, failed: 0 });
    expect(form.getSnapshot().pending).toBe(0);
    expect((await store.read('/root/f/volt')).value).toBe(2.5);
    a!.input!.edit('7');
    a!.input!.edit('20'); // outside the range
    expect(form.getSnapshot()).toMatchObject({ pending: 1, problems: 1 });
    expect(await form.apply()).toEqual({ applied: 0, failed: 1 });
    form.reset();
    expect(form.getSnapshot()).toMatchObject({ pending: 0, problems: 0 });
    form.dispose();
  });
});

describe('createForm: add, remove, move, toJSON, restoreForm', () => {
  it('moves items within a form and between forms (drag and drop); saves and restores the configuration', async () => {
    const one = createForm(['/sine', { model: '/cosine', fgRole: 'label' }], {
      manager: m,
      parentModel: 'cii.oldb:/root/example/double',
    });
    const producer = await startExampleProducer(store, { rate: 50 });
    try {
      const s = await settledForm(one);
      expect(s.items.map((i) => i.model)).toEqual([
        'cii.oldb:/root/example/double/sine',
        'cii.oldb:/root/example/double/cosine',
      ]);
      expect(s.items[1]!.display!.getSnapshot().text).toBe(s.items[1]!.label);
      const two = createForm(['cii.oldb:/root/f/volt'], { manager: m });
      const spec = one.remove(s.items[0]!)!;
      expect(spec).toEqual({ model: 'cii.oldb:/root/example/double/sine' });
      two.add(spec, 0);
      expect(two.getSnapshot().items.map((i) => i.model)).toEqual([
        'cii.oldb:/root/example/double/sine',
        'cii.oldb:/root/f/volt',
      ]);
      expect(two.move(two.getSnapshot().items[0]!, 1)).toBe(true);
      expect(two.getSnapshot().items.map((i) => i.model)).toEqual([
        'cii.oldb:/root/f/volt',
        'cii.oldb:/root/example/double/sine',
      ]);
      const saved = JSON.parse(JSON.stringify(one));
      expect(saved).toEqual({
        kind: 'tk-core.form',
        version: 1,
        parentModel: 'cii.oldb:/root/example/double',
        items: [{ model: '/cosine', fgRole: 'label' }],
      });
      const back = restoreForm(JSON.stringify(saved), { manager: m });
      const r = await settledForm(back);
      expect(r.items.map((i) => [i.model, i.display?.fgRole])).toEqual([
        ['cii.oldb:/root/example/double/cosine', 'label'],
      ]);
      for (const f of [one, two, back]) f.dispose();
    } finally {
      await producer.stop();
    }
  });
});

describe('createForm: bad input', () => {
  it('invalid or unreachable models become items with a problem naming them; the rest works', async () => {
    const form = createForm(
      [
        'nosuch:x',
        '/relative',
        { model: 'eval:1', fgRole: 'colour' },
        { model: 'eval:2', bogus: 1 } as never,
        42 as never,
        'cii.oldb:/root/f/missing',
        'eval:3',
      ],
      { manager: m },
    );
    const s = await settledForm(form);
    const problems = s.items.map((i) => i.problem ?? '');
    expect(problems[0]).toMatch(/nosuch:x/);
    expect(problems[1]).toMatch(/"\/relative" is relative .* but has no parent model/);
    expect(problems[2]).toMatch(/Invalid fgRole "colour"/);
    expect(problems[3]).toMatch(
      /Form item 4 \(eval:2\) has an unknown field "bogus"|Form item 4 has an unknown field "bogus"/,
    );
    expect(problems[4]).toMatch(/Form item 5 must be a model URI or an object/);
    expect(problems[6]).toBe('');
    const missing = await untilSnapshot(s.items[5]!.display!, (d) => d.quality !== undefined);
    expect(missing.quality).toBe('INVALID');
    expect(missing.error).toMatch(/\/root\/f\/missing/);
    expect(form.getSnapshot().problems).toBe(5);
    form.dispose();
  });

  it('a saved form of another version or kind is refused, naming what is read', () => {
    expect(() => restoreForm({ kind: 'tk-core.form', version: 2, items: [] })).toThrow(
      'A saved form of version 2 cannot be read: this version of tk-core reads version 1',
    );
    expect(() => restoreForm({ kind: 'other', version: 1, items: [] })).toThrow(/not a saved form/);
    expect(() => restoreForm('{')).toThrow(/must be JSON/);
    expect(() => restoreForm({ kind: 'tk-core.form', version: 1, items: {} })).toThrow(/"items", a list/);
  });
});

describe('createForm: lifetime', () => {
  it('a form of 1,000 items lets go of everything when disposed (expectNoLeaks)', async () => {
    const paths = Array.from({ length: 1000 }, (_, i) => `/root/many/p${i}`);
    for (const p of paths) await store.declare(p, { type: 'double', value: 1 });
    const form = createForm(
      paths.map((p) => `cii.oldb:${p}`),
      { manager: m },
    );
    await untilSnapshot(form, (s) => s.items.every((i) => i.input !== undefined), 20_000);
    expect(
      m.snapshot().schemes.find((x) => x.scheme === 'cii.oldb')!.attributes.length,
    ).toBeGreaterThanOrEqual(1000);
    form.dispose();
    expectNoLeaks(m);
  });
});
