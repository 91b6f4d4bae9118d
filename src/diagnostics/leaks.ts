/**
 * Finding what a program left open: live attributes, subscribers, polling
 * timers and pending releases, from a manager's snapshot.
 *
 * @module
 */
import type { ManagerSnapshot } from '../manager/snapshot.js';

/** One thing left open. */
export interface Leak {
  /** What kind of resource. */
  readonly kind: 'attribute' | 'polling-timer' | 'pending-release' | 'release-timer';
  /** The attribute's full name, when the leak is an attribute. */
  readonly name?: string;
  /** A one-line description for people. */
  readonly message: string;
}

/**
 * What `snapshot` shows as still open. Call it after `manager.flush()`, which
 * releases every unused model at once: whatever is still live then is in use
 * (subscribed, held, or being read).
 */
export function findLeaks(snapshot: ManagerSnapshot): Leak[] {
  const leaks: Leak[] = [];
  for (const s of snapshot.schemes) {
    for (const a of s.attributes) {
      const why: string[] = [];
      if (a.subscribers > 0) why.push(`${a.subscribers} subscriber${a.subscribers === 1 ? '' : 's'}`);
      if (a.open) why.push('backend source open');
      if (why.length === 0) why.push('held (hold() handle or a read in flight)');
      leaks.push({
        kind: 'attribute',
        name: a.fullName,
        message: `attribute ${a.fullName}: ${why.join(', ')}`,
      });
    }
  }
  for (const p of snapshot.pollingTimers) {
    leaks.push({
      kind: 'polling-timer',
      message: `polling timer every ${p.period} ms with ${p.members} attribute${p.members === 1 ? '' : 's'}`,
    });
  }
  if (snapshot.pendingReleases > 0) {
    leaks.push({
      kind: 'pending-release',
      message: `${snapshot.pendingReleases} model${snapshot.pendingReleases === 1 ? '' : 's'} waiting for the release grace period`,
    });
  }
  if (snapshot.releaseTimerArmed) leaks.push({ kind: 'release-timer', message: 'release timer still armed' });
  return leaks;
}
