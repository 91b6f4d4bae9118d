/**
 * `tk oldb produce`: runs the example producer until Ctrl-C or `--duration`.
 *
 * @module
 */
import { startExampleProducer } from '../../oldb-store/example-producer.js';
import type { OldbStore } from '../../oldb-store/types.js';
import { untilStopped } from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';

/** Runs the example producer on `store` at `rate` updates per second. */
export async function runProducer(
  runtime: CliRuntime,
  store: OldbStore,
  rate: number,
  duration: number | undefined,
): Promise<void> {
  const stop = untilStopped(duration);
  const producer = await startExampleProducer(store, { rate });
  runtime.note(
    `tk: producing ${producer.paths.length} datapoints under /root/example at ${rate} Hz in ${store.description}${duration === undefined ? '; Ctrl-C to stop' : ` for ${duration} s`}`,
  );
  try {
    await stop.stopped;
  } finally {
    stop.stop();
    await producer.stop();
    runtime.note(`tk: producer stopped after ${producer.ticks} rounds`);
  }
}
