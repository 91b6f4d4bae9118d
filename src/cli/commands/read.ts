/**
 * `tk read URI...`: one reading of each attribute.
 *
 * @module
 */
import type { Command } from 'commander';
import type { AttributeModel } from '../../attribute/attribute.js';
import type { Reading } from '../../attribute/reading.js';
import { formatTable } from '../../diagnostics/table.js';
import { TimeoutError } from '../../errors/tk-error.js';
import { exitCodeOf } from '../exit-codes.js';
import { colorQuality, formatReadingValue, formatTime, unitsOf, visibleWidth } from '../format.js';
import type { CliRuntime } from '../runtime.js';
import { jsonValue } from './json.js';

interface ReadOptions {
  json?: boolean;
}

/** One reading as `--json` prints it. */
export function readingJson(attr: AttributeModel, r: Reading): Record<string, unknown> {
  return {
    name: attr.fullName,
    label: attr.label,
    value: r.error !== undefined ? null : jsonValue(r.rvalue),
    units: unitsOf(r.rvalue),
    quality: r.quality,
    time: formatTime(r.time),
    ...(r.error !== undefined ? { error: { code: r.error.code, message: r.error.message } } : {}),
  };
}

/** One uncached reading within `ms`; a timeout says how the attribute's connection stands. */
export async function readWithin(attr: AttributeModel, ms: number): Promise<Reading> {
  try {
    return await attr.read({ cache: false, signal: AbortSignal.timeout(ms) });
  } catch (e) {
    if (e instanceof TimeoutError) {
      throw new TimeoutError(
        `No reading of ${attr.fullName} within ${ms} ms (--timeout)${attr.connectionState === 'idle' ? '' : `; its connection is ${attr.connectionState}`}`,
        { cause: e },
      );
    }
    throw e;
  }
}

async function run(runtime: CliRuntime, uris: string[], options: ReadOptions): Promise<void> {
  const m = await runtime.manager();
  const attrs = uris.map((u) => m.attribute(u)); // invalid names fail here, before any I/O
  const timeout = runtime.timeoutMs();
  const readings = await Promise.all(attrs.map((a) => readWithin(a, timeout)));
  // every error also as one line on stderr, for people and for scripts that only look there
  for (const r of readings) if (r.error !== undefined) runtime.fail(r.error, exitCodeOf(r.error));
  if (options.json === true) {
    runtime.print(
      JSON.stringify(
        attrs.map((a, i) => readingJson(a, readings[i]!)),
        null,
        2,
      ),
    );
    return;
  }
  const c = runtime.colors;
  const rows = attrs.map((a, i) => {
    const r = readings[i]!;
    const value = r.error !== undefined ? c.red(formatReadingValue(r)) : formatReadingValue(r);
    return [a.label, value, colorQuality(r.quality, c), formatTime(r.time)];
  });
  const lines = formatTable(
    [{ header: 'label' }, { header: 'value' }, { header: 'quality' }, { header: 'time' }],
    rows,
    { width: visibleWidth },
  );
  lines[0] = c.dim(lines[0]!);
  for (const l of lines) runtime.print(l);
}

/** Registers `tk read`. */
export function registerRead(program: Command, runtime: CliRuntime): void {
  program
    .command('read')
    .description('read each attribute once: label, value with units, quality, time')
    .argument('<uri...>', 'attribute names')
    .option('--json', 'print JSON (an array with name, label, value, units, quality, time, error)')
    .addHelpText(
      'after',
      `
Examples:
  $ tk read 'eval:Q("12.5m")*2'
  $ tk read 'loc:/ui/speed?init=2.5&units=mm/s' 'eval:rand(4)' --json
  $ tk --redis redis://oldb:6379 read cii.oldb:/root/example/double/sine

Exit code 1 when a reading carries an error (e.g. backend unreachable), 2 for an invalid name.`,
    )
    .action((uris: string[], options: ReadOptions) => run(runtime, uris, options));
}
