// The property tests of the scheme written in docs/writing-a-scheme.md: what a
// scheme author gets from tk-core/testing without writing a generator.
import fc from 'fast-check';
import { createManager, createVirtualClock, InvalidNameError } from 'tk-core';
import {
  adversarialNames,
  runNameTable,
  schemeConformance,
  timeValidation,
  validatorsOf,
} from 'tk-core/testing';
import { nearMissArbitrary, validNameArbitrary } from 'tk-core/testing/arbitraries';
import { describe, expect, it } from 'vitest';
import { createSimScheme } from '../../docs/examples/sim-scheme.js';

const sim = createSimScheme();
const validators = validatorsOf(sim);

runNameTable({ describe, it, expect }, validators.attribute, [
  { name: 'sim:/sine', valid: true, names: ['sim:/sine', '/sine', 'sine'] },
  {
    name: 'sim:/sine?period=10&amplitude=2',
    valid: true,
    names: ['sim:/sine?amplitude=2&period=10', '/sine?amplitude=2&period=10', 'sine'],
  },
  {
    name: 'sim:/ramp?period=05.50',
    valid: true,
    names: ['sim:/ramp?period=5.5', '/ramp?period=5.5', 'ramp'],
  },
  { name: 'sim:/const?value=-3#rvalue.units', valid: true, fragment: 'rvalue.units' },
  { name: 'sim:/square', valid: false, part: 'path' },
  { name: 'sim:/sine?period=ten', valid: false, part: 'query' },
  { name: 'sim:sine', valid: false },
  { name: 'sim://host/sine', valid: false },
]);

describe('sim names, for all inputs', () => {
  const valid = validNameArbitrary(validators.attribute);

  it('a full name is valid and names itself; fragments never change it', () => {
    fc.assert(
      fc.property(valid, fc.constantFrom('', '#label', '#range'), (name, fragment) => {
        const full = validators.attribute.getNames(name)!.fullName;
        expect(validators.attribute.getNames(full)!.fullName).toBe(full);
        expect(validators.attribute.getNames(`${name.split('#')[0]}${fragment}`)!.fullName).toBe(full);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('near misses are valid with names, or invalid with an error that names them', () => {
    fc.assert(
      fc.property(nearMissArbitrary(valid), ({ name }) => {
        if (validators.attribute.isValid(name)) expect(validators.attribute.getNames(name)).not.toBeNull();
        else expect(() => validators.attribute.validate(name)).toThrow(InvalidNameError);
      }),
      { seed: 12, numRuns: 500 },
    );
  });

  it('validation stays linear on 100 kB adversarial input', () => {
    for (const input of adversarialNames(validators.attribute)) {
      expect(timeValidation((s) => validators.attribute.isValid(s), input)).toBeLessThan(50);
    }
  });
});

schemeConformance(
  { describe, it, expect },
  {
    scheme: 'sim',
    createManager: () => createManager({ builtins: false, schemes: [createSimScheme()], gcTime: 0 }),
    attributes: ['sim:/sine?period=10', 'sim:/ramp', 'sim:/const?value=4'],
    equivalent: [
      [
        'sim:/sine?period=10&amplitude=1',
        'sim:/sine?amplitude=1.0&period=10',
        'sim:/sine?amplitude=1&period=10#label',
      ],
    ],
    invalid: ['sim:/noise', 'sim:/sine?period=x'],
    failing: 'sim:/sine?period=0',
  },
);

describe('sim readings on virtual time', () => {
  it('polls the sine on the shared timer', async () => {
    const clock = createVirtualClock(0);
    const m = createManager({ builtins: false, schemes: [createSimScheme()], clock, gcTime: 0 });
    const seen: number[] = [];
    const sub = m
      .attribute('sim:/sine?period=4&amplitude=2')
      .subscribe((r) => seen.push(Math.round(Number(r.rvalue) * 1e6) / 1e6));
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(1000);
    }
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([0, 2, 0, -2, 0]);
    sub.unsubscribe();
    await m.dispose();
  });
});

describe('docs/writing-a-scheme.md', () => {
  it('shows the example scheme and these tests as they are', async () => {
    const { readFileSync } = await import('node:fs');
    const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
    const guide = read('../../docs/writing-a-scheme.md');
    expect(guide).toContain(read('../../docs/examples/sim-scheme.ts'));
    const self = read('./sim-scheme.test.ts');
    expect(guide).toContain(self.slice(0, self.indexOf("describe('docs/writing-a-scheme.md'")).trimEnd());
  });
});
