/**
 * The eval scheme plugin: Taurus's evaluation scheme with mathjs as the
 * evaluator. See docs/eval.md.
 *
 * Its backend is loaded on first use (see deferred-backend.ts): the
 * evaluator (the sandbox and its private mathjs instance, most of a browser
 * bundle's weight) lives in backend.js, imported dynamically the first
 * time an eval attribute is opened. Name validation never needs it and
 * stays synchronous. A source's mode comes from the name alone: push when
 * the expression references other attributes, poll otherwise.
 *
 * @module
 */
import type { SchemeBackend, SchemeContext, SchemePlugin } from '../contract.js';
import { createDeferredBackend, type LazyModule, lazyModule } from '../deferred-backend.js';
import type { EvalBackendOptions } from './backend.js';
import { checkEvaluatorName, type EvaluatorDefinition } from './evaluation/evaluators.js';
import { expandSubstitutions } from './evaluation/substitutions.js';
import { createEvalNameParser, createEvalValidators, EVAL_ALIASES, EVAL_SCHEME } from './names/index.js';
import { findRefs } from './names/scan.js';
import type { EvalSchemeOptions } from './options.js';

/** What backend.js gives: the factory of the real backend. */
export type EvalBackendFactory = (context: SchemeContext, options: EvalBackendOptions) => SchemeBackend;

/** The evaluator module, loaded on first use (the `tk-core` entry provides it at start). */
export const evalBackendModule: LazyModule<EvalBackendFactory> = lazyModule('The eval evaluator', () =>
  import('./backend.js').then((m) => m.createEvalBackend),
);

/** Loads the evaluator now (e.g. while a page is idle); resolves once eval attributes open directly. */
export async function loadEvalBackend(): Promise<void> {
  await evalBackendModule.load();
}

/** The eval backend of one manager, loading the evaluator on first use. */
export function createLazyEvalBackend(context: SchemeContext, options: EvalBackendOptions): SchemeBackend {
  const parse = createEvalNameParser(context);
  const modeOf = (fullName: string): 'push' | 'poll' => {
    try {
      const p = parse(fullName);
      if (p === null) return 'poll';
      const refs = findRefs(expandSubstitutions(p.expression, p.substitutions), true) ?? [];
      return refs.length > 0 ? 'push' : 'poll';
    } catch {
      return 'poll';
    }
  };
  return createDeferredBackend(evalBackendModule, (create) => create(context, options), modeOf);
}

/** The eval scheme plugin, with its evaluator registry. */
export interface EvalSchemePlugin extends SchemePlugin {
  /**
   * Registers an evaluator device addressed as `eval:@name/...`: an object
   * whose public members become symbols, or a class instantiated once per
   * manager. Attributes opened afterwards see it.
   */
  registerEvaluator(name: string, evaluator: EvaluatorDefinition): void;
  /** Removes an evaluator; returns whether it was registered. */
  unregisterEvaluator(name: string): boolean;
  /** Names of the registered evaluators (without `@`). */
  readonly evaluatorNames: readonly string[];
}

/**
 * Creates an eval scheme plugin.
 *
 * @example
 * ```ts
 * const evalScheme = createEvalScheme({ evaluators: { motor: { get position() { return 3; } } } });
 * const m = createManager({ schemes: [evalScheme] });
 * await m.attribute('eval:@motor/position*2').read();
 * ```
 */
export function createEvalScheme(options: EvalSchemeOptions = {}): EvalSchemePlugin {
  const evaluators = new Map<string, EvaluatorDefinition>();
  for (const [name, def] of Object.entries(options.evaluators ?? {}))
    evaluators.set(checkEvaluatorName(name), def);
  const sandbox = {
    ...(options.random !== undefined ? { random: options.random } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  };
  const scheduler = options.clock !== undefined ? { clock: options.clock } : {};
  return {
    scheme: EVAL_SCHEME,
    aliases: EVAL_ALIASES,
    validators: (resolver) => createEvalValidators(resolver),
    ...(options.pollingPeriod !== undefined ? { defaultPollingPeriod: options.pollingPeriod } : {}),
    createBackend: (context) => createLazyEvalBackend(context, { sandbox, evaluators, scheduler }),
    registerEvaluator(name, evaluator) {
      evaluators.set(checkEvaluatorName(name), evaluator);
    },
    unregisterEvaluator(name) {
      return evaluators.delete(name.startsWith('@') ? name.slice(1) : name);
    },
    get evaluatorNames() {
      return [...evaluators.keys()];
    },
  };
}
