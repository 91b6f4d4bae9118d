/**
 * Asking a Redis Cluster for its slot map again while the store's sharded
 * subscribers are not where the slots are: a master that died until the
 * cluster promotes its replica, a master that hangs, a slot that moved, a
 * subscription that failed. The cluster says nothing to its clients when
 * it promotes a replica, so the store asks (`CLUSTER SLOTS`, through the
 * ioredis client) on a short back-off: 50, 100, 200, then every 250 ms for
 * the first 10 s of an outage, so a promotion is seen within about 250 ms
 * of when it happens; then backing off to every 2 s, so a long outage
 * costs a client one question every 2 s.
 *
 * @module
 */
import type { Cluster } from 'ioredis';
import type { Clock, TimerHandle } from '../util/clock.js';

/** The first delay (ms), after a trouble is noticed. */
const FIRST_DELAY = 50;
/** The longest delay (ms) in the first {@link FAST_WINDOW} ms of an outage. */
const FAST_DELAY = 250;
/** How long (ms) an outage is followed at {@link FAST_DELAY}. */
const FAST_WINDOW = 10_000;
/** The longest delay (ms) afterwards. */
const SLOW_DELAY = 2000;

/** What a {@link SlotRefresh} needs of its owner. */
export interface SlotRefreshHooks {
  /** The cluster client, once started. */
  cluster(): Cluster | undefined;
  /** Whether the store is closed. */
  closed(): boolean;
  /** The slot map was asked again (successfully or not): the owner puts things where the slots are. */
  refreshed(): void;
  /** Whether something is still not where the slots are (then the slots are asked again). */
  pending(): boolean;
}

/** Asks a cluster for its slots again, on a back-off, while something is pending. */
export class SlotRefresh {
  readonly #clock: Clock;
  readonly #hooks: SlotRefreshHooks;
  #timer: TimerHandle | undefined;
  #delay = FIRST_DELAY;
  /** When the current outage was first noticed (ms), while one lasts. */
  #since: number | undefined;

  /** Asks through `hooks.cluster()`, waiting with `clock`. */
  constructor(clock: Clock, hooks: SlotRefreshHooks) {
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Asks the slots again after `delay` ms (by default the current back-off), unless a question is already due. */
  schedule(delay?: number): void {
    if (this.#timer !== undefined || this.#hooks.closed()) return;
    this.#since ??= this.#clock.now();
    this.#timer = this.#clock.setTimeout(this.#ask, delay ?? this.#delay);
  }

  /** Stops asking (the store closes). */
  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  readonly #ask = (): void => {
    this.#timer = undefined;
    const cluster = this.#hooks.cluster();
    if (cluster === undefined || this.#hooks.closed()) return;
    cluster.refreshSlotsCache(() => {
      if (this.#hooks.closed()) return;
      this.#hooks.refreshed();
      if (!this.#hooks.pending()) {
        this.#delay = FIRST_DELAY;
        this.#since = undefined;
        return;
      }
      const fast = this.#since !== undefined && this.#clock.now() - this.#since < FAST_WINDOW;
      this.#delay = Math.min(this.#delay * 2, fast ? FAST_DELAY : SLOW_DELAY);
      this.schedule();
    });
  };
}
