/**
 * `tk snapshot URI...`: subscribes to the attributes, waits for their first
 * readings and prints the manager's snapshot (live models, subscribers,
 * connections, polling timers, eval dependency edges).
 *
 * @module
 */
import type { Command } from 'commander';
import { formatSnapshot } from '../../diagnostics/snapshot-format.js';
import { TimeoutError } from '../../errors/tk-error.js';
import { ExitCode } from '../exit-codes.js';
import type { CliRuntime } from '../runtime.js';
import { firstValueFrom, timeout as rxTimeout } from '../rx.js';
import { jsonText } from './json.js';

async function run(runtime: CliRuntime, uris: string[], options: { json?: boolean }): Promise<void> {
  const m = await runtime.manager();
  const attrs = uris.map((u) => m.attribute(u));
  const ms = runtime.timeoutMs();
  const subs = attrs.map((a) => a.subscribe(() => {}));
  try {
    await Promise.all(
      attrs.map((a) =>
        firstValueFrom(
          a.value$.pipe(
            rxTimeout({
              first: ms,
              with: () => Promise.reject(new TimeoutError(`No reading of ${a.fullName} within ${ms} ms`)),
            }),
          ),
        ),
      ),
    );
    const snap = m.snapshot();
    if (options.json === true) runtime.print(jsonText(snap));
    else runtime.print(formatSnapshot(snap));
    if (attrs.some((a) => a.reading?.error !== undefined)) runtime.raise(ExitCode.Failure);
  } finally {
    for (const s of subs) s.unsubscribe();
  }
}

/** Registers `tk snapshot`. */
export function registerSnapshot(program: Command, runtime: CliRuntime): void {
  program
    .command('snapshot')
    .description(
      "subscribe to attributes and print the manager's live state (models, subscribers, connections, edges)",
    )
    .argument('<uri...>', 'attribute names')
    .option('--json', 'print the snapshot as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tk snapshot 'eval:{eval:rand()}*2' 'loc:/a/b?init=1'
  $ tk snapshot cii.oldb:/root/example/double/sine --json

In your own program: formatSnapshot(manager.snapshot()) from tk-core, or installSnapshotSignal(manager) from
tk-core/node and then kill -USR2 <pid>.`,
    )
    .action((uris: string[], options: { json?: boolean }) => run(runtime, uris, options));
}
