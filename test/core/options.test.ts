// No silent fallbacks (issue 11, item 3): a mistaken option or a non-string name is an error at
// once, naming the input and the valid choices.
import { describe, expect, it } from 'vitest';
import {
  Attribute,
  createLocScheme,
  createManager,
  createOldbScheme,
  Device,
  getNames,
  getObject,
  getValidTypesForName,
  isValidName,
  Manager,
  type SchemePlugin,
  TkError,
} from '../../src/index.js';

/** What `fn` throws (it must throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

function configError(fn: () => unknown): TkError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(TkError);
  expect((err as TkError).code).toBe('CONFIG');
  return err as TkError;
}

describe('manager options', () => {
  it('an unknown option names itself and the valid ones', () => {
    const err = configError(() => createManager({ bogus: 1 } as never));
    expect(err.message).toMatch(/Unknown manager option "bogus"/);
    expect(err.message).toContain('builtins, schemes, defaultScheme, clock, gcTime, pollingPeriod');
    expect(configError(() => new Manager({ bogus: 1 } as never)).message).toMatch(/"bogus"/);
  });

  it('a misspelt option gets a hint', () => {
    expect(configError(() => createManager({ gcTim: 0 } as never)).message).toContain(
      '(did you mean "gcTime"?)',
    );
  });

  it('values of the wrong kind are refused, naming the option', () => {
    expect(configError(() => createManager({ gcTime: -1 })).message).toMatch(/gcTime.*-1/);
    expect(configError(() => createManager({ pollingPeriod: 0 })).message).toMatch(/pollingPeriod/);
    expect(configError(() => createManager({ pollingPeriod: Number.NaN })).message).toMatch(/NaN/);
    expect(configError(() => createManager({ clock: {} as never })).message).toMatch(/clock/);
    expect(configError(() => createManager({ strict: 'yes' as never })).message).toMatch(/strict/);
    expect(configError(() => createManager({ builtins: 0 as never })).message).toMatch(/builtins/);
    expect(configError(() => createManager({ schemes: {} as never })).message).toMatch(/schemes/);
    expect(configError(() => createManager('x' as never)).message).toMatch(/plain object/);
    expect(thrown(() => createManager({ defaultScheme: 'nope' })).message).toMatch(
      /Unknown scheme "nope".*eval/,
    );
  });
});

describe('scheme options', () => {
  it('options for a scheme that is not registered', () => {
    const err = configError(() => createManager({ schemeOptions: { oldb: {} } }));
    expect(err.message).toContain('"oldb", which is not registered');
    expect(err.message).toContain('eval, cii.oldb, loc');
    expect(
      configError(() =>
        createManager({ builtins: false, schemeOptions: { 'cii.oldb': { url: 'redis://h' } } }),
      ).message,
    ).toMatch(/"cii.oldb", which is not registered.*\(none\)/);
  });

  it('an unknown cii.oldb option is an error at creation, not at the first read', () => {
    const err = configError(() => createManager({ schemeOptions: { 'cii.oldb': { urll: 'redis://h' } } }));
    expect(err.message).toBe(
      'Unknown cii.oldb option "urll" (did you mean "url"?): the options are url, cluster, store, writeTimeout, prefix, durability',
    );
    expect(configError(() => createOldbScheme({ urll: 'x' } as never)).message).toMatch(
      /Unknown createOldbScheme option "urll"/,
    );
    expect(
      configError(() => createManager({ schemeOptions: { 'cii.oldb': { writeTimeout: -5 } } })).message,
    ).toMatch(/writeTimeout -5/);
    expect(
      configError(() => createManager({ schemeOptions: { 'cii.oldb': { url: 'http://h' } } })).message,
    ).toMatch(/redis: or rediss:/);
    const both = configError(() =>
      createManager({ schemeOptions: { 'cii.oldb': { url: 'redis://u:secretpw@h', store: 'embedded' } } }),
    );
    expect(both.message).toMatch(/give one of them/);
    expect(both.message).not.toContain('secretpw');
  });

  it('a plugin declares its options; one that declares none takes none', () => {
    expect(configError(() => createManager({ schemeOptions: { loc: { x: 1 } } })).message).toMatch(
      /The loc scheme takes no options.*"x"/,
    );
    const seen: unknown[] = [];
    const plugin: SchemePlugin = {
      ...createLocScheme(),
      scheme: 'mine',
      options: {
        keys: ['rate'],
        check(o) {
          if (typeof o.rate !== 'number') throw new TkError('CONFIG', 'mine: rate must be a number');
          seen.push(o.rate);
        },
      },
    };
    expect(
      configError(() => createManager({ schemes: [plugin], schemeOptions: { mine: { rat: 1 } } })).message,
    ).toBe('Unknown mine option "rat" (did you mean "rate"?): the options are rate');
    expect(
      configError(() => createManager({ schemes: [plugin], schemeOptions: { mine: { rate: 'x' } } })).message,
    ).toBe('mine: rate must be a number');
    createManager({ schemes: [plugin], schemeOptions: { mine: { rate: 2 } } });
    expect(seen).toEqual([2]);
  });
});

describe('names that are not strings', () => {
  it.each([
    [42, 'the number 42'],
    [{}, 'an object {}'],
    [null, 'null'],
    [undefined, 'undefined'],
    [['eval:1'], 'an array ["eval:1"]'],
  ])('Attribute(%j) throws a TypeError naming the argument', (name, shown) => {
    const err = thrown(() => Attribute(name as never));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe(
      `Attribute(name): the name must be a string such as "eval:1" or "loc:/a/b", not ${shown}`,
    );
  });

  it('every entry point that takes a name', async () => {
    expect(thrown(() => Device(7 as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => getObject(7 as never)).message).toMatch(/^getObject\(name\)/);
    expect(thrown(() => isValidName(7 as never)).message).toMatch(/^isValidName\(name\)/);
    expect(thrown(() => getNames(7 as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => getValidTypesForName(null as never))).toBeInstanceOf(TypeError);
    const m = createManager();
    expect(thrown(() => m.attribute(42 as never)).message).toMatch(/the number 42/);
    await expect(m.getFragment(1 as never)).rejects.toBeInstanceOf(TypeError);
    expect(thrown(() => m.fragment$(1 as never))).toBeInstanceOf(TypeError);
    await m.dispose();
  });
});
