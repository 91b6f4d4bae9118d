/**
 * tk-core/eval: the `eval` scheme with its evaluator at hand. Importing it
 * loads the sandbox and its private mathjs instance (most of the evaluator's
 * weight and start-up time), so it exports what needs them at once:
 * {@link createSandbox}, to evaluate expressions outside any attribute; and
 * eval attributes of every manager in the process open directly, without
 * waiting for the evaluator to load on first use as they do through the
 * `tk-core` entry. Everything else of the eval scheme is here too, and in
 * `tk-core`.
 *
 * ```ts
 * import { createSandbox, createSeededRandom } from 'tk-core/eval';
 * const sandbox = createSandbox({ random: createSeededRandom(1) });
 * String(sandbox.compile('Q("12.5 m") * 2').evaluate().value); // "25 m"
 * ```
 *
 * @packageDocumentation
 */
import { createEvalBackend } from '../schemes/eval/backend.js';
import { evalBackendModule } from '../schemes/eval/plugin.js';

// the evaluator is loaded by this module anyway: eval attributes open at once
evalBackendModule.provide(createEvalBackend);

export * from '../schemes/eval/index.js';
export { createSandbox } from '../schemes/eval/sandbox/sandbox.js';
