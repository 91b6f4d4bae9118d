/**
 * `tk oldb get`: a datapoint's value, quality, timestamp and metadata, or
 * with `--watch` its changes.
 *
 * @module
 */
import type { Command } from 'commander';
import { TkError } from '../../../errors/tk-error.js';
import { NotDeclaredError } from '../../../oldb-store/errors.js';
import { isValidPath } from '../../../oldb-store/path.js';
import type { OldbSnapshot, OldbStore } from '../../../oldb-store/types.js';
import { clipText, formatTime } from '../../format.js';
import { parsePositive, parseSeconds, untilStopped } from '../../live/until-stopped.js';
import type { CliRuntime } from '../../runtime.js';
import {
  oldbTextOptions,
  PLAIN_VALUE_WIDTH,
  type ValueTextOptions,
  valueWithUnits,
} from '../../value-text.js';
import { jsonText } from '../json.js';
import { colorOldbQuality, valueText } from './display.js';
import { readDatapoint, STORE_HELP, withStore } from './store.js';

/** A datapoint's path, type, value, quality, timestamp, seq and metadata, a line each. */
function printSnapshot(runtime: CliRuntime, s: OldbSnapshot): void {
  const c = runtime.colors;
  const label = (t: string) => c.dim(t.padEnd(12));
  runtime.print(`${label('path')}${s.path}`);
  runtime.print(`${label('type')}${s.type}`);
  runtime.print(`${label('value')}${c.bold(valueText(s))}`);
  runtime.print(`${label('quality')}${colorOldbQuality(s.quality, runtime)}`);
  runtime.print(`${label('timestamp')}${formatTime(s.timestamp)}`);
  runtime.print(`${label('seq')}${s.seq}`);
  for (const [k, v] of Object.entries(s.metadata)) {
    if (v !== undefined)
      runtime.print(`${label(k)}${Array.isArray(v) ? `[${v.map((x) => x ?? '-').join(', ')}]` : String(v)}`);
  }
}

/** Prints every event of a datapoint until `--count`, `--duration` or Ctrl-C. */
async function watchPoint(
  runtime: CliRuntime,
  store: OldbStore,
  path: string,
  options: WatchOpts,
): Promise<void> {
  const count = parsePositive(options.count, '--count', true);
  if (!isValidPath(path)) await readDatapoint(store, path); // a top-level node such as /root, named as one
  const stop = untilStopped(parseSeconds(options.duration, '--duration'));
  const json = options.json === true;
  let n = 0;
  let failure: Error | undefined;
  let units = ''; // from the latest snapshot or metadata event: every value line carries them
  let shown: ValueTextOptions = {}; // and is formatted as the datapoint's type and format say
  const print = (text: string, record: Record<string, unknown>) =>
    runtime.print(json ? jsonText({ path, ...record }, 0) : text);
  const sub = store.subscribe(path, (e) => {
    if (e.kind === 'error') {
      failure = e.error;
      stop.stop();
      return;
    }
    if (e.kind === 'snapshot') {
      const s = e.snapshot;
      units = s.metadata.units ?? '';
      shown = oldbTextOptions(s.type, s.metadata);
      print(`${formatTime(s.timestamp)}  ${valueText(s)}  ${s.quality}${e.resync ? '  (resync)' : ''}`, {
        kind: 'snapshot',
        time: s.timestamp,
        value: s.value,
        units,
        quality: s.quality,
        type: s.type,
        metadata: s.metadata,
        ...(e.resync ? { resync: true } : {}),
      });
    } else if (e.kind === 'value') {
      const v = e.sample;
      print(
        `${formatTime(v.timestamp)}  ${clipText(valueWithUnits(v.value, shown), PLAIN_VALUE_WIDTH)}  ${v.quality}`,
        {
          kind: 'value',
          time: v.timestamp,
          value: v.value,
          units,
          quality: v.quality,
        },
      );
    } else if (e.kind === 'metadata') {
      units = e.metadata.units ?? '';
      shown = { ...oldbTextOptions(undefined, e.metadata), asFloat: shown.asFloat };
      print(`metadata  ${JSON.stringify(e.metadata)}`, { kind: 'metadata', metadata: e.metadata });
    } else print(`removed  ${e.path}`, { kind: 'removed' });
    if (count !== undefined && ++n >= count) stop.stop();
  });
  await stop.stopped;
  sub.unsubscribe();
  if (failure !== undefined) {
    // a node is named as such (the store only says "not declared" or "invalid datapoint path")
    if (
      failure instanceof NotDeclaredError ||
      (failure instanceof TkError && failure.code === 'INVALID_NAME')
    )
      await readDatapoint(store, path);
    throw failure;
  }
}

/** The options of `tk oldb get`. */
interface WatchOpts {
  watch?: boolean;
  count?: string;
  duration?: string;
  json?: boolean;
}

/** Registers `tk oldb get`. */
export function registerGet(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('get')
    .description("show a datapoint's value, quality, timestamp and metadata; --watch follows its changes")
    .argument('<path>', 'a datapoint path')
    .option('--json', 'print JSON (times as ISO text); with --watch, one JSON object a line')
    .option('--watch', 'print every change until Ctrl-C')
    .option('--count <n>', 'with --watch: end after n events')
    .option('--duration <seconds>', 'with --watch: end after this many seconds')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb get /root/example/double/sine\n  $ tk oldb get /root/example/double/sine --watch --count 5\n${STORE_HELP}`,
    )
    .action((path: string, o: WatchOpts) =>
      withStore(runtime, async (s) => {
        if (o.watch === true) return watchPoint(runtime, s, path, o);
        const snap = await readDatapoint(s, path);
        if (o.json === true) runtime.print(jsonText(snap));
        else printSnapshot(runtime, snap);
      }),
    );
}
