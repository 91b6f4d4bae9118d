/**
 * Copying the datapoints of one OLDB store into another: how data kept in
 * the single-server layout reaches a Redis Cluster (whose layout differs),
 * and what `tk oldb migrate` runs. It walks the source's tree (no key scan),
 * reads each datapoint and declares it in the target with its type, value,
 * timestamp, quality and metadata. Change counters are not copied: each
 * store counts its own changes.
 *
 * @module
 */
import { assertNodePath, childPath } from './path.js';
import type { OldbIfExists, OldbStore } from './types.js';

/** Options of {@link copyStore}. */
export interface CopyStoreOptions {
  /** The node whose datapoints are copied (all of its subtree); `/` by default. */
  readonly under?: string | undefined;
  /** A datapoint the target has already: `replace` (default) its value and metadata, `keep` it, or `error`. */
  readonly ifExists?: OldbIfExists | undefined;
  /** Called after each datapoint copied, with its path. */
  readonly progress?: ((path: string) => void) | undefined;
}

/** What {@link copyStore} did. */
export interface CopyStoreResult {
  /** Datapoints declared in the target. */
  readonly copied: number;
  /** Path nodes visited in the source. */
  readonly nodes: number;
  /** Datapoints listed by the source's tree but gone when read (removed meanwhile). */
  readonly vanished: number;
}

/**
 * Copies every datapoint under `options.under` from `from` into `to`.
 * Rejects with the first error (naming its datapoint); what was copied
 * before stays, and running it again is safe (`replace` by default).
 */
export async function copyStore(
  from: OldbStore,
  to: OldbStore,
  options: CopyStoreOptions = {},
): Promise<CopyStoreResult> {
  const under = options.under ?? '/';
  assertNodePath(under);
  const ifExists = options.ifExists ?? 'replace';
  let copied = 0;
  let nodes = 0;
  let vanished = 0;
  const pending = [under];
  while (pending.length > 0) {
    const node = pending.pop()!;
    nodes++;
    const children = await from.listChildren(node);
    const points: string[] = [];
    for (const c of children) {
      if (c.kind === 'node') pending.push(childPath(node, c.name));
      else points.push(c.path);
    }
    for (let i = 0; i < points.length; i += 200) {
      const part = points.slice(i, i + 200);
      const snaps = await from.readMany(part);
      await Promise.all(
        snaps.map(async (s, j) => {
          if (s === undefined) {
            vanished++;
            return;
          }
          await to.declare(
            part[j]!,
            {
              type: s.type,
              value: s.value,
              timestamp: s.timestamp,
              quality: s.quality,
              metadata: s.metadata,
            },
            { ifExists },
          );
          copied++;
          options.progress?.(part[j]!);
        }),
      );
    }
  }
  return { copied, nodes, vanished };
}
