/**
 * `tk oldb declare`: declares a datapoint with its type, metadata and
 * initial value.
 *
 * @module
 */
import type { Command } from 'commander';
import type { OldbIfExists, OldbMetadata } from '../../../oldb-store/types.js';
import { isOldbType } from '../../../oldb-store/values.js';
import { UsageError } from '../../exit-codes.js';
import type { CliRuntime } from '../../runtime.js';
import { jsonText } from '../json.js';
import { parseLimits, parseOldbValue } from '../oldb-values.js';
import { valueText } from './display.js';
import { STORE_HELP, withStore } from './store.js';

/** The options of `tk oldb declare`. */
interface DeclareOpts {
  value?: string;
  units?: string;
  label?: string;
  description?: string;
  range?: string;
  alarms?: string;
  warnings?: string;
  format?: string;
  readOnly?: boolean;
  ifExists?: string;
  json?: boolean;
}

/** Registers `tk oldb declare`. */
export function registerDeclare(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('declare')
    .description('declare a datapoint with its type, metadata and initial value')
    .argument('<path>', 'a datapoint path')
    .argument('<type>', 'double, integer, boolean, string, or one of them with [] for arrays')
    .option('--value <value>', 'initial value (JSON for arrays)')
    .option('--units <units>', 'units of numeric values (pint spelling: mm, V, degC, kg*m/s^2)')
    .option('--label <text>', 'short label')
    .option('--description <text>', 'description')
    .option('--range <low,high>', 'display and write range (either side may be empty)')
    .option('--alarms <low,high>', 'alarm limits')
    .option('--warnings <low,high>', 'warning limits')
    .option('--format <printf>', 'display format hint, e.g. %6.3f')
    .option('--read-only', 'refuse writes through tk-core')
    .option('--if-exists <what>', 'error, keep or replace', 'error')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb declare /root/demo/x double --units mm --range 0,100 --value 12\n  $ tk oldb declare /root/demo/wave 'double[]' --value '[1,2,3]'\n${STORE_HELP}`,
    )
    .action((path: string, type: string, o: DeclareOpts) =>
      withStore(runtime, async (s) => {
        if (!isOldbType(type)) {
          throw new UsageError(
            `Invalid OLDB type ${JSON.stringify(type)}: expected double, integer, boolean, string or one of them with []`,
          );
        }
        const ifExists = o.ifExists ?? 'error';
        if (!['error', 'keep', 'replace'].includes(ifExists)) {
          throw new UsageError(
            `Invalid --if-exists ${JSON.stringify(ifExists)}: expected error, keep or replace`,
          );
        }
        const metadata: OldbMetadata = {
          ...(o.units !== undefined ? { units: o.units } : {}),
          ...(o.label !== undefined ? { label: o.label } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          ...(o.range !== undefined ? { range: parseLimits(o.range, '--range') } : {}),
          ...(o.alarms !== undefined ? { alarms: parseLimits(o.alarms, '--alarms') } : {}),
          ...(o.warnings !== undefined ? { warnings: parseLimits(o.warnings, '--warnings') } : {}),
          ...(o.format !== undefined ? { format: o.format } : {}),
          ...(o.readOnly === true ? { writable: false } : {}),
        };
        const value = o.value === undefined ? undefined : parseOldbValue(path, type, metadata, o.value);
        const snap = await s.declare(
          path,
          { type, metadata, ...(value !== undefined ? { value } : {}) },
          { ifExists: ifExists as OldbIfExists },
        );
        if (o.json === true) runtime.print(jsonText(snap));
        else runtime.print(`declared ${snap.path}: ${snap.type} = ${valueText(snap)} in ${s.description}`);
      }),
    );
}
