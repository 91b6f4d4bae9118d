/**
 * Profiler statistics: rows per attribute and per scheme, sortable by any
 * counter or latency figure the way a profiler's statistics are
 * (`stats.sort('p99').format({ limit: 10 })`).
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import type { LatencySummary } from './histogram.js';
import { formatDuration, formatTable, type TableColumn } from './table.js';

/** The figures of one attribute (or one scheme, all its attributes together). */
export interface StatsRow {
  /** `attribute` or `scheme`. */
  readonly kind: 'attribute' | 'scheme';
  /** The attribute's full name, or the scheme. */
  readonly name: string;
  /** The scheme. */
  readonly scheme: string;
  /** Readings accepted by the core (pushed, polled, read, written). */
  readonly events: number;
  /** Events per second over the profiling window. */
  readonly rate: number;
  /** Readings pushed by the backend. */
  readonly pushes: number;
  /** Readings from polling. */
  readonly polls: number;
  /** Backend reads (explicit reads and polls). */
  readonly reads: number;
  /** Writes. */
  readonly writes: number;
  /** Readings carrying an error, plus failed writes. */
  readonly errors: number;
  /** Backend read time: the evaluation time of an `eval` attribute, the round trip of a remote backend. */
  readonly read: LatencySummary;
  /** Write time (to the backend's acknowledgement). */
  readonly write: LatencySummary;
  /** End-to-end update latency of pushed readings: from the value's timestamp to the core. */
  readonly latency: LatencySummary;
}

/** Counters a row can be sorted by. */
export const COUNT_SORT_KEYS = ['events', 'rate', 'pushes', 'polls', 'reads', 'writes', 'errors'] as const;
/** Summary figures; bare (`p99`) they mean the read time, prefixed (`write.p99`, `latency.p99`) the other histograms. */
export const SUMMARY_SORT_KEYS = ['mean', 'p50', 'p90', 'p99', 'max', 'total'] as const;

/** A key {@link ProfilerStats.sort} accepts. */
export type StatsSortKey =
  | 'name'
  | 'scheme'
  | (typeof COUNT_SORT_KEYS)[number]
  | (typeof SUMMARY_SORT_KEYS)[number]
  | `${'read' | 'write' | 'latency'}.${(typeof SUMMARY_SORT_KEYS)[number]}`;

/** Every {@link StatsSortKey}, for help texts and validation. */
export const STATS_SORT_KEYS: readonly StatsSortKey[] = [
  'name',
  'scheme',
  ...COUNT_SORT_KEYS,
  ...SUMMARY_SORT_KEYS,
  ...(['read', 'write', 'latency'] as const).flatMap((h) =>
    SUMMARY_SORT_KEYS.map((k) => `${h}.${k}` as const),
  ),
];

/** Whether `key` is a {@link StatsSortKey}. */
export function isStatsSortKey(key: string): key is StatsSortKey {
  return (STATS_SORT_KEYS as readonly string[]).includes(key);
}

function figureOf(row: StatsRow, key: StatsSortKey): number | string {
  if (key === 'name' || key === 'scheme') return row[key];
  if ((COUNT_SORT_KEYS as readonly string[]).includes(key))
    return row[key as (typeof COUNT_SORT_KEYS)[number]];
  const dot = key.indexOf('.');
  const hist = dot < 0 ? 'read' : (key.slice(0, dot) as 'read' | 'write' | 'latency');
  const figure = (dot < 0 ? key : key.slice(dot + 1)) as keyof LatencySummary;
  return row[hist][figure];
}

/** Options of {@link ProfilerStats.format}. */
export interface StatsFormatOptions {
  /** Most attribute rows shown (default all). */
  readonly limit?: number;
  /** Which rows: attributes, schemes or both (default both). */
  readonly show?: 'attributes' | 'schemes' | 'both';
  /** Longest name shown; longer names are cut in the middle with `...` (default: no limit). */
  readonly nameWidth?: number;
}

/** `text` cut in the middle to at most `width` characters. */
function middleCut(text: string, width: number | undefined): string {
  if (width === undefined || text.length <= width) return text;
  const keep = Math.max(2, width - 3);
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}...${text.slice(text.length - (keep - head))}`;
}

const COLUMNS: readonly (TableColumn & { cell(r: StatsRow): string })[] = [
  { header: 'name', cell: (r) => r.name },
  { header: 'events', align: 'right', cell: (r) => String(r.events) },
  { header: 'ev/s', align: 'right', cell: (r) => r.rate.toFixed(1) },
  { header: 'errors', align: 'right', cell: (r) => String(r.errors) },
  { header: 'reads', align: 'right', cell: (r) => String(r.reads) },
  { header: 'read p50', align: 'right', cell: (r) => dur(r.read, 'p50') },
  { header: 'read p99', align: 'right', cell: (r) => dur(r.read, 'p99') },
  { header: 'read max', align: 'right', cell: (r) => dur(r.read, 'max') },
  { header: 'latency p50', align: 'right', cell: (r) => dur(r.latency, 'p50') },
  { header: 'latency p99', align: 'right', cell: (r) => dur(r.latency, 'p99') },
  { header: 'writes', align: 'right', cell: (r) => String(r.writes) },
  { header: 'write p99', align: 'right', cell: (r) => dur(r.write, 'p99') },
];

function dur(s: LatencySummary, k: keyof LatencySummary): string {
  return s.count === 0 ? '-' : formatDuration(s[k]);
}

/**
 * Statistics of a profiling window: rows per attribute and per scheme.
 * Immutable: {@link sort} and {@link limit} return new statistics.
 */
export class ProfilerStats {
  /**
   * @param elapsedMs length of the profiling window in ms
   * @param attributes one row per attribute
   * @param schemes one row per scheme
   */
  constructor(
    readonly elapsedMs: number,
    readonly attributes: readonly StatsRow[],
    readonly schemes: readonly StatsRow[],
  ) {}

  /**
   * Sorted by `key`: numbers largest first and names A to Z unless `order`
   * says otherwise. Throws a TkError (`CONFIG`) naming the valid keys for an
   * unknown key.
   */
  sort(key: StatsSortKey | string, order?: 'asc' | 'desc'): ProfilerStats {
    if (!isStatsSortKey(key)) {
      throw new TkError(
        'CONFIG',
        `Unknown sort key ${JSON.stringify(key)}: valid keys are ${STATS_SORT_KEYS.join(', ')}`,
        {
          details: { key, valid: [...STATS_SORT_KEYS] },
        },
      );
    }
    const dir = (order ?? (key === 'name' || key === 'scheme' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
    const cmp = (a: StatsRow, b: StatsRow) => {
      const x = figureOf(a, key);
      const y = figureOf(b, key);
      const c = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
      return c !== 0 ? dir * c : a.name.localeCompare(b.name);
    };
    return new ProfilerStats(this.elapsedMs, [...this.attributes].sort(cmp), [...this.schemes].sort(cmp));
  }

  /** The first `n` attribute rows (scheme rows are kept). */
  limit(n: number): ProfilerStats {
    return new ProfilerStats(this.elapsedMs, this.attributes.slice(0, Math.max(0, n)), this.schemes);
  }

  /** The row of one attribute (full name) or undefined. */
  get(name: string): StatsRow | undefined {
    return this.attributes.find((r) => r.name === name);
  }

  /** The row of one scheme or undefined. */
  scheme(scheme: string): StatsRow | undefined {
    return this.schemes.find((r) => r.scheme === scheme);
  }

  /** The rows as table lines: attributes, then a blank line and the schemes. */
  formatLines(options: StatsFormatOptions = {}): string[] {
    const show = options.show ?? 'both';
    const lines: string[] = [];
    const table = (rows: readonly StatsRow[], first: string) =>
      formatTable(
        COLUMNS.map((c, i) => (i === 0 ? { ...c, header: first } : c)),
        rows.map((r) =>
          COLUMNS.map((c, i) => (i === 0 ? middleCut(c.cell(r), options.nameWidth) : c.cell(r))),
        ),
      );
    if (show !== 'schemes') {
      const rows = options.limit === undefined ? this.attributes : this.attributes.slice(0, options.limit);
      lines.push(...table(rows, 'attribute'));
      if (rows.length < this.attributes.length)
        lines.push(`... ${this.attributes.length - rows.length} more`);
    }
    if (show !== 'attributes') {
      if (lines.length > 0) lines.push('');
      lines.push(...table(this.schemes, 'scheme'));
    }
    return lines;
  }

  /** The statistics as a text table (see {@link formatLines}). */
  format(options: StatsFormatOptions = {}): string {
    return this.formatLines(options).join('\n');
  }

  /** Plain data for `--json`. */
  toJSON(): {
    /** Time covered by the statistics, in ms. */
    elapsedMs: number;
    /** One row per attribute. */
    attributes: readonly StatsRow[];
    /** One row per scheme. */
    schemes: readonly StatsRow[];
  } {
    return { elapsedMs: this.elapsedMs, attributes: this.attributes, schemes: this.schemes };
  }
}
