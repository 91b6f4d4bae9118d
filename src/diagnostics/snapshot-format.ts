/**
 * Printing a manager's snapshot for people: totals, each scheme's live
 * attributes (subscribers, open source, connection, quality, value), polling
 * timers, pending releases and eval dependency edges.
 *
 * @module
 */
import type { ManagerSnapshot } from '../manager/snapshot.js';
import { formatTable } from './table.js';

/** Options of {@link formatSnapshot}. */
export interface SnapshotFormatOptions {
  /** Longest value shown before it is cut (default 40 characters). */
  readonly valueWidth?: number;
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(1, width - 3))}...` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeBackend(b: Record<string, unknown> | undefined): string {
  if (b === undefined) return 'backend not created';
  try {
    return `backend ${JSON.stringify(b)}`;
  } catch {
    return 'backend (not describable)';
  }
}

/**
 * The snapshot as text, e.g. for `tk snapshot`, a signal dump or a failing
 * test's message.
 *
 * @example
 * ```ts
 * console.error(formatSnapshot(manager.snapshot()));
 * ```
 */
export function formatSnapshot(snapshot: ManagerSnapshot, options: SnapshotFormatOptions = {}): string {
  const width = options.valueWidth ?? 40;
  const t = snapshot.totals;
  const timers = snapshot.pollingTimers;
  const lines: string[] = [
    `tk-core snapshot at ${new Date(snapshot.time).toISOString()} (gcTime ${snapshot.gcTime} ms)`,
    `totals: ${plural(t.attributes, 'attribute')}, ${plural(t.subscribers, 'subscriber')}, ${plural(t.openSources, 'open source')}, ` +
      `${plural(timers.length, 'polling timer')}, ${plural(snapshot.pendingReleases, 'pending release')}` +
      `${snapshot.releaseTimerArmed ? ' (release timer armed)' : ''}, ${snapshot.releasedStillReferenced} released but still referenced`,
  ];
  for (const s of snapshot.schemes) {
    lines.push('', `scheme ${s.scheme}: ${describeBackend(s.backend)}`);
    if (s.attributes.length > 0) {
      const rows = s.attributes.map((a) => [
        a.fullName,
        String(a.subscribers),
        a.open ? 'yes' : 'no',
        a.connection,
        a.quality ?? '-',
        cut(a.error !== undefined ? `error: ${a.error}` : (a.value ?? '-'), width),
      ]);
      const table = formatTable(
        [
          { header: 'attribute' },
          { header: 'subs', align: 'right' },
          { header: 'open' },
          { header: 'connection' },
          { header: 'quality' },
          { header: 'value' },
        ],
        rows,
      );
      lines.push(...table.map((l) => `  ${l}`));
    } else {
      lines.push('  no live attributes');
    }
    if (s.devices.length > 0) lines.push(`  devices: ${s.devices.join(', ')}`);
    if (s.authorities.length > 0) lines.push(`  authorities: ${s.authorities.join(', ')}`);
  }
  if (timers.length > 0) {
    lines.push('', 'polling timers:');
    for (const p of timers) lines.push(`  every ${p.period} ms: ${plural(p.members, 'attribute')}`);
  }
  if (snapshot.edges.length > 0) {
    lines.push('', 'dependencies (input -> dependent):');
    for (const e of snapshot.edges) lines.push(`  ${e.from} -> ${e.to}`);
  }
  return lines.join('\n');
}
