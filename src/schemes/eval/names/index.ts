/**
 * Names of the eval scheme: validators with Taurus 5's answers (strict and
 * old syntax, references validated through the manager) and the parser the
 * eval backend builds on. See docs/eval-names.md.
 *
 * @module
 */

export { type EvalAttributeAnalysis, MAX_REFERENCE_DEPTH } from './attribute-groups.js';
export { EvalAttributeNameValidator } from './attribute-validator.js';
export { DEFAULT_AUTHORITY, DEFAULT_EVALUATOR, EVAL_ALIASES, EVAL_SCHEME } from './constants.js';
export {
  createEvalNameParser,
  type DottedEvaluator,
  type EvalEvaluator,
  type ParsedEvalName,
  parseEvalAttributeName,
} from './parsed-name.js';
export { createEvalOnlyResolver, type EvalOnlyResolver } from './resolver.js';
export { createEvalValidators, EvalAuthorityNameValidator, EvalDeviceNameValidator } from './validators.js';
