/**
 * The eval backend: sources for eval attributes and evaluator devices.
 *
 * @module
 */
export { COMPILED_CACHE_SIZE, CompiledCache } from './compiled-cache.js';
export { createEvalBackend, type EvalBackendOptions } from './eval-backend.js';
export { type EvalInput, EvalSource } from './eval-source.js';
export { EvaluationScheduler, type ScheduledEvaluation } from './evaluation-scheduler.js';
export { ATTRIBUTE_CONFIG, type EvaluatorDefinition, type EvaluatorInstance } from './evaluators.js';
export { expandSubstitutions } from './substitutions.js';
