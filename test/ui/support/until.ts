/** Waiting on a controller's snapshots without sleeping: resolves on the snapshot itself. */
import type { ExternalStore } from 'tk-core/ui';

/** Resolves with the first snapshot of `store` (the current one included) that satisfies `predicate`. */
export function untilSnapshot<S>(
  store: ExternalStore<S>,
  predicate: (s: S) => boolean,
  timeoutMs = 5000,
): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    let done = false;
    let stop: (() => void) | undefined;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      stop?.();
      reject(
        new Error(
          `no matching snapshot within ${timeoutMs} ms; last: ${JSON.stringify(store.getSnapshot())}`,
        ),
      );
    }, timeoutMs);
    stop = store.subscribe((s) => {
      if (done || !predicate(s)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => stop?.());
      resolve(s);
    });
    if (done) stop();
  });
}
