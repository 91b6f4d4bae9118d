/**
 * The state of an attribute in use: its backend source, latest reading,
 * users and listeners. An attribute creates it on first use, so the many
 * objects of a large cache that were never used stay small (and cheap for the
 * garbage collector, which copies every surviving object).
 *
 * @module
 */
import { ConnectionState } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import type { AttributeSource } from '../schemes/contract.js';
import type { Listeners } from '../util/listeners.js';
import type { TkEvent } from './events.js';

/** What an attribute holds once it is used: its source, latest reading, users and listeners. */
export class AttributeState {
  source: AttributeSource | undefined = undefined;
  reading: Reading | undefined = undefined;
  readAt = Number.NEGATIVE_INFINITY;
  /** The manager's write count when the kept reading was taken (see `ModelHost.writeEpoch`). */
  readEpoch = -1;
  users = 0;
  watchers = 0;
  live = false;
  connection: ConnectionState = ConnectionState.Idle;
  inflight: Promise<Reading> | undefined = undefined;
  /** The manager's write count when the read in flight started: a read after a later write does not join it. */
  inflightEpoch = -1;
  emitted = 0;
  accepted = 0;
  onReading: Listeners<Reading> | undefined = undefined;
  onEvent: Listeners<TkEvent> | undefined = undefined;
  onConnection: Listeners<ConnectionState> | undefined = undefined;
}
