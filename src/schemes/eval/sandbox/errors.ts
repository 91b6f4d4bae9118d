/**
 * The two errors of the sandbox: an expression that cannot be evaluated
 * (`EXPRESSION`) and one that would cost too much (`LIMIT_EXCEEDED`). Both
 * name the expression.
 *
 * @module
 */
import { TkError } from '../../../errors/tk-error.js';

/** An eval expression that cannot be parsed, is not allowed, or fails when evaluated. */
export class ExpressionError extends TkError {
  /** The expression as the user wrote it. */
  readonly expression: string;
  constructor(
    expression: string,
    reason: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super('EXPRESSION', `Cannot evaluate ${JSON.stringify(expression)}: ${reason}`, {
      cause: options.cause,
      details: { expression, ...(options.details ?? {}) },
    });
    this.expression = expression;
  }
}

/** An eval expression over one of the sandbox's bounds. */
export class ExpressionLimitError extends TkError {
  /** The expression as the user wrote it. */
  readonly expression: string;
  constructor(expression: string, reason: string, details: Record<string, unknown> = {}) {
    super('LIMIT_EXCEEDED', `Refused to evaluate ${JSON.stringify(truncate(expression))}: ${reason}`, {
      details: { expression: truncate(expression), ...details },
    });
    this.expression = expression;
  }
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}… (${s.length} characters)` : s;
}

/**
 * Thrown inside evaluation by guarded functions, where the expression is not
 * known; the compiled expression rethrows it as an {@link ExpressionError} or
 * {@link ExpressionLimitError} naming the expression.
 */
export class EvaluationFault extends Error {
  /** Which error to raise. */
  readonly kind: 'EXPRESSION' | 'LIMIT_EXCEEDED';
  constructor(kind: 'EXPRESSION' | 'LIMIT_EXCEEDED', message: string) {
    super(message);
    this.kind = kind;
  }
}

/** Shorthand: throws a limit fault. */
export function limitFault(message: string): never {
  throw new EvaluationFault('LIMIT_EXCEEDED', message);
}

/** Shorthand: throws an expression fault. */
export function expressionFault(message: string): never {
  throw new EvaluationFault('EXPRESSION', message);
}
