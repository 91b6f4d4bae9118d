/**
 * `tk trend URI` (a numeric scalar over time) and `tk plot URI` (a 1-D
 * array): charts drawn in the terminal.
 *
 * @module
 */
import type { Command } from 'commander';
import { asyncScheduler, throttleTime } from 'rxjs';
import type { AttributeModel } from '../../attribute/attribute.js';
import type { Reading } from '../../attribute/reading.js';
import { Quantity } from '../../units/quantity.js';
import { ExitCode, exitCodeOf } from '../exit-codes.js';
import { colorQuality, formatMagnitudeOf, unitsOf } from '../format.js';
import { drawChart, LABEL_WIDTH } from '../live/chart.js';
import { LiveScreen } from '../live/screen.js';
import { onTerminalResize, parsePositive, parseSeconds, untilStopped } from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';

interface ChartCommandOptions {
  height?: string;
  width?: string;
  rate?: string;
  duration?: string;
  count?: string;
  once?: boolean;
}

function scalarOf(r: Reading): number | undefined {
  const v = Quantity.isQuantity(r.rvalue) ? r.rvalue.magnitude : r.rvalue;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function arrayOf(r: Reading): number[] | undefined {
  const v = Quantity.isQuantity(r.rvalue) ? r.rvalue.magnitude : r.rvalue;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}

function header(runtime: CliRuntime, attr: AttributeModel, r: Reading | undefined, extra: string): string {
  const c = runtime.colors;
  if (r === undefined) return `${c.bold(attr.label)}  ${c.dim('(waiting)')}`;
  if (r.error !== undefined)
    return `${c.bold(attr.label)}  ${c.red(`error: ${r.error.message}`)}  ${colorQuality(r.quality, c)}`;
  const units = unitsOf(r.rvalue);
  return `${c.bold(attr.label)}  ${formatMagnitudeOf(r.rvalue)}${units ? ` ${units}` : ''}  ${colorQuality(r.quality, c)}  ${c.dim(extra)}`;
}

async function runChart(
  runtime: CliRuntime,
  uri: string,
  options: ChartCommandOptions,
  kind: 'trend' | 'plot',
): Promise<void> {
  const attr = (await runtime.manager()).attribute(uri);
  const tty = runtime.out.isTTY === true;
  const columns = parsePositive(options.width, '--width', true) ?? runtime.out.columns ?? 80;
  const height =
    parsePositive(options.height, '--height', true) ??
    (tty ? Math.max(5, Math.min(20, (runtime.out.rows ?? 24) - 4)) : 10);
  const rate = parsePositive(options.rate, '--rate') ?? 4;
  const count = parsePositive(options.count, '--count', true);
  const duration = parseSeconds(options.duration, '--duration');
  const once =
    options.once === true || (kind === 'plot' && !tty && count === undefined && duration === undefined);
  const capacity = Math.max(2, columns - LABEL_WIDTH);
  const history: number[] = [];
  let latest: Reading | undefined;
  let samples = 0;
  let wrongType: string | undefined;

  const lines = (): string[] => {
    let values: number[] = [];
    let extra = '';
    if (kind === 'trend') {
      values = history;
      if (values.length > 0)
        extra = `min ${Math.min(...values).toPrecision(4)}  max ${Math.max(...values).toPrecision(4)}  ${values.length} samples`;
    } else if (latest !== undefined) {
      values = arrayOf(latest) ?? [];
      extra = `${values.length} points`;
    }
    return [
      header(runtime, attr, latest, extra),
      ...drawChart(values, { width: columns, height, color: runtime.colors.isColorSupported }),
    ];
  };

  const stop = untilStopped(duration);
  const screen = tty && !once ? new LiveScreen(runtime.out) : undefined;
  const sub = attr.value$
    .pipe(throttleTime(1000 / rate, asyncScheduler, { leading: true, trailing: true }))
    .subscribe((r) => {
      latest = r;
      if (r.error === undefined) {
        if (kind === 'trend') {
          const x = scalarOf(r);
          if (x === undefined)
            wrongType = `${attr.fullName} is not a numeric scalar (${formatMagnitudeOf(r.rvalue)}): use tk plot for arrays, tk watch for other values`;
          else {
            history.push(x);
            if (history.length > capacity) history.shift();
          }
        } else if (arrayOf(r) === undefined) {
          wrongType = `${attr.fullName} is not a 1-D numeric array (${formatMagnitudeOf(r.rvalue)}): use tk trend for numeric scalars`;
        }
      }
      if (wrongType !== undefined || (r.error !== undefined && screen === undefined)) {
        // not a terminal: an error ends the run (a terminal keeps showing it until the value comes back)
        stop.stop();
        return;
      }
      samples++;
      screen?.render(lines());
      if ((once && r.error === undefined) || (count !== undefined && samples >= count)) stop.stop();
    });
  const stopResize = onTerminalResize(runtime.out, () => {
    screen?.reset();
    screen?.render(lines());
  });
  await stop.stopped;
  stopResize();
  sub.unsubscribe();
  screen?.end();
  if (wrongType !== undefined) {
    runtime.fail(wrongType, ExitCode.Usage);
    return;
  }
  if (latest?.error !== undefined) {
    runtime.fail(latest.error, exitCodeOf(latest.error));
    return;
  }
  if (screen === undefined) for (const l of lines()) runtime.print(l);
}

const COMMON_HELP = `
  --width/--height size the chart (default: the terminal); --rate throttles redraws (default 4 per second).
  On a terminal the chart is redrawn in place until Ctrl-C (exit code 0), --duration or --count.`;

/** Registers `tk trend` and `tk plot`. */
export function registerTrend(program: Command, runtime: CliRuntime): void {
  for (const kind of ['trend', 'plot'] as const) {
    program
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
      .addHelpText(
        'after',
        kind === 'trend'
          ? `
Examples:
  $ tk trend 'eval:rand()'
  $ tk trend cii.oldb:/root/example/double/sine --height 12
  $ tk trend 'eval:rand()' --count 40 | cat      # not a terminal: one chart at the end
${COMMON_HELP}`
          : `
Examples:
  $ tk plot 'eval:rand(256)'
  $ tk plot 'loc:/wave?init=[0,1,4,9,16,25]' --once
  When standard output is not a terminal, one chart of the first reading is printed.
${COMMON_HELP}`,
      )
      .action((uri: string, options: ChartCommandOptions) => runChart(runtime, uri, options, kind));
  }
}
