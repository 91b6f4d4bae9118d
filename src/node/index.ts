/**
 * `tk-core/node`: Node-only helpers. Never imported by the browser-safe
 * main entry.
 *
 * @packageDocumentation
 */
export { installSnapshotSignal, type SnapshotSignalOptions } from './snapshot-signal.js';
