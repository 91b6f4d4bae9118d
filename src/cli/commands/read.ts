/**
 * `tk read URI...`: one reading of each attribute.
 *
 * @module
 */
import type { Command } from 'commander';
import type { AttributeModel } from '../../attribute/attribute.js';
import type { Reading } from '../../core/reading.js';
import { formatTable } from '../../diagnostics/table.js';
import { TimeoutError } from '../../errors/tk-error.js';
import { type CompiledFragment, compileFragment } from '../../fragments/resolve-fragment.js';
import type { Manager } from '../../manager/manager.js';
import { cliWording } from '../cli-wording.js';
import { exitCodeOf } from '../exit-codes.js';
import { clipText, colorQuality, formatFragmentValue, formatTime, unitsOf, visibleWidth } from '../format.js';
import type { CliRuntime } from '../runtime.js';
import { PLAIN_VALUE_WIDTH, readingText } from '../value-text.js';
import { jsonValue } from './json.js';

/** Fragments whose value is a pair of limits in the attribute's configured units. */
const LIMIT_FRAGMENTS: ReadonlySet<string> = new Set(['range', 'alarms', 'warnings', 'alarm', 'warning']);
/** Fragments whose value is a time in ms since the epoch (shown and given as ISO time). */
const TIME_FRAGMENTS: ReadonlySet<string> = new Set(['time', 'rvalue.timestamp']);

/** The fragment of `uri` (`#range`, `#rvalue.units`) compiled for its scheme, or undefined when it has none. */
export function fragmentOf(m: Manager, uri: string, attr: AttributeModel): CompiledFragment | undefined {
  const fragment = m.getNames(uri, { types: ['Attribute'] })?.fragment;
  if (fragment === undefined || fragment === '') return undefined;
  return compileFragment(fragment, m.getBackend(attr.scheme).fragments ?? {});
}

/** A fragment's value and units as `tk read` shows them. */
export function fragmentReading(
  attr: AttributeModel,
  compiled: CompiledFragment,
  r: Reading,
): { value: unknown; units: string } {
  const v = compiled.apply({ names: attr.names, config: attr.config, reading: r });
  if (TIME_FRAGMENTS.has(compiled.key) && compiled.key === compiled.fragment && typeof v === 'number')
    return { value: formatTime(v), units: '' };
  if (LIMIT_FRAGMENTS.has(compiled.key)) return { value: v, units: attr.config.units };
  return { value: v, units: unitsOf(v) };
}

interface ReadOptions {
  json?: boolean;
}

/** One reading as `--json` prints it; with a fragment, `value` and `units` are the fragment's. */
export function readingJson(
  attr: AttributeModel,
  r: Reading,
  compiled?: CompiledFragment,
): Record<string, unknown> {
  const f = compiled === undefined ? undefined : fragmentReading(attr, compiled, r);
  return {
    name: attr.fullName,
    label: attr.label,
    ...(compiled !== undefined ? { fragment: compiled.fragment } : {}),
    value:
      f !== undefined ? (jsonValue(f.value) ?? null) : r.error !== undefined ? null : jsonValue(r.rvalue),
    units: f !== undefined ? f.units : unitsOf(r.rvalue),
    quality: r.quality,
    time: formatTime(r.time),
    ...(r.error !== undefined ? { error: { code: r.error.code, message: cliWording(r.error.message) } } : {}),
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
  const fragments = uris.map((u, i) => fragmentOf(m, u, attrs[i]!)); // and unknown fragments
  const timeout = runtime.timeoutMs();
  const readings = await Promise.all(attrs.map((a) => readWithin(a, timeout)));
  // every error also as one line on stderr, for people and for scripts that only look there
  for (const r of readings) if (r.error !== undefined) runtime.fail(r.error, exitCodeOf(r.error));
  if (options.json === true) {
    runtime.print(
      JSON.stringify(
        attrs.map((a, i) => readingJson(a, readings[i]!, fragments[i])),
        null,
        2,
      ),
    );
    return;
  }
  const c = runtime.colors;
  const rows = attrs.map((a, i) => {
    const r = readings[i]!;
    const f = fragments[i];
    if (f !== undefined) {
      const { value, units } = fragmentReading(a, f, r);
      const text = formatFragmentValue(value);
      return [
        `${a.label}#${f.fragment}`,
        units === '' || value === undefined ? text : `${text} ${units}`,
        colorQuality(r.quality, c),
        formatTime(r.time),
      ];
    }
    // the value as tk watch and a tk-core/ui display show it (Taurus's text, the attribute's format, units)
    // (an error whole, in CLI words; a long value cut)
    const text = readingText(r, a.config);
    const value = r.error !== undefined ? c.red(cliWording(text)) : clipText(text, PLAIN_VALUE_WIDTH);
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
    .description(
      'read each attribute once: label, value with units, quality, time; with a #fragment, that fragment',
    )
    .argument('<uri...>', 'attribute names')
    .option(
      '--json',
      'print JSON (an array with name, label, fragment, value, units, quality, time as ISO text, error)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ tk read 'eval:Q("12.5m")*2'
  $ tk read 'loc:/ui/speed?init=2.5&units=mm/s' 'eval:rand(4)' --json
  $ tk --redis redis://oldb:6379 read cii.oldb:/root/example/double/sine
  $ tk read 'cii.oldb:/root/example/double/sine#range' 'eval:Q("3m")#rvalue.units'

Fragments: name, fullname, label, description, writable, type, data_format, units, range, alarms,
warnings, format, rvalue, wvalue, time, quality, error, rvalue.units, rvalue.magnitude, and steps such
as rvalue[0:2], range.low.

Exit code 1 when a reading carries an error (e.g. backend unreachable), 2 for an invalid name or an
unknown fragment.`,
    )
    .action((uris: string[], options: ReadOptions) => run(runtime, uris, options));
}
