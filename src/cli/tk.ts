/**
 * The `tk` command: read, watch, trend, plot, write and validate model
 * names, browse the OLDB and run the demo. See docs/cli.md.
 *
 * @module
 */
import process from 'node:process';
import { getLogger } from '../log/logger.js';
import { main } from './main.js';

/** How long the process may linger after the command finished and the manager was disposed. */
const LINGER_MS = 500;

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Everything was disposed: the process should end by itself now. If a
    // library handle keeps it alive, say which (at debug level) and end anyway.
    setTimeout(() => {
      const log = getLogger('cli');
      log.debug(
        () => `still open ${LINGER_MS} ms after dispose: ${process.getActiveResourcesInfo().join(', ')}`,
      );
      process.exit(code);
    }, LINGER_MS).unref();
  },
  (err: unknown) => {
    process.stderr.write(`tk: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
