/**
 * Inputs and timing for the linear-time check of a scheme's name patterns
 * (no fast-check needed).
 *
 * @module
 */
import type { NameValidator } from '../validators/name-validator.js';

/**
 * Long inputs built to provoke catastrophic backtracking in a validator's
 * patterns: the characters its pieces accept repeated to `length`, with a
 * character that fails at the end, behind the scheme prefix and around the
 * separators.
 */
export function adversarialNames(validator: NameValidator, length = 100_000): string[] {
  const scheme = validator.scheme.split('|')[0]!.replace(/\\/g, '');
  const bodies = [
    'a',
    'a/',
    '/a',
    'a.',
    '.a',
    'a-',
    'a=',
    'a;',
    'a=a;',
    '{a}',
    '(',
    '"a',
    "'",
    '1',
    '1.',
    '/a/',
    '//a',
    'a ',
    ' a',
    'a@',
    '@a/',
  ];
  const tails = ['!', '\u0000', '#', '?', '/', '"', '{', ' '];
  const out: string[] = [];
  for (const body of bodies) {
    const repeated = body.repeat(Math.ceil(length / body.length)).slice(0, length);
    for (const tail of tails.slice(0, 3)) {
      out.push(`${scheme}:${repeated}${tail}`);
      out.push(`${scheme}:/${repeated}${tail}`);
      out.push(`${scheme}://${repeated}${tail}`);
    }
    out.push(`${scheme}:/x/${repeated}${tails[3]}`);
    out.push(`${scheme}:${repeated}#${repeated}${tails[4]}`);
  }
  return out;
}

/** Milliseconds `fn(input)` takes, best of `runs`. */
export function timeValidation(fn: (input: string) => unknown, input: string, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
