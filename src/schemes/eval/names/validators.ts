/**
 * The three eval name validators, giving the same answers as Taurus 5's
 * `EvaluationAuthorityNameValidator`, `EvaluationDeviceNameValidator` and
 * `EvaluationAttributeNameValidator` (see docs/eval-names.md), with linear
 * time matching instead of Taurus's backtracking patterns: the authority
 * and device validators and {@link createEvalValidators} here, the
 * attribute validator in `attribute-validator.ts`, what they share in
 * `validator-common.ts`.
 *
 * @module
 */

import {
  AuthorityNameValidator,
  DeviceNameValidator,
  type ModelNames,
  type NameDiagnosis,
  type SchemeValidators,
  type StrictOption,
  type UriGroups,
} from '../../../validators/name-validator.js';
import type { NameResolver } from '../../contract.js';
import { EvalAttributeNameValidator } from './attribute-validator.js';
import { DEFAULT_AUTHORITY } from './constants.js';
import { AUTHORITY, DEVICE_PATH, OLD_AUTHORITY_PATTERN, OLD_DEVICE_PATTERN } from './patterns.js';
import {
  matchNonStrictAuthority,
  matchNonStrictDevice,
  matchStrictAuthority,
  matchStrictDevice,
} from './uri-match.js';
import {
  diagnoseEvalName,
  PART_DESCRIPTIONS,
  PythonPatterns,
  toUriGroups,
  withScheme,
} from './validator-common.js';

/** Python's `s.lstrip('@')`. */
function stripLeadingAts(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 0x40) i++;
  return s.slice(i);
}

/** Validator of eval authority names: `eval://localhost` (non-strict: Taurus's old `eval://db=<name>`). */
export class EvalAuthorityNameValidator extends AuthorityNameValidator {
  readonly scheme = 'eval';
  override authority = AUTHORITY;
  override partDescriptions = { ...PART_DESCRIPTIONS };
  readonly #patterns = new PythonPatterns(this);

  /** The non-strict pattern: Taurus's old `eval://db=<name>` authorities. */
  override get nonStrictNamePattern(): string {
    return OLD_AUTHORITY_PATTERN;
  }

  /** {@link namePattern} compiled as Python reads it (the matchers of `uri-match.ts` give the same groups). */
  override get nameRegExp(): RegExp {
    return this.#patterns.strict;
  }

  /** {@link nonStrictNamePattern} compiled as Python reads it. */
  override get nonStrictNameRegExp(): RegExp {
    return this.#patterns.nonStrict;
  }

  override getUriGroups(name: string, options: StrictOption = {}): UriGroups | null {
    const s = withScheme(name);
    const strictGroups = matchStrictAuthority(s);
    if (strictGroups !== null) return toUriGroups(strictGroups, true);
    if (options.strict === true) return null;
    const loose = matchNonStrictAuthority(s);
    return loose === null ? null : toUriGroups(loose, false);
  }

  /**
   * `eval://localhost`, `//localhost`, `localhost`. An old `eval://db=<name>`
   * authority names the same (only) authority (Taurus raises a KeyError there).
   */
  override getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    return {
      fullName: `eval:${DEFAULT_AUTHORITY}`,
      normalName: DEFAULT_AUTHORITY,
      simpleName: 'localhost',
      fragment: undefined,
    };
  }

  override diagnose(name: string): NameDiagnosis {
    return diagnoseEvalName(name);
  }
}

/** Validator of eval device (evaluator) names: `eval:[//localhost/]@<evaluator>`. */
export class EvalDeviceNameValidator extends DeviceNameValidator {
  readonly scheme = 'eval';
  override authority = AUTHORITY;
  override path = DEVICE_PATH;
  override partDescriptions = {
    ...PART_DESCRIPTIONS,
    path: 'an evaluator "@name", "@module.Class" or "@c=module.Class(args)"',
  };
  readonly #patterns = new PythonPatterns(this);

  /** The non-strict pattern: Taurus's old `eval://[db=<db>;]dev=<evaluator>[?<substitutions>]`. */
  override get nonStrictNamePattern(): string {
    return OLD_DEVICE_PATTERN;
  }

  /** {@link namePattern} compiled as Python reads it (the matchers of `uri-match.ts` give the same groups). */
  override get nameRegExp(): RegExp {
    return this.#patterns.strict;
  }

  /** {@link nonStrictNamePattern} compiled as Python reads it. */
  override get nonStrictNameRegExp(): RegExp {
    return this.#patterns.nonStrict;
  }

  override getUriGroups(name: string, options: StrictOption = {}): UriGroups | null {
    const s = withScheme(name);
    const strictGroups = matchStrictDevice(s);
    if (strictGroups !== null) return toUriGroups(strictGroups, true);
    if (options.strict === true) return null;
    const loose = matchNonStrictDevice(s);
    if (loose === null) return null;
    const old = loose._old_devname ?? '';
    const dotted = old.includes('.');
    return toUriGroups(
      {
        ...loose,
        devname: `@${old}`,
        _evalname: dotted ? undefined : old,
        _evaldotname: dotted ? old : undefined,
      },
      false,
    );
  }

  /** `eval://localhost/@foo`, `@foo`, `foo`. */
  override getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const devname = g.devname ?? '';
    return {
      fullName: `eval:${g.authority ?? DEFAULT_AUTHORITY}/${devname}`,
      normalName: devname,
      simpleName: stripLeadingAts(devname),
      fragment: undefined,
    };
  }

  override diagnose(name: string): NameDiagnosis {
    const d = diagnoseEvalName(name);
    return d.part === 'path' ? { part: 'path', expected: this.partDescriptions.path } : d;
  }
}

/** Builds the eval validators of one manager; references are validated and named through `resolver`. */
export function createEvalValidators(resolver: NameResolver): SchemeValidators {
  return {
    authority: new EvalAuthorityNameValidator(),
    device: new EvalDeviceNameValidator(),
    attribute: new EvalAttributeNameValidator(resolver),
  };
}
