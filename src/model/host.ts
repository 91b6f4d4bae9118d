/**
 * What a manager provides to the model objects it creates. Internal: the
 * public surface is the manager and the model classes.
 *
 * @module
 * @internal
 */

import type { ElementType } from '../core/enums.js';
import type { LifetimeCache } from '../lifetime/lifetime.js';
import type { Logger } from '../log/logger.js';
import type { PollingTimers } from '../polling/polling.js';
import type { SchemeBackend } from '../schemes/contract.js';
import type { Clock } from '../util/clock.js';
import type { SchemeValidators } from '../validators/name-validator.js';
import type { ContainerModel } from './container-model.js';

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

/** Services of a manager for its models. */
export interface ModelHost {
  readonly clock: Clock;
  readonly polling: PollingTimers;
  /**
   * Throws a DISPOSED error when the manager was disposed, saying that
   * `what` (followed by `subject`, when given) cannot be done. The two parts
   * are joined only then: a hot path passes a name without building a text.
   */
  assertOpen(what: string, subject?: string): void;
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
  /** The element kinds, with the cache each model's lifetime reports to. */
  readonly kinds: Readonly<Record<ElementType, { readonly cache: LifetimeCache }>>;
  /** The device or authority of a full name, from the same manager. */
  container(fullName: string, type: 'Device' | 'Authority'): ContainerModel;
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
