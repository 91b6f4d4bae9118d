/**
 * Test helper: a stream of writes with `durability: 'replicated'` over a
 * few datapoints, each write a higher integer than the last, for failover
 * tests. Afterwards {@link ReplicatedStream.check} asserts that no
 * acknowledged write was lost: each datapoint holds its last acknowledged
 * value or a later one that was attempted (a write that failed may or may
 * not have taken effect), and every failure said so.
 */
import { expect } from 'vitest';
import type { OldbStore } from '../../src/oldb-store/index.js';

/** Replicated writes, round robin over `paths` (integer datapoints), until stopped. */
export class ReplicatedStream {
  readonly #store: OldbStore;
  readonly #paths: readonly string[];
  /** The last acknowledged value of each path. */
  readonly acked = new Map<string, number>();
  /** The last value sent to each path. */
  readonly attempted = new Map<string, number>();
  /** How the failed writes failed. */
  readonly failures: { code?: string; message: string }[] = [];
  #stop = false;
  #done: Promise<void> | undefined;
  #count = 0;

  constructor(store: OldbStore, paths: readonly string[]) {
    this.#store = store;
    this.#paths = paths;
  }

  /** The number of acknowledged writes so far. */
  get count(): number {
    return this.#count;
  }

  /** Starts writing. */
  start(): void {
    this.#done = (async () => {
      for (let i = 1; !this.#stop; i++) {
        const path = this.#paths[i % this.#paths.length]!;
        this.attempted.set(path, i);
        try {
          await this.#store.write(path, { value: i }, { durability: 'replicated' });
          this.acked.set(path, i);
          this.#count++;
        } catch (err) {
          const e = err as { code?: string; message: string };
          this.failures.push({ code: e.code, message: e.message });
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
  }

  /** Stops writing; resolves once the write in flight settled. */
  async stop(): Promise<void> {
    this.#stop = true;
    await this.#done;
  }

  /** Asserts that every acknowledged write is still there (or a later attempted one), read through `store`. */
  async check(store: OldbStore = this.#store): Promise<void> {
    expect(this.#count).toBeGreaterThan(0);
    for (const path of this.#paths) {
      const acked = this.acked.get(path);
      if (acked === undefined) continue;
      const value = (await store.read(path)).value as number;
      expect(value, `${path}: acknowledged ${acked}`).toBeGreaterThanOrEqual(acked);
      expect(value, `${path}: attempted up to ${this.attempted.get(path)}`).toBeLessThanOrEqual(
        this.attempted.get(path)!,
      );
    }
    for (const f of this.failures) {
      expect(['TIMEOUT', 'BACKEND_UNAVAILABLE'], f.message).toContain(f.code);
      expect(f.message).toMatch(/may or may not|nothing was sent|nothing was applied/);
    }
  }
}
