/**
 * `tk oldb produce`: runs the example producer, which declares the
 * /root/example/... datapoints and keeps them changing.
 *
 * @module
 */
import type { Command } from 'commander';
import { parsePositive, parseSeconds } from '../../live/until-stopped.js';
import type { CliRuntime } from '../../runtime.js';
import { runProducer } from '../produce.js';
import { STORE_HELP, withStore } from './store.js';

/** Registers `tk oldb produce`. */
export function registerProduce(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('produce')
    .description(
      'run the example producer: declares the /root/example/... datapoints and keeps them changing',
    )
    .option('--rate <hz>', 'update rounds per second', '10')
    .option('--duration <seconds>', 'end after this many seconds')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb produce --rate 5                 # into Redis; in another terminal:\n  $ tk watch cii.oldb:/root/example/double/sine\n  $ tk --redis redis://oldb:6379 oldb produce --duration 60\n
Other processes see what it produces in Redis only. With --embedded it writes to this process's own OLDB,
which no other process sees: to see the example datapoints without Redis, run tk demo, or give
--embedded to the command that shows them (tk watch cii.oldb:/root/example/double/sine --embedded runs
the producer in its own process).${STORE_HELP}`,
    )
    .action((o: { rate: string; duration?: string }) =>
      withStore(
        runtime,
        (s) =>
          runProducer(
            runtime,
            s,
            parsePositive(o.rate, '--rate') ?? 10,
            parseSeconds(o.duration, '--duration'),
          ),
        false,
      ),
    );
}
