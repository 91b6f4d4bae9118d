/**
 * The client's side of the heartbeat: a ping every `interval` ms while the
 * link is up; with no message at all within `timeout` ms of a ping, the
 * link is judged dead. Any message from the gateway counts as an answer.
 * Browser-safe.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../util/clock.js';
import type { GatewayClientOptions } from './client-options.js';

/** What the heartbeat does to the link. */
export interface HeartbeatLink<S> {
  /** Sends a ping; returns the socket it went to, or undefined when the link is not up (no ping sent). */
  ping(): S | undefined;
  /** No answer within the time limit after a ping on `socket`. */
  dead(socket: S, why: string): void;
}

/** The heartbeat of one client's link. */
export class Heartbeat<S> {
  readonly #clock: Clock;
  readonly #options: GatewayClientOptions['heartbeat'];
  readonly #link: HeartbeatLink<S>;
  #pingTimer: TimerHandle | undefined;
  #pongTimer: TimerHandle | undefined;

  constructor(clock: Clock, options: GatewayClientOptions['heartbeat'], link: HeartbeatLink<S>) {
    this.#clock = clock;
    this.#options = options;
    this.#link = link;
  }

  /** Schedules the next ping (again after each one). */
  start(): void {
    this.#pingTimer?.cancel();
    const interval = this.#options?.interval ?? 15_000;
    this.#pingTimer = this.#clock.setTimeout(() => {
      this.#pingTimer = undefined;
      const socket = this.#link.ping();
      if (socket === undefined) return;
      const timeout = this.#options?.timeout ?? 10_000;
      this.#pongTimer ??= this.#clock.setTimeout(
        () => this.#link.dead(socket, `no answer to a heartbeat within ${timeout} ms`),
        timeout,
      );
      this.start();
    }, interval);
  }

  /** Any message proves the link is alive. */
  heard(): void {
    if (this.#pongTimer === undefined) return;
    this.#pongTimer.cancel();
    this.#pongTimer = undefined;
  }

  /** Stops pinging and waiting. */
  stop(): void {
    this.#pingTimer?.cancel();
    this.#pongTimer?.cancel();
    this.#pingTimer = this.#pongTimer = undefined;
  }
}
