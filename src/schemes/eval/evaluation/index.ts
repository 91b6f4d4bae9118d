/**
 * How the eval backend evaluates: the compiled-expression cache, the
 * glitch-free scheduler, evaluator devices and substitutions.
 *
 * @module
 */
export { COMPILED_CACHE_SIZE, CompiledCache } from './compiled-cache.js';
export {
  DEFAULT_SLICE_MS,
  EvaluationScheduler,
  type EvaluationSchedulerOptions,
  LIGHT_EVALUATIONS_PER_READ,
  type MacrotaskQueue,
  nextMacrotask,
  type ScheduledEvaluation,
  type SchedulerClock,
} from './evaluation-scheduler.js';
export { ATTRIBUTE_CONFIG, type EvaluatorDefinition, type EvaluatorInstance } from './evaluators.js';
export { expandSubstitutions } from './substitutions.js';
