/**
 * Diagnostics: the profiler (counters and latency histograms per attribute
 * and per scheme), snapshot printing and leak finding. Browser-safe; the
 * Node-only signal dump lives in `tk-core/node`, the test assertion in
 * `tk-core/testing`.
 *
 * @module
 */
export { EMPTY_SUMMARY, LatencyHistogram, type LatencySummary } from './histogram.js';
export { findLeaks, type Leak } from './leaks.js';
export {
  type InstalledProfiler,
  OTHER_ATTRIBUTES,
  Profiler,
  type ProfilerOptions,
  type ProfilerTarget,
  startProfiling,
} from './profiler.js';
export { formatSnapshot, type SnapshotFormatOptions } from './snapshot-format.js';
export {
  COUNT_SORT_KEYS,
  isStatsSortKey,
  ProfilerStats,
  STATS_SORT_KEYS,
  type StatsFormatOptions,
  type StatsRow,
  type StatsSortKey,
  SUMMARY_SORT_KEYS,
} from './stats.js';
export { formatDuration, formatTable, type TableColumn, type TableOptions } from './table.js';
