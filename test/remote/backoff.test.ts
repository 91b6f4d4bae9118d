/** Reconnection delays: exponential, capped, jittered within their share, deterministic with a seeded random. */
import fc from 'fast-check';
import { backoffDelay, DEFAULT_BACKOFF } from 'tk-core/remote';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/schemes/eval/sandbox/random.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, without jitter', () => {
    const o = { initialDelay: 100, maxDelay: 1000, factor: 2, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 100, 5000].map((n) => backoffDelay(n, o))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000, 1000,
    ]);
  });

  it('stays within [d × (1 − jitter), d] for any attempt, random and options', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        fc.integer({ min: 1, max: 5_000 }),
        (attempt, jitter, r, initial) => {
          const o = { initialDelay: initial, maxDelay: 30_000, factor: 2, jitter, random: () => r };
          const d = Math.min(30_000, initial * 2 ** attempt);
          const got = backoffDelay(attempt, o);
          return got <= d + 1e-9 && got >= d * (1 - jitter) - 1e-9 && Number.isFinite(got);
        },
      ),
    );
  });

  it('spreads clients that lost the same gateway (seeded: the same figures every run)', () => {
    const random = createSeededRandom(42);
    const delays = Array.from({ length: 100 }, () => backoffDelay(0, { random }));
    const lo = DEFAULT_BACKOFF.initialDelay * (1 - DEFAULT_BACKOFF.jitter);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...delays)).toBeLessThanOrEqual(DEFAULT_BACKOFF.initialDelay);
    expect(new Set(delays.map((d) => Math.round(d / 10))).size).toBeGreaterThan(10);
    // a random source out of range never makes a delay out of range
    expect(backoffDelay(0, { random: () => 7 })).toBe(DEFAULT_BACKOFF.initialDelay);
  });
});
