/**
 * fast-check arbitraries for any scheme's names, generated from the regex
 * pieces of its validators: valid names, and near misses (small mutations of
 * valid names) for the invalid side.
 *
 * @module
 */
import fc from 'fast-check';
import { type NameValidator, NEVER, type UriPart } from '../validators/name-validator.js';

/** Options of {@link validNameArbitrary}. */
export interface NameArbitraryOptions {
  /**
   * Arbitraries for pieces that fast-check cannot generate from the regex
   * (lookarounds, back-references) or that need realistic values.
   */
  pieces?: Partial<Record<UriPart, fc.Arbitrary<string>>>;
  /** Include the authority part when the scheme has one (default: sometimes). */
  authority?: boolean;
  /** Include a fragment when the scheme allows one (default: sometimes). */
  fragment?: boolean;
  /** Validate in strict mode (default true). */
  strict?: boolean;
  /** Maximum attempts to find a valid combination per generated value (default 20). */
  maxTries?: number;
}

function pieceArbitrary(piece: string, part: UriPart): fc.Arbitrary<string> | null {
  if (piece === NEVER) return null;
  try {
    return fc.stringMatching(new RegExp(`^(?:${piece})$`));
  } catch (err) {
    throw new Error(
      `Cannot generate the ${part} piece /${piece}/ automatically (${(err as Error).message}); pass options.pieces.${part}`,
    );
  }
}

/**
 * Valid names for `validator`: scheme, optional authority, path, optional
 * query and optional fragment, each generated from its piece, kept when the
 * whole is valid.
 */
export function validNameArbitrary(
  validator: NameValidator,
  options: NameArbitraryOptions = {},
): fc.Arbitrary<string> {
  const strict = options.strict ?? true;
  const gen = (part: UriPart, piece: string) => options.pieces?.[part] ?? pieceArbitrary(piece, part);
  const scheme =
    options.pieces?.scheme ??
    fc.constantFrom(...validator.scheme.split('|').map((s) => s.replace(/\\/g, '')));
  const authority = gen('authority', validator.authority);
  const path = gen('path', validator.path);
  const query = gen('query', validator.query);
  const fragment = gen('fragment', validator.fragment);
  const maybe = (a: fc.Arbitrary<string> | null, force?: boolean) =>
    a === null
      ? fc.constant('')
      : force === true
        ? a
        : force === false
          ? fc.constant('')
          : fc.option(a, { nil: '' });
  const raw = fc.record({
    scheme,
    authority:
      validator.elementType === 'Authority'
        ? (authority ?? fc.constant(''))
        : maybe(authority, options.authority),
    path: validator.elementType === 'Authority' ? maybe(path, false) : (path ?? fc.constant('')),
    query: maybe(query),
    fragment: maybe(fragment, options.fragment),
  });
  return raw
    .map((p) => {
      const q = p.query === '' ? '' : `?${p.query}`;
      const f = p.fragment === '' ? '' : `#${p.fragment}`;
      return `${p.scheme}:${p.authority}${p.path}${q}${f}`;
    })
    .filter((name) => validator.isValid(name, { strict }));
}

/** A mutated name. */
export interface NearMiss {
  /** The mutated name. */
  name: string;
  /** The mutation applied. */
  mutation: Mutation;
  /** The valid name it was made from. */
  of: string;
}

/** The kinds of mutation {@link nearMissArbitrary} applies. */
export type Mutation =
  | 'insert'
  | 'delete'
  | 'replace'
  | 'duplicate'
  | 'truncate'
  | 'swapScheme'
  | 'whitespace';

const SPECIALS = [
  ':',
  '/',
  '//',
  '?',
  '#',
  '@',
  '{',
  '}',
  ';',
  '=',
  '&',
  '.',
  ' ',
  '\t',
  '\n',
  '"',
  "'",
  '\\',
  '%',
  '\u00e9',
  '*',
];

/**
 * Near misses: a valid name with one small mutation (a character inserted,
 * deleted or replaced, a separator doubled, the name cut, the scheme
 * misspelled, whitespace added). Many are invalid, some stay valid: check
 * both sides against your invariants (or filter with the validator).
 */
export function nearMissArbitrary(valid: fc.Arbitrary<string>): fc.Arbitrary<NearMiss> {
  return fc
    .tuple(
      valid,
      fc.constantFrom<Mutation>(
        'insert',
        'delete',
        'replace',
        'duplicate',
        'truncate',
        'swapScheme',
        'whitespace',
      ),
      fc.nat(),
      fc.constantFrom(...SPECIALS),
    )
    .map(([of, mutation, n, ch]) => {
      const i = of.length === 0 ? 0 : n % of.length;
      let name: string;
      switch (mutation) {
        case 'insert':
          name = of.slice(0, i) + ch + of.slice(i);
          break;
        case 'delete':
          name = of.slice(0, i) + of.slice(i + 1);
          break;
        case 'replace':
          name = of.slice(0, i) + ch + of.slice(i + 1);
          break;
        case 'duplicate':
          name = of.slice(0, i) + of[i] + of.slice(i);
          break;
        case 'truncate':
          name = of.slice(0, i);
          break;
        case 'swapScheme': {
          const colon = of.indexOf(':');
          name = `${of.slice(0, Math.max(0, colon - 1))}x${of.slice(Math.max(0, colon))}`;
          break;
        }
        default:
          name = n % 2 === 0 ? ` ${of}` : `${of} `;
      }
      return { name, mutation, of };
    });
}
