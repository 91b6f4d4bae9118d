/**
 * What the watch registry (`watch-registry.ts`) keeps of one watched
 * datapoint: its listeners, the state they were given, and where its sync
 * and rechecks stand.
 *
 * @module
 */
import type { RawNotification } from './notification.js';
import type { OldbEvent, OldbSnapshot } from './types.js';

/** A watcher of a datapoint. */
export type Listener = (event: OldbEvent) => void;

/** The bookkeeping of one watched datapoint (see `watch-registry.ts` for the protocol). */
export interface Entry {
  /** The datapoint. */
  readonly path: string;
  /** Its listeners. */
  readonly listeners: Set<Listener>;
  /** Listeners that still wait for their first snapshot. */
  readonly fresh: Set<Listener>;
  /** `pending` while a sync is in flight, `ready` with a snapshot, `missing` when not declared or unreadable. */
  state: 'pending' | 'ready' | 'missing';
  /** The state delivered to the listeners, when there is one. */
  snapshot: OldbSnapshot | undefined;
  /** Notifications received while a sync is in flight. */
  buffer: RawNotification[];
  /** Whether a sync ever completed (later ones are resyncs). */
  synced: boolean;
  /** The token of the sync in flight: only the newest sync's read may complete it. */
  token: number;
  /** Why the last sync found no snapshot, when that was not "not declared". */
  error: Error | undefined;
  /** The counter of the last notification received on the channel (they arrive in counter order). */
  lastSeen: number | undefined;
  /** Whether the sync in flight is a recheck (not a first sync or a resync after a reconnect). */
  checking: boolean;
  /** Whether another recheck must follow the sync in flight (a regression was seen during it). */
  again: boolean;
  /** Whether a recheck has confirmed the state since the last full sync. */
  verified: boolean;
}

/** The entry of datapoint `path`, just watched: no listener yet, its first sync to come. */
export function newEntry(path: string): Entry {
  return {
    path,
    listeners: new Set(),
    fresh: new Set(),
    state: 'pending',
    snapshot: undefined,
    buffer: [],
    synced: false,
    token: 0,
    error: undefined,
    lastSeen: undefined,
    checking: false,
    again: false,
    verified: false,
  };
}
