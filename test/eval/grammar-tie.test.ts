/**
 * The eval grammar has two spellings: the regular expression pieces on the
 * validator classes (`namePattern`, `nonStrictNamePattern`: what Taurus's
 * patterns say, and what a reader or a subclass sees) and the linear-time
 * matchers of `uri-match.ts` that validation runs. This test ties them: for
 * any name, the pattern matches iff the matcher does, with the same groups.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import {
  matchNonStrictAttribute,
  matchNonStrictAuthority,
  matchNonStrictDevice,
  matchStrictAttribute,
  matchStrictAuthority,
  matchStrictDevice,
  type RawGroups,
} from '../../src/schemes/eval/names/uri-match.js';
import { validatorsOf } from '../../src/testing/index.js';
import { allNames } from './eval-name-arbitraries.js';

/** Names as the matchers see them: with a scheme, references mangled to placeholders as Taurus does. */
const PLACEHOLDER = '{__EVALREF_0__}';
const withScheme = (s: string) => (/^[a-z][a-z0-9+.-]*:/i.test(s) ? s : `eval:${s}`);
const mangled = (s: string) => s.replace(/\{[^{}]*\}/g, PLACEHOLDER);

const chunk = fc.constantFrom(
  'eval:',
  'eval://',
  'evaluation://',
  '//localhost',
  '/',
  '@',
  '@foo',
  '@m.C',
  '@c=m.C(1)',
  'db=x;',
  'dev=m.C;',
  'dev=foo',
  'a=1;',
  'k=v;',
  'x+1',
  'rand()',
  PLACEHOLDER,
  '?',
  '?configuration',
  '?configuration=label',
  '?a=1;b=2',
  '#',
  '#label',
  '#rvalue.units',
  ' ',
  '\n',
  ';',
  '=',
  'localhost',
  'Q("1m")',
);
const pieces = fc.array(chunk, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
const inputs = fc.oneof(
  { weight: 2, arbitrary: pieces },
  { weight: 2, arbitrary: allNames.map((n) => withScheme(mangled(n))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 24 }).map(withScheme) },
);

/** Every named group of the pattern's match has the matcher's value. */
function expectSameMatch(re: RegExp, match: (s: string) => RawGroups | null, s: string): boolean {
  const m = re.exec(s);
  const raw = match(s);
  expect(raw === null, `${JSON.stringify(s)} against ${re.source}`).toBe(m === null);
  if (m === null || raw === null) return false;
  for (const [k, v] of Object.entries(m.groups ?? {})) {
    expect(raw[k], `group ${k} of ${JSON.stringify(s)}`).toBe(v);
  }
  return true;
}

describe('the eval grammar: the validators’ patterns and the linear matchers agree', () => {
  const v = validatorsOf(createEvalScheme());
  const cases = [
    ['authority', 'strict', v.authority.nameRegExp, matchStrictAuthority],
    ['authority', 'non-strict', v.authority.nonStrictNameRegExp, matchNonStrictAuthority],
    ['device', 'strict', v.device.nameRegExp, matchStrictDevice],
    ['device', 'non-strict', v.device.nonStrictNameRegExp, matchNonStrictDevice],
    ['attribute', 'strict', v.attribute.nameRegExp, matchStrictAttribute],
    ['attribute', 'non-strict', v.attribute.nonStrictNameRegExp, matchNonStrictAttribute],
  ] as const;

  it.each(cases)('%s names, %s pattern', (_kind, _strictness, re, match) => {
    expect(re).not.toBeNull();
    const seen = { matched: 0, refused: 0 };
    fc.assert(
      fc.property(inputs, (s) => {
        if (expectSameMatch(re as RegExp, match, s)) seen.matched++;
        else seen.refused++;
      }),
      { seed: 0x7e11, numRuns: 3000 },
    );
    // the generated names exercise both sides of every pattern
    expect(seen.matched).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(20);
  });
});
