/**
 * `tk trend URI` (a numeric scalar over time) and `tk plot URI` (a 1-D
 * array): charts drawn in the terminal, from tk-core/ui's trend and plot
 * controllers (M4 decimation: each column's minimum and maximum are kept) and
 * a display controller for the header (see {@link ChartView}).
 *
 * @module
 */
import type { Command } from 'commander';
import { ExitCode, exitCodeOf } from '../exit-codes.js';
import { ChartView } from '../live/chart-view.js';
import { LiveScreen } from '../live/screen.js';
import {
  onTerminalResize,
  parsePollingPeriod,
  parsePositive,
  parseSeconds,
  untilStopped,
} from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';

interface ChartCommandOptions {
  height?: string;
  width?: string;
  rate?: string;
  duration?: string;
  count?: string;
  once?: boolean;
  pollingPeriod?: string;
  window?: string;
}

async function runChart(
  runtime: CliRuntime,
  uri: string,
  options: ChartCommandOptions,
  kind: 'trend' | 'plot',
): Promise<void> {
  const tty = runtime.out.isTTY === true;
  const width = parsePositive(options.width, '--width', true) ?? runtime.out.columns ?? 80;
  const height =
    parsePositive(options.height, '--height', true) ??
    (tty ? Math.max(5, Math.min(20, (runtime.out.rows ?? 24) - 4)) : 10);
  const rate = parsePositive(options.rate, '--rate') ?? 4;
  const count = parsePositive(options.count, '--count', true);
  const duration = parseSeconds(options.duration, '--duration');
  const window = parseSeconds(options.window, '--window');
  runtime.setPollingPeriod(parsePollingPeriod(options.pollingPeriod));
  const once =
    options.once === true || (kind === 'plot' && !tty && count === undefined && duration === undefined);
  const manager = await runtime.manager();
  const view = new ChartView(kind, uri, {
    manager,
    window: window === undefined ? undefined : window * 1000,
  });
  const lines = () => view.lines({ width, height, colors: runtime.colors });

  const stop = untilStopped(duration);
  const screen = tty && !once ? new LiveScreen(runtime.out) : undefined;
  // redraws at most `rate` times a second: at once when the last one is old enough, else when it is
  let drawnAt = Number.NEGATIVE_INFINITY;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const draw = () => {
    pending = undefined;
    drawnAt = Date.now();
    screen?.render(lines());
  };
  const redraw = () => {
    if (screen === undefined || pending !== undefined) return;
    const wait = drawnAt + 1000 / rate - Date.now();
    if (wait <= 0) draw();
    else pending = setTimeout(draw, wait);
  };
  let wrongType: string | undefined;
  const check = () => {
    if (stop.isStopped) return;
    wrongType = view.wrongType;
    const reading = view.display.attribute.reading;
    // not a terminal: an error ends the run (a terminal keeps showing it until the value comes back)
    if (wrongType !== undefined || (reading?.error !== undefined && screen === undefined)) {
      stop.stop();
      return;
    }
    redraw();
    const taken = view.taken;
    if ((once && taken > 0 && reading?.error === undefined) || (count !== undefined && taken >= count)) {
      stop.stop();
    }
  };
  const stopListening = view.subscribe(check);
  check();
  const stopResize = onTerminalResize(runtime.out, () => {
    screen?.reset();
    draw();
  });
  await stop.stopped;
  stopResize();
  stopListening();
  if (pending !== undefined) clearTimeout(pending);
  const error = view.display.attribute.reading?.error;
  if (wrongType === undefined && error === undefined) {
    if (screen !== undefined) draw();
    else for (const l of lines()) runtime.print(l);
  }
  screen?.end();
  view.dispose();
  if (wrongType !== undefined) runtime.fail(wrongType, ExitCode.Usage);
  else if (error !== undefined) runtime.fail(error, exitCodeOf(error));
}

const COMMON_HELP = `
  --width/--height size the chart (default: the terminal); --rate throttles redraws (default 4 per second).
  Each column of the chart shows the minimum and maximum of the points it covers (M4 decimation, as
  tk-core/ui's createTrend and createPlot give them to a web page), so a single peak keeps its height.
  On a terminal the chart is redrawn in place until Ctrl-C (exit code 0), --duration or --count.`;

/** Registers `tk trend` and `tk plot`. */
export function registerTrend(program: Command, runtime: CliRuntime): void {
  for (const kind of ['trend', 'plot'] as const) {
    const command = program
      .command(kind)
      .description(
        kind === 'trend'
          ? 'chart a numeric scalar attribute over time in the terminal'
          : 'chart a 1-D numeric array attribute (e.g. eval:rand(256)) in the terminal',
      )
      .argument('<uri>', 'attribute name')
      .option('--height <rows>', 'rows of the chart')
      .option('--width <columns>', 'columns of the chart, labels included')
      .option('--rate <hz>', 'at most this many redraws per second', '4')
      .option('--duration <seconds>', 'end after this many seconds')
      .option('--count <n>', 'end after n readings')
      .option('--once', 'draw one chart and end')
      .option(
        '--polling-period <ms>',
        'read attributes of polled schemes (eval without references) every ms milliseconds (default 3000)',
      )
      .addHelpText(
        'after',
        kind === 'trend'
          ? `
Examples:
  $ tk trend 'eval:rand()'
  $ tk trend cii.oldb:/root/example/double/sine --height 12
  $ tk trend 'eval:rand()' --count 40 | cat      # not a terminal: one chart at the end
  $ tk trend 'eval:rand()' --polling-period 100 --window 30   # ten readings a second, the last 30 s
${COMMON_HELP}`
          : `
Examples:
  $ tk plot 'eval:rand(256)'
  $ tk plot 'loc:/demo/wave?init=[0,1,4,9,16,25]' --once
  When standard output is not a terminal, one chart of the first reading is printed.
${COMMON_HELP}`,
      )
      .action((uri: string, options: ChartCommandOptions) => runChart(runtime, uri, options, kind));
    if (kind === 'trend') {
      command.option('--window <seconds>', 'time span shown (default: everything since the start)');
    }
  }
}
