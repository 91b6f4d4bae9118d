/**
 * What compiling an eval expression gives: {@link CompiledExpression}, run
 * many times, and each run's {@link EvalResult} (a tk-core value with the
 * Taurus data type and format), with the options of a compilation.
 *
 * @module
 */
import { DataFormat, DataType } from '../../../core/enums.js';
import { dataFormatOf, dataTypeOf } from '../../../core/reading.js';
import { Quantity } from '../../../units/quantity.js';
import type { ValueKind } from './allowlist.js';
import { toTkValue } from './convert.js';
import type { UnitBridge } from './unit-bridge.js';

/** A symbol an evaluator exposes to expressions. */
export type ExternalSymbol =
  | { readonly kind: 'value'; get(): unknown }
  | { readonly kind: 'function'; call(...args: unknown[]): unknown };

/** Options of {@link Sandbox.compile}. */
export interface CompileOptions {
  /** The expression as the user wrote it, for messages (default: the compiled text). */
  readonly display?: string;
  /** Symbols bound at each evaluation (e.g. reference placeholders). */
  readonly inputs?: readonly string[];
  /** Evaluator symbols by name; they take precedence over builtins. */
  readonly external?: ReadonlyMap<string, ExternalSymbol>;
}

/** The result of one evaluation. */
export interface EvalResult {
  /** The value as tk-core holds it: Quantity, boolean, string, arrays of those, or null. */
  readonly value: unknown;
  /** Taurus data type of the value (Integer/Float as Python would have it). */
  readonly type: DataType | undefined;
  /** Taurus data format (scalar, spectrum, image). */
  readonly dataFormat: DataFormat;
}

/** An expression compiled once, evaluated many times. */
export interface CompiledExpression {
  /** The expression as the user wrote it. */
  readonly expression: string;
  /** The inputs it uses. */
  readonly inputs: readonly string[];
  /** Evaluates with `inputs` (values as tk-core holds them, converted here) and returns a tk-core value. */
  evaluate(inputs?: ReadonlyMap<string, unknown>): EvalResult;
  /** Like {@link CompiledExpression.evaluate} with values already converted by {@link Sandbox.toMathValue}. */
  evaluatePrepared(inputs?: ReadonlyMap<string, unknown>): EvalResult;
  /**
   * The fast path of re-evaluation: `values[k]` is the value (converted by
   * {@link Sandbox.toMathValue}) of the k-th input given to
   * {@link Sandbox.compile} in `options.inputs`.
   */
  evaluateValues(values: readonly unknown[]): EvalResult;
}

/**
 * @internal the result of an evaluation from the raw value the compiled code
 * gave; `kind`: what the allowlist inferred of the expression (a float
 * expression gives a Float even for a whole number).
 */
export function toEvalResult(raw: unknown, kind: ValueKind, bridge: UnitBridge): EvalResult {
  if (typeof raw === 'number') {
    // the common case, without the general conversion and inference
    const type = kind === 'float' || !Number.isInteger(raw) ? DataType.Float : DataType.Integer;
    return { value: new Quantity(raw, ''), type, dataFormat: DataFormat.Scalar };
  }
  const value = toTkValue(raw, bridge);
  return { value, type: typeFor(value, kind), dataFormat: dataFormatOf(value) };
}

function typeFor(value: unknown, kind: ValueKind): DataType | undefined {
  if (value === null) return undefined;
  if (Quantity.isQuantity(value)) {
    const byValue = dataTypeOf(value);
    if (kind === 'float') return DataType.Float;
    return byValue;
  }
  return dataTypeOf(value);
}
