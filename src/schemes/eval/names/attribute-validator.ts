/**
 * The eval attribute name validator, giving the same answers as Taurus 5's
 * `EvaluationAttributeNameValidator` (see docs/eval-names.md): groups,
 * validity (each reference validated through the resolver, once) and names
 * (references expanded to their full or simple names).
 *
 * @module
 */

import {
  AttributeNameValidator,
  type ModelNames,
  type NameDiagnosis,
  type StrictOption,
  type UriGroups,
} from '../../../validators/name-validator.js';
import type { NameResolver } from '../../contract.js';
import { AnalysisCache, RECENT_MAX_LENGTH } from './analysis-cache.js';
import type { EvalAttributeAnalysis } from './attribute-groups.js';
import { DEFAULT_AUTHORITY, DEFAULT_EVALUATOR } from './constants.js';
import { ATTRIBUTE_FRAGMENT, ATTRIBUTE_PATH, AUTHORITY, OLD_ATTRIBUTE_PATTERN } from './patterns.js';
import { plainAttributeName } from './plain-attribute-name.js';
import { ReferenceRouter } from './reference-routing.js';
import { findRefs } from './scan.js';
import { diagnoseEvalName, PART_DESCRIPTIONS, PythonPatterns, toUriGroups } from './validator-common.js';

const ATTRIBUTE_ONLY = ['Attribute'] as const;

/**
 * The plain-form scan of a name short enough for the recent analyses; a
 * longer one goes to the cached full analysis, which a long name's calls
 * share (validated, then named, each reference analyzed once).
 */
const plainOf = (name: string) => (name.length <= RECENT_MAX_LENGTH ? plainAttributeName(name) : undefined);

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
