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

// A reader that went away (`tk oldb ls | head -5`, `tk watch ... | head -1`)
// ends tk quietly, as Unix tools do: no stack trace, exit 0, nothing more
// written. The error of a closed stderr is dropped as well.
const closed = (e: NodeJS.ErrnoException): boolean => e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (closed(e)) process.exit(0);
  throw e;
});
process.stderr.on('error', (e: NodeJS.ErrnoException) => {
  if (!closed(e)) throw e;
});

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
