/**
 * The eval backend, loaded on first use (see deferred-backend.ts): the
 * evaluator (the sandbox and its private mathjs instance, most of a browser
 * bundle's weight) lives in eval-backend.js, imported dynamically the first
 * time an eval attribute is opened. Name validation never needs it and
 * stays synchronous. A source's mode comes from the name alone: push when
 * the expression references other attributes, poll otherwise.
 *
 * @module
 */
import type { SchemeBackend, SchemeContext } from '../../contract.js';
import { createDeferredBackend, type LazyModule, lazyModule } from '../../deferred-backend.js';
import { createEvalNameParser } from '../names/index.js';
import { findRefs } from '../names/scan.js';
import type { EvalBackendOptions } from './eval-backend.js';
import { expandSubstitutions } from './substitutions.js';

/** What eval-backend.js gives: the factory of the real backend. */
export type EvalBackendFactory = (context: SchemeContext, options: EvalBackendOptions) => SchemeBackend;

/** The evaluator module, loaded on first use (the `tk-core` entry provides it at start). */
export const evalBackendModule: LazyModule<EvalBackendFactory> = lazyModule('The eval evaluator', () =>
  import('./eval-backend.js').then((m) => m.createEvalBackend),
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
