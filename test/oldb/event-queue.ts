/**
 * Test helper: collects events pushed by a callback and lets a test wait for
 * the next one matching a predicate, with a bounded timeout (no sleeps).
 */
export class EventQueue<T> {
  readonly all: T[] = [];
  #waiters: { pred: (e: T) => boolean; resolve: (e: T) => void; from: number }[] = [];
  #cursor = 0;

  /** The callback to hand to the producer of events. */
  readonly push = (e: T): void => {
    this.all.push(e);
    for (const w of [...this.#waiters]) {
      const idx = this.#find(w.pred, w.from);
      if (idx >= 0) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        this.#cursor = idx + 1;
        w.resolve(this.all[idx]!);
      }
    }
  };

  #find(pred: (e: T) => boolean, from: number): number {
    for (let i = from; i < this.all.length; i++) if (pred(this.all[i]!)) return i;
    return -1;
  }

  /** Waits for the next event after the last one returned that matches `pred`. */
  next(pred: (e: T) => boolean = () => true, timeoutMs = 5000, what = 'an event'): Promise<T> {
    const idx = this.#find(pred, this.#cursor);
    if (idx >= 0) {
      this.#cursor = idx + 1;
      return Promise.resolve(this.all[idx]!);
    }
    return new Promise<T>((resolve, reject) => {
      const w = {
        pred,
        from: this.#cursor,
        resolve: (e: T) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        reject(
          new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; saw ${this.all.length} events`),
        );
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  /** Events after the last one returned by `next`. */
  get rest(): T[] {
    return this.all.slice(this.#cursor);
  }
}
