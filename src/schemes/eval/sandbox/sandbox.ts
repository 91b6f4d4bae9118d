/**
 * The eval sandbox: one private mathjs instance with the functions Taurus
 * exposes, hardened for untrusted expressions. `compile()` checks an
 * expression's length and nesting, rewrites its Python spellings, parses it,
 * checks every node against the allowlist, rebuilds it into a tree that only
 * calls the sandbox's guarded functions, and compiles that once; each
 * `evaluate()` runs it with a fresh scope and returns a tk-core value.
 *
 * @example
 * ```ts
 * const sandbox = createSandbox({ random: createSeededRandom(1) });
 * const c = sandbox.compile('Q("1m") + Q("20cm")');
 * c.evaluate().value; // Quantity 1.2 m
 * ```
 *
 * @module
 */
import type { MathNode } from 'mathjs';
import { checkTree, type ValueKind } from './allowlist.js';
import { rectangularShape } from './arrays.js';
import type { Code } from './compiled-code.js';
import {
  type CompiledExpression,
  type CompileOptions,
  type EvalResult,
  toEvalResult,
} from './compiled-expression.js';
import { compileTree } from './compiler.js';
import { toTkValue } from './convert.js';
import { ExpressionError, ExpressionLimitError, expressionFault, toExpressionError } from './errors.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';
import { type Clock, defaultClock, Meter } from './meter.js';
import { toMathjsSyntax } from './python-syntax.js';
import type { RandomSource } from './random.js';
import { createSandboxMath } from './sandbox-math.js';
import { keepReference } from './test-hooks.js';

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Uniform random numbers in `[0, 1)` for `rand`, `randn`, `randint` (default `Math.random`). */
  readonly random?: RandomSource;
  /** Bounds (each defaults to {@link DEFAULT_SANDBOX_LIMITS}). */
  readonly limits?: Partial<SandboxLimits>;
  /**
   * The monotonic clock, in milliseconds, of the time budget (`maxTimeMs`);
   * default: the process's CPU time in Node, `performance.now` elsewhere.
   */
  readonly clock?: Clock;
}

/** A hardened evaluator of eval expressions. */
export interface Sandbox {
  /** Checks and compiles `expression`. Throws an `EXPRESSION` or `LIMIT_EXCEEDED` TkError naming it. */
  compile(expression: string, options?: CompileOptions): CompiledExpression;
  /** Converts a tk-core value (e.g. an input's rvalue) for {@link CompiledExpression.evaluatePrepared}. */
  toMathValue(value: unknown, expression?: string): unknown;
  /** The bounds in force. */
  readonly limits: SandboxLimits;
  /** How many unit names unknown to tk-core (`counts`, `ADU`) the sandbox has learned (see `maxCustomUnits`). */
  customUnitCount(): number;
  /**
   * A counter of the time budget's checks, over the sandbox's life: an
   * evaluation that leaves it unchanged was *light*, its work bounded by
   * `CHECK_EVERY` units (every expression on scalars and small arrays).
   */
  workChecks(): number;
}

const EXTERNAL_PREFIX = '_tkx_';

/** Creates a sandbox with its own mathjs instance. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const limits: SandboxLimits = Object.freeze({ ...DEFAULT_SANDBOX_LIMITS, ...(options.limits ?? {}) });
  const meter = new Meter(options.clock ?? defaultClock(), limits.maxTimeMs);
  const { math, parse, bridge, runtime } = createSandboxMath(options, limits, meter);

  /**
   * A value from outside (an input, an evaluator symbol) for the sandbox:
   * arrays must be rectangular (`owner`: the expression it is an input of).
   */
  const fromOutside = (value: unknown, what: string, owner?: string): unknown => {
    const v = bridge.toMath(value, owner);
    if (Array.isArray(v) && rectangularShape(v) === null) {
      expressionFault(
        `${what} is a ragged array (rows of different lengths or depths), which the sandbox refuses`,
      );
    }
    return v;
  };

  const toMathValue = (value: unknown, expression = ''): unknown => {
    try {
      return fromOutside(value, 'an input', expression === '' ? undefined : expression);
    } catch (err) {
      throw toExpressionError(expression, err);
    }
  };

  /** Input names found free (checking `name in math` costs microseconds: a backend reuses its names). */
  const freeNames = new Set<string>();

  const compile = (expression: string, opts: CompileOptions = {}): CompiledExpression => {
    const display = opts.display ?? expression;
    let tree: MathNode;
    let kind: ValueKind;
    let externalUsed: ReadonlySet<string>;
    let inputsUsed: ReadonlySet<string>;
    const inputs = new Set(opts.inputs ?? []);
    const external = new Map<string, 'value' | 'function'>();
    for (const [name, sym] of opts.external ?? []) external.set(name, sym.kind);
    try {
      if (expression.length > limits.maxExpressionLength) {
        throw new ExpressionLimitError(
          display,
          `the expression is ${expression.length} characters long (the limit is ${limits.maxExpressionLength})`,
        );
      }
      for (const name of inputs) {
        if (freeNames.has(name)) continue;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name in math) {
          throw new TypeError(`input name ${JSON.stringify(name)} is not a free identifier`);
        }
        if (freeNames.size > 4096) freeNames.clear();
        freeNames.add(name);
      }
      const rewritten = toMathjsSyntax(expression, limits.maxDepth);
      let parsed: MathNode;
      try {
        parsed = parse(rewritten.text);
      } catch (err) {
        if (err instanceof RangeError) throw err;
        throw new ExpressionError(display, `syntax error: ${(err as Error).message}`, { cause: err });
      }
      const checked = checkTree(
        math,
        parsed,
        { inputs, external, externalPrefix: EXTERNAL_PREFIX },
        rewritten.literals,
        limits,
      );
      tree = checked.node;
      kind = checked.kind;
      externalUsed = checked.externalUsed;
      inputsUsed = checked.inputsUsed;
    } catch (err) {
      throw toExpressionError(display, err);
    }
    // The slots of the compiled code: the declared inputs by position (what evaluateValues is
    // given), then the evaluator symbols the expression uses, read at the start of each evaluation.
    const declared = [...inputs];
    const used = [...inputsUsed];
    /** Position in `declared` of each used input. */
    const positions = new Map(declared.map((name, k) => [name, k]));
    const usedAt = used.map((name) => positions.get(name)!);
    const slots = new Map<string, number>(used.map((name, k) => [name, usedAt[k]!]));
    const externals: (() => unknown)[] = [];
    for (const name of externalUsed) {
      const sym = opts.external!.get(name)!;
      slots.set(EXTERNAL_PREFIX + name, declared.length + externals.length);
      if (sym.kind === 'value') externals.push(() => fromOutside(sym.get(), `the evaluator symbol ${name}`));
      else {
        const fn = (...args: unknown[]) =>
          fromOutside(sym.call(...args.map((a) => toTkValue(a, bridge))), `the result of ${name}()`);
        externals.push(() => fn);
      }
    }
    let code: Code;
    try {
      code = compileTree(tree, runtime, slots, limits.maxElements);
    } catch (err) {
      throw toExpressionError(display, err);
    }
    /** How many values the inputs used need. */
    const needed = usedAt.length === 0 ? 0 : Math.max(...usedAt) + 1;
    const missing = (values: ReadonlyArray<unknown>): never => {
      const k = usedAt.findIndex((at) => at >= values.length);
      throw new ExpressionError(display, `the input ${used[k]} has no value`);
    };
    /** The re-evaluation path: inputs by position (values converted by toMathValue). */
    const evaluateValues = (values: readonly unknown[]): EvalResult => {
      if (values.length < needed) missing(values);
      // unit names learned in an evaluation that fails are removed again (see custom-units.ts)
      bridge.beginEvaluation();
      let ok = false;
      const saved = meter.begin();
      try {
        let slotted = values;
        if (externals.length > 0) {
          const all = new Array<unknown>(declared.length + externals.length);
          for (let k = 0; k < declared.length && k < values.length; k++) all[k] = values[k];
          for (let k = 0; k < externals.length; k++) all[declared.length + k] = externals[k]!();
          slotted = all;
        }
        const result = toEvalResult(code(slotted), kind, bridge);
        ok = true;
        return result;
      } catch (err) {
        throw toExpressionError(display, err);
      } finally {
        bridge.endEvaluation(ok);
        meter.end(saved);
      }
    };
    /** Evaluates with inputs from a Map (`convert`: tk-core values, converted here). */
    const evaluateMap = (map: ReadonlyMap<string, unknown> | undefined, convert: boolean): EvalResult => {
      const values = new Array<unknown>(needed);
      for (let k = 0; k < used.length; k++) {
        const name = used[k]!;
        if (map === undefined || !map.has(name)) {
          throw new ExpressionError(display, `the input ${name} has no value`);
        }
        values[usedAt[k]!] = convert ? toMathValue(map.get(name), display) : map.get(name);
      }
      return evaluateValues(values);
    };
    const compiled: CompiledExpression = {
      expression: display,
      inputs: used,
      evaluate: (values) => evaluateMap(values, true),
      evaluatePrepared: (values) => evaluateMap(values, false),
      evaluateValues,
    };
    keepReference(compiled, (scope) => {
      for (let k = 0; k < externals.length; k++) {
        scope.set([...slots.keys()].find((key) => slots.get(key) === declared.length + k)!, externals[k]!());
      }
      bridge.beginEvaluation();
      let ok = false;
      try {
        const result = toEvalResult(tree.compile().evaluate(scope), kind, bridge);
        ok = true;
        return result;
      } catch (err) {
        throw toExpressionError(display, err);
      } finally {
        bridge.endEvaluation(ok);
      }
    });
    return compiled;
  };

  return {
    compile,
    toMathValue,
    limits,
    customUnitCount: () => bridge.customUnitCount,
    workChecks: () => meter.checks,
  };
}
