/**
 * `tk watch URI...`: the headless `taurus form`. A live table (label, value,
 * units, quality, age) redrawn in place on a terminal, with values that just
 * changed highlighted and qualities coloured; one plain line per update when
 * standard output is not a terminal.
 *
 * Each row is a tk-core/ui display controller (`createDisplay`, Taurus's
 * TaurusLabel): the value's text, units, quality colours and error are the
 * ones a web page built on tk-core/ui shows; this file only lays them out.
 *
 * @module
 */
import type { Command } from 'commander';
import type { Subscription } from 'rxjs';
import { startProfiling } from '../../diagnostics/profiler.js';
import { isStatsSortKey, STATS_SORT_KEYS } from '../../diagnostics/stats.js';
import { formatTable } from '../../diagnostics/table.js';
import type { Manager } from '../../manager/manager.js';
import {
  createDisplay,
  type DisplayController,
  type DisplaySnapshot,
  NONE_VALUE,
} from '../../ui/display/display.js';
import { UsageError } from '../exit-codes.js';
import { clipText, formatAge, formatTime, visibleWidth } from '../format.js';
import { LiveScreen } from '../live/screen.js';
import {
  onTerminalResize,
  parsePollingPeriod,
  parsePositive,
  parseSeconds,
  untilStopped,
} from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';
import { asyncScheduler, throttleTime } from '../rx.js';
import { paintQuality } from '../theme.js';
import { PLAIN_VALUE_WIDTH } from '../value-text.js';
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
  pollingPeriod?: string;
}

/** How long a changed value stays highlighted, in ms. */
const HIGHLIGHT_MS = 1000;

interface Row {
  readonly display: DisplayController;
  /** The snapshot shown (the latest, or the latest let through by `--rate`). */
  shown: DisplaySnapshot;
  /** What the row shows, to notice a change. */
  key: string | undefined;
  changedAt: number;
  /** Time of the reading printed last (plain lines). */
  printedTime: number | undefined;
}

/** The value cell: the display's text, or the error when the display has no value to show (`-----`). */
function valueText(s: DisplaySnapshot): { text: string; error: boolean } {
  if (s.error !== undefined && s.value === NONE_VALUE) {
    return { text: `error: ${s.error}`, error: true };
  }
  return { text: s.value, error: false };
}

/** Whether the display shows a reading (not the placeholder before the first one). */
function hasReading(s: DisplaySnapshot): boolean {
  return s.time !== undefined;
}

function frame(runtime: CliRuntime, rows: readonly Row[], now: number, title: string | undefined): string[] {
  const c = runtime.colors;
  // the value column gets what the other columns leave of the terminal's width
  const valueWidth = Math.max(16, (runtime.out.columns ?? 120) - 60);
  const cells = rows.map((row) => {
    const s = row.shown;
    if (!hasReading(s)) return [s.label, c.dim('(waiting)'), s.units, '', ''];
    const v = valueText(s);
    const text = clipText(v.text, valueWidth);
    const fresh = now - row.changedAt < HIGHLIGHT_MS;
    const value = v.error ? c.red(text) : fresh ? c.inverse(c.bold(text)) : text;
    const label = s.quality === 'VALID' ? s.label : c.bold(s.label);
    return [label, value, s.units, paintQuality(s.quality!, c), formatAge(now - s.time!)];
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

function line(runtime: CliRuntime, s: DisplaySnapshot): string {
  const c = runtime.colors;
  const v = valueText(s);
  const value = clipText(v.text, PLAIN_VALUE_WIDTH);
  const units = v.error || s.units === '' ? '' : ` ${s.units}`;
  return `${formatTime(s.time!)}  ${s.label}  ${value}${units}  ${paintQuality(s.quality!, c)}`;
}

/**
 * Creates one display controller per model (URIs, checked by the manager
 * first so an invalid name fails before anything is read); disposes the ones
 * made when a later one fails.
 */
function createDisplays(manager: Manager, models: readonly string[]): DisplayController[] {
  for (const u of models) manager.attribute(u);
  const made: DisplayController[] = [];
  try {
    for (const u of models) made.push(createDisplay(u, { manager, showUnits: false }));
  } catch (err) {
    for (const d of made) d.dispose();
    throw err;
  }
  return made;
}

/**
 * Watches `models` (attribute URIs) until Ctrl-C, `--duration` or
 * `--count`; used by `tk watch` and `tk demo`. Every display is disposed
 * before it resolves.
 */
export async function watchAttributes(
  runtime: CliRuntime,
  manager: Manager,
  models: readonly string[],
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
  const displays = createDisplays(manager, models);
  const profiler = options.stats === true ? startProfiling(manager) : undefined;
  const tty = runtime.out.isTTY === true;
  const stop = untilStopped(duration);
  const screen = tty && options.json !== true ? new LiveScreen(runtime.out) : undefined;
  const rows: Row[] = displays.map((display) => ({
    display,
    shown: display.getSnapshot(),
    key: undefined,
    changedAt: Number.NEGATIVE_INFINITY,
    printedTime: undefined,
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

  const onSnapshot = (row: Row, s: DisplaySnapshot) => {
    row.shown = s;
    if (!hasReading(s)) return;
    const key = `${s.value}\u0000${s.quality}\u0000${s.error}`;
    const changed = key !== row.key;
    if (changed) {
      row.key = key;
      row.changedAt = Date.now();
    }
    dirty = true;
    // plain lines: one per reading (a new time) or change; a change of connection alone prints nothing
    if (screen === undefined && !stop.isStopped && (changed || s.time !== row.printedTime)) {
      row.printedTime = s.time;
      const reading = row.display.attribute.reading;
      runtime.print(
        options.json === true && reading !== undefined
          ? JSON.stringify(readingJson(row.display.attribute, reading))
          : line(runtime, s),
      );
      printed++;
      if (count !== undefined && printed >= count) stop.stop();
    }
  };
  const subs: Subscription[] = rows.map((row) => {
    const snapshots =
      rate === undefined
        ? row.display.state$
        : row.display.state$.pipe(
            throttleTime(1000 / rate, asyncScheduler, { leading: true, trailing: true }),
          );
    return snapshots.subscribe((s) => onSnapshot(row, s));
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
      if (rows.every((r) => hasReading(r.shown)) && ++printed >= count) stop.stop();
    }, 100);
    void stop.stopped.then(() => clearInterval(check));
  }
  await stop.stopped;
  stopResize();
  for (const s of subs) s.unsubscribe();
  if (timer !== undefined) clearInterval(timer);
  render();
  screen?.end();
  for (const d of displays) d.dispose();
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
    .option(
      '--polling-period <ms>',
      'read attributes of polled schemes (eval without references) every ms milliseconds (default 3000)',
    )
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
  $ tk watch 'eval:rand()' --polling-period 200     # five readings a second instead of one every 3 s

Ctrl-C ends with exit code 0.`,
    )
    .action(async (uris: string[], options: WatchOptions) => {
      runtime.setPollingPeriod(parsePollingPeriod(options.pollingPeriod));
      const m = await runtime.manager();
      await watchAttributes(runtime, m, uris, options);
    });
}
