/**
 * The example OLDB of the seed document (section 8) as a producer: declares
 * its datapoints and keeps them changing, against any {@link OldbStore}.
 *
 * ```ts
 * const store = createEmbeddedStore();
 * const producer = await startExampleProducer(store, { rate: 10 });
 * // ... cii.oldb:/root/example/double/sine changes 10 times a second
 * await producer.stop();
 * ```
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import { getLogger } from '../log/logger.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { isValidNodePath } from './path.js';
import type { OldbMetadata, OldbQuality, OldbStore, OldbType, OldbValue } from './types.js';

/** A change of the producer's state, as reported (once per change, not per write). */
export type ExampleProducerReport =
  | {
      /** Writes fail: the first failing round, or the reason changed. */
      readonly state: 'failing';
      /** Writes that failed in this round. */
      readonly failed: number;
      /** Writes of the round. */
      readonly total: number;
      /** The error of the first failed write (its message names the store and the reason). */
      readonly error: Error;
      /** The text reported by default. */
      readonly message: string;
    }
  | {
      /** Writes work again. */
      readonly state: 'working';
      /** Writes that failed while failing. */
      readonly failedWrites: number;
      /** How long they failed, in ms. */
      readonly forMs: number;
      /** The text reported by default. */
      readonly message: string;
    }
  | {
      /** Datapoints missing from the store (it came back empty, or they were removed) were declared again. */
      readonly state: 'redeclared';
      /** Their paths. */
      readonly paths: readonly string[];
      /** The text reported by default. */
      readonly message: string;
    };

/** Options of {@link startExampleProducer}. */
export interface ExampleProducerOptions {
  /** Updates per second (default 10, at most 1000). */
  readonly rate?: number | undefined;
  /**
   * The node the example datapoints live under: `/root/example` by default
   * (the seed's), any node path otherwise (`/elt/example` gives
   * `/elt/example/double/sine`, ...).
   */
  readonly under?: string | undefined;
  /** The clock driving the updates (default: the system clock). */
  readonly clock?: Clock | undefined;
  /**
   * Where changes of state go (writes failing, working again, datapoints
   * declared again): by default one line on standard error (`console.error`)
   * per change; `false`: nowhere but the log.
   */
  readonly report?: ((report: ExampleProducerReport) => void) | false | undefined;
}

function defaultReport(r: ExampleProducerReport): void {
  console.error(r.message);
}

/** A running producer. */
export interface ExampleProducer {
  /** The datapoint paths it updates. */
  readonly paths: readonly string[];
  /** Number of completed update rounds. */
  readonly ticks: number;
  /** Whether it still updates (it stops by itself when its store is closed). */
  readonly running: boolean;
  /** Stops updating (the datapoints stay); resolves when the last round has finished. */
  stop(): Promise<void>;
}

/** The OLDB quality of the `*quality` datapoints: BAD beyond 0.9 in magnitude, SUSPECT beyond 0.8, OK otherwise. */
export function exampleQuality(x: number): OldbQuality {
  const a = Math.abs(x);
  return a > 0.9 ? 'BAD' : a > 0.8 ? 'SUSPECT' : 'OK';
}

/** Period of the sine-like datapoints, in seconds. */
export const EXAMPLE_PERIOD_S = 10;

/** Period of `/root/example/boolean/switch`, in ms. */
export const SWITCH_PERIOD_MS = 3000;

interface Point {
  readonly path: string;
  readonly type: OldbType;
  readonly metadata: OldbMetadata;
  /** The value at time `t` (ms) and tick `n`; undefined: no write this tick. */
  readonly at: (t: number, n: number) => { value: OldbValue; quality?: OldbQuality } | undefined;
}

/** The node the seed's example datapoints live under. */
export const EXAMPLE_NODE = '/root/example';

const wave = (f: (x: number) => number) => (t: number) => f((2 * Math.PI * t) / (EXAMPLE_PERIOD_S * 1000));
const ro = (label: string, description: string, units = '', extra: OldbMetadata = {}): OldbMetadata => ({
  label,
  description,
  units,
  range: [-1, 1],
  format: '%6.3f',
  writable: false,
  ...extra,
});

function points(rate: number, under: string): Point[] {
  const D = `${under}/double/`;
  const sin = wave(Math.sin);
  const cos = wave(Math.cos);
  const limits = { alarms: [-0.7, 0.7] as const };
  const step = 1 / rate;
  return [
    {
      path: `${D}sine`,
      type: 'double',
      metadata: ro('Sine', `sin(2πt/${EXAMPLE_PERIOD_S} s)`, 'V'),
      at: (t) => ({ value: sin(t) }),
    },
    {
      path: `${D}cosine`,
      type: 'double',
      metadata: ro('Cosine', `cos(2πt/${EXAMPLE_PERIOD_S} s)`, 'V'),
      at: (t) => ({ value: cos(t) }),
    },
    {
      path: `${D}tan`,
      type: 'double',
      metadata: { ...ro('Tangent', `tan(2πt/${EXAMPLE_PERIOD_S} s), clipped to ±100`), range: [-100, 100] },
      at: (t) => ({ value: Math.max(-100, Math.min(100, wave(Math.tan)(t))) }),
    },
    {
      path: `${D}bigincrement`,
      type: 'double',
      metadata: {
        label: 'Big increment',
        description: 'Grows by 10 per second',
        units: 'counts',
        writable: false,
        format: '%.1f',
      },
      at: (_t, n) => ({ value: 10 * step * n }),
    },
    {
      path: `${D}smallincrement`,
      type: 'double',
      metadata: {
        label: 'Small increment',
        description: 'Grows by 0.1 per second',
        units: 'counts',
        writable: false,
        format: '%.2f',
      },
      at: (_t, n) => ({ value: Math.round(0.1 * step * n * 1e9) / 1e9 }),
    },
    {
      path: `${D}bigdecrement`,
      type: 'double',
      metadata: {
        label: 'Big decrement',
        description: 'Falls by 10 per second',
        units: 'counts',
        writable: false,
        format: '%.1f',
      },
      at: (_t, n) => ({ value: -10 * step * n }),
    },
    {
      path: `${D}smalldecrement`,
      type: 'double',
      metadata: {
        label: 'Small decrement',
        description: 'Falls by 0.1 per second',
        units: 'counts',
        writable: false,
        format: '%.2f',
      },
      at: (_t, n) => ({ value: -Math.round(0.1 * step * n * 1e9) / 1e9 }),
    },
    {
      path: `${D}sinelimits`,
      type: 'double',
      metadata: ro('Sine with limits', 'Sine; alarm limits at ±0.7', 'V', limits),
      at: (t) => ({ value: sin(t) }),
    },
    {
      path: `${D}cosinelimits`,
      type: 'double',
      metadata: ro('Cosine with limits', 'Cosine; alarm limits at ±0.7', 'V', limits),
      at: (t) => ({ value: cos(t) }),
    },
    {
      path: `${D}sinequality`,
      type: 'double',
      metadata: ro('Sine with quality', 'Sine; quality BAD beyond ±0.9, SUSPECT beyond ±0.8', 'V'),
      at: (t) => ({ value: sin(t), quality: exampleQuality(sin(t)) }),
    },
    {
      path: `${D}cosinequality`,
      type: 'double',
      metadata: ro('Cosine with quality', 'Cosine; quality BAD beyond ±0.9, SUSPECT beyond ±0.8', 'V'),
      at: (t) => ({ value: cos(t), quality: exampleQuality(cos(t)) }),
    },
    {
      path: `${under}/string/timestamp`,
      type: 'string',
      metadata: { label: 'Timestamp', description: 'The current time (ISO 8601); writable', writable: true },
      at: (t) => ({ value: new Date(t).toISOString() }),
    },
    {
      path: `${under}/boolean/switch`,
      type: 'boolean',
      metadata: {
        label: 'Switch',
        description: `Toggles every ${SWITCH_PERIOD_MS / 1000} s`,
        writable: false,
      },
      at: (t) => ({ value: Math.floor(t / SWITCH_PERIOD_MS) % 2 === 1 }),
    },
  ];
}

/**
 * Declares the example datapoints (replacing the metadata of existing ones
 * of the same type) and updates them `rate` times a second until stopped.
 */
export async function startExampleProducer(
  store: OldbStore,
  options: ExampleProducerOptions = {},
): Promise<ExampleProducer> {
  const rate = options.rate ?? 10;
  if (typeof rate !== 'number' || !(rate > 0) || rate > 1000) {
    throw new TkError(
      'CONFIG',
      `Invalid example producer rate ${String(rate)}: expected updates per second in (0, 1000]`,
    );
  }
  const clock = options.clock ?? systemClock;
  const report = options.report === false ? () => {} : (options.report ?? defaultReport);
  const log = getLogger('oldb.producer');
  const under = options.under ?? EXAMPLE_NODE;
  if (typeof under !== 'string' || under === '/' || !isValidNodePath(under)) {
    throw new TkError(
      'CONFIG',
      `Invalid example producer node ${JSON.stringify(String(under)).slice(0, 120)}: expected a node path such as "/root/example" or "/elt/example"`,
    );
  }
  const pts = points(rate, under);
  const declare = (p: Point, t: number, n: number) => {
    const v = p.at(t, n) ?? p.at(t, 0)!;
    return store.declare(
      p.path,
      { type: p.type, metadata: p.metadata, value: v.value, quality: v.quality ?? 'OK', timestamp: t },
      { ifExists: 'replace' },
    );
  };
  const t0 = clock.now();
  await Promise.all(pts.map((p) => declare(p, t0, 0)));
  const period = 1000 / rate;
  const where = store.description;
  let n = 0;
  let stopped = false;
  /** While writes fail: since when, why (the error code), and how many failed. */
  let failing: { since: number; code: string; failed: number } | undefined;
  let timer: TimerHandle | undefined;
  let round: Promise<unknown> = Promise.resolve();
  const codeOf = (err: unknown) => (err instanceof TkError ? err.code : 'ERROR');
  const tick = () => {
    if (stopped) return;
    n++;
    const t = clock.now();
    const failures: { point: Point; error: unknown }[] = [];
    let total = 0;
    round = Promise.all(
      pts.map((p) => {
        const v = p.at(t, n);
        if (v === undefined) return undefined;
        total++;
        return store
          .write(p.path, { value: v.value, quality: v.quality ?? 'OK', timestamp: t })
          .catch((error: unknown) => {
            failures.push({ point: p, error });
          });
      }),
    )
      .then(async () => {
        // datapoints missing from the store (it came back empty, or they were removed): declare them again
        const missing = failures.filter((f) => codeOf(f.error) === 'NOT_FOUND');
        const redeclared: string[] = [];
        await Promise.all(
          missing.map((f) =>
            declare(f.point, t, n).then(
              () => void redeclared.push(f.point.path),
              (error: unknown) => void (f.error = error),
            ),
          ),
        );
        if (redeclared.length > 0) {
          redeclared.sort();
          const message = `example producer: declared again ${redeclared.length} datapoint(s) missing from ${where}: ${redeclared.join(', ')}`;
          log.info(message, { store: where });
          report({ state: 'redeclared', paths: redeclared, message });
        }
        const failed = failures.filter((f) => !redeclared.includes(f.point.path));
        if (failed.length > 0) {
          const error =
            failed[0]!.error instanceof Error ? failed[0]!.error : new Error(String(failed[0]!.error));
          const code = codeOf(error);
          if (failing === undefined || failing.code !== code) {
            // one report when writes start failing, and one when the reason changes: not one per write
            const message = `example producer: ${failed.length} of ${total} writes failed (${error.message}); retrying every ${Math.round(period)} ms`;
            log.warning(message, { store: where, error });
            report({ state: 'failing', failed: failed.length, total, error, message });
            failing = { since: failing?.since ?? t, code, failed: (failing?.failed ?? 0) + failed.length };
          } else failing.failed += failed.length;
        } else if (failing !== undefined) {
          const forMs = t - failing.since;
          const message = `example producer: writes to ${where} work again (${failing.failed} failed over ${(forMs / 1000).toFixed(1)} s)`;
          log.info(message, { store: where });
          report({ state: 'working', failedWrites: failing.failed, forMs, message });
          failing = undefined;
        }
      })
      .then(() => {
        if (store.connectionState === 'closed') {
          stopped = true;
          log.info('example producer stopped: its store is closed', { store: where });
        }
        if (!stopped) timer = clock.setTimeout(tick, Math.max(0, t0 + (n + 1) * period - clock.now()));
      });
  };
  timer = clock.setTimeout(tick, period);
  log.info('example producer started', { store: store.description, rate, under });
  return {
    paths: pts.map((p) => p.path),
    get ticks() {
      return n;
    },
    get running() {
      return !stopped;
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      await round;
    },
  };
}
