/**
 * Leak checks for test suites: assert that everything a test opened was
 * released. Works with any test framework (it throws a plain `Error`).
 *
 * @module
 */
import { findLeaks, type Leak } from '../diagnostics/leaks.js';
import { formatSnapshot } from '../diagnostics/snapshot-format.js';
import type { ManagerSnapshot } from '../manager/snapshot.js';

/** What {@link expectNoLeaks} needs of a manager. */
export interface LeakCheckTarget {
  /** Releases every unused model now. */
  flush(): void;
  /** The live state. */
  snapshot(): ManagerSnapshot;
}

/** Options of {@link expectNoLeaks}. */
export interface LeakCheckOptions {
  /** Append the whole snapshot to the failure message (default false). */
  readonly includeSnapshot?: boolean;
}

/** Thrown by {@link expectNoLeaks}; `leaks` lists what was left open. */
export class LeakError extends Error {
  /** What was left open. */
  readonly leaks: readonly Leak[];
  constructor(message: string, leaks: readonly Leak[]) {
    super(message);
    this.name = 'LeakError';
    this.leaks = leaks;
  }
}

/**
 * Flushes the release queue of `manager` (so the grace period does not
 * matter), then throws a {@link LeakError} listing every attribute still
 * open or subscribed, every polling timer and every pending release.
 *
 * @example
 * ```ts
 * afterEach(() => expectNoLeaks(manager));
 * ```
 */
export function expectNoLeaks(manager: LeakCheckTarget, options: LeakCheckOptions = {}): void {
  manager.flush();
  const snapshot = manager.snapshot();
  const leaks = findLeaks(snapshot);
  if (leaks.length === 0) return;
  const lines = [
    `Expected no leaks, found ${leaks.length}:`,
    ...leaks.map((l) => `  - ${l.message}`),
    'Unsubscribe every subscription (value$, events$, subscribe, addListener), end async iterations and dispose hold() handles.',
  ];
  if (options.includeSnapshot === true) lines.push('', formatSnapshot(snapshot));
  throw new LeakError(lines.join('\n'), leaks);
}

/** Same as {@link expectNoLeaks}. */
export const assertNoLeaks: typeof expectNoLeaks = expectNoLeaks;
