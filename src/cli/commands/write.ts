/**
 * `tk write URI VALUE`: writes a value (with units for numeric attributes)
 * and prints what was written after conversion.
 *
 * @module
 */
import type { Command } from 'commander';
import type { AttributeModel } from '../../attribute/attribute.js';
import { DataFormat, DataType } from '../../core/enums.js';
import type { Reading } from '../../core/reading.js';
import { TimeoutError } from '../../errors/tk-error.js';
import { Quantity } from '../../units/quantity.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { clipText, colorQuality } from '../format.js';
import type { CliRuntime } from '../runtime.js';
import { PLAIN_VALUE_WIDTH, readingText } from '../value-text.js';
import { readingJson, readWithin } from './read.js';

/**
 * The value to hand to `attribute.write` for the text given on the command
 * line: numbers as numbers or quantities (`12 mm`, converted by the scheme
 * to the attribute's units), arrays as JSON, booleans `true`/`false`.
 */
export function parseWriteValue(attr: AttributeModel, text: string): unknown {
  const format = attr.dataFormat;
  const type = attr.type;
  if (format === DataFormat.Spectrum || format === DataFormat.Image || text.trim().startsWith('[')) {
    if (type === DataType.String && format === DataFormat.Scalar) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UsageError(
        `Invalid value ${JSON.stringify(text)} for ${attr.fullName}: it holds an array, write it as JSON such as '[1, 2, 3]'`,
      );
    }
  }
  if (type === DataType.Boolean) {
    const t = text.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    throw new UsageError(
      `Invalid value ${JSON.stringify(text)} for ${attr.fullName}: it is Boolean, write true or false`,
    );
  }
  if (type === DataType.Float || type === DataType.Integer) {
    // a number, or a quantity such as "12 mm" the scheme converts to the attribute's units
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (Number.isFinite(n)) return n;
    try {
      return Quantity.parse(text);
    } catch {
      return text; // the scheme says what it expects
    }
  }
  return text;
}

async function run(
  runtime: CliRuntime,
  uri: string,
  text: string,
  options: { json?: boolean },
): Promise<void> {
  const m = await runtime.manager();
  const attr = m.attribute(uri);
  const timeout = runtime.timeoutMs();
  // read first: the configuration (type, units, writable) decides how the text is parsed
  const before = await readWithin(attr, timeout);
  if (before.error !== undefined && attr.type === undefined) throw before.error;
  const value = parseWriteValue(attr, text);
  let after: Reading | undefined;
  try {
    after = await attr.write(value, { signal: AbortSignal.timeout(timeout) });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    throw new TimeoutError(
      `No answer to the write of ${JSON.stringify(text)} to ${attr.fullName} within ${timeout} ms (--timeout)`,
      { cause: e },
    );
  }
  if (after === undefined) after = await readWithin(attr, timeout);
  if (after.error !== undefined) {
    runtime.fail(after.error, ExitCode.Failure);
    return;
  }
  if (options.json === true) {
    runtime.print(JSON.stringify({ input: text, ...readingJson(attr, after) }, null, 2));
    return;
  }
  const c = runtime.colors;
  // values as tk read, tk watch and a tk-core/ui display show them
  const shown = (r: Reading) => clipText(readingText(r, attr.config), PLAIN_VALUE_WIDTH);
  const was = before.error === undefined ? ` (was ${shown(before)})` : '';
  runtime.print(
    `wrote ${attr.fullName}: ${c.bold(text)} -> ${c.bold(shown(after))} ${colorQuality(after.quality, c)}${was}`,
  );
}

/** Registers `tk write`. */
export function registerWrite(program: Command, runtime: CliRuntime): void {
  program
    .command('write')
    .description(
      'write a value (with units for numeric attributes) and print what was written after conversion',
    )
    .argument('<uri>', 'attribute name')
    .argument('<value>', "the value: '12 mm', 3.5, true, 'text', '[1,2,3]'")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tk write 'loc:/a/b?units=m' '12 mm'          # wrote ...: 12 mm -> 0.012 m
  $ tk write 'loc:/ui/on?type=bool' true
  $ tk --redis redis://oldb:6379 write cii.oldb:/root/example/double/x '12 mm'

Exit code 2 when the value is refused (wrong type, incompatible unit, out of range, read-only), 1 when the
backend cannot be reached.`,
    )
    .action((uri: string, value: string, options: { json?: boolean }) => run(runtime, uri, value, options));
}
