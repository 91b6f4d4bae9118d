/**
 * The invariants every scheme must keep, as a suite any scheme author can run
 * with their own test framework: `schemeConformance({ describe, it, expect }, setup)`.
 *
 * @module
 */
import type { AttributeModel } from '../attribute/attribute.js';
import { Quality } from '../core/enums.js';
import type { Reading } from '../core/reading.js';
import { InvalidNameError } from '../errors/tk-error.js';
import type { Manager } from '../manager/manager.js';
import type { TestApi } from './test-api.js';
import { waitForReading } from './wait.js';

/** What the conformance suite needs to know about a scheme. */
export interface ConformanceSetup {
  /** The scheme under test. */
  readonly scheme: string;
  /** A fresh manager with the scheme registered; called for every test. Prefer `gcTime: 0`. */
  createManager(): Manager | Promise<Manager>;
  /** Cleans up after a test (the suite disposes the manager itself). */
  cleanup?(manager: Manager): void | Promise<void>;
  /** Valid attribute names that deliver a VALID reading. */
  readonly attributes: readonly string[];
  /** Groups of names that must give one and the same object. */
  readonly equivalent?: readonly (readonly string[])[];
  /** Names that are not valid attribute names. */
  readonly invalid?: readonly string[];
  /** A valid name whose readings are errors (e.g. an expression dividing by zero). */
  readonly failing?: string;
  /** For writable schemes: write `value` to `name`, then a fresh read must satisfy `check`. */
  readonly write?: {
    /** A writable attribute. */
    readonly name: string;
    /** The value to write. */
    readonly value: unknown;
    /** Whether a fresh reading after the write shows it. */
    readonly check: (reading: Reading) => boolean;
  };
  /** Bound on waiting for a reading, in ms (default 5000). */
  readonly timeout?: number;
}

/** Registers the conformance tests of a scheme with the given test functions. */
export function schemeConformance(api: TestApi, setup: ConformanceSetup): void {
  const { describe, it, expect } = api;
  const timeout = setup.timeout ?? 5000;

  const withManager = (fn: (m: Manager) => Promise<void>) => async () => {
    const m = await setup.createManager();
    try {
      await fn(m);
    } finally {
      await setup.cleanup?.(m);
      await m.dispose();
    }
  };

  describe(`scheme conformance: ${setup.scheme}`, () => {
    it(
      'full names round-trip: valid, and naming themselves',
      withManager(async (m) => {
        for (const name of setup.attributes) {
          const n = m.getNames(name, { types: ['Attribute'] });
          expect(n).not.toBeNull();
          const full = n!.fullName;
          expect(m.isValidName(full, { types: ['Attribute'], strict: true })).toBe(true);
          expect(m.getNames(full, { types: ['Attribute'] })?.fullName).toBe(full);
          expect(m.attribute(full)).toBe(m.attribute(name));
          expect(m.attribute(name).fullName).toBe(full);
        }
      }),
      timeout * 2,
    );

    it(
      'equivalent names and fragments give the same object',
      withManager(async (m) => {
        for (const group of setup.equivalent ?? []) {
          const first = m.attribute(group[0]!);
          for (const other of group) expect(m.attribute(other)).toBe(first);
        }
        for (const name of setup.attributes) {
          const a = m.attribute(name);
          const bare = name.includes('#') ? name.slice(0, name.indexOf('#')) : name;
          expect(m.attribute(`${bare}#label`)).toBe(a);
          expect(m.attribute(`${bare}#rvalue.units`)).toBe(a);
        }
      }),
      timeout * 2,
    );

    it(
      'invalid names raise an InvalidNameError naming the input',
      withManager(async (m) => {
        for (const name of setup.invalid ?? []) {
          expect(m.isValidName(name, { types: ['Attribute'] })).toBe(false);
          let err: unknown;
          try {
            m.attribute(name);
          } catch (e) {
            err = e;
          }
          expect(err instanceof Error).toBe(true);
          if (err instanceof InvalidNameError) expect(err.input).toBe(name);
        }
      }),
      timeout * 2,
    );

    it(
      'new subscribers get the latest reading at once',
      withManager(async (m) => {
        for (const name of setup.attributes) {
          const a = m.attribute(name);
          const seen: Reading[] = [];
          const s1 = a.subscribe((r) => seen.push(r));
          const first = await waitForReading(a, () => true, timeout, seen);
          expect(first.quality === Quality.INVALID).toBe(false);
          const late: Reading[] = [];
          const s2 = a.subscribe((r) => late.push(r));
          // synchronously, before any await
          expect(late.length).toBeGreaterThan(0);
          expect(late[0]).toBe(a.reading);
          s1.unsubscribe();
          s2.unsubscribe();
        }
      }),
      timeout * 2,
    );

    if (setup.failing !== undefined) {
      const failing = setup.failing;
      it(
        'errors are events: an INVALID reading with an error, and the stream goes on',
        withManager(async (m) => {
          const a = m.attribute(failing);
          const events: string[] = [];
          let completed = false;
          let errored = false;
          const sub = a.value$.subscribe({
            next: () => {},
            error: () => {
              errored = true;
            },
            complete: () => {
              completed = true;
            },
          });
          const ev = a.addListener((e) => events.push(e.type));
          const r = await waitForReading(a, (x) => x.error !== undefined, timeout);
          expect(r.quality).toBe(Quality.INVALID);
          expect(r.error?.message.length).toBeGreaterThan(0);
          expect(events).toContain('error');
          expect(completed).toBe(false);
          expect(errored).toBe(false);
          expect(sub.closed).toBe(false);
          sub.unsubscribe();
          ev.unsubscribe();
        }),
        timeout * 2,
      );
    }

    it(
      'releasing every subscriber frees every backend resource',
      withManager(async (m) => {
        const attrs: AttributeModel[] = setup.attributes.map((n) => m.attribute(n));
        const subs = attrs.map((a) => a.subscribe(() => {}));
        await Promise.all(attrs.map((a) => waitForReading(a, () => true, timeout)));
        for (const s of subs) s.unsubscribe();
        m.flush();
        const snap = m.snapshot();
        expect(snap.totals.subscribers).toBe(0);
        expect(snap.totals.openSources).toBe(0);
        expect(snap.pollingTimers.length).toBe(0);
        expect(snap.releaseTimerArmed).toBe(false);
      }),
      timeout * 2,
    );

    if (setup.write !== undefined) {
      const w = setup.write;
      it(
        'write then read gives the written value',
        withManager(async (m) => {
          const a = m.attribute(w.name);
          await a.write(w.value);
          const r = await a.read({ cache: false });
          expect(r.error).toBeUndefined();
          expect(w.check(r)).toBe(true);
        }),
        timeout * 2,
      );
    }
  });
}
