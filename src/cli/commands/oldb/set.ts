/**
 * `tk oldb set`: writes a datapoint's value (numbers may carry units,
 * converted to the datapoint's).
 *
 * @module
 */
import type { Command } from 'commander';
import { UsageError } from '../../exit-codes.js';
import { clipText } from '../../format.js';
import type { CliRuntime } from '../../runtime.js';
import { oldbTextOptions, PLAIN_VALUE_WIDTH, valueWithUnits } from '../../value-text.js';
import { jsonText } from '../json.js';
import { parseOldbValue } from '../oldb-values.js';
import { valueText } from './display.js';
import { readDatapoint, STORE_HELP, withStore } from './store.js';

/** Registers `tk oldb set`. */
export function registerSet(oldb: Command, runtime: CliRuntime): void {
  oldb
    .command('set')
    .description("write a datapoint's value (numbers may carry units, converted to the datapoint's)")
    .argument('<path>', 'a datapoint path')
    .argument('<value>', "the value: 12.5, '3 cm', true, text, '[1,2,3]'")
    .option('--quality <q>', 'OK, SUSPECT or BAD', 'OK')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb set /root/demo/x '3 cm'\n  $ tk oldb set /root/demo/x 12 --quality SUSPECT\n${STORE_HELP}`,
    )
    .action((path: string, text: string, o: { quality: string; json?: boolean }) =>
      withStore(runtime, async (s) => {
        const q = o.quality.toUpperCase();
        if (q !== 'OK' && q !== 'SUSPECT' && q !== 'BAD') {
          throw new UsageError(`Invalid --quality ${JSON.stringify(o.quality)}: expected OK, SUSPECT or BAD`);
        }
        const current = await readDatapoint(s, path);
        const value = parseOldbValue(path, current.type, current.metadata, text);
        const res = await s.write(path, { value, quality: q });
        if (o.json === true) runtime.print(jsonText(res));
        else {
          const after = valueWithUnits(res.value, oldbTextOptions(current.type, current.metadata));
          runtime.print(
            `set ${res.path}: ${text} -> ${clipText(after, PLAIN_VALUE_WIDTH)} ${res.quality} (was ${valueText(current)})`,
          );
        }
      }),
    );
}
