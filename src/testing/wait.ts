/**
 * Waiting for events in tests without sleeping: resolve on the event itself,
 * bounded by a timeout that fails with a clear message.
 *
 * @module
 */
import type { AttributeModel } from '../attribute/attribute.js';
import type { Reading } from '../core/reading.js';
import { TimeoutError } from '../errors/tk-error.js';

/**
 * Resolves with the first reading of `attr` (the current one included) that
 * satisfies `predicate`; rejects with a TimeoutError after `timeoutMs`.
 * When `seen` is given, readings already collected there are checked first.
 */
export function waitForReading(
  attr: AttributeModel,
  predicate: (r: Reading) => boolean,
  timeoutMs = 5000,
  seen?: readonly Reading[],
): Promise<Reading> {
  for (const r of seen ?? []) if (predicate(r)) return Promise.resolve(r);
  return new Promise<Reading>((resolve, reject) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sub: { unsubscribe(): void } | undefined;
    const finish = (r: Reading) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      queueMicrotask(() => sub?.unsubscribe());
      resolve(r);
    };
    sub = attr.subscribe((r) => {
      if (predicate(r)) finish(r);
    });
    if (done) {
      sub.unsubscribe();
      return;
    }
    timer = setTimeout(() => {
      if (done) return;
      done = true;
      sub?.unsubscribe();
      const last = attr.reading;
      reject(
        new TimeoutError(
          `No matching reading of ${attr.fullName} within ${timeoutMs} ms (last: ${last === undefined ? 'none' : `${String(last.rvalue)} ${last.quality}${last.error ? ` ${last.error.message}` : ''}`})`,
        ),
      );
    }, timeoutMs);
  });
}
