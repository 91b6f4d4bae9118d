/**
 * What the three eval name validators share: their patterns compiled with
 * Python's meaning, the eval scheme made explicit, Taurus's groups of a
 * match, and the diagnosis of an invalid name.
 *
 * @module
 */

import { explicitScheme, type NameDiagnosis, type UriGroups } from '../../../validators/name-validator.js';
import { EVAL_SCHEME } from './constants.js';
import { compilePythonPattern } from './patterns.js';
import { findBraceGroups } from './scan.js';
import type { RawGroups } from './uri-match.js';

/** A validator's two patterns, compiled on first use with Python's meaning ({@link compilePythonPattern}). */
export class PythonPatterns {
  readonly #of: { readonly namePattern: string; readonly nonStrictNamePattern: string | null };
  #strict: RegExp | undefined;
  #nonStrict: RegExp | undefined;

  /** @param of the validator whose patterns these are (read at the first use of each). */
  constructor(of: { readonly namePattern: string; readonly nonStrictNamePattern: string | null }) {
    this.#of = of;
  }

  /** The strict pattern (`namePattern`). */
  get strict(): RegExp {
    if (this.#strict === undefined) this.#strict = compilePythonPattern(this.#of.namePattern);
    return this.#strict;
  }

  /** The non-strict pattern (`nonStrictNamePattern`; one that never matches when there is none). */
  get nonStrict(): RegExp {
    if (this.#nonStrict === undefined)
      this.#nonStrict = compilePythonPattern(this.#of.nonStrictNamePattern ?? '(?!)');
    return this.#nonStrict;
  }
}

/** Taurus's `makeSchemeExplicit(name, default='eval')`. */
export function withScheme(name: string): string {
  return explicitScheme(name) === undefined ? `${EVAL_SCHEME}:${name}` : name;
}

/** Taurus's groups of a match, with `__STRICT__` telling which syntax matched. */
export function toUriGroups(raw: RawGroups, strict: boolean): UriGroups {
  // Object.assign, not `{ ...raw, __STRICT__ }`: V8 copies a spread followed by more keys slowly
  const groups = Object.assign({}, raw) as Record<string, unknown>;
  groups.__STRICT__ = strict;
  return groups as UriGroups;
}

/** What each part of an eval name should be, for the diagnosis of an invalid one. */
export const PART_DESCRIPTIONS = {
  scheme: 'the scheme "eval:" (or "evaluation://" in the old syntax)',
  authority: 'no authority or "//localhost"',
  path: 'an eval name "eval:[//localhost/][@evaluator/][k=v;]*expression[#fragment]" with properly nested {references}',
  query: 'no query ("?"): write substitutions as "k=v;" before the expression',
  fragment: 'a fragment without "#" or spaces',
} as const;

/** A diagnosis shared by the three validators: which part of `name` is wrong. */
export function diagnoseEvalName(name: string): NameDiagnosis {
  const scheme = explicitScheme(name);
  if (scheme !== undefined && scheme !== 'eval' && scheme !== 'evaluation') {
    return { part: 'scheme', expected: PART_DESCRIPTIONS.scheme };
  }
  if (findBraceGroups(name) === null) return { part: 'path', expected: PART_DESCRIPTIONS.path };
  const hash = name.indexOf('#');
  const q = name.indexOf('?');
  if (q >= 0 && (hash < 0 || q < hash) && !name.includes('://'))
    return { part: 'query', expected: PART_DESCRIPTIONS.query };
  if (hash >= 0 && /[# ]/.test(name.slice(hash + 1)))
    return { part: 'fragment', expected: PART_DESCRIPTIONS.fragment };
  return { part: 'path', expected: PART_DESCRIPTIONS.path };
}
