/**
 * The `tk` command tree (commander): global options, the commands and
 * their help texts.
 *
 * @module
 */
import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerOldb } from './commands/oldb/command.js';
import { registerRead } from './commands/read.js';
import { registerServe } from './commands/serve.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerTrend } from './commands/trend.js';
import { registerValidate } from './commands/validate.js';
import { registerWatch } from './commands/watch.js';
import { registerWrite } from './commands/write.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { CliRuntime, GlobalOptions } from './runtime.js';
import { VERSION } from './version.js';

/** Builds the `tk` program bound to `runtime`. */
export function buildProgram(runtime: CliRuntime): Command {
  const program = new Command('tk')
    .description(
      'Read, watch, plot and write control-system attributes named by URIs (eval:, cii.oldb:, loc:)',
    )
    .version(VERSION, '-V, --version', 'print the version of tk-core')
    .option(
      '--log-level <level>',
      'library log level, logged to stderr: Trace, Debug, Info, Warning, Error, Critical or off, in any case; ' +
        'or a list such as warning,scheme.eval=trace (also: env TK_LOG_LEVEL)',
    )
    .option(
      '--redis <url>',
      'OLDB server for cii.oldb: names and tk oldb (default: env TK_OLDB_URL, else redis://127.0.0.1:6379)',
    )
    .option(
      '--embedded',
      "use this process's own in-process OLDB instead of Redis: it holds the example datapoints " +
        '(/root/example/..., kept changing while tk runs) and nothing outlives the process',
    )
    .option('--timeout <ms>', 'time limit of one read or write in ms', '5000')
    .option('--no-color', 'no colours (also: env NO_COLOR)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => runtime.out.write(s),
      writeErr: (s) => runtime.err.write(s),
      outputError: (s, write) => write(s.startsWith('error: ') ? `tk: ${s.slice(7)}` : s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ tk read 'eval:Q("12.5m")*2'
  $ tk watch 'eval:rand()' 'loc:/ui/speed?init=2.5&units=mm/s'
  $ tk write 'loc:/a/b?units=m' '12 mm'
  $ tk validate 'cii.oldb:/root/example/double/sine#rvalue.units'
  $ tk watch 'cii.oldb:/root/example/double/sine' --embedded     # no Redis needed
  $ tk demo
  $ tk --log-level trace read 'eval:1+1'

${EXIT_CODES_HELP}

Environment: TK_LOG_LEVEL (e.g. warning,scheme.eval=trace), TK_OLDB_URL, TK_OLDB=embedded, NO_COLOR.`,
    );
  program.hook('preAction', () => {
    runtime.configure(program.opts<GlobalOptions>());
  });
  for (const register of [
    registerRead,
    registerWatch,
    registerTrend,
    registerWrite,
    registerValidate,
    registerOldb,
    registerDemo,
    registerSnapshot,
    registerServe,
  ]) {
    register(program, runtime);
  }
  for (const c of program.commands) inheritSettings(c, runtime);
  return program;
}

function inheritSettings(c: Command, runtime: CliRuntime): void {
  c.exitOverride();
  c.showSuggestionAfterError(true);
  c.configureOutput({
    writeOut: (s) => runtime.out.write(s),
    writeErr: (s) => runtime.err.write(s),
    outputError: (s, write) => write(s.startsWith('error: ') ? `tk: ${s.slice(7)}` : s),
  });
  for (const sub of c.commands) inheritSettings(sub, runtime);
}
