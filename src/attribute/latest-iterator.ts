/**
 * An async iterator with latest-value semantics: a slow consumer sees the
 * newest value at each step, never a backlog.
 *
 * @module
 */

/** Async iterator over a push source that keeps only the newest pending value. */
export class LatestValueIterator<T> implements AsyncIterator<T>, AsyncIterable<T> {
  #pending: { value: T } | undefined;
  #waiter: ((r: IteratorResult<T>) => void) | undefined;
  #done = false;
  readonly #stop: () => void;

  /** `subscribe(push)` starts delivery and returns the function that stops it. */
  constructor(subscribe: (push: (value: T) => void) => () => void) {
    this.#stop = subscribe((value) => {
      if (this.#done) return;
      const w = this.#waiter;
      if (w !== undefined) {
        this.#waiter = undefined;
        w({ value, done: false });
      } else {
        this.#pending = { value };
      }
    });
  }

  /** The newest value not yet seen, waiting for one if needed. */
  next(): Promise<IteratorResult<T>> {
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    const p = this.#pending;
    if (p !== undefined) {
      this.#pending = undefined;
      return Promise.resolve({ value: p.value, done: false });
    }
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Stops delivery (called by `break` in `for await`). */
  return(): Promise<IteratorResult<T>> {
    if (!this.#done) {
      this.#done = true;
      this.#stop();
      const w = this.#waiter;
      this.#waiter = undefined;
      w?.({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this;
  }
}
