/**
 * Names and defaults of the eval scheme.
 *
 * @module
 */

/** The scheme of evaluated attributes. */
export const EVAL_SCHEME = 'eval';

/** Other spellings of the scheme; Taurus accepts `evaluation` in its old, non-strict syntax only. */
export const EVAL_ALIASES: readonly string[] = ['evaluation'];

/** The only authority of the eval scheme. */
export const DEFAULT_AUTHORITY = '//localhost';

/** The evaluator device used when a name gives none. */
export const DEFAULT_EVALUATOR = '@DefaultEvaluator';
