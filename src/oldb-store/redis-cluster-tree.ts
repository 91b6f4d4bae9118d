/**
 * The tree of path nodes in the cluster layout. A node's set of children
 * (`P tree:{<node>}`) lives in its own slot, usually on another shard than
 * the datapoints it lists, so no script can change a datapoint and its
 * parents' sets at once. The store keeps the tree with a two-step protocol
 * instead:
 *
 * 1. **Declare**: before the declaration script, check the clashes (the path
 *    is a node with children, an ancestor is a datapoint); the script refuses
 *    a *new* datapoint that clashes. After it, link the path into every
 *    ancestor's set (`SADD`, every level, every time: idempotent, so a
 *    declaration interrupted between the steps is completed by the next
 *    declaration of the datapoint).
 * 2. **Remove**: after the removal script, take the path out of its parent's
 *    set and say how many are left in one step; an empty node is taken out of
 *    its own parent, and then checked again: if a declaration linked a child
 *    meanwhile, it is put back. So a concurrent declaration under a node
 *    being pruned never leaves it unlisted.
 *
 * What this does not give: the clash checks and the script are separate
 * steps, so two clients declaring `/a/b` and `/a/b/c` at the same instant
 * can both succeed (on one server the script refuses one of them).
 *
 * @module
 */
import { lastSegment, parentPath } from './path.js';
import type { CommandClient } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';
import { StoredDataError } from './stored-data.js';

/** The ancestors of `path`, nearest first, `/` excluded. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = parentPath(path); p !== '/'; p = parentPath(p)) out.push(p);
  return out;
}

/** Whether `err` is Redis refusing a command on a key of another kind. */
function wrongKind(err: unknown): boolean {
  return err instanceof Error && /^WRONGTYPE\b/.test(err.message);
}

/** Keeps the tree sets of the cluster layout. */
export class ClusterTree {
  readonly #keys: RedisKeys;

  /** Keeps the sets named by `keys`. */
  constructor(keys: RedisKeys) {
    this.#keys = keys;
  }

  /**
   * What would make a new datapoint at `path` clash: `ISNODE` (the path is
   * a node with children), `ANCESTOR <node>` (an ancestor is a datapoint),
   * or the empty string.
   */
  async clash(cmd: CommandClient, path: string): Promise<string> {
    const keys = this.#keys;
    const up = ancestors(path);
    const [isNode, ...found] = await Promise.all([
      cmd.exists(keys.tree(path)),
      ...up.map((a) => cmd.exists(keys.datapoint(a))),
    ]);
    if (isNode === 1) return 'ISNODE';
    // the nearest datapoint ancestor from the top, as the single-server script reports it
    for (let i = up.length - 1; i >= 0; i--) if (found[i] === 1) return `ANCESTOR ${up[i]}`;
    return '';
  }

  /** Links `path` into every ancestor's set (idempotent). */
  async link(cmd: CommandClient, path: string): Promise<void> {
    const keys = this.#keys;
    const steps: [string, string][] = [];
    let child = path;
    let member = `d:${lastSegment(path)}`;
    for (;;) {
      const p = parentPath(child);
      steps.push([keys.tree(p), member]);
      if (p === '/') break;
      child = p;
      member = `n:${lastSegment(p)}`;
    }
    await Promise.all(
      steps.map(([key, m]) =>
        cmd.sadd(key, m).catch((err: unknown) => {
          if (wrongKind(err)) {
            throw StoredDataError.wrongKey(
              path,
              key,
              'a set (the children of a node)',
              '; the datapoint is declared but not listed in that node',
            );
          }
          throw err;
        }),
      ),
    );
  }

  /** Takes `path` out of its parent's set and prunes the nodes left empty (see the module documentation). */
  async unlink(cmd: CommandClient, path: string): Promise<void> {
    const keys = this.#keys;
    let child = path;
    let member = `d:${lastSegment(path)}`;
    for (;;) {
      const p = parentPath(child);
      const left = Number(await cmd.oldbUnlink(keys.tree(p), member));
      if (member.startsWith('n:') && (await cmd.exists(keys.tree(child))) === 1) {
        // a declaration linked a child of `child` meanwhile: keep `child` listed
        await cmd.sadd(keys.tree(p), member);
        return;
      }
      if (left !== 0 || p === '/') return;
      child = p;
      member = `n:${lastSegment(p)}`;
    }
  }
}
