/**
 * The three eval name validators, giving the same answers as Taurus 5's
 * `EvaluationAuthorityNameValidator`, `EvaluationDeviceNameValidator` and
 * `EvaluationAttributeNameValidator` (see docs/eval-names.md), with linear
 * time matching instead of Taurus's backtracking patterns.
 *
 * @module
 */

import {
  AttributeNameValidator,
  AuthorityNameValidator,
  DeviceNameValidator,
  explicitScheme,
  type ModelNames,
  type NameDiagnosis,
  type SchemeValidators,
  type StrictOption,
  type UriGroups,
} from '../../../validators/name-validator.js';
import type { NameResolver } from '../../contract.js';
import { AnalysisCache, RECENT_MAX_LENGTH } from './analysis-cache.js';
import type { EvalAttributeAnalysis } from './attribute-groups.js';
import { DEFAULT_AUTHORITY, DEFAULT_EVALUATOR, EVAL_SCHEME } from './constants.js';
import {
  ATTRIBUTE_FRAGMENT,
  ATTRIBUTE_PATH,
  AUTHORITY,
  compilePythonPattern,
  DEVICE_PATH,
  OLD_ATTRIBUTE_PATTERN,
  OLD_AUTHORITY_PATTERN,
  OLD_DEVICE_PATTERN,
} from './patterns.js';
import { plainAttributeName } from './plain-attribute-name.js';
import { ReferenceRouter } from './reference-routing.js';
import { findBraceGroups, findRefs } from './scan.js';
import {
  matchNonStrictAuthority,
  matchNonStrictDevice,
  matchStrictAuthority,
  matchStrictDevice,
  type RawGroups,
} from './uri-match.js';

const ATTRIBUTE_ONLY = ['Attribute'] as const;

/** A validator's two patterns, compiled on first use with Python's meaning ({@link compilePythonPattern}). */
class PythonPatterns {
  readonly #of: { readonly namePattern: string; readonly nonStrictNamePattern: string | null };
  #strict: RegExp | undefined;
  #nonStrict: RegExp | undefined;

  constructor(of: { readonly namePattern: string; readonly nonStrictNamePattern: string | null }) {
    this.#of = of;
  }

  get strict(): RegExp {
    if (this.#strict === undefined) this.#strict = compilePythonPattern(this.#of.namePattern);
    return this.#strict;
  }

  get nonStrict(): RegExp {
    if (this.#nonStrict === undefined)
      this.#nonStrict = compilePythonPattern(this.#of.nonStrictNamePattern ?? '(?!)');
    return this.#nonStrict;
  }
}

/**
 * The plain-form scan of a name short enough for the recent analyses; a
 * longer one goes to the cached full analysis, which a long name's calls
 * share (validated, then named, each reference analyzed once).
 */
const plainOf = (name: string) => (name.length <= RECENT_MAX_LENGTH ? plainAttributeName(name) : undefined);

/** Taurus's `makeSchemeExplicit(name, default='eval')`. */
function withScheme(name: string): string {
  return explicitScheme(name) === undefined ? `${EVAL_SCHEME}:${name}` : name;
}

function toUriGroups(raw: RawGroups, strict: boolean): UriGroups {
  // Object.assign, not `{ ...raw, __STRICT__ }`: V8 copies a spread followed by more keys slowly
  const groups = Object.assign({}, raw) as Record<string, unknown>;
  groups.__STRICT__ = strict;
  return groups as UriGroups;
}

/** Python's `s.lstrip('@')`. */
function stripLeadingAts(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 0x40) i++;
  return s.slice(i);
}

const PART_DESCRIPTIONS = {
  scheme: 'the scheme "eval:" (or "evaluation://" in the old syntax)',
  authority: 'no authority or "//localhost"',
  path: 'an eval name "eval:[//localhost/][@evaluator/][k=v;]*expression[#fragment]" with properly nested {references}',
  query: 'no query ("?"): write substitutions as "k=v;" before the expression',
  fragment: 'a fragment without "#" or spaces',
} as const;

/** A diagnosis shared by the three validators: which part of `name` is wrong. */
function diagnoseEvalName(name: string): NameDiagnosis {
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

/**
 * Validator of eval attribute names:
 * `eval:[//localhost][/][@evaluator/][k=v;]*expression[#fragment]`, where the
 * expression may hold references `{<attribute name>}` of any scheme, checked
 * through the resolver.
 */
export class EvalAttributeNameValidator extends AttributeNameValidator {
  readonly scheme = 'eval';
  override authority = AUTHORITY;
  override path = ATTRIBUTE_PATH;
  override fragment = ATTRIBUTE_FRAGMENT;
  override partDescriptions = { ...PART_DESCRIPTIONS };
  readonly #patterns = new PythonPatterns(this);
  readonly #resolver: NameResolver;
  /** Analyses of names (syntax only), see {@link AnalysisCache}. */
  readonly #analyses = new AnalysisCache();
  /** Depth of nested {@link isValid}/{@link getNames} calls (references of eval references come back here). */
  #depth = 0;
  /** The reference router (created at the first reference; null when the resolver only offers the contract). */
  #router: ReferenceRouter | null | undefined;

  /** @param resolver validates and names the references (the manager). */
  constructor(resolver: NameResolver) {
    super();
    this.#resolver = resolver;
  }

  /**
   * The non-strict pattern: Taurus's old `eval://[db=..;][dev=..;]expr[?k=v;..][?configuration=key]`
   * (a name is valid in it only when its full name is a strict name of the same parts: see
   * `analyzeEvalAttributeName`).
   */
  override get nonStrictNamePattern(): string {
    return OLD_ATTRIBUTE_PATTERN;
  }

  /**
   * {@link namePattern} compiled as Python reads it. As in Taurus, it is
   * matched against the name with its references replaced by placeholders
   * (`{__EVALREF_0__}`); the matchers of `uri-match.ts` give the same groups.
   */
  override get nameRegExp(): RegExp {
    return this.#patterns.strict;
  }

  /** {@link nonStrictNamePattern} compiled as Python reads it. */
  override get nonStrictNameRegExp(): RegExp {
    return this.#patterns.nonStrict;
  }

  /** The analysis behind groups and names, or null when `name` does not match. */
  analyze(name: string, options: StrictOption = {}): EvalAttributeAnalysis | null {
    return this.#analyses.get(name, options.strict === true);
  }

  /**
   * Enters an {@link isValid}/{@link getNames} call; the outermost one sets up
   * the call's analysis scratch. Returns whether it is the outermost.
   */
  #enter(name: string): boolean {
    if (this.#depth++ > 0) return false;
    this.#analyses.beginCall(name);
    return true;
  }

  /** Leaves a call entered with {@link #enter}. */
  #leave(outermost: boolean): void {
    if (!outermost) {
      this.#depth--;
      return;
    }
    this.#depth = 0;
    this.#analyses.endCall();
  }

  /** The reference router. */
  #routerOfCall(): ReferenceRouter | null {
    if (this.#router === undefined) this.#router = ReferenceRouter.of(this.#resolver);
    return this.#router;
  }

  /**
   * Taurus's groups (`scheme`, `authority`, `path`, `devname`, `_evalname`,
   * `_evaldotname`, `attrname`, `_subst`, `_expr`, `fragment`, `cfgkey`, and
   * in the old syntax `_dbname`, `_old_devname`, `_substquery`, `query`).
   * Taurus's `_evalrefs` list is given by {@link getEvalRefs}. References are
   * not validated here (as in Taurus); {@link isValid} does.
   */
  override getUriGroups(name: string, options: StrictOption = {}): UriGroups | null {
    const a = this.analyze(name, options);
    return a === null ? null : toUriGroups(a.groups, a.strict);
  }

  /** Taurus's `_evalrefs`: the unquoted outermost references of the attribute name, as written. */
  getEvalRefs(name: string, options: StrictOption = {}): readonly string[] | null {
    return this.analyze(name, options)?.refs ?? null;
  }

  /**
   * Whether `name` matches and every reference is a valid attribute name
   * (through the resolver). Each distinct reference is asked once.
   */
  override isValid(name: string, options: StrictOption = {}): boolean {
    const outermost = this.#enter(name);
    try {
      return this.#isValid(name, options);
    } finally {
      this.#leave(outermost);
    }
  }

  #isValid(name: string, options: StrictOption): boolean {
    // the common plain form is told in one scan, without the groups (nor caching them)
    const plain = plainOf(name);
    if (plain === null) return false;
    const refs = plain?.refs ?? this.analyze(name, options)?.refs;
    if (refs === undefined) return false;
    if (refs.length === 0) return true;
    const strict = options.strict === true;
    const router = this.#routerOfCall();
    if (refs.length === 1) return this.#refIsValid(refs[0]!, strict, router);
    const asked = new Set<string>();
    for (const ref of refs) {
      if (asked.has(ref)) continue;
      asked.add(ref);
      if (!this.#refIsValid(ref, strict, router)) return false;
    }
    return true;
  }

  /** Whether a reference is a valid attribute name, asked of its scheme's validator (or of the resolver). */
  #refIsValid(ref: string, strict: boolean, router: ReferenceRouter | null): boolean {
    if (router === null) return this.#resolver.isValidName(ref, { types: ATTRIBUTE_ONLY, strict });
    const { validator, name } = router.route(ref);
    return validator?.isValid(name, { strict }) === true;
  }

  /**
   * The names of a reference when it is a valid attribute name (with the
   * resolver's default strictness), else null: from its scheme's validator
   * when the resolver tells which (a manager does), else from the resolver,
   * once when it tells the element type of its answer (a manager does), else
   * after asking whether the reference is an attribute.
   */
  #refNames(ref: string, router: ReferenceRouter | null): ModelNames | null {
    if (router !== null) {
      const { validator, name } = router.route(ref);
      if (validator === null || !validator.isValid(name, { strict: router.strict })) return null;
      return validator.getNames(name);
    }
    const n = this.#resolver.getNames(ref) as (ModelNames & { readonly elementType?: string }) | null;
    if (n === null) return null;
    if (n.elementType !== undefined) return n.elementType === 'Attribute' ? n : null;
    return this.#resolver.isValidName(ref, { types: ATTRIBUTE_ONLY }) ? n : null;
  }

  /** Replaces each unquoted outermost reference of `text` by `render(names)`; null when one is not an attribute. */
  #replaceRefs(
    text: string,
    render: (n: ModelNames) => string,
    known: Map<string, ModelNames | null>,
    router: ReferenceRouter | null,
  ): string | null {
    const refs = findRefs(text, true);
    if (refs === null) return null;
    let out = '';
    let from = 0;
    for (const t of refs) {
      let n = known.get(t.text);
      if (n === undefined) {
        n = this.#refNames(t.text, router);
        known.set(t.text, n);
      }
      if (n === null) return null;
      out += text.slice(from, t.start) + render(n);
      from = t.end;
    }
    return out + text.slice(from);
  }

  /**
   * Taurus's names: full `eval://localhost/@Evaluator/<attrname>` with each
   * reference replaced by its full name; normal `[@evaluator/]<attrname>`
   * (defaults left out); simple: the expression without substitutions, each
   * reference shown by its simple name. Null when the name or a reference is
   * not valid.
   */
  override getNames(name: string): ModelNames | null {
    const outermost = this.#enter(name);
    try {
      return this.#getNames(name);
    } finally {
      this.#leave(outermost);
    }
  }

  #getNames(name: string): ModelNames | null {
    let authority: string;
    let devname: string;
    let attrname: string;
    let expr: string;
    let fragment: string | undefined;
    let refs: readonly string[];
    const plain = plainOf(name);
    if (plain === null) return null;
    if (plain !== undefined) {
      // the plain form: defaults, the attribute name after `eval:`, no fragment
      authority = DEFAULT_AUTHORITY;
      devname = DEFAULT_EVALUATOR;
      attrname = name.slice(5);
      expr = name.slice(plain.exprStart);
      fragment = undefined;
      refs = plain.refs;
    } else {
      const a = this.analyze(name);
      if (a === null) return null;
      const g = a.groups;
      authority = g.authority ?? DEFAULT_AUTHORITY;
      devname = g.devname ?? DEFAULT_EVALUATOR;
      attrname = g.attrname ?? '';
      expr = g._expr ?? '';
      fragment = g.fragment;
      refs = a.refs;
    }
    let normalName = attrname;
    if (devname !== DEFAULT_EVALUATOR) normalName = `${devname}/${normalName}`;
    if (authority !== DEFAULT_AUTHORITY) normalName = `${authority}/${normalName}`;
    if (refs.length === 0 && !name.includes('{')) {
      // nothing to expand (the common case of a reference's own names)
      const fullName = `eval:${authority}/${devname}/${attrname}`;
      return { fullName, normalName, simpleName: expr, fragment };
    }
    const known = new Map<string, ModelNames | null>();
    const router = this.#routerOfCall();
    const fullName = this.#replaceRefs(
      `eval:${authority}/${devname}/${attrname}`,
      (n) => `{${n.fullName}}`,
      known,
      router,
    );
    if (fullName === null) return null;
    const simpleName = this.#replaceRefs(expr, (n) => n.simpleName, known, router);
    if (simpleName === null) return null;
    return { fullName, normalName, simpleName, fragment };
  }

  /** The full name of the evaluator device of an attribute name (Taurus's `getDeviceName`). */
  override getParentName(name: string): string | null {
    const a = this.analyze(name);
    if (a === null) return null;
    return `eval:${a.groups.authority ?? DEFAULT_AUTHORITY}/${a.groups.devname ?? DEFAULT_EVALUATOR}`;
  }

  override diagnose(name: string): NameDiagnosis {
    return diagnoseEvalName(name);
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
