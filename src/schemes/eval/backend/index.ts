/**
 * The eval backend: sources for eval attributes and evaluator devices.
 *
 * @module
 */
export { COMPILED_CACHE_SIZE, CompiledCache } from './compiled-cache.js';
export { createEvalBackend, type EvalBackendOptions } from './eval-backend.js';
export { type EvalInput, EvalSource } from './eval-source.js';
export {
  DEFAULT_SLICE_MS,
  EvaluationScheduler,
  type EvaluationSchedulerOptions,
  type MacrotaskQueue,
  nextMacrotask,
  type ScheduledEvaluation,
  type SchedulerClock,
} from './evaluation-scheduler.js';
export { ATTRIBUTE_CONFIG, type EvaluatorDefinition, type EvaluatorInstance } from './evaluators.js';
export { expandSubstitutions } from './substitutions.js';
