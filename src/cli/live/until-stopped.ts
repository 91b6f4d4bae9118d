/**
 * How long-running commands (`watch`, `trend`, `plot`, `demo`, `oldb produce`)
 * end: on Ctrl-C (SIGINT) or SIGTERM, after `--duration`, or when the
 * command says it is done. Keeps the process alive meanwhile.
 *
 * @module
 */
import process from 'node:process';
import { UsageError } from '../exit-codes.js';

/** A stop condition; `stopped` resolves with the reason once, and every handle is released. */
export interface StopSignal {
  /** Resolves when the command should end. */
  readonly stopped: Promise<'signal' | 'duration' | 'done'>;
  /** Ends the wait (`done`). */
  stop(): void;
  /** Whether it ended. */
  readonly isStopped: boolean;
}

/** Parses a `--duration` in seconds. */
export function parseSeconds(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`Invalid ${option} ${JSON.stringify(text)}: expected a positive number of seconds`);
  return n;
}

/** Parses a positive number option (`--rate`, `--count`, `--width`...). */
export function parsePositive(text: string | undefined, option: string, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `Invalid ${option} ${JSON.stringify(text)}: expected a positive ${integer ? 'integer' : 'number'}`,
    );
  }
  return n;
}

/** The smallest `--polling-period` taken, in ms. */
export const MIN_POLLING_PERIOD_MS = 1;

/**
 * Parses `--polling-period <ms>`: how often attributes of poll-based schemes
 * (`eval:rand()`) are read, from {@link MIN_POLLING_PERIOD_MS} ms (default:
 * the manager's, 3000 ms as in Taurus).
 */
export function parsePollingPeriod(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < MIN_POLLING_PERIOD_MS) {
    throw new UsageError(
      `Invalid --polling-period ${JSON.stringify(text)}: expected a number of milliseconds from ${MIN_POLLING_PERIOD_MS}, e.g. --polling-period 500 (default 3000)`,
    );
  }
  return n;
}

/** Waits for Ctrl-C, SIGTERM, `durationSeconds`, or {@link StopSignal.stop}. */
export function untilStopped(durationSeconds?: number): StopSignal {
  let resolve!: (r: 'signal' | 'duration' | 'done') => void;
  const stopped = new Promise<'signal' | 'duration' | 'done'>((r) => (resolve = r));
  let done = false;
  const keepAlive = setInterval(() => {}, 1 << 30);
  const timer =
    durationSeconds === undefined ? undefined : setTimeout(() => finish('duration'), durationSeconds * 1000);
  const onSignal = () => finish('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  function finish(reason: 'signal' | 'duration' | 'done'): void {
    if (done) return;
    done = true;
    clearInterval(keepAlive);
    if (timer !== undefined) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    resolve(reason);
  }
  return {
    stopped,
    stop: () => finish('done'),
    get isStopped() {
      return done;
    },
  };
}

/** Calls `onResize` when the terminal behind `out` is resized; returns a function that stops. */
export function onTerminalResize(out: unknown, onResize: () => void): () => void {
  const stream = out as { on?: (e: string, f: () => void) => void; off?: (e: string, f: () => void) => void };
  if (typeof stream.on !== 'function' || typeof stream.off !== 'function') return () => {};
  stream.on('resize', onResize);
  return () => stream.off!('resize', onResize);
}
