/**
 * A minimal listener list with copy-on-write iteration: listeners may add or
 * remove listeners (including themselves) while being called. One throwing
 * listener never stops the others.
 *
 * @module
 */

/** A list of callbacks of one argument. */
export class Listeners<T> {
  #list: readonly ((value: T) => void)[] = [];
  /** Reports a listener's exception; the default rethrows asynchronously so it is not lost. */
  onListenerError: (err: unknown) => void = (err) => {
    queueMicrotask(() => {
      throw err;
    });
  };

  /** Number of listeners. */
  get size(): number {
    return this.#list.length;
  }

  /** Adds `fn`; returns a function that removes it (idempotent). */
  add(fn: (value: T) => void): () => void {
    this.#list = [...this.#list, fn];
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const i = this.#list.indexOf(fn);
      if (i >= 0) this.#list = [...this.#list.slice(0, i), ...this.#list.slice(i + 1)];
    };
  }

  /** Calls every listener with `value`. */
  emit(value: T): void {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!(value);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#list = [];
  }
}
