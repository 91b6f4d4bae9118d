// Names nested to any depth: validation answers false or throws an InvalidNameError (a TkError),
// never a raw RangeError from a stack overflow, for every scheme and every part of a name.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createManager, TkError } from '../../src/index.js';

const m = createManager({ gcTime: 0 });
afterAll(() => m.dispose());

/** Opening and closing texts that nest; each scheme's grammar gives some of them a meaning. */
const NESTERS: readonly (readonly [string, string])[] = [
  ['[', ']'],
  ['{', '}'],
  ['(', ')'],
  ['{eval:', '}'],
  ['{loc:/a/', '}'],
  ['["', '"]'],
  ['[[', '],0]'],
  ['%5B', '%5D'],
];

/** Names of every built-in scheme with a hole where the nesting goes, in every part a name has. */
const TEMPLATES: readonly string[] = [
  'loc:/a/b?type=string[]&init=@',
  'loc:/a/b?type=float[]&init=@',
  'loc:/a/b?type=bool[]&init=@',
  'loc:/a/b?init=@',
  'loc:/a/b?label=@',
  'loc:/a/b?type=@',
  'loc:/a/@',
  'loc://@/a/b',
  'loc:/a/b#@',
  'loc:/a/b#rvalue@',
  'eval:@',
  'eval:1+@',
  'eval:x=@;x',
  'eval:@motor/@',
  'eval://localhost/@DefaultEvaluator/@',
  'eval:{loc:/a/b?type=float[]&init=@}*2',
  'eval:1#@',
  'cii.oldb:/root/@',
  'cii.oldb://127.0.0.1:6379/root/a/@',
  'cii.oldb:/root/a#@',
  '@',
];

const deepName = fc
  .record({
    template: fc.constantFrom(...TEMPLATES),
    nester: fc.constantFrom(...NESTERS),
    depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1000, max: 20_000 })),
    inner: fc.constantFrom('', '1', '"a"', 'x', 'true'),
    closed: fc.boolean(),
  })
  .map(({ template, nester: [open, close], depth, inner, closed }) => {
    const hole = `${open.repeat(depth)}${inner}${closed ? close.repeat(depth) : ''}`;
    return template.split('@').join(hole);
  });

/** Calls `fn`; anything thrown must be a TkError (InvalidNameError, UnknownSchemeError...). */
function answers(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof TkError)) throw err;
  }
}

describe('names nested to any depth', () => {
  it('the loc name of the issue, 5,000 deep, is refused with an InvalidNameError', () => {
    const name = `loc:/a/b?type=string[]&init=${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(m.isValidName(name)).toBe(false);
    expect(m.getNames(name)).toBeNull();
    expect(m.getValidTypesForName(name)).toEqual([]);
    expect(() => m.attribute(name)).toThrowError(expect.objectContaining({ code: 'INVALID_NAME' }));
    let message = '';
    try {
      m.attribute(name);
    } catch (err) {
      message = (err as Error).message;
    }
    // the message names the input by an excerpt and its length, not by the whole of it
    expect(message.length).toBeLessThan(600);
    expect(message).toContain('(10,028 characters)');
    expect(message).toContain('element 0 of init is an array');
  });

  it('validation answers or throws a TkError for every scheme and part, at any depth', () => {
    fc.assert(
      fc.property(deepName, (name) => {
        const valid = m.isValidName(name);
        expect(typeof valid).toBe('boolean');
        answers(() => m.getNames(name));
        answers(() => m.getValidTypesForName(name));
        answers(() => m.getValidTypesForName(name, { strict: true }));
        answers(() => m.attribute(name));
        answers(() => m.device(name));
        answers(() => m.authority(name));
        answers(() => m.object(name));
        // a valid name gives names, and the same answer again from its full name
        const names = m.getNames(name);
        expect(names !== null).toBe(valid);
        if (names !== null) expect(m.isValidName(names.fullName)).toBe(true);
      }),
      { seed: 10, numRuns: 400 },
    );
  });
});
