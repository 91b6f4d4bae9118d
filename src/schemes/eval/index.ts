/**
 * The `eval` scheme: attributes computed from expressions (`eval:Q("12.5m")`,
 * `eval:rand(256)`, `eval:{loc:x}*2`), Taurus's evaluation scheme with mathjs
 * in a sandbox. See docs/eval.md.
 *
 * @module
 */
import { createEvalBackend } from './backend.js';
import { createEvalScheme, type EvalSchemePlugin, evalBackendModule } from './plugin.js';

// This entry exports the sandbox, so the evaluator is here anyway: eval attributes open at once.
// Entries that do not import this module (tk-core/ui, tk-core/remote) load it on first use.
evalBackendModule.provide(createEvalBackend);

export { ATTRIBUTE_CONFIG, type EvaluatorDefinition } from './evaluation/index.js';
export type { EvalSchemeOptions } from './options.js';
export { createEvalScheme, type EvalSchemePlugin, loadEvalBackend } from './plugin.js';
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
