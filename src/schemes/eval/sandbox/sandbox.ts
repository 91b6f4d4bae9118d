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
import { all, create, type MathJsInstance, type MathNode } from 'mathjs';
import { DataFormat, DataType } from '../../../core/enums.js';
import { dataFormatOf, dataTypeOf } from '../../../core/reading.js';
import { TkError } from '../../../errors/tk-error.js';
import { Quantity } from '../../../units/quantity.js';
import { createAccessors } from './access.js';
import { checkTree, type ValueKind } from './allowlist.js';
import { rectangularShape } from './arrays.js';
import type { Code } from './compiled-code.js';
import { compileTree } from './compiler.js';
import { toTkValue } from './convert.js';
import { EvaluationFault, ExpressionError, ExpressionLimitError, expressionFault } from './errors.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';
import { type Clock, defaultClock, Meter } from './meter.js';
import { createFunctions } from './numpy.js';
import { createOperators } from './operators.js';
import { installPackedOps } from './packed-ops.js';
import { toMathjsSyntax } from './python-syntax.js';
import type { RandomSource } from './random.js';
import type { RuntimeContext, RuntimeFunction } from './runtime-context.js';
import { UnitBridge } from './unit-bridge.js';

/** A symbol an evaluator exposes to expressions. */
export type ExternalSymbol =
  | { readonly kind: 'value'; get(): unknown }
  | { readonly kind: 'function'; call(...args: unknown[]): unknown };

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
}

/**
 * Namespace functions replaced by refusals (defence in depth: the allowlist
 * never lets an expression name them). `config` and `typed` stay: mathjs's
 * own compiled nodes read them.
 */
const DISABLED = [
  'import',
  'createUnit',
  'reviver',
  'replacer',
  'evaluate',
  'parse',
  'parser',
  'compile',
  'simplify',
  'simplifyConstant',
  'simplifyCore',
  'derivative',
  'resolve',
  'rationalize',
  'help',
  'symbolicEqual',
  'leafCount',
] as const;

const EXTERNAL_PREFIX = '_tkx_';

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

/** Creates a sandbox with its own mathjs instance. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const limits: SandboxLimits = Object.freeze({ ...DEFAULT_SANDBOX_LIMITS, ...(options.limits ?? {}) });
  const meter = new Meter(options.clock ?? defaultClock(), limits.maxTimeMs);
  const math = create(all!, { matrix: 'Array', predictable: true, number: 'number' }) as MathJsInstance;
  // a fixed unit system: mathjs's default, "auto", is rewritten by every unit text it parses, and
  // its own simplification (formatting) would then depend on what was evaluated before
  (math as unknown as { Unit: { setUnitSystem(name: string): void } }).Unit.setUnitSystem('si');
  const parse = math.parse.bind(math);
  const bridge = new UnitBridge(math, {
    total: limits.maxCustomUnits,
    perExpression: limits.maxCustomUnitsPerExpression,
  });
  bridge.meter = meter;
  const ctx: RuntimeContext = { math, bridge, random: options.random ?? Math.random, limits, meter };
  const functions = createFunctions(ctx);
  const runtime: Record<string, RuntimeFunction> = {
    ...createOperators(ctx),
    ...createAccessors(ctx, functions),
  };
  for (const [name, fn] of Object.entries(functions)) runtime[`tk_fn_${name}`] = fn;
  installPackedOps(runtime, ctx);
  const probe = probes.get(options);
  if (probe !== undefined) {
    for (const [name, fn] of Object.entries(runtime)) {
      runtime[name] = (...args: unknown[]) => {
        const r = fn(...args);
        probe(name, r);
        return r;
      };
    }
  }
  math.import(runtime, { override: true });
  const refuse = (name: string) => () => {
    throw new Error(`${name} is disabled in the eval sandbox`);
  };
  math.import(Object.fromEntries(DISABLED.map((n) => [n, refuse(n)])), { override: true });

  const wrapError = (display: string, err: unknown): TkError => {
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
  };

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
      throw wrapError(expression, err);
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
      throw wrapError(display, err);
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
      throw wrapError(display, err);
    }
    /** How many values the inputs used need. */
    const needed = usedAt.length === 0 ? 0 : Math.max(...usedAt) + 1;
    const missing = (values: ReadonlyArray<unknown>): never => {
      const k = usedAt.findIndex((at) => at >= values.length);
      throw new ExpressionError(display, `the input ${used[k]} has no value`);
    };
    const toResult = (raw: unknown): EvalResult => {
      if (typeof raw === 'number') {
        // the common case, without the general conversion and inference
        const type = kind === 'float' || !Number.isInteger(raw) ? DataType.Float : DataType.Integer;
        return { value: new Quantity(raw, ''), type, dataFormat: DataFormat.Scalar };
      }
      const value = toTkValue(raw, bridge);
      return { value, type: typeFor(value, kind), dataFormat: dataFormatOf(value) };
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
        const result = toResult(code(slotted));
        ok = true;
        return result;
      } catch (err) {
        throw wrapError(display, err);
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
    references.set(compiled, (scope) => {
      for (let k = 0; k < externals.length; k++) {
        scope.set([...slots.keys()].find((key) => slots.get(key) === declared.length + k)!, externals[k]!());
      }
      bridge.beginEvaluation();
      let ok = false;
      try {
        const result = toResult(tree.compile().evaluate(scope));
        ok = true;
        return result;
      } catch (err) {
        throw wrapError(display, err);
      } finally {
        bridge.endEvaluation(ok);
      }
    });
    return compiled;
  };

  return { compile, toMathValue, limits, customUnitCount: () => bridge.customUnitCount };
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

function describeMathjsError(message: string): string {
  if (/Units do not match/i.test(message)) return `incompatible units (${message})`;
  return message;
}
