import { fc, test } from '@fast-check/vitest';
import { createManager, defaultConfig, type Manager, Quantity } from 'tk-core';
import { createEmbeddedStore, type OldbStore } from 'tk-core/oldb';
import { createInput, parseInput } from 'tk-core/ui';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { untilSnapshot } from './support/until.js';

let m: Manager;
let store: OldbStore;

class Motor {
  #pos = 1.5;
  writes = 0;
  get position() {
    return Quantity.of(this.#pos, 'mm');
  }
  set position(v: Quantity) {
    this.writes++;
    this.#pos = v.to('mm').magnitude as number;
  }
  attributeConfig(expression: string) {
    return expression === 'position' ? { range: [0, 10] } : undefined;
  }
}

beforeEach(async () => {
  store = createEmbeddedStore();
  await store.declare('/root/t/ro', { type: 'double', value: 1, metadata: { writable: false } });
  await store.declare('/root/t/n', { type: 'integer', value: 3, metadata: { range: [0, 100] } });
  m = createManager({
    gcTime: 0,
    schemes: [createOldbScheme({ store }), createEvalScheme({ evaluators: { motor: Motor } })],
  });
});
afterEach(async () => {
  await m.dispose();
  await store.close();
});

const X = 'loc:/ui/input/x?type=float&init=2&units=mm&min=0&max=100&alarm_high=90';

describe('createInput', () => {
  it('follows the read value, marks an edit pending, applies it, and clears pending on the read-back', async () => {
    const input = createInput(X, { manager: m });
    let s = await untilSnapshot(input, (s) => s.lastRead !== '');
    expect(s).toMatchObject({ text: '2.0 mm', pending: false, valid: true, editing: false, style: 'normal' });
    input.edit('1.5 cm');
    s = input.getSnapshot();
    expect(s).toMatchObject({
      text: '1.5 cm',
      pending: true,
      valid: true,
      problem: undefined,
      style: 'pending',
    });
    expect(String(input.value)).toBe('15 mm');
    const applied = input.apply();
    expect(input.getSnapshot().applying).toBe(true);
    expect(await applied).toBe(true);
    s = input.getSnapshot();
    expect(s).toMatchObject({
      pending: false,
      editing: false,
      applying: false,
      text: '15.0 mm',
      lastRead: '15.0 mm',
    });
    expect(String((await m.attribute(X).read()).rvalue)).toBe('15 mm');
    input.dispose();
  });

  it('an edit equal to the read value is not pending; reset drops an edit', async () => {
    const input = createInput(X, { manager: m, showUnits: false });
    await untilSnapshot(input, (s) => s.lastRead !== '');
    expect(input.getSnapshot().text).toBe('2.0');
    input.edit('2');
    expect(input.getSnapshot()).toMatchObject({ pending: false, editing: true, valid: true });
    input.edit('0.2 cm');
    expect(input.getSnapshot().pending).toBe(false);
    input.edit('3');
    expect(input.getSnapshot().pending).toBe(true);
    input.reset();
    expect(input.getSnapshot()).toMatchObject({ text: '2.0', pending: false, editing: false });
    input.dispose();
  });

  it('refuses text that is not a value of the attribute, naming it and what is valid, and writes nothing', async () => {
    const input = createInput(X, { manager: m });
    await untilSnapshot(input, (s) => s.lastRead !== '');
    const problem = (text: string) => {
      input.edit(text);
      const s = input.getSnapshot();
      expect(s.valid).toBe(false);
      expect(s.style).toBe('invalid');
      expect(s.pending).toBe(true);
      return s.problem;
    };
    expect(problem('abc')).toBe('"abc" is not a number: type a number with optional units, e.g. "1.5 mm"');
    expect(problem('2 s')).toBe(
      '"2 s" is in "s", which cannot be converted to "mm": type a value in "mm" or compatible units',
    );
    expect(problem('101')).toBe('"101" is outside the range [0 mm, 100 mm]');
    expect(problem('-1 m')).toMatch(/outside the range/);
    expect(await input.apply()).toBe(false);
    expect(String((await m.attribute(X).read()).rvalue)).toBe('2 mm');
    input.edit('95');
    expect(input.getSnapshot()).toMatchObject({ valid: true, style: 'alarm' });
    input.dispose();
  });

  it('a refused write becomes the problem, never an unhandled rejection', async () => {
    const input = createInput('cii.oldb:/root/t/ro', { manager: m });
    await untilSnapshot(input, (s) => s.lastRead !== '');
    input.edit('2');
    expect(await input.apply()).toBe(false);
    const s = input.getSnapshot();
    expect(s.problem).toMatch(/cii\.oldb:\/root\/t\/ro.*read-only/);
    expect(s).toMatchObject({ pending: true, applying: false, text: '2' });
    input.dispose();
  });

  it('integers: whole numbers only, within the range', async () => {
    const input = createInput('cii.oldb:/root/t/n', { manager: m });
    await untilSnapshot(input, (s) => s.lastRead === '3');
    input.edit('2.5');
    expect(input.getSnapshot().problem).toBe('"2.5" is not a whole number: this attribute takes integers');
    input.edit('7');
    expect(await input.apply()).toBe(true);
    await untilSnapshot(input, (s) => !s.pending && s.text === '7');
    input.dispose();
  });

  it('a writable evaluator attribute (Taurus test_evalattribute style): pending until written and read back', async () => {
    const input = createInput('eval:@motor/position', { manager: m });
    await untilSnapshot(input, (s) => s.lastRead === '1.5 mm');
    expect(input.getSnapshot().writable).toBe(true);
    input.edit('4 mm');
    expect(input.getSnapshot().pending).toBe(true);
    expect(await input.apply()).toBe(true);
    const s = await untilSnapshot(input, (s) => !s.pending);
    expect(s.lastRead).toBe('4 mm');
    input.edit('11');
    expect(input.getSnapshot().problem).toBe('"11" is outside the range [0 mm, 10 mm]');
    input.dispose();
  });

  it('lets go of the attribute on dispose', async () => {
    const input = createInput(X, { manager: m });
    await untilSnapshot(input, (s) => s.lastRead !== '');
    const a = input.attribute;
    expect(a.subscriberCount).toBe(1);
    input.dispose();
    expect(a.subscriberCount).toBe(0);
    expect(await input.apply()).toBe(false);
  });
});

describe('parseInput (untrusted text)', () => {
  const config = {
    ...defaultConfig('x'),
    type: 'Float' as const,
    dataFormat: 'scalar' as const,
    units: 'mm',
    range: [0, 10] as const,
  };
  test.prop([fc.string({ maxLength: 40 })])(
    'any text is a value in range or a problem that quotes it',
    (text) => {
      const r = parseInput(text, config);
      if (r.ok) {
        const v = (r.value as Quantity).magnitude as number;
        expect(v >= 0 && v <= 10 && (r.value as Quantity).units === 'mm').toBe(true);
      } else {
        expect(r.problem).toContain(JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text));
      }
    },
  );
  it('lists, booleans and text', () => {
    const list = { ...config, dataFormat: 'spectrum' as const, range: [undefined, undefined] as const };
    expect(String((parseInput('[1, 2, 3]', list) as { value: Quantity }).value)).toBe('[1, 2, 3] mm');
    expect(parseInput('[1 x]', list)).toEqual({
      ok: false,
      problem: 'Item 2 of "[1 x]": "x" is not a number: type a number with optional units, e.g. "1.5 mm"',
    });
    const bool = { ...defaultConfig('b'), type: 'Boolean' as const };
    expect(parseInput('True', bool)).toEqual({ ok: true, value: true });
    expect(parseInput('maybe', bool)).toMatchObject({ ok: false });
    expect(parseInput('x'.repeat(200_000), config)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/at most 100000/),
    });
  });
});
