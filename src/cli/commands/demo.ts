/**
 * `tk demo`: the main job with no server. The example producer writes to the
 * embedded OLDB (or to Redis with `--redis`), and a live table watches its
 * datapoints and a few eval attributes computed from them.
 *
 * @module
 */
import type { Command } from 'commander';
import { sharedEmbeddedStore } from '../../oldb-store/embedded-store.js';
import { startExampleProducer } from '../../oldb-store/example-producer.js';
import { createRedisStore } from '../../oldb-store/redis-store.js';
import type { OldbStore } from '../../oldb-store/types.js';
import { createOldbScheme } from '../../schemes/oldb/index.js';
import { parsePositive } from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';
import { type WatchOptions, watchAttributes } from './watch.js';

const D = 'cii.oldb:/root/example/double/';

/** What `tk demo` watches. */
export const DEMO_URIS: readonly string[] = [
  `${D}sine`,
  `${D}cosine`,
  `${D}sinelimits`,
  `${D}sinequality`,
  `${D}bigincrement`,
  'cii.oldb:/root/example/boolean/switch',
  'cii.oldb:/root/example/string/timestamp',
  `eval:{${D}sine}*2`,
  `eval:{${D}sine}**2+{${D}cosine}**2`,
  `eval:Q("5 mm")*{${D}bigincrement}`,
];

interface DemoOptions extends WatchOptions {
  producerRate: string;
}

async function run(runtime: CliRuntime, options: DemoOptions): Promise<void> {
  const rate = parsePositive(options.producerRate, '--producer-rate') ?? 10;
  const redis = runtime.options.redis;
  const store: OldbStore =
    redis === undefined
      ? sharedEmbeddedStore()
      : createRedisStore({ url: redis, timeout: runtime.timeoutMs() });
  runtime.addScheme(createOldbScheme({ store }));
  const producer = await startExampleProducer(store, { rate });
  try {
    const m = await runtime.manager();
    await watchAttributes(runtime, m, DEMO_URIS, {
      ...options,
      title: `tk demo: example producer at ${rate} Hz on the ${store.description} OLDB, eval attributes computed from it (Ctrl-C ends)`,
    });
  } finally {
    await producer.stop();
    await runtime.close();
    if (redis !== undefined) await store.close();
  }
}

/** Registers `tk demo`. */
export function registerDemo(program: Command, runtime: CliRuntime): void {
  program
    .command('demo')
    .description(
      'no server needed: the example OLDB producer plus a live watch of its datapoints and eval attributes',
    )
    .option('--producer-rate <hz>', 'update rounds per second of the producer', '10')
    .option('--rate <hz>', 'at most this many updates per second for each row')
    .option('--stats', 'show the profiler statistics')
    .option('--sort <key>', 'sort key of --stats', 'events')
    .option('--duration <seconds>', 'end after this many seconds')
    .option('--count <n>', 'end after n update lines (n full frames on a terminal)')
    .addHelpText(
      'after',
      `
Watches:
${DEMO_URIS.map((u) => `  ${u}`).join('\n')}

Examples:
  $ tk demo
  $ tk demo --stats --sort latency.p99
  $ tk --redis redis://127.0.0.1:6379 demo      # the producer writes to Redis instead
  $ tk demo --duration 3 | cat                  # one line per update

Ctrl-C ends with exit code 0.`,
    )
    .action((options: DemoOptions) => run(runtime, options));
}
