/**
 * The `tk` command: read, watch, trend, plot, write and validate model
 * names, browse the OLDB and run the demo. See docs/cli.md.
 *
 * @module
 */
import process from 'node:process';
import { main } from './main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tk: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
