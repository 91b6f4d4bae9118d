/**
 * The `eval` scheme: attributes computed from expressions (`eval:Q("12.5m")`,
 * `eval:rand(256)`, `eval:{loc:x}*2`), Taurus's evaluation scheme with mathjs
 * in a sandbox. See docs/eval.md.
 *
 * @module
 */
import { createEvalScheme, type EvalSchemePlugin } from './plugin.js';

export { ATTRIBUTE_CONFIG, type EvaluatorDefinition } from './backend/index.js';
export { createEvalScheme, type EvalSchemeOptions, type EvalSchemePlugin } from './plugin.js';
export {
  type CompiledExpression,
  createSandbox,
  createSeededRandom,
  DEFAULT_SANDBOX_LIMITS,
  type EvalResult,
  ExpressionError,
  ExpressionLimitError,
  type RandomSource,
  type Sandbox,
  type SandboxLimits,
  type SandboxOptions,
} from './sandbox/index.js';

/** A shared eval scheme plugin with no evaluators (use {@link createEvalScheme} to register some). */
export const evalScheme: EvalSchemePlugin = /* @__PURE__ */ createEvalScheme();
