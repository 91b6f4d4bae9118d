/**
 * {@link parseEvalAttributeName}: the parts of an eval attribute name that
 * the evaluation needs (evaluator, substitutions, expression, references).
 *
 * @module
 */
import type { NameResolver } from '../../contract.js';
import { EvalAttributeNameValidator } from './attribute-validator.js';
import { DEFAULT_EVALUATOR } from './constants.js';
import { matchEvaluatorName } from './evaluator-name.js';
import { createEvalOnlyResolver } from './resolver.js';

/** A dotted evaluator `@[instance=]module.Class[(args)]`, as Taurus splits it. */
export interface DottedEvaluator {
  /** `c` in `@c=mymod.MyClass()`, when given. */
  readonly instanceName: string | undefined;
  /** `mymod` (dotted path, may hold several dots). */
  readonly moduleName: string;
  /** `MyClass`, or `*` for "everything in the module". */
  readonly className: string;
  /** The constructor arguments with their parentheses (`("a/b", q=())`), when given. */
  readonly args: string | undefined;
}

/** The evaluator device of an eval attribute. */
export interface EvalEvaluator {
  /** The device part with its `@` (`@DefaultEvaluator` when the name gives none). */
  readonly name: string;
  /** Set when the evaluator is dotted (`@mymod.MyClass`, `@c=mymod.MyClass()`). */
  readonly dotted?: DottedEvaluator;
}

/** The parts of a valid eval attribute name. */
export interface ParsedEvalName {
  /** The canonical full name (references expanded to full names); the cache key. */
  readonly fullName: string;
  /** The normal name (defaults left out). */
  readonly normalName: string;
  /** The simple name: the expression with references shown by their simple names (the label). */
  readonly simpleName: string;
  /** Full name of the evaluator device (`eval://localhost/@DefaultEvaluator`). */
  readonly deviceName: string;
  /** The evaluator. */
  readonly evaluator: EvalEvaluator;
  /**
   * The substitutions `k=v;` written before the expression, in order, values as
   * written (they may hold references). Taurus replaces each key, as a whole
   * word outside quotes and references, by its value in the expression.
   */
  readonly substitutions: ReadonlyArray<readonly [key: string, value: string]>;
  /** The expression as written, references included, substitutions not applied. */
  readonly expression: string;
  /**
   * The outermost unquoted references in the substitutions and the expression
   * (Taurus's `_evalrefs`), as written without braces, in order of appearance.
   * Equal texts appear once per occurrence.
   */
  readonly refs: readonly string[];
  /** The full name of each of {@link refs}, same order. */
  readonly refFullNames: readonly string[];
  /** The fragment (`label` in `...#label`), never part of a name. */
  readonly fragment: string | undefined;
  /** False when only Taurus's old, non-strict syntax (`eval://expr?k=v`) matched. */
  readonly strict: boolean;
}

let defaultParser: ((name: string) => ParsedEvalName | null) | undefined;

/** Splits Taurus's `_subst` (`a=1;b={eval:x=1;x};`) at `;` outside braces, each item at its first `=`. */
function splitSubstitutions(subst: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let depth = 0;
  let from = 0;
  const push = (item: string): void => {
    if (item === '') return;
    const eq = item.indexOf('=');
    out.push([item.slice(0, eq), item.slice(eq + 1)]);
  };
  for (let i = 0; i < subst.length; i++) {
    const c = subst.charCodeAt(i);
    if (c === 0x7b) depth++;
    else if (c === 0x7d) depth--;
    else if (c === 0x3b && depth === 0) {
      push(subst.slice(from, i));
      from = i + 1;
    }
  }
  push(subst.slice(from));
  return out;
}

/**
 * Parses a valid eval attribute name (strict or old syntax) into the parts
 * the evaluation needs, or returns null when the name is not valid.
 *
 * References are validated and named through `resolver` (the manager);
 * without one, only eval references are known (`eval:{eval:1}*2`).
 *
 * Stable contract for the eval backend: `expression` and the `value`s of
 * `substitutions` are as written (references inside, in braces); `refs` lists
 * the references the evaluation depends on.
 */
export function parseEvalAttributeName(name: string, resolver?: NameResolver): ParsedEvalName | null {
  if (resolver === undefined) {
    defaultParser ??= createEvalNameParser(createEvalOnlyResolver());
    return defaultParser(name);
  }
  return createEvalNameParser(resolver)(name);
}

/**
 * A {@link parseEvalAttributeName} bound to one resolver, with one validator
 * (and so one analysis cache) for all the names it parses: what a backend
 * keeps for its attributes.
 */
export function createEvalNameParser(resolver: NameResolver): (name: string) => ParsedEvalName | null {
  const validator = new EvalAttributeNameValidator(resolver);
  return (name) => parseWith(validator, resolver, name);
}

function parseWith(
  validator: EvalAttributeNameValidator,
  r: NameResolver,
  name: string,
): ParsedEvalName | null {
  const analysis = validator.analyze(name);
  if (analysis === null || !validator.isValid(name)) return null;
  const names = validator.getNames(name);
  if (names === null) return null;
  const refFullNames: string[] = [];
  for (const ref of analysis.refs) {
    const n = r.getNames(ref);
    if (n === null) return null;
    refFullNames.push(n.fullName);
  }
  const g = analysis.groups;
  const devname = g.devname ?? DEFAULT_EVALUATOR;
  const ev = devname.slice(1);
  const m = matchEvaluatorName(ev, 0, (i) => i === ev.length);
  const evaluator: EvalEvaluator =
    m !== null && m._evaldotname !== undefined
      ? {
          name: devname,
          dotted: {
            instanceName: m._evalinstname,
            moduleName: m._evalmodname ?? '',
            className: m._evalclassname ?? '',
            args: m._evalclassparenths,
          },
        }
      : { name: devname };
  return {
    fullName: names.fullName,
    normalName: names.normalName,
    simpleName: names.simpleName,
    deviceName: validator.getParentName(name) ?? `eval://localhost/${devname}`,
    evaluator,
    substitutions: splitSubstitutions(g._subst ?? ''),
    expression: g._expr ?? '',
    refs: analysis.refs,
    refFullNames,
    fragment: names.fragment,
    strict: analysis.strict,
  };
}
