/**
 * `tk oldb migrate`: copies every datapoint of the OLDB into another one
 * (e.g. a Redis Cluster).
 *
 * @module
 */
import type { Command } from 'commander';
import { copyStore } from '../../../oldb-store/migrate.js';
import { createRedisStore } from '../../../oldb-store/redis-store.js';
import { UsageError } from '../../exit-codes.js';
import type { CliRuntime } from '../../runtime.js';
import { STORE_HELP, withStore } from './store.js';

/** Registers `tk oldb migrate`. */
export function registerMigrate(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('migrate')
    .description(
      'copy every datapoint (type, value, time, quality, metadata) of the OLDB into another one, e.g. a Redis Cluster',
    )
    .argument('[path]', 'the node whose subtree is copied', '/')
    .requiredOption(
      '--to <url>',
      'the target OLDB: redis://..., redis+cluster://h1:p1,h2:p2, redis+sentinel://...',
    )
    .option('--if-exists <what>', 'a datapoint the target has: replace, keep or error', 'replace')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk --redis redis://old:6379 oldb migrate --to redis+cluster://n1:7000,n2:7001\n  $ tk oldb migrate /elt/tdm --to redis+cluster://n1:7000 --if-exists keep\n
The source is the OLDB of --redis (or TK_OLDB_URL); the single-server layout is read, the target's own
layout is written (the cluster layout on a cluster). Running it again is safe.${STORE_HELP}`,
    )
    .action((path: string, o: { to: string; ifExists: string }) =>
      withStore(runtime, async (s) => {
        const ifExists = o.ifExists;
        if (ifExists !== 'replace' && ifExists !== 'keep' && ifExists !== 'error') {
          throw new UsageError(
            `Invalid --if-exists ${JSON.stringify(ifExists)}: expected replace, keep or error`,
          );
        }
        const target = createRedisStore({ url: o.to, timeout: runtime.timeoutMs() });
        try {
          const r = await copyStore(s, target, { under: path, ifExists });
          runtime.print(
            `copied ${r.copied} datapoint(s) under ${path} from ${s.description} to ${target.description}` +
              (r.vanished > 0 ? ` (${r.vanished} removed meanwhile)` : ''),
          );
        } finally {
          await target.close();
        }
      }),
    );
}
