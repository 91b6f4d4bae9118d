/**
 * Hooks of the sandbox for tests (not part of the public API): the checked
 * tree of each compiled expression evaluated with mathjs's own compiler (the
 * reference the sandbox's compiler is tested against), and a probe of the
 * result of every guarded function a sandbox calls.
 *
 * @module
 */
import type { CompiledExpression, EvalResult } from './compiled-expression.js';
import type { SandboxOptions } from './sandbox.js';

/**
 * The checked tree of each compiled expression's code (for tests that
 * evaluate the same tree with mathjs's own compiler, as a reference).
 */
const references = new WeakMap<CompiledExpression, (scope: Map<string, unknown>) => EvalResult>();

/**
 * Evaluates a compiled expression's checked tree with mathjs's own compiler
 * on a scope of prepared input values: the reference the sandbox's compiler
 * is tested against (not part of the public API).
 */
export function evaluateWithMathjs(compiled: CompiledExpression, scope: Map<string, unknown>): EvalResult {
  const reference = references.get(compiled);
  if (reference === undefined) throw new Error('not a compiled expression of a sandbox');
  return reference(scope);
}

/** @internal keeps how to evaluate `compiled` with mathjs's own compiler (see {@link evaluateWithMathjs}). */
export function keepReference(
  compiled: CompiledExpression,
  reference: (scope: Map<string, unknown>) => EvalResult,
): void {
  references.set(compiled, reference);
}

/**
 * Called with the name and the result of every guarded function a sandbox
 * calls (operators, functions, indexes...): how tests check that no
 * operation builds more than the limits allow (not part of the public API).
 */
export type ResultProbe = (name: string, result: unknown) => void;

const probes = new WeakMap<SandboxOptions, ResultProbe>();

/** {@link createSandbox}'s options with a probe of every guarded function's result (for tests). */
export function withResultProbe(options: SandboxOptions, probe: ResultProbe): SandboxOptions {
  const o = { ...options };
  probes.set(o, probe);
  return o;
}

/** @internal the probe {@link withResultProbe} gave these options, if any. */
export function probeOf(options: SandboxOptions): ResultProbe | undefined {
  return probes.get(options);
}
