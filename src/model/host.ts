/**
 * What a manager provides to the model objects it creates. Internal: the
 * public surface is the manager and the model classes.
 *
 * @module
 * @internal
 */

import type { ReleaseQueue } from '../lifetime/release-queue.js';
import type { Logger } from '../log/logger.js';
import type { PollingTimers } from '../polling/polling.js';
import type { SchemeBackend } from '../schemes/contract.js';
import type { Clock } from '../util/clock.js';
import type { SchemeValidators } from '../validators/name-validator.js';

/** One registered scheme as the models see it. */
export interface SchemeRuntime {
  /** Scheme name. */
  readonly scheme: string;
  /** Validators built for this manager. */
  readonly validators: SchemeValidators;
  /** The backend, created on first use. */
  backend(): SchemeBackend;
  /** The scheme's logger. */
  readonly log: Logger;
  /** Polling period in ms for poll-mode sources. */
  readonly pollingPeriod: number;
}

/** A model object as the manager's cache and release queue see it. */
export interface HostedModel {
  /** The canonical name. */
  readonly fullName: string;
  /** Owned by the release queue: when it will be released, or -1. */
  releaseAt: number;
  /** Owned by the factory cache: the input spellings that resolve to it. */
  cacheInputs: string | string[] | undefined;
  /** Frees backend resources. */
  release(): void;
}

/** Services of a manager for its models. */
export interface ModelHost {
  readonly clock: Clock;
  readonly releaseQueue: ReleaseQueue;
  readonly polling: PollingTimers;
  /** Throws a DISPOSED error when the manager was disposed. */
  assertOpen(what: string): void;
  /** Puts a released model back into its cache (it is being used again). */
  revive(model: HostedModel, kind: 'Attribute' | 'Device' | 'Authority'): void;
  /** Moves a model out of the live cache (after its release). */
  forget(model: HostedModel, kind: 'Attribute' | 'Device' | 'Authority'): void;
  /** The profiler hooks, or undefined when profiling is off (the common case: zero cost). */
  profiler: ProfilerHooks | undefined;
  /** Whether published readings are frozen (the manager's `freezeReadings` option). */
  readonly freezeReadings: boolean;
  /**
   * Counts the writes of the manager: every write that reached a backend
   * increments it. A kept reading taken at an older count may predate a
   * write, through this attribute or any other (another name of the same
   * point, an input of an expression): it is not served as fresh.
   */
  writeEpoch: number;
  /** The device or authority of a full name, from the same manager. */
  container(fullName: string, kind: 'Device' | 'Authority'): HostedModel;
}

/** Calls the profiler receives (see the diagnostics module). */
export interface ProfilerHooks {
  /** A reading was accepted: `origin` tells where it came from, `latencyMs` the end-to-end latency when known. */
  reading(
    name: string,
    scheme: string,
    origin: string,
    isError: boolean,
    latencyMs: number | undefined,
  ): void;
  /** A backend read finished after `ms`. */
  read(name: string, scheme: string, ms: number, isError: boolean): void;
  /** A write finished after `ms`. */
  write(name: string, scheme: string, ms: number, isError: boolean): void;
}
