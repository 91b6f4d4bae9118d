/**
 * The heartbeat of one Redis connection. A server can hang with its
 * connections open (stopped by SIGSTOP, `CLIENT PAUSE`, `DEBUG SLEEP`, a
 * long script): the kernel still accepts bytes and nothing is answered. A
 * `PING` every half `timeout` notices: a PING unanswered for `timeout` ms
 * makes the connection unresponsive (within 1.5 × `timeout` of the hang);
 * the reply that finally comes makes it responsive again. The owner hears
 * of both changes.
 *
 * Used by the single-server connection (its command connection) and by the
 * cluster connection (each master's subscriber connection).
 *
 * @module
 */
import type { Clock, TimerHandle } from '../util/clock.js';

/** What a {@link Heartbeat} needs of its owner. */
export interface HeartbeatHooks {
  /** Sends a PING now; undefined when the connection is not ready (nothing is sent). */
  ping(): Promise<unknown> | undefined;
  /** The connection became unresponsive (`false`) or answers again (`true`). */
  changed(responsive: boolean): void;
}

/** Pings one connection while it is ready, and says whether it answers. */
export class Heartbeat {
  readonly #clock: Clock;
  readonly #timeout: number;
  readonly #hooks: HeartbeatHooks;
  #responsive = true;
  /** When the PING in flight was sent, if one is. */
  #pingAt: number | undefined;
  #timer: TimerHandle | undefined;
  #stopped = false;

  /** Starts at once when `timeout` > 0 (0: no heartbeat, always responsive). */
  constructor(clock: Clock, timeout: number, hooks: HeartbeatHooks) {
    this.#clock = clock;
    this.#timeout = timeout;
    this.#hooks = hooks;
    if (timeout > 0) this.#arm();
  }

  /** The time (ms) a PING may stay unanswered before the connection counts as unresponsive. */
  get timeout(): number {
    return this.#timeout;
  }

  /** Whether the connection answers (false after a PING went unanswered for the timeout). */
  get responsive(): boolean {
    return this.#responsive;
  }

  /** The connection is (again) ready: it counts as responsive, no PING is in flight. */
  ready(): void {
    this.#responsive = true;
    this.#pingAt = undefined;
  }

  /** The connection went away: the PING in flight, if any, will never be answered. */
  lost(): void {
    this.#pingAt = undefined;
  }

  /** Stops the heartbeat for good. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#stopped) return;
    this.#timer = this.#clock.setTimeout(this.#beat, Math.max(10, this.#timeout / 2));
  }

  /** One beat: a PING when none is in flight, else a check that the one in flight is not too old. */
  readonly #beat = (): void => {
    this.#timer = undefined;
    if (this.#stopped) return;
    const sent = this.#pingAt;
    if (sent === undefined) {
      const at = this.#clock.now();
      const reply = this.#hooks.ping();
      if (reply !== undefined) {
        this.#pingAt = at;
        reply.then(
          () => this.#pong(at),
          () => {
            if (this.#pingAt === at) this.#pingAt = undefined; // the connection went away: its close says so
          },
        );
      }
    } else if (this.#responsive && this.#clock.now() - sent >= this.#timeout) {
      this.#responsive = false;
      this.#hooks.changed(false);
    }
    this.#arm();
  };

  /** The reply to the PING sent at `at`: the server answers (again). */
  #pong(at: number): void {
    if (this.#pingAt !== at) return;
    this.#pingAt = undefined;
    if (this.#responsive || this.#stopped) return;
    this.#responsive = true;
    this.#hooks.changed(true);
  }
}
