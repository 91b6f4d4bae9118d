/**
 * The source of one eval attribute. Without references it is polled: each
 * read evaluates the compiled expression. With references it pushes: on
 * `start()` it subscribes to each input, evaluates once every input has
 * delivered its first reading, re-evaluates on each input change, and
 * unsubscribes from all inputs on `stop()`. An INVALID input, a failed
 * evaluation or an expression that does not compile gives an error reading
 * naming the expression; the stream goes on.
 *
 * @module
 */

import { ConnectionState, Quality } from '../../core/enums.js';
import type { Reading, ReadingInit } from '../../core/reading.js';
import { TkError } from '../../errors/tk-error.js';
import { Quantity } from '../../units/quantity.js';
import type {
  AttributeConfig,
  AttributeSink,
  AttributeSource,
  SchemeContext,
  SourceReadOptions,
  SourceWriteOptions,
} from '../contract.js';
import type { EvaluationScheduler, ScheduledEvaluation } from './evaluation/evaluation-scheduler.js';
import { maxBraceDepth } from './names/scan.js';
import type { CompiledExpression, EvalResult, Sandbox } from './sandbox/index.js';

/** One input of an eval attribute: a referenced attribute. */
export interface EvalInput {
  /** Placeholder symbol in the compiled expression. */
  readonly symbol: string;
  /** The reference as written. */
  readonly ref: string;
  /** Its full name (subscription key). */
  readonly fullName: string;
}

/** What an {@link EvalSource} is built from. */
export interface EvalSourceInit {
  readonly context: SchemeContext;
  readonly sandbox: Sandbox;
  readonly sink: AttributeSink;
  readonly fullName: string;
  /** The expression as written (for messages and `describe()`). */
  readonly expression: string;
  /** The compiled expression, or the error that prevented compiling it. */
  readonly compiled: CompiledExpression | TkError;
  readonly inputs: readonly EvalInput[];
  readonly config: Partial<AttributeConfig>;
  /** Writes a value, when the attribute is writable. */
  readonly writer?: ((value: unknown) => void) | undefined;
  /** Evaluator name, for `describe()`. */
  readonly evaluator: string;
  /** The backend's scheduler of re-evaluations (glitch-free updates). */
  readonly scheduler: EvaluationScheduler;
}

const NO_VALUES: readonly unknown[] = Object.freeze([]);

interface InputState {
  has: boolean;
  error: TkError | undefined;
  unsubscribe: (() => void) | undefined;
}

/** The backend side of one eval attribute. */
export class EvalSource implements AttributeSource, ScheduledEvaluation {
  readonly mode: 'push' | 'poll';
  /** Nesting depth of braces in the full name: after every eval attribute it references. */
  readonly height: number;
  readonly config: Partial<AttributeConfig>;
  readonly #init: EvalSourceInit;
  readonly #states: InputState[];
  /** The latest converted value of each input, in the order of `inputs` (what the compiled expression reads). */
  readonly #values: unknown[];
  /** The time of each input's latest reading, in the order of `inputs`. */
  readonly #times: number[];
  /** How many inputs have not delivered a first reading since start. */
  #missing = 0;
  /** How many inputs hold an error. */
  #failing = 0;
  #running = false;
  #starting = false;
  #closed = false;
  /** The type, format and units last announced with `sink.config` (announced again only on change). */
  #lastType: EvalResult['type'] | null = null;
  #lastFormat: EvalResult['dataFormat'] | undefined;
  #lastUnits: string | undefined;
  #evaluations = 0;
  // the init's fields read on each re-evaluation, held directly
  readonly #sink: AttributeSink;
  readonly #sandbox: Sandbox;
  readonly #expression: string;
  readonly #writable: boolean;
  /** Whether the attribute has one input (evaluated at once; several go through the scheduler). */
  readonly #single: boolean;
  /** The compiled expression, when it compiled. */
  readonly #ok: CompiledExpression | undefined;

  constructor(init: EvalSourceInit) {
    this.#init = init;
    this.mode = init.inputs.length > 0 ? 'push' : 'poll';
    this.height = maxBraceDepth(init.fullName);
    this.config = init.config;
    this.#states = init.inputs.map(() => ({ has: false, error: undefined, unsubscribe: undefined }));
    this.#values = init.inputs.map(() => undefined);
    this.#times = init.inputs.map(() => Number.NEGATIVE_INFINITY);
    this.#sink = init.sink;
    this.#sandbox = init.sandbox;
    this.#expression = init.expression;
    this.#writable = init.writer !== undefined;
    this.#single = init.inputs.length === 1;
    this.#ok = init.compiled instanceof TkError ? undefined : init.compiled;
    if (init.writer !== undefined) this.write = this.#write;
  }

  /** Set when the attribute is writable. */
  write?: (value: unknown, options: SourceWriteOptions) => Promise<ReadingInit | undefined>;

  /**
   * The type follows each result (a whole value is Integer), unless the
   * evaluator declares one: a write is then not held to integers.
   */
  get typeFollowsValue(): boolean {
    return this.config.type === undefined;
  }

  async read(options: SourceReadOptions): Promise<ReadingInit> {
    this.#init.sink.connection(ConnectionState.Connected);
    const compiled = this.#compiled();
    const inputs = this.#init.inputs;
    const scheduler = this.#init.scheduler;
    // without inputs (polled, many on one timer): evaluate now, stamped by the clock, unless this
    // turn's slice of evaluation time is spent; then in a later turn (no turn holds the loop for
    // a whole timer's evaluations)
    if (inputs.length === 0) {
      if (scheduler.sliceSpent) await scheduler.nextTurnWithSlice();
      return this.#toInit(
        scheduler.timed(() => this.#evaluate(compiled, NO_VALUES)),
        undefined,
      );
    }
    const readings = await Promise.all(
      inputs.map((i) =>
        this.#init.context.readAttribute(i.fullName, { cache: false, signal: options.signal }),
      ),
    );
    const values: unknown[] = [];
    let time: number | undefined;
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k]!;
      const r = readings[k]!;
      const bad = this.#inputError(input, r);
      if (bad !== undefined) throw bad;
      values.push(this.#init.sandbox.toMathValue(r.rvalue, this.#init.expression));
      if (time === undefined || r.time > time) time = r.time;
    }
    if (scheduler.sliceSpent) await scheduler.nextTurnWithSlice();
    return this.#toInit(
      scheduler.timed(() => this.#evaluate(compiled, values)),
      time,
    );
  }

  start(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    const { context, inputs, sink } = this.#init;
    sink.connection(ConnectionState.Connected);
    if (this.#init.compiled instanceof TkError) {
      sink.error(this.#init.compiled);
      return;
    }
    this.#missing = inputs.length;
    this.#failing = 0;
    this.#starting = true;
    try {
      inputs.forEach((input, k) => {
        const state = this.#states[k]!;
        context.log.trace(() => `subscribe input ${input.fullName} of ${this.#init.fullName}`);
        const sub = context.subscribeAttribute(input.fullName, (r) => this.#onInput(k, r));
        state.unsubscribe = () => sub.unsubscribe();
        if (!this.#running) sub.unsubscribe();
      });
    } finally {
      this.#starting = false;
    }
    if (this.#running) this.#maybeEvaluate();
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#init.scheduler.forget(this);
    this.#states.forEach((s, k) => {
      if (s.unsubscribe !== undefined) {
        this.#init.context.log.trace(
          () => `unsubscribe input ${this.#init.inputs[k]!.fullName} of ${this.#init.fullName}`,
        );
        s.unsubscribe();
      }
      s.unsubscribe = undefined;
      s.has = false;
      s.error = undefined;
      this.#values[k] = undefined;
      this.#times[k] = Number.NEGATIVE_INFINITY;
    });
    this.#missing = this.#states.length;
    this.#failing = 0;
  }

  close(): void {
    this.stop();
    this.#closed = true;
  }

  describe(): Record<string, unknown> {
    return {
      expression: this.#init.expression,
      evaluator: this.#init.evaluator,
      inputs: this.#init.inputs.map((i) => i.fullName),
      subscribed: this.#running && this.mode === 'push',
      evaluations: this.#evaluations,
      ...(this.#init.compiled instanceof TkError ? { error: this.#init.compiled.message } : {}),
    };
  }

  #compiled(): CompiledExpression {
    const c = this.#ok;
    if (c === undefined) throw this.#init.compiled;
    return c;
  }

  #inputError(input: EvalInput, r: Reading): TkError | undefined {
    if (r.error === undefined && r.quality !== Quality.INVALID) return undefined;
    const why = r.error?.message ?? 'its quality is INVALID';
    return new TkError(
      'EXPRESSION',
      `Cannot evaluate ${JSON.stringify(this.#init.expression)}: the input {${input.ref}} is INVALID (${why})`,
      {
        cause: r.error,
        details: { expression: this.#init.expression, input: input.fullName },
      },
    );
  }

  #onInput(k: number, r: Reading): void {
    if (!this.#running) return;
    const state = this.#states[k]!;
    if (!state.has) {
      state.has = true;
      this.#missing--;
    }
    this.#times[k] = r.time;
    let error: TkError | undefined;
    if (r.error === undefined && r.quality !== Quality.INVALID) {
      try {
        this.#values[k] = this.#sandbox.toMathValue(r.rvalue, this.#expression);
      } catch (err) {
        error = err as TkError;
      }
    } else {
      error = this.#inputError(this.#init.inputs[k]!, r);
    }
    if (state.error !== error) {
      if ((state.error === undefined) !== (error === undefined))
        this.#failing += error === undefined ? -1 : 1;
      state.error = error;
    }
    if (this.#starting) return;
    // one input cannot be seen half-changed: evaluate at once (unless this turn's slice is spent);
    // several go through the scheduler
    if (this.#single) this.#init.scheduler.evaluateOrDefer(this);
    else this.#init.scheduler.markDirty(this);
  }

  /**
   * Evaluates on the current input values (called by the scheduler); `true`
   * when the evaluation was light: the sandbox's meter never reached a check.
   */
  evaluateNow(): boolean {
    if (!this.#running) return true;
    const sandbox = this.#sandbox;
    const checks = sandbox.workChecks();
    this.#maybeEvaluate();
    return sandbox.workChecks() === checks;
  }

  #maybeEvaluate(): void {
    if (this.#missing > 0) return;
    const sink = this.#sink;
    if (this.#failing > 0) {
      for (const s of this.#states) {
        if (s.error !== undefined) {
          sink.error(s.error);
          return;
        }
      }
    }
    // the reading is as new as the newest input it was computed from
    const times = this.#times;
    let time = times[0]!;
    for (let k = 1; k < times.length; k++) if (times[k]! > time) time = times[k]!;
    try {
      sink.reading(this.#toInit(this.#evaluate(this.#compiled(), this.#values), time));
    } catch (err) {
      sink.error(err);
    }
  }

  #evaluate(compiled: CompiledExpression, values: readonly unknown[]): EvalResult {
    this.#evaluations++;
    return compiled.evaluateValues(values);
  }

  /** The reading of `result`, at `time` (the newest input's time) or, without inputs, at the clock's time. */
  #toInit(result: EvalResult, time: number | undefined): ReadingInit {
    const value = result.value;
    const units = Quantity.isQuantity(value) ? value.units : '';
    if (
      result.type !== this.#lastType ||
      result.dataFormat !== this.#lastFormat ||
      units !== this.#lastUnits
    ) {
      this.#lastType = result.type;
      this.#lastFormat = result.dataFormat;
      this.#lastUnits = units;
      this.#sink.config({ type: result.type, dataFormat: result.dataFormat, units });
    }
    return this.#writable ? { rvalue: value, wvalue: value, time } : { rvalue: value, time };
  }

  async #write(value: unknown, options: SourceWriteOptions): Promise<ReadingInit | undefined> {
    if (options.signal?.aborted) throw new TkError('ABORTED', `Write to ${this.#init.fullName} was aborted`);
    this.#init.writer!(value);
    return this.read({ signal: options.signal });
  }
}
