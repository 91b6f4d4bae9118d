/**
 * The OLDB `tk oldb` works on (Redis or the embedded store) and the errors
 * that name what a path holds: a node where a datapoint was asked, nothing
 * at all.
 *
 * @module
 */
import { TkError } from '../../../errors/tk-error.js';
import { NotDeclaredError } from '../../../oldb-store/errors.js';
import { isValidNodePath, isValidPath } from '../../../oldb-store/path.js';
import { DEFAULT_REDIS_URL } from '../../../oldb-store/redis-url.js';
import type { OldbChild, OldbSnapshot, OldbStore } from '../../../oldb-store/types.js';
import { openOldbStore } from '../../../schemes/oldb/open-store.js';
import { UsageError } from '../../exit-codes.js';
import type { CliRuntime } from '../../runtime.js';

/**
 * The store `tk oldb` works on: the shared embedded one, or a Redis store it
 * owns; which one is resolved as the `cii.oldb` scheme resolves it
 * ({@link CliRuntime.oldbTarget}), so both reject the same settings.
 */
export function openStore(runtime: CliRuntime): { store: OldbStore; owned: boolean } {
  return openOldbStore(runtime.oldbResolved(), { timeout: runtime.timeoutMs() });
}

/**
 * Runs `fn` on the store of {@link openStore}; the embedded one starts with
 * the example datapoints (`example`, all but `tk oldb produce`, which runs its
 * own producer).
 */
export async function withStore(
  runtime: CliRuntime,
  fn: (store: OldbStore) => Promise<void>,
  example = true,
): Promise<void> {
  const { store, owned } = openStore(runtime);
  try {
    if (example) await runtime.startEmbeddedExample();
    await fn(store);
  } finally {
    if (owned) await store.close();
  }
}

/**
 * What is at a path that has no children: a datapoint (returned), or nothing
 * (a NOT_FOUND error naming the store and what would list the tree).
 */
export async function leafAt(store: OldbStore, path: string): Promise<OldbSnapshot> {
  try {
    if (isValidPath(path)) return await store.read(path);
  } catch (e) {
    if (!(e instanceof NotDeclaredError)) throw e;
  }
  throw new TkError(
    'NOT_FOUND',
    `Nothing at ${path} in ${store.description}: no node or datapoint has that path; tk oldb ls / lists the top-level nodes`,
    { details: { path } },
  );
}

/**
 * The datapoint at `path`; a node there is named as such, with its children
 * (exit 2), and a missing datapoint is named with the command that declares it.
 */
export async function readDatapoint(store: OldbStore, path: string): Promise<OldbSnapshot> {
  try {
    return await store.read(path);
  } catch (e) {
    // not declared, or a top-level path such as /root that can only be a node
    if (!(e instanceof NotDeclaredError) && (isValidPath(path) || !isValidNodePath(path))) throw e;
    const children = await store.listChildren(path).catch(() => []);
    if (children.length > 0) throw nodeNotDatapoint(path, children);
    throw e;
  }
}

/** The error for a datapoint asked at a node's path: it names the node's first children. */
function nodeNotDatapoint(path: string, children: readonly OldbChild[]): UsageError {
  const names = children.slice(0, 5).map((c) => (c.kind === 'node' ? `${c.name}/` : c.name));
  const more = children.length > 5 ? `, ... (${children.length})` : '';
  return new UsageError(
    `${path} is a node with children (${names.join(', ')}${more}), not a datapoint: tk oldb ls ${path} lists them, tk oldb get ${path}/<name> shows one`,
  );
}

/** Where `tk oldb` finds the OLDB, for the help of each subcommand. */
export const STORE_HELP = `
The OLDB is Redis (--redis URL, else env TK_OLDB_URL, else ${DEFAULT_REDIS_URL}) or, with --embedded, this
tk process's own in-process OLDB: it holds the example datapoints (/root/example/...), kept changing while
the command runs, and no other process sees it.`;
