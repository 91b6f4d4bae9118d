/**
 * The profiler: opt-in counters and latency histograms per attribute and per
 * scheme, fed by the core through {@link ProfilerHooks}. Install it with
 * {@link startProfiling} (or `manager.setProfiler(new Profiler())`); when no
 * profiler is installed the core only checks a field for `undefined`.
 *
 * @module
 */
import type { ProfilerHooks } from '../model/host.js';
import { LatencyHistogram } from './histogram.js';
import { ProfilerStats, type StatsRow } from './stats.js';

/** Options of a {@link Profiler}. */
export interface ProfilerOptions {
  /** Time source for the profiling window, in ms (default `performance.now`). */
  now?: () => number;
  /**
   * Most attributes tracked one by one (default 10000). Beyond that, further
   * attributes are counted together under `(other)` so memory stays bounded.
   */
  maxAttributes?: number;
}

/** The key under which attributes past {@link ProfilerOptions.maxAttributes} are counted. */
export const OTHER_ATTRIBUTES = '(other)';

class Entry {
  events = 0;
  pushes = 0;
  polls = 0;
  reads = 0;
  writes = 0;
  errors = 0;
  readonly readTime = new LatencyHistogram();
  readonly writeTime = new LatencyHistogram();
  readonly latency = new LatencyHistogram();
  constructor(
    readonly name: string,
    readonly scheme: string,
  ) {}

  mergeInto(target: Entry): void {
    target.events += this.events;
    target.pushes += this.pushes;
    target.polls += this.polls;
    target.reads += this.reads;
    target.writes += this.writes;
    target.errors += this.errors;
    target.readTime.merge(this.readTime);
    target.writeTime.merge(this.writeTime);
    target.latency.merge(this.latency);
  }

  row(kind: 'attribute' | 'scheme', seconds: number): StatsRow {
    return {
      kind,
      name: this.name,
      scheme: this.scheme,
      events: this.events,
      rate: seconds > 0 ? this.events / seconds : 0,
      pushes: this.pushes,
      polls: this.polls,
      reads: this.reads,
      writes: this.writes,
      errors: this.errors,
      read: this.readTime.summary(),
      write: this.writeTime.summary(),
      latency: this.latency.summary(),
    };
  }
}

/**
 * Collects, per attribute and per scheme: events (accepted readings, by
 * origin), errors, backend read time (the evaluation time of an `eval`
 * attribute, the round trip of a remote backend), write time and end-to-end
 * update latency (from the value's timestamp to its arrival in the core).
 *
 * @example
 * ```ts
 * const profiler = startProfiling(manager);
 * // ... run the panel ...
 * console.log(profiler.stats().sort('p99').format({ limit: 10 }));
 * profiler.stop();
 * ```
 */
export class Profiler implements ProfilerHooks {
  readonly #now: () => number;
  readonly #max: number;
  #entries = new Map<string, Entry>();
  #lastName: string | undefined;
  #last: Entry | undefined;
  #started: number;

  constructor(options: ProfilerOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#max = options.maxAttributes ?? 10_000;
    this.#started = this.#now();
  }

  #entry(name: string, scheme: string): Entry {
    // one attribute usually reports several times in a row (write, then its readings)
    if (name === this.#lastName && this.#last !== undefined) return this.#last;
    let e = this.#entries.get(name);
    if (e === undefined) {
      if (this.#entries.size >= this.#max) return this.#other(scheme);
      e = new Entry(name, scheme);
      this.#entries.set(name, e);
    }
    this.#lastName = name;
    this.#last = e;
    return e;
  }

  #other(scheme: string): Entry {
    const key = `${OTHER_ATTRIBUTES} ${scheme}`;
    let e = this.#entries.get(key);
    if (e === undefined) {
      e = new Entry(OTHER_ATTRIBUTES, scheme);
      this.#entries.set(key, e);
    }
    return e;
  }

  /** @inheritDoc */
  reading(
    name: string,
    scheme: string,
    origin: string,
    isError: boolean,
    latencyMs: number | undefined,
  ): void {
    const e = this.#entry(name, scheme);
    e.events++;
    if (origin === 'push') e.pushes++;
    else if (origin === 'poll') e.polls++;
    if (isError) e.errors++;
    if (latencyMs !== undefined) e.latency.record(latencyMs);
  }

  /** @inheritDoc */
  read(name: string, scheme: string, ms: number, _isError: boolean): void {
    const e = this.#entry(name, scheme);
    e.reads++;
    e.readTime.record(ms);
  }

  /** @inheritDoc */
  write(name: string, scheme: string, ms: number, isError: boolean): void {
    const e = this.#entry(name, scheme);
    e.writes++;
    if (isError) e.errors++;
    e.writeTime.record(ms);
  }

  /** Forgets everything collected and starts a new profiling window. */
  reset(): void {
    this.#entries = new Map();
    this.#lastName = undefined;
    this.#last = undefined;
    this.#started = this.#now();
  }

  /** Number of attributes tracked. */
  get size(): number {
    return this.#entries.size;
  }

  /** The statistics collected since the start (or the last {@link reset}). */
  stats(): ProfilerStats {
    const elapsed = Math.max(0, this.#now() - this.#started);
    const seconds = elapsed / 1000;
    const schemes = new Map<string, Entry>();
    const attributes: StatsRow[] = [];
    for (const e of this.#entries.values()) {
      attributes.push(e.row('attribute', seconds));
      let s = schemes.get(e.scheme);
      if (s === undefined) {
        s = new Entry(e.scheme, e.scheme);
        schemes.set(e.scheme, s);
      }
      e.mergeInto(s);
    }
    return new ProfilerStats(
      elapsed,
      attributes,
      [...schemes.values()].map((s) => s.row('scheme', seconds)),
    );
  }
}

/** Something a profiler can be installed in (a `Manager`). */
export interface ProfilerTarget {
  /** Installs or removes (undefined) the hooks. */
  setProfiler(hooks: ProfilerHooks | undefined): void;
}

/** A profiler installed in a manager, with a way to remove it. */
export interface InstalledProfiler extends Profiler, Disposable {
  /** Removes the profiler from the manager (the statistics stay readable). */
  stop(): void;
}

/**
 * Creates a {@link Profiler} and installs it in `manager`. `stop()` (or
 * `using`) removes it again.
 */
export function startProfiling(manager: ProfilerTarget, options: ProfilerOptions = {}): InstalledProfiler {
  const profiler = new Profiler(options) as InstalledProfiler;
  manager.setProfiler(profiler);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    manager.setProfiler(undefined);
  };
  Object.defineProperties(profiler, {
    stop: { value: stop },
    [Symbol.dispose]: { value: stop },
  });
  return profiler;
}
