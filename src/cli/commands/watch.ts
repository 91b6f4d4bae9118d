/**
 * `tk watch URI...`: the headless `taurus form`. A live table (label, value,
 * units, quality, age) redrawn in place on a terminal, with values that just
 * changed highlighted and qualities other than VALID coloured; one plain line
 * per update when standard output is not a terminal.
 *
 * @module
 */
import type { Command } from 'commander';
import { asyncScheduler, type Subscription, throttleTime } from 'rxjs';
import type { AttributeModel } from '../../attribute/attribute.js';
import type { Reading } from '../../attribute/reading.js';
import { startProfiling } from '../../diagnostics/profiler.js';
import { isStatsSortKey, STATS_SORT_KEYS } from '../../diagnostics/stats.js';
import { formatTable } from '../../diagnostics/table.js';
import type { Manager } from '../../manager/manager.js';
import { UsageError } from '../exit-codes.js';
import { colorQuality, formatAge, formatMagnitudeOf, formatTime, unitsOf, visibleWidth } from '../format.js';
import { LiveScreen } from '../live/screen.js';
import { onTerminalResize, parsePositive, parseSeconds, untilStopped } from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';
import { readingJson } from './read.js';

/** Options of `tk watch` (also used by `tk demo`). */
export interface WatchOptions {
  rate?: string;
  stats?: boolean;
  sort?: string;
  duration?: string;
  count?: string;
  title?: string;
  json?: boolean;
}

/** How long a changed value stays highlighted, in ms. */
const HIGHLIGHT_MS = 1000;

interface Row {
  readonly attr: AttributeModel;
  reading: Reading | undefined;
  changedAt: number;
}

function sameShown(a: Reading | undefined, b: Reading): boolean {
  if (a === undefined) return false;
  return (
    a.quality === b.quality &&
    formatMagnitudeOf(a.rvalue) === formatMagnitudeOf(b.rvalue) &&
    a.error?.message === b.error?.message
  );
}

function frame(runtime: CliRuntime, rows: readonly Row[], now: number, title: string | undefined): string[] {
  const c = runtime.colors;
  const cells = rows.map((row) => {
    const r = row.reading;
    const fresh = now - row.changedAt < HIGHLIGHT_MS;
    if (r === undefined) return [row.attr.label, c.dim('(waiting)'), row.attr.units, '', ''];
    const value =
      r.error !== undefined
        ? c.red(`error: ${r.error.message}`)
        : fresh
          ? c.inverse(c.bold(formatMagnitudeOf(r.rvalue)))
          : formatMagnitudeOf(r.rvalue);
    const label = r.quality === 'VALID' ? row.attr.label : c.bold(row.attr.label);
    return [label, value, unitsOf(r.rvalue), colorQuality(r.quality, c), formatAge(now - r.time)];
  });
  const lines = formatTable(
    [
      { header: 'label' },
      { header: 'value', align: 'right' },
      { header: 'units' },
      { header: 'quality' },
      { header: 'age', align: 'right' },
    ],
    cells,
    { width: visibleWidth },
  );
  lines[0] = c.dim(lines[0]!);
  return title === undefined ? lines : [c.bold(title), ...lines];
}

function line(runtime: CliRuntime, row: Row, r: Reading): string {
  const c = runtime.colors;
  const value = r.error !== undefined ? `error: ${r.error.message}` : formatMagnitudeOf(r.rvalue);
  const units = unitsOf(r.rvalue);
  return `${formatTime(r.time)}  ${row.attr.label}  ${value}${units ? ` ${units}` : ''}  ${colorQuality(r.quality, c)}`;
}

/**
 * Watches `attrs` until Ctrl-C, `--duration` or `--count`; used by `tk watch`
 * and `tk demo`. Unsubscribes everything before it resolves.
 */
export async function watchAttributes(
  runtime: CliRuntime,
  manager: Manager,
  attrs: readonly AttributeModel[],
  options: WatchOptions,
): Promise<void> {
  const rate = parsePositive(options.rate, '--rate');
  const count = parsePositive(options.count, '--count', true);
  const duration = parseSeconds(options.duration, '--duration');
  const sortKey = options.sort ?? 'events';
  if (!isStatsSortKey(sortKey)) {
    throw new UsageError(
      `Invalid --sort ${JSON.stringify(sortKey)}: expected one of ${STATS_SORT_KEYS.join(', ')}`,
    );
  }
  const profiler = options.stats === true ? startProfiling(manager) : undefined;
  const tty = runtime.out.isTTY === true;
  const stop = untilStopped(duration);
  const screen = tty && options.json !== true ? new LiveScreen(runtime.out) : undefined;
  const rows: Row[] = attrs.map((attr) => ({
    attr,
    reading: undefined,
    changedAt: Number.NEGATIVE_INFINITY,
  }));
  let dirty = true;
  let printed = 0;

  const statsLines = () =>
    profiler === undefined
      ? []
      : [
          '',
          ...profiler
            .stats()
            .sort(sortKey)
            .formatLines({ limit: 10, nameWidth: Math.max(24, (runtime.out.columns ?? 160) - 110) }),
        ];
  const render = () => {
    if (screen === undefined) return;
    dirty = false;
    screen.render([...frame(runtime, rows, Date.now(), options.title), ...statsLines()]);
  };

  const subs: Subscription[] = rows.map((row) => {
    const stream =
      rate === undefined
        ? row.attr.value$
        : row.attr.value$.pipe(throttleTime(1000 / rate, asyncScheduler, { leading: true, trailing: true }));
    return stream.subscribe((r) => {
      if (!sameShown(row.reading, r)) row.changedAt = Date.now();
      row.reading = r;
      dirty = true;
      if (screen === undefined && !stop.isStopped) {
        runtime.print(
          options.json === true ? JSON.stringify(readingJson(row.attr, r)) : line(runtime, row, r),
        );
        printed++;
        if (count !== undefined && printed >= count) stop.stop();
      }
    });
  });
  let ticks = 0;
  const timer =
    screen !== undefined
      ? setInterval(() => {
          ticks++;
          // redraw on changes (at most 10 times a second), and twice a second for the ages and highlights
          if (dirty || ticks % 5 === 0) render();
        }, 100)
      : undefined;
  render();
  const stopResize = onTerminalResize(runtime.out, () => {
    screen?.reset();
    render();
  });
  if (count !== undefined && screen !== undefined) {
    // on a terminal, --count counts frames with every row filled
    const check = setInterval(() => {
      if (rows.every((r) => r.reading !== undefined) && ++printed >= count) stop.stop();
    }, 100);
    void stop.stopped.then(() => clearInterval(check));
  }
  await stop.stopped;
  stopResize();
  for (const s of subs) s.unsubscribe();
  if (timer !== undefined) clearInterval(timer);
  render();
  screen?.end();
  if (profiler !== undefined) {
    profiler.stop();
    if (screen === undefined) for (const l of statsLines()) runtime.print(l);
  }
}

/** Registers `tk watch`. */
export function registerWatch(program: Command, runtime: CliRuntime): void {
  program
    .command('watch')
    .description('live table of attributes: label, value, units, quality, age (Ctrl-C to end)')
    .argument('<uri...>', 'attribute names')
    .option(
      '--rate <hz>',
      'at most this many updates per second for each row (throttled, the latest value always shown)',
    )
    .option(
      '--stats',
      'show the profiler statistics (events, errors, read time, latency per attribute and scheme)',
    )
    .option('--sort <key>', `sort key of --stats (${STATS_SORT_KEYS.slice(0, 12).join(', ')}, ...)`, 'events')
    .option('--duration <seconds>', 'end after this many seconds')
    .option('--count <n>', 'end after n update lines (n full frames on a terminal)')
    .option('--json', 'one JSON object per update (JSON Lines), as tk read --json prints them')
    .addHelpText(
      'after',
      `
On a terminal the table is redrawn in place: a value that just changed is highlighted, a quality other than
VALID is coloured. When standard output is not a terminal, every update is printed as one line:
  <time>  <label>  <value> <units>  <quality>

Examples:
  $ tk watch 'eval:rand()' 'eval:Q("12.5m")*2'
  $ tk watch 'eval:rand(3)' --rate 2 --stats --sort p99
  $ tk watch cii.oldb:/root/example/double/sine --count 5 | cat
  $ tk watch 'eval:rand()' --json --count 3 | jq .value

Ctrl-C ends with exit code 0.`,
    )
    .action(async (uris: string[], options: WatchOptions) => {
      const m = await runtime.manager();
      const attrs = uris.map((u) => m.attribute(u));
      await watchAttributes(runtime, m, attrs, options);
    });
}
