/**
 * The eval scheme plugin: Taurus's evaluation scheme with mathjs as the
 * evaluator. See docs/eval.md.
 *
 * @module
 */
import type { SchemePlugin } from '../contract.js';
import { checkEvaluatorName, type EvaluatorDefinition } from './backend/evaluators.js';
import { createLazyEvalBackend } from './backend/lazy-backend.js';
import { createEvalValidators, EVAL_ALIASES, EVAL_SCHEME } from './names/index.js';
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

/** The eval scheme plugin, with its evaluator registry. */
export interface EvalSchemePlugin extends SchemePlugin {
  /**
   * Registers an evaluator device addressed as `eval:@name/...`: an object
   * whose public members become symbols, or a class instantiated once per
   * manager. Attributes opened afterwards see it.
   */
  registerEvaluator(name: string, evaluator: EvaluatorDefinition): void;
  /** Removes an evaluator; returns whether it was registered. */
  unregisterEvaluator(name: string): boolean;
  /** Names of the registered evaluators (without `@`). */
  readonly evaluatorNames: readonly string[];
}

/**
 * Creates an eval scheme plugin.
 *
 * @example
 * ```ts
 * const evalScheme = createEvalScheme({ evaluators: { motor: { get position() { return 3; } } } });
 * const m = createManager({ schemes: [evalScheme] });
 * await m.attribute('eval:@motor/position*2').read();
 * ```
 */
export function createEvalScheme(options: EvalSchemeOptions = {}): EvalSchemePlugin {
  const evaluators = new Map<string, EvaluatorDefinition>();
  for (const [name, def] of Object.entries(options.evaluators ?? {}))
    evaluators.set(checkEvaluatorName(name), def);
  const sandbox = {
    ...(options.random !== undefined ? { random: options.random } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  };
  const scheduler = options.clock !== undefined ? { clock: options.clock } : {};
  return {
    scheme: EVAL_SCHEME,
    aliases: EVAL_ALIASES,
    validators: (resolver) => createEvalValidators(resolver),
    ...(options.pollingPeriod !== undefined ? { defaultPollingPeriod: options.pollingPeriod } : {}),
    createBackend: (context) => createLazyEvalBackend(context, { sandbox, evaluators, scheduler }),
    registerEvaluator(name, evaluator) {
      evaluators.set(checkEvaluatorName(name), evaluator);
    },
    unregisterEvaluator(name) {
      return evaluators.delete(name.startsWith('@') ? name.slice(1) : name);
    },
    get evaluatorNames() {
      return [...evaluators.keys()];
    },
  };
}
