/**
 * An opt-in dump of a manager's live state when the process receives a
 * signal (`kill -USR2 <pid>`), the counterpart of a fault handler's dump.
 *
 * @module
 */
import process from 'node:process';
import { formatSnapshot } from '../diagnostics/snapshot-format.js';
import type { ManagerSnapshot } from '../manager/snapshot.js';

/** Options of {@link installSnapshotSignal}. */
export interface SnapshotSignalOptions {
  /** Where the dump goes (default: standard error). */
  readonly write?: (text: string) => void;
  /** Dump JSON instead of text (default false). */
  readonly json?: boolean;
}

/** What {@link installSnapshotSignal} needs of a manager. */
export interface SnapshotSource {
  /** The live state. */
  snapshot(): ManagerSnapshot;
}

/**
 * On every `signal` (default `SIGUSR2`), writes `formatSnapshot(manager.snapshot())`
 * to standard error (or `options.write`). The listener does not keep the
 * process alive. Returns a function that removes it.
 *
 * @example
 * ```ts
 * import { installSnapshotSignal } from 'tk-core/node';
 * const uninstall = installSnapshotSignal(manager);   // then: kill -USR2 <pid>
 * ```
 */
export function installSnapshotSignal(
  manager: SnapshotSource,
  signal: NodeJS.Signals = 'SIGUSR2',
  options: SnapshotSignalOptions = {},
): () => void {
  const write =
    options.write ?? ((text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`));
  const onSignal = () => {
    try {
      const snap = manager.snapshot();
      write(options.json === true ? JSON.stringify(snap, null, 2) : formatSnapshot(snap));
    } catch (err) {
      write(`tk-core snapshot failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  process.on(signal, onSignal);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    process.off(signal, onSignal);
  };
}
