/**
 * The `eval` scheme: attributes computed from expressions (`eval:Q("12.5m")`,
 * `eval:rand(256)`, `eval:{loc:x}*2`), Taurus's evaluation scheme with mathjs
 * in a sandbox. See docs/eval.md.
 *
 * @module
 */
import { createEvalScheme, type EvalSchemePlugin } from './plugin.js';

// No import here loads the evaluator (the sandbox and mathjs): eval attributes load it on first use,
// so importing tk-core costs no mathjs. tk-core/eval (src/eval/index.ts) provides it at start and
// exports createSandbox.
export { ATTRIBUTE_CONFIG, type EvaluatorDefinition } from './evaluation/evaluators.js';
export type { EvalSchemeOptions } from './options.js';
export { createEvalScheme, type EvalSchemePlugin, loadEvalBackend } from './plugin.js';
export type { CompiledExpression, EvalResult } from './sandbox/compiled-expression.js';
export { ExpressionError, ExpressionLimitError } from './sandbox/errors.js';
export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './sandbox/limits.js';
export { createSeededRandom, type RandomSource } from './sandbox/random.js';
export type { Sandbox, SandboxOptions } from './sandbox/sandbox.js';

/** A shared eval scheme plugin with no evaluators (use {@link createEvalScheme} to register some). */
export const evalScheme: EvalSchemePlugin = /* @__PURE__ */ createEvalScheme();
