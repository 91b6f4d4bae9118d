/**
 * Cancellation helpers around `AbortSignal`.
 *
 * @module
 */
import { AbortError, TimeoutError } from '../errors/tk-error.js';

/**
 * Settles like `promise`, or rejects with an {@link AbortError} naming `what`
 * as soon as `signal` aborts (the underlying work may still finish; its result is dropped).
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortErrorFor(signal, what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortErrorFor(signal, what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortErrorFor(signal: AbortSignal, what: string): Error {
  const reason = signal.reason as { name?: string } | undefined;
  if (reason?.name === 'TimeoutError') return new TimeoutError(`${what} timed out`, { cause: signal.reason });
  return new AbortError(`${what} was aborted`, { cause: signal.reason });
}
