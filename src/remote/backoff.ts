/**
 * The delays between reconnection attempts: exponential, capped, with
 * jitter, so that the clients of a gateway that restarts do not all come
 * back in the same millisecond (the DLS cs-web-lib client waits a fixed
 * 500 ms; pvws clients do not come back at all). Browser-safe.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** How a client waits between reconnection attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 500). */
  readonly initialDelay?: number;
  /** Longest delay, in ms (default 15,000). */
  readonly maxDelay?: number;
  /** Each failed attempt multiplies the delay by this (default 2). */
  readonly factor?: number;
  /**
   * Share of the delay drawn at random, 0 to 1 (default 0.5): the delay is
   * uniform in `[d × (1 − jitter), d]`.
   */
  readonly jitter?: number;
  /** Uniform random numbers in `[0, 1)` (default `Math.random`; seed one for tests). */
  readonly random?: () => number;
}

/** Defaults of {@link BackoffOptions}. */
export const DEFAULT_BACKOFF = {
  /** The first delay, in ms. */
  initialDelay: 500,
  /** No delay is longer, in ms. */
  maxDelay: 15_000,
  /** Each delay is this many times the one before. */
  factor: 2,
  /** The share of a delay taken off at random (0: none, 1: any of it). */
  jitter: 0.5,
} as const;

/**
 * The delay before retry number `attempt` (0 for the first retry after a
 * connection was lost or refused).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelay ?? DEFAULT_BACKOFF.initialDelay;
  const max = options.maxDelay ?? DEFAULT_BACKOFF.maxDelay;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  const jitter = options.jitter ?? DEFAULT_BACKOFF.jitter;
  const random = options.random ?? Math.random;
  // factor^attempt overflows to Infinity for large attempts: min() caps it
  const base = Math.min(max, initial * factor ** Math.max(0, attempt));
  const r = random();
  const u = r >= 0 && r < 1 ? r : 0;
  return base * (1 - jitter * u);
}

/** Checks backoff options; throws a `CONFIG` TkError naming the option and what would be valid. */
export function checkBackoffOptions(options: BackoffOptions | undefined): void {
  if (options === undefined) return;
  const positive = (key: 'initialDelay' | 'maxDelay' | 'factor', min: number) => {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= min))
      throw new TkError('CONFIG', `reconnect.${key} must be a finite number ≥ ${min}, not ${String(v)}`, {
        details: { option: `reconnect.${key}` },
      });
  };
  positive('initialDelay', 0);
  positive('maxDelay', 0);
  positive('factor', 1);
  const j = options.jitter;
  if (j !== undefined && !(typeof j === 'number' && j >= 0 && j <= 1))
    throw new TkError('CONFIG', `reconnect.jitter must be a number from 0 to 1, not ${String(j)}`, {
      details: { option: 'reconnect.jitter' },
    });
  if (options.random !== undefined && typeof options.random !== 'function')
    throw new TkError('CONFIG', 'reconnect.random must be a function returning numbers in [0, 1)', {
      details: { option: 'reconnect.random' },
    });
}
