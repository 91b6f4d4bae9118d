/**
 * `tk oldb tree`: the tree of nodes and datapoints under a path.
 *
 * @module
 */
import type { Command } from 'commander';
import type { OldbStore } from '../../../oldb-store/types.js';
import { parsePositive } from '../../live/until-stopped.js';
import type { CliRuntime } from '../../runtime.js';
import { LIST_VALUE_WIDTH, valueText } from './display.js';
import { leafAt, STORE_HELP, withStore } from './store.js';

/** Prints the tree under `path`, `depth` levels deep (a datapoint is a tree of one). */
async function tree(runtime: CliRuntime, store: OldbStore, path: string, depth: number): Promise<void> {
  const c = runtime.colors;
  if (path !== '/' && (await store.listChildren(path)).length === 0) {
    const s = await leafAt(store, path); // a datapoint is a tree of one; nothing there is an error
    runtime.print(`${c.bold(path)}${c.dim(`  ${s.type}  ${valueText(s, LIST_VALUE_WIDTH)}  ${s.quality}`)}`);
    return;
  }
  runtime.print(c.bold(path));
  const walk = async (node: string, prefix: string, level: number): Promise<void> => {
    const children = await store.listChildren(node);
    const points = children.filter((x) => x.kind === 'datapoint');
    const snaps = points.length > 0 ? await store.readMany(points.map((p) => p.path)) : [];
    const byPath = new Map(points.map((p, i) => [p.path, snaps[i]]));
    for (const [i, child] of children.entries()) {
      const last = i === children.length - 1;
      const branch = `${prefix}${last ? '└── ' : '├── '}`;
      if (child.kind === 'node') {
        runtime.print(`${branch}${c.blue(child.name)}`);
        if (level < depth) await walk(child.path, `${prefix}${last ? '    ' : '│   '}`, level + 1);
      } else {
        const s = byPath.get(child.path);
        runtime.print(
          `${branch}${child.name}${s ? c.dim(`  ${s.type}  ${valueText(s, LIST_VALUE_WIDTH)}  ${s.quality}`) : ''}`,
        );
      }
    }
  };
  await walk(path, '', 1);
}

/** Registers `tk oldb tree`. */
export function registerTree(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('tree')
    .description('show the tree of nodes and datapoints under a path')
    .argument('[path]', 'a node path', '/')
    .option('--depth <n>', 'levels shown', '8')
    .addHelpText('after', `\nExamples:\n  $ tk oldb tree /root --depth 2\n${STORE_HELP}`)
    .action((path: string, o: { depth: string }) =>
      withStore(runtime, (s) => tree(runtime, s, path, parsePositive(o.depth, '--depth', true) ?? 8)),
    );
}
