/**
 * The eval backend of one manager: its own sandbox (one private mathjs
 * instance), its evaluator instances, and the sources of its attributes.
 *
 * @module
 */
import { InvalidNameError, TkError } from '../../errors/tk-error.js';
import type {
  AttributeConfig,
  AttributeSink,
  AttributeTarget,
  SchemeBackend,
  SchemeContext,
} from '../contract.js';
import { CompiledCache } from './evaluation/compiled-cache.js';
import { EvaluationScheduler, type EvaluationSchedulerOptions } from './evaluation/evaluation-scheduler.js';
import {
  type EvaluatorDefinition,
  type EvaluatorInstance,
  instantiateEvaluator,
} from './evaluation/evaluators.js';
import { expandSubstitutions } from './evaluation/substitutions.js';
import { createEvalNameParser, DEFAULT_EVALUATOR } from './names/index.js';
import { findRefs } from './names/scan.js';
import { createSandbox, type ExternalSymbol, type SandboxOptions } from './sandbox/index.js';
import { type EvalInput, EvalSource } from './source.js';

/** What the plugin gives each backend. */
export interface EvalBackendOptions {
  /** Sandbox options (random source, limits). */
  readonly sandbox?: SandboxOptions;
  /** The plugin's evaluator registry (read at each open, so later registrations count). */
  readonly evaluators: ReadonlyMap<string, EvaluatorDefinition>;
  /** How many compiled expressions to keep for attributes opened again (default `COMPILED_CACHE_SIZE`). */
  readonly compiledCacheSize?: number;
  /** The scheduler's clock and time slice (defaults: `performance.now`, `DEFAULT_SLICE_MS`). */
  readonly scheduler?: EvaluationSchedulerOptions;
}

const NO_SYMBOLS: ReadonlyMap<string, ExternalSymbol> = new Map();

/** Creates the eval backend of one manager. */
export function createEvalBackend(context: SchemeContext, options: EvalBackendOptions): SchemeBackend {
  const sandbox = createSandbox(options.sandbox);
  const instances = new Map<string, { def: EvaluatorDefinition; instance: EvaluatorInstance }>();
  const sources = new Set<EvalSource>();
  const parse = createEvalNameParser(context);
  const compiledCache = new CompiledCache(options.compiledCacheSize);
  const scheduler = new EvaluationScheduler(options.scheduler);

  const evaluatorFor = (name: string, fullName: string): EvaluatorInstance | undefined => {
    if (name === DEFAULT_EVALUATOR) return undefined;
    const key = name.slice(1);
    const def = options.evaluators.get(key);
    if (def === undefined) {
      const known = [...options.evaluators.keys()].map((k) => `@${k}`);
      throw new TkError(
        'NOT_FOUND',
        `Unknown evaluator "${name}" in ${JSON.stringify(fullName)}: registered evaluators are ${known.join(', ') || '(none)'}; register one with registerEvaluator() (modules named in URIs are never imported)`,
        { details: { name: fullName, evaluator: name, known } },
      );
    }
    let entry = instances.get(key);
    if (entry === undefined || entry.def !== def) {
      entry = { def, instance: instantiateEvaluator(key, def) };
      instances.set(key, entry);
    }
    return entry.instance;
  };

  return {
    openAttribute(target: AttributeTarget, sink: AttributeSink) {
      const parsed = parse(target.fullName);
      if (parsed === null) {
        throw new InvalidNameError(
          target.fullName,
          `Invalid eval attribute name ${JSON.stringify(target.fullName)}`,
        );
      }
      const evaluator = evaluatorFor(parsed.evaluator.name, target.fullName);
      const expanded = expandSubstitutions(parsed.expression, parsed.substitutions);
      const inputs: EvalInput[] = [];
      const bySymbol = new Map<string, EvalInput>();
      let text = expanded;
      const refs = findRefs(expanded, true) ?? [];
      for (let i = refs.length - 1; i >= 0; i--) {
        const ref = refs[i]!;
        const names = context.getNames(ref.text);
        if (names === null) {
          throw new InvalidNameError(
            ref.text,
            `Invalid reference {${ref.text}} in ${JSON.stringify(target.fullName)}`,
          );
        }
        let input = [...bySymbol.values()].find((x) => x.fullName === names.fullName);
        if (input === undefined) {
          input = { symbol: `_tkin${bySymbol.size}_`, ref: ref.text, fullName: names.fullName };
          bySymbol.set(input.symbol, input);
        }
        text = `${text.slice(0, ref.start)} ${input.symbol} ${text.slice(ref.end)}`;
      }
      for (const input of [...bySymbol.values()].reverse()) inputs.push(input);
      let compiled: ReturnType<typeof sandbox.compile> | TkError;
      try {
        // the key: evaluator, the expression as displayed (messages name it) and the text compiled
        const key = `${parsed.evaluator.name}\u0000${parsed.expression}\u0000${text}`;
        compiled = compiledCache.get(key, evaluator, () =>
          sandbox.compile(text, {
            display: parsed.expression,
            inputs: inputs.map((i) => i.symbol),
            external: evaluator?.symbols ?? NO_SYMBOLS,
          }),
        );
      } catch (err) {
        compiled = err instanceof TkError ? err : new TkError('EXPRESSION', String(err));
      }
      const single = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(expanded)?.[1];
      const writer = single === undefined ? undefined : evaluator?.writer(single);
      const config: Partial<AttributeConfig> = {
        label: target.simpleName,
        description: `Evaluation of ${parsed.expression}`,
        writable: writer !== undefined,
        range: [undefined, undefined],
        alarms: [undefined, undefined],
        warnings: [undefined, undefined],
        ...(evaluator?.config(parsed.expression) ?? {}),
      };
      context.log.trace(() => `open ${target.fullName}: ${inputs.length} input(s)`, {
        expression: parsed.expression,
        inputs: inputs.map((i) => i.fullName),
      });
      const source = new EvalSource({
        context,
        sandbox,
        sink,
        fullName: target.fullName,
        expression: parsed.expression,
        compiled,
        inputs,
        config,
        writer,
        evaluator: parsed.evaluator.name,
        scheduler,
      });
      sources.add(source);
      const close = source.close.bind(source);
      source.close = () => {
        sources.delete(source);
        close();
      };
      return source;
    },
    describe() {
      return {
        attributes: sources.size,
        evaluators: [...instances.keys()].map((k) => `@${k}`),
        compiled: compiledCache.stats(),
        scheduler: { ...scheduler.stats(), yields: scheduler.yields },
      };
    },
    dispose() {
      for (const s of [...sources]) s.close();
      instances.clear();
      compiledCache.clear();
    },
  };
}
