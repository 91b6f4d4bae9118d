/**
 * The roles of a display: what its text shows (`fgRole`) and what colours its
 * background (`bgRole`), as Taurus's `TaurusLabel` takes them. A role other
 * than the named ones is a fragment path (`label`, `rvalue.magnitude`,
 * `range[1]`), compiled once against the standard fragments and the
 * scheme's.
 *
 * @module
 */
import type { Reading } from '../../core/reading.js';
import { TkError } from '../../errors/tk-error.js';
import { FragmentError } from '../../fragments/fragment-path.js';
import { type CompiledFragment, compileFragment } from '../../fragments/resolve-fragment.js';
import type { FragmentGetter, FragmentView } from '../../schemes/contract.js';

/** What a display's text shows: the read value, the set-point, the quality, nothing, or any fragment path. */
export type FgRole = 'rvalue' | 'wvalue' | 'quality' | 'none' | (string & {});
/** What colours a display's background: the quality, nothing, or any fragment path whose value is a quality or a state. */
export type BgRole = 'quality' | 'none' | (string & {});

/** A compiled role: `none`, or a function of the attribute's view. */
export type RoleReader =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; read(view: FragmentView): unknown };

const readRvalue = (v: FragmentView) => {
  const r = v.reading;
  return r === undefined || r.error !== undefined ? undefined : r.rvalue;
};
const readWvalue = (v: FragmentView) => v.reading?.wvalue;
const readQuality = (v: FragmentView) => v.reading?.quality;

const NONE: RoleReader = Object.freeze({ kind: 'none' });
const RVALUE: RoleReader = Object.freeze({ kind: 'value', read: readRvalue });
const WVALUE: RoleReader = Object.freeze({ kind: 'value', read: readWvalue });
const QUALITY: RoleReader = Object.freeze({ kind: 'value', read: readQuality });

/** The text roles with a name of their own. */
export const NAMED_FG_ROLES = ['rvalue', 'wvalue', 'quality', 'none'] as const;
/** The background roles with a name of their own. */
export const NAMED_BG_ROLES = ['quality', 'none'] as const;

/**
 * Compiles a role. Throws a `CONFIG` TkError naming the role, which option it
 * was given to, and what would be valid, for a role that is neither a named
 * role nor a valid fragment path.
 */
export function compileRole(
  role: unknown,
  option: 'fgRole' | 'bgRole',
  schemeFragments: Readonly<Record<string, FragmentGetter>>,
  modelName: string,
): RoleReader {
  const named = option === 'fgRole' ? NAMED_FG_ROLES : NAMED_BG_ROLES;
  if (typeof role !== 'string') {
    throw roleError(role, option, named, modelName, 'it is not a string');
  }
  const r = role.trim();
  if (r === '' || r === 'none' || r === 'None') return NONE;
  if (r === 'rvalue' || r === 'value') return RVALUE; // Taurus's deprecated 'value'
  if (r === 'wvalue' || r === 'w_value') return WVALUE;
  if (r === 'quality') return QUALITY;
  let compiled: CompiledFragment;
  try {
    compiled = compileFragment(r, schemeFragments);
  } catch (err) {
    if (err instanceof FragmentError) throw roleError(role, option, named, modelName, err.message, err);
    throw err;
  }
  return { kind: 'value', read: (view) => compiled.apply(view) };
}

function roleError(
  role: unknown,
  option: string,
  named: readonly string[],
  modelName: string,
  reason: string,
  cause?: unknown,
): TkError {
  return new TkError(
    'CONFIG',
    `Invalid ${option} ${JSON.stringify(role) ?? String(role)} for ${modelName}: ${reason}. Valid: ${named.map((n) => `'${n}'`).join(', ')}, or a fragment path such as 'label', 'rvalue.magnitude' or 'range[1]'`,
    { cause, details: { option, role: String(role), model: modelName } },
  );
}

/** The view of an attribute a role reads. */
export function viewOf(
  names: FragmentView['names'],
  config: FragmentView['config'],
  reading: Reading | undefined,
): FragmentView {
  return { names, config, reading };
}
