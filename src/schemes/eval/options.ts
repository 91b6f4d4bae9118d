/**
 * Options of the eval scheme plugin.
 *
 * @module
 */
import type { EvaluatorDefinition } from './evaluation/evaluators.js';
import type { SandboxLimits } from './sandbox/limits.js';
import type { RandomSource } from './sandbox/random.js';

/** Options of {@link createEvalScheme}. */
export interface EvalSchemeOptions {
  /** Evaluator devices by name (without `@`): objects, or classes instantiated once per manager. */
  readonly evaluators?: Readonly<Record<string, EvaluatorDefinition>>;
  /** Uniform random numbers in `[0, 1)` for `rand`, `randn`, `randint` (default `Math.random`). */
  readonly random?: RandomSource;
  /** Sandbox bounds (each defaults to `DEFAULT_SANDBOX_LIMITS`). */
  readonly limits?: Partial<SandboxLimits>;
  /** Polling period in ms of attributes without references (default: the manager's). */
  readonly pollingPeriod?: number;
  /**
   * The monotonic clock, in milliseconds, of the time budget of evaluations
   * and of the scheduler's time slices (for tests; default: the process's
   * CPU time for the budget, `performance.now` for the slices).
   */
  readonly clock?: () => number;
}
