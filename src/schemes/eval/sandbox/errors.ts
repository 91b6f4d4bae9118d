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

/**
 * The error a failure of compiling or evaluating `display` is reported as:
 * the sandbox's own errors as they are, a fault as an `EXPRESSION` or
 * `LIMIT_EXCEEDED` error, a stack overflow as nesting too deep, anything
 * else (mathjs's errors) as an `EXPRESSION` error with it as the cause.
 */
export function toExpressionError(display: string, err: unknown): TkError {
  if (err instanceof ExpressionError || err instanceof ExpressionLimitError) return err;
  if (err instanceof EvaluationFault) {
    return err.kind === 'LIMIT_EXCEEDED'
      ? new ExpressionLimitError(display, err.message)
      : new ExpressionError(display, err.message);
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new ExpressionLimitError(display, 'the expression is nested too deeply');
  }
  if (err instanceof TkError) return new ExpressionError(display, err.message, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new ExpressionError(display, describeMathjsError(message), { cause: err });
}

function describeMathjsError(message: string): string {
  if (/Units do not match/i.test(message)) return `incompatible units (${message})`;
  return message;
}
