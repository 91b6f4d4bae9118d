/**
 * `createSandbox` as the `tk-core` entry still exports it, deprecated: it
 * moved to `tk-core/eval` so that importing `tk-core` loads no mathjs. This
 * alias loads the evaluator synchronously when first called, in Node, from
 * the built package's `tk-core/eval` entry next to this one (through
 * `require`, which in Node 20.19+ also loads ES modules, as the same module
 * instances an `import` would give). Elsewhere (a browser, older Node, a
 * bundle) it says to import from `tk-core/eval`. Removed in the next release.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import type { Sandbox, SandboxOptions } from '../schemes/eval/sandbox/sandbox.js';

interface EvalEntry {
  createSandbox(options?: SandboxOptions): Sandbox;
}

interface NodeProcess {
  getBuiltinModule?(id: 'node:module'): { createRequire(from: string): (id: string) => unknown };
}

let entry: EvalEntry | undefined;

/**
 * A hardened evaluator of eval expressions: see `createSandbox` in
 * `tk-core/eval`.
 *
 * @deprecated Import it from `tk-core/eval`: `import { createSandbox } from 'tk-core/eval'`.
 * Through `tk-core` it works in Node only (it loads the evaluator on first
 * call), and this alias is removed in the next release.
 */
export function createSandbox(options?: SandboxOptions): Sandbox {
  entry ??= requireEvalEntry();
  return entry.createSandbox(options);
}

function requireEvalEntry(): EvalEntry {
  const fail = (why: string, cause?: unknown) =>
    new TkError(
      'CONFIG',
      `createSandbox from 'tk-core' is deprecated and could not load the evaluator (${why}): import { createSandbox } from 'tk-core/eval' instead`,
      cause === undefined ? {} : { cause },
    );
  const nodeModule = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:module');
  if (nodeModule === undefined) throw fail('it needs Node 20.19 or later');
  // this file is built into dist/index.js (ESM) and dist/index.cjs (CommonJS), and tk-core/eval into
  // dist/eval/: found from this file's own name (from the stack, as `import.meta` cannot be written in
  // code that is also built as CommonJS)
  const here = ownFile();
  if (here === undefined) throw fail('its own file is unknown');
  try {
    const cjs = here.endsWith('.cjs');
    return nodeModule.createRequire(here)(cjs ? './eval/index.cjs' : './eval/index.js') as EvalEntry;
  } catch (err) {
    throw fail((err as Error).message, err);
  }
}

/** The file (a path, or a file: URL for an ES module) of this code, as V8's stack tells it. */
function ownFile(): string | undefined {
  const prepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    const sites = new Error().stack as unknown as readonly { getFileName(): string | null | undefined }[];
    return Array.isArray(sites) ? (sites[0]?.getFileName() ?? undefined) : undefined;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}
