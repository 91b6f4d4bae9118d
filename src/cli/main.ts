/**
 * Runs `tk` with arguments: parses them, runs the command, maps errors to
 * one line on stderr and an exit code, and disposes the manager.
 *
 * @module
 */
import { CommanderError } from 'commander';
import { ExitCode, exitCodeOf } from './exit-codes.js';
import { buildProgram } from './program.js';
import { CliRuntime, type TextOut } from './runtime.js';

/** Runs `tk` with `argv` (as `process.argv`: node, script, arguments...); resolves with the exit code. */
export async function main(argv: readonly string[], out?: TextOut, err?: TextOut): Promise<number> {
  const runtime = new CliRuntime(out, err);
  const program = buildProgram(runtime);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander printed its message already. Help asked for and the version are not errors; help shown
      // because no command was given (commander.help) is a usage error.
      const asked = e.code === 'commander.help' && argv.slice(2).includes('help'); // `tk help read`
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || asked;
      runtime.raise(ok ? ExitCode.Ok : ExitCode.Usage);
    } else {
      runtime.fail(e, exitCodeOf(e));
    }
  } finally {
    try {
      await runtime.close();
    } catch (e) {
      runtime.fail(e, ExitCode.Failure);
    }
  }
  return runtime.exitCode;
}
