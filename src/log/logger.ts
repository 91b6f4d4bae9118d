/**
 * Logging with Taurus's levels (Critical, Error, Warning, Info, Debug, Trace),
 * one logger per area (`factory`, `scheme.eval`, `backend.redis`, ...), silent
 * by default in library use, with a pluggable sink.
 *
 * The level comes from {@link setLogLevel} or the `TK_LOG_LEVEL` environment
 * variable (read once, when the first logger is created). Per-area levels:
 * `TK_LOG_LEVEL=warning,scheme.eval=trace`.
 *
 * @module
 */

/** Log levels, most severe first. `off` silences everything. */
export const LogLevel = {
  /** The process or a backend cannot go on. */
  critical: 50,
  /** An operation failed. */
  error: 40,
  /** Something unexpected that tk-core handled. */
  warning: 30,
  /** Lifecycle: connections, schemes registered. */
  info: 20,
  /** Details useful when debugging. */
  debug: 10,
  /** Every name resolution, subscription, backend command and event. */
  trace: 5,
  /** Nothing at all (the default in library use). */
  off: 1000,
} as const;
/** A level name. */
export type LogLevelName = keyof typeof LogLevel;

/** One log record, as given to a {@link LogSink}. */
export interface LogRecord {
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** Level name. */
  readonly level: Exclude<LogLevelName, 'off'>;
  /** Area, e.g. `scheme.cii.oldb`. */
  readonly area: string;
  /** The message. */
  readonly message: string;
  /** Structured context (never credentials). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Where log records go: a function, e.g. `(r) => pino[r.level === 'warning' ? 'warn' : r.level](r)`. */
export type LogSink = (record: LogRecord) => void;

/** Writes records to `console.error` as `time LEVEL area: message {data}`. */
export const consoleSink: LogSink = (r) => {
  const data = r.data === undefined ? '' : ` ${safeJson(r.data)}`;
  console.error(
    `${new Date(r.time).toISOString()} ${r.level.toUpperCase().padEnd(8)} ${r.area}: ${r.message}${data}`,
  );
};

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) =>
      typeof x === 'bigint' ? String(x) : x instanceof Error ? x.message : x,
    );
  } catch {
    return String(v);
  }
}

interface LogState {
  defaultLevel: number;
  areaLevels: Map<string, number>;
  sink: LogSink;
  loggers: Map<string, Logger>;
  envRead: boolean;
}

const STATE_KEY = Symbol.for('tk-core.logging');

function state(): LogState {
  const g = globalThis as unknown as Record<symbol, LogState | undefined>;
  let s = g[STATE_KEY];
  if (s === undefined) {
    s = {
      defaultLevel: LogLevel.off,
      areaLevels: new Map(),
      sink: consoleSink,
      loggers: new Map(),
      envRead: false,
    };
    g[STATE_KEY] = s;
  }
  if (!s.envRead) {
    s.envRead = true;
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const spec = env?.TK_LOG_LEVEL;
    if (spec) applyLevelSpec(s, spec, 'TK_LOG_LEVEL');
  }
  return s;
}

/** Parses a level name, case-insensitively (`Trace`, `WARNING`, `warn`). Throws naming the valid levels. */
export function parseLogLevel(name: string, source = 'log level'): LogLevelName {
  const n = name.trim().toLowerCase();
  const alias: Record<string, LogLevelName> = {
    warn: 'warning',
    fatal: 'critical',
    silent: 'off',
    none: 'off',
  };
  const level = (alias[n] ?? n) as LogLevelName;
  if (!(level in LogLevel)) {
    throw new Error(
      `Invalid ${source} ${JSON.stringify(name)}: expected one of ${Object.keys(LogLevel).join(', ')}`,
    );
  }
  return level;
}

function applyLevelSpec(s: LogState, spec: string, source: string): void {
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) s.defaultLevel = LogLevel[parseLogLevel(part, source)];
    else s.areaLevels.set(part.slice(0, eq).trim(), LogLevel[parseLogLevel(part.slice(eq + 1), source)]);
  }
  for (const l of s.loggers.values()) l.refresh();
}

/**
 * Sets the log level: for every area (`setLogLevel('debug')`), for one area
 * and its sub-areas (`setLogLevel('trace', 'scheme.eval')`), or from a spec
 * string like the environment variable's (`setLogLevel('warning,factory=trace')`).
 */
export function setLogLevel(level: LogLevelName | string, area?: string): void {
  const s = state();
  if (area === undefined) {
    if (level.includes(',') || level.includes('=')) {
      applyLevelSpec(s, level, 'log level');
      return;
    }
    s.defaultLevel = LogLevel[parseLogLevel(level)];
    s.areaLevels.clear();
  } else {
    s.areaLevels.set(area, LogLevel[parseLogLevel(level)]);
  }
  for (const l of s.loggers.values()) l.refresh();
}

/** Replaces the sink for every logger; returns the previous one. */
export function setLogSink(sink: LogSink): LogSink {
  const s = state();
  const prev = s.sink;
  s.sink = sink;
  return prev;
}

function levelFor(s: LogState, area: string): number {
  let a = area;
  for (;;) {
    const l = s.areaLevels.get(a);
    if (l !== undefined) return l;
    const dot = a.lastIndexOf('.');
    if (dot < 0) return s.defaultLevel;
    a = a.slice(0, dot);
  }
}

/** A message, or a function that builds it only when the level is enabled. */
export type LogMessage = string | (() => string);

/** The logger of one area. Cheap when disabled: a level check and nothing else. */
export class Logger {
  /** The area this logger writes under. */
  readonly area: string;
  #level: number;
  /**
   * Whether Trace records are written: a plain field, for hot paths to guard
   * a trace call and skip building its message closure
   * (`if (log.tracing) log.trace(() => ...)`).
   */
  tracing: boolean;

  /** @internal use {@link getLogger}. */
  constructor(area: string, level: number) {
    this.area = area;
    this.#level = level;
    this.tracing = level <= LogLevel.trace;
  }

  /** @internal re-reads the area's level after a change. */
  refresh(): void {
    this.#level = levelFor(state(), this.area);
    this.tracing = this.#level <= LogLevel.trace;
  }

  /** Whether records of `level` are written. */
  isEnabled(level: Exclude<LogLevelName, 'off'>): boolean {
    return LogLevel[level] >= this.#level;
  }

  /** A logger for a sub-area: `getLogger('scheme').child('eval')` writes under `scheme.eval`. */
  child(name: string): Logger {
    return getLogger(`${this.area}.${name}`);
  }

  #write(level: Exclude<LogLevelName, 'off'>, message: LogMessage, data?: Record<string, unknown>): void {
    if (LogLevel[level] < this.#level) return;
    const text = typeof message === 'function' ? message() : message;
    try {
      state().sink({ time: Date.now(), level, area: this.area, message: text, ...(data ? { data } : {}) });
    } catch {
      // a broken sink must never break the caller
    }
  }

  /** Writes at Critical. */
  critical(message: LogMessage, data?: Record<string, unknown>): void {
    this.#write('critical', message, data);
  }
  /** Writes at Error. */
  error(message: LogMessage, data?: Record<string, unknown>): void {
    this.#write('error', message, data);
  }
  /** Writes at Warning. */
  warning(message: LogMessage, data?: Record<string, unknown>): void {
    this.#write('warning', message, data);
  }
  /** Writes at Info. */
  info(message: LogMessage, data?: Record<string, unknown>): void {
    this.#write('info', message, data);
  }
  /** Writes at Debug. */
  debug(message: LogMessage, data?: Record<string, unknown>): void {
    this.#write('debug', message, data);
  }
  /** Writes at Trace: every name resolution, subscription, backend command and event. */
  trace(message: LogMessage, data?: Record<string, unknown>): void {
    if (this.#level > LogLevel.trace) return;
    this.#write('trace', message, data);
  }
}

/** The logger of `area` (one instance per area). */
export function getLogger(area: string): Logger {
  const s = state();
  let l = s.loggers.get(area);
  if (l === undefined) {
    l = new Logger(area, levelFor(s, area));
    s.loggers.set(area, l);
  }
  return l;
}
