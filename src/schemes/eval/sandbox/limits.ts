/**
 * Bounds on what one eval expression may cost: its length, its nesting, the
 * size of the arrays (and texts) it builds, the work of its matrix products
 * and the time one evaluation may run. An
 * expression over a bound is rejected with a `LIMIT_EXCEEDED` error that names
 * the expression and the bound.
 *
 * @module
 */

/** The bounds a sandbox enforces. */
export interface SandboxLimits {
  /** Longest accepted expression text, in characters. */
  readonly maxExpressionLength: number;
  /**
   * Deepest accepted nesting of brackets, calls and operators; a chain of
   * operators of one precedence level written without brackets (`a+b-c+d`)
   * counts as one level, however long.
   */
  readonly maxDepth: number;
  /** Most syntax-tree nodes in one expression. */
  readonly maxNodes: number;
  /**
   * Most elements of any array an expression builds or receives from a
   * function or an operator (counted before it is built), and most
   * characters of any text it builds.
   */
  readonly maxElements: number;
  /** Most multiply-adds of one `dot` product. */
  readonly maxWork: number;
  /**
   * Most distinct unit names an evaluator learns (units unknown to mathjs,
   * e.g. `counts`); names written in expressions may take half of them, the
   * rest is kept for units of input data. A failed evaluation keeps none.
   */
  readonly maxCustomUnits: number;
  /** Most unknown unit names one evaluation may learn. */
  readonly maxCustomUnitsPerExpression: number;
  /**
   * Longest time one evaluation may run, in milliseconds: the loops over
   * elements read the clock as they go and stop the evaluation past it.
   */
  readonly maxTimeMs: number;
}

/** The default bounds: generous for control-system displays, small enough that no expression stalls the process. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  maxExpressionLength: 16_384,
  maxDepth: 48,
  maxNodes: 4096,
  maxElements: 1_000_000,
  maxWork: 20_000_000,
  maxCustomUnits: 256,
  maxCustomUnitsPerExpression: 16,
  maxTimeMs: 100,
});
