/**
 * `tk oldb ls`: the children of a path node, with the type, value and quality
 * of datapoints.
 *
 * @module
 */
import type { Command } from 'commander';
import type { OldbStore } from '../../../oldb-store/types.js';
import type { CliRuntime } from '../../runtime.js';
import { datapointLine } from './display.js';
import { leafAt, STORE_HELP, withStore } from './store.js';

/** Lists the children of `path` (a datapoint lists as itself). */
async function ls(runtime: CliRuntime, store: OldbStore, path: string): Promise<void> {
  const children = await store.listChildren(path);
  if (children.length === 0) {
    if (path === '/') {
      runtime.note(`tk: nothing in ${store.description}: the OLDB is empty`);
      return;
    }
    // a datapoint lists as itself (as ls lists a file); nothing there is an error
    const s = await leafAt(store, path);
    runtime.print(datapointLine(path, s, runtime));
    return;
  }
  const points = children.filter((c) => c.kind === 'datapoint');
  const snaps = points.length > 0 ? await store.readMany(points.map((p) => p.path)) : [];
  const byPath = new Map(points.map((p, i) => [p.path, snaps[i]]));
  const c = runtime.colors;
  for (const child of children) {
    if (child.kind === 'node') {
      runtime.print(`${c.blue(`${child.name}/`)}`);
      continue;
    }
    const s = byPath.get(child.path);
    runtime.print(s === undefined ? child.name : datapointLine(child.name, s, runtime));
  }
}

/** Registers `tk oldb ls`. */
export function registerLs(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('ls')
    .description('list the children of a path node, with the type, value and quality of datapoints')
    .argument('[path]', 'a node path', '/')
    .addHelpText('after', `\nExamples:\n  $ tk oldb ls /root/example/double\n${STORE_HELP}`)
    .action((path: string) => withStore(runtime, (s) => ls(runtime, s, path)));
}
