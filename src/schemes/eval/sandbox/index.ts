/**
 * The eval sandbox: a private, hardened mathjs instance for untrusted
 * expressions.
 *
 * @module
 */

export { CONSTANTS, METHODS, PROPERTIES } from './allowlist.js';
export type {
  CompiledExpression,
  CompileOptions,
  EvalResult,
  ExternalSymbol,
} from './compiled-expression.js';
export { ExpressionError, ExpressionLimitError } from './errors.js';
export { FUNCTION_NAMES } from './function-names.js';
export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';
export { createSeededRandom, type RandomSource } from './random.js';
export { createSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
