/**
 * `tk oldb ls|tree|get|declare|set|produce|migrate`: the OLDB browser in a terminal,
 * against Redis (`--redis URL`, `TK_OLDB_URL`) or the embedded store
 * (`--embedded`). Each subcommand is in its own file beside this one.
 *
 * @module
 */
import type { Command } from 'commander';
import type { CliRuntime } from '../../runtime.js';
import { registerDeclare } from './declare.js';
import { registerGet } from './get.js';
import { registerLs } from './ls.js';
import { registerMigrate } from './migrate.js';
import { registerProduce } from './produce.js';
import { registerSet } from './set.js';
import { STORE_HELP } from './store.js';
import { registerTree } from './tree.js';

/** Registers `tk oldb` and its subcommands. */
export function registerOldb(program: Command, runtime: CliRuntime): void {
  const oldb = program
    .command('oldb')
    .description('browse and edit the online database (OLDB): ls, tree, get, declare, set, produce, migrate')
    .addHelpText(
      'after',
      `
Examples:
  $ tk oldb tree /root
  $ tk oldb get /root/example/double/sine --watch
  $ tk oldb declare /root/demo/x double --units mm --range 0,100 --value 12
  $ tk oldb set /root/demo/x '3 cm'
  $ tk oldb produce --rate 5
${STORE_HELP}`,
    );

  registerLs(oldb, runtime);
  registerTree(oldb, runtime);
  registerGet(oldb, runtime);
  registerDeclare(oldb, runtime);
  registerSet(oldb, runtime);
  registerProduce(oldb, runtime);
  registerMigrate(oldb, runtime);
}
