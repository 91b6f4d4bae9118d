/**
 * What every `tk` command shares: the global options, the manager (created
 * on first use, disposed at the end), output streams, colours and the exit
 * code.
 *
 * @module
 */
import process from 'node:process';
import { consoleSink, getLogger, parseLogLevel, setLogLevel, setLogSink } from '../log/logger.js';
import type { Manager } from '../manager/manager.js';
import { sharedEmbeddedStore } from '../oldb-store/embedded-store.js';
import { type ExampleProducer, startExampleProducer } from '../oldb-store/example-producer.js';
import type { OldbStore } from '../oldb-store/types.js';
import type { SchemePlugin } from '../schemes/contract.js';
import { createOldbScheme } from '../schemes/oldb/index.js';
import { openOldbStore } from '../schemes/oldb/open-store.js';
import {
  type OldbSchemeOptions,
  type ResolvedOldbTarget,
  resolveOldbOptions,
} from '../schemes/oldb/options.js';
import { cliWording } from './cli-wording.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { type Colors, colorsFor } from './format.js';

/** The global options of `tk`. */
export interface GlobalOptions {
  /** Library log level (console sink on stderr). */
  logLevel?: string;
  /** The OLDB server (`redis://...`); else `TK_OLDB_URL`, else redis://127.0.0.1:6379. */
  redis?: string;
  /** Use the embedded in-process OLDB instead of Redis. */
  embedded?: boolean;
  /** Time limit of one read or write, in ms. */
  timeout?: string;
  /** `--no-color` sets this to false. */
  color?: boolean;
}

/** A writable text stream (stdout, stderr, or a test double with the same shape). */
export interface TextOut {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Shared state of one `tk` run. */
export class CliRuntime {
  /** Exit code to end with (commands raise it; errors set it through {@link fail}). */
  exitCode: ExitCode = ExitCode.Ok;
  readonly out: TextOut;
  readonly err: TextOut;
  #options: GlobalOptions = {};
  #manager: Manager | undefined;
  #colors: Colors | undefined;
  #extraSchemes: SchemePlugin[] = [];
  #pollingPeriod: number | undefined;
  readonly #ownStores: OldbStore[] = [];
  #example: Promise<ExampleProducer> | undefined;
  readonly #log = getLogger('cli');

  constructor(out: TextOut = process.stdout, err: TextOut = process.stderr) {
    this.out = out;
    this.err = err;
  }

  /** Applies the global options (called before any command runs). */
  configure(options: GlobalOptions): void {
    this.#options = options;
    if (options.logLevel !== undefined) {
      // the spellings and the area=level lists of TK_LOG_LEVEL, checked before anything changes
      const spec = options.logLevel;
      try {
        for (const part of spec.split(',')) {
          if (part.trim() === '' && spec.includes(',')) continue;
          const eq = part.indexOf('=');
          parseLogLevel(eq < 0 ? part : part.slice(eq + 1), '--log-level');
        }
      } catch (e) {
        throw new UsageError(
          `${(e as Error).message}, in any case (Debug, WARNING), or a list such as warning,scheme.eval=trace`,
        );
      }
      setLogSink(consoleSink);
      setLogLevel(spec);
    }
    if (options.redis !== undefined && options.embedded === true) {
      throw new UsageError('--redis and --embedded select different OLDBs: give one of them');
    }
    this.timeoutMs();
  }

  /** The global options. */
  get options(): GlobalOptions {
    return this.#options;
  }

  /** Time limit of one operation in ms (`--timeout`, default 5000). */
  timeoutMs(): number {
    const t = this.#options.timeout;
    if (t === undefined) return 5000;
    const n = Number(t);
    if (!Number.isFinite(n) || n <= 0) {
      throw new UsageError(
        `Invalid --timeout ${JSON.stringify(t)}: expected a positive number of milliseconds`,
      );
    }
    return n;
  }

  /** Colours for standard output. */
  get colors(): Colors {
    if (this.#colors === undefined)
      this.#colors = colorsFor(this.out, this.#options.color === false ? false : undefined);
    return this.#colors;
  }

  /**
   * The `cii.oldb` scheme options the global options give: `--embedded`
   * (the embedded store) or `--redis URL`; none without them.
   */
  #oldbFlags(): OldbSchemeOptions {
    if (this.#options.embedded === true) return { store: 'embedded' };
    if (this.#options.redis !== undefined) return { url: this.#options.redis };
    return {};
  }

  /**
   * The OLDB of this run, resolved as the `cii.oldb` scheme resolves it
   * (`resolveOldbOptions`, the one resolution): `--embedded`, else the Redis
   * server of `--redis`, else env `TK_OLDB=embedded`, env `TK_OLDB_URL`, or
   * redis://127.0.0.1:6379. What the scheme rejects (`TK_OLDB=other`, a bad
   * URL) throws the scheme's CONFIG error.
   */
  oldbTarget(): { embedded: true } | { embedded: false; url: string } {
    const target = this.oldbResolved();
    return target.kind === 'redis' ? { embedded: false, url: target.url } : { embedded: true };
  }

  /** The OLDB of this run as `resolveOldbOptions` gives it (see {@link oldbTarget}). */
  oldbResolved(): ResolvedOldbTarget {
    return resolveOldbOptions(this.#oldbFlags(), {}).target;
  }

  /**
   * Options of the `cii.oldb` scheme: the OLDB of {@link oldbTarget}; a Redis
   * store of this run whose calls and writes have the `--timeout` limit (the
   * manager would make one with its own 3000 ms default). When the
   * environment names no valid OLDB, the scheme gets the flags alone and
   * reports the same error when a `cii.oldb` name is opened, so commands on
   * other schemes still run.
   */
  oldbOptions(): OldbSchemeOptions {
    let target: ResolvedOldbTarget;
    try {
      target = this.oldbResolved();
    } catch (e) {
      if (this.#options.redis !== undefined) throw e;
      return this.#oldbFlags();
    }
    if (target.kind !== 'redis') return { store: 'embedded' };
    const timeout = this.timeoutMs();
    const { store } = openOldbStore(target, { timeout });
    this.#ownStores.push(store);
    return { store, writeTimeout: timeout };
  }

  /**
   * With the embedded OLDB ({@link oldbTarget}), starts the example producer
   * on it once (it declares the /root/example/... datapoints and keeps them
   * changing until {@link close}), so `tk watch ... --embedded` and the other
   * commands show data: the embedded store of a new process is empty, and no
   * other process can fill it. Resolves once the datapoints are declared; does
   * nothing for Redis.
   */
  async startEmbeddedExample(): Promise<void> {
    if (!this.#embedded()) return;
    this.#example ??= startExampleProducer(sharedEmbeddedStore(), { rate: 10 });
    await this.#example;
  }

  /** Whether the OLDB of this run is the embedded one (false when the environment names no valid OLDB). */
  #embedded(): boolean {
    try {
      return this.oldbTarget().embedded;
    } catch {
      return false;
    }
  }

  /** Registers a scheme plugin in the manager made by {@link manager} (before its first use). */
  addScheme(plugin: SchemePlugin): void {
    if (this.#manager !== undefined) throw new Error('addScheme() after the manager was created');
    this.#extraSchemes.push(plugin);
  }

  /**
   * Sets the polling period (ms) of the manager made by {@link manager}
   * (`--polling-period` of `tk watch`, `trend`, `plot`): how often attributes
   * of poll-based schemes (`eval:rand()`) are read. Before its first use.
   */
  setPollingPeriod(ms: number | undefined): void {
    if (this.#manager !== undefined) throw new Error('setPollingPeriod() after the manager was created');
    this.#pollingPeriod = ms;
  }

  /**
   * The manager of this run: the built-in schemes plus `cii.oldb` configured
   * from the options. The eval scheme (and mathjs) is loaded here, not at
   * start-up, so `tk --help` and `tk oldb ...` start fast.
   */
  async manager(): Promise<Manager> {
    if (this.#manager === undefined) {
      const [{ createManager }, { createEvalScheme }] = await Promise.all([
        import('../default-manager.js'),
        import('../eval/index.js'),
      ]);
      if (this.#manager !== undefined) return this.#manager;
      const extras = this.#extraSchemes;
      // the embedded OLDB of this run's own cii.oldb scheme comes with the example datapoints
      // (tk demo and tk serve --demo bring their own scheme and producer)
      if (!extras.some((s) => s.scheme === 'cii.oldb')) await this.startEmbeddedExample();
      if (this.#manager !== undefined) return this.#manager;
      // eval and cii.oldb explicitly (the latter configured from the options); they override the built-in ones
      const own = [createEvalScheme(), createOldbScheme(this.oldbOptions())].filter(
        (p) => !extras.some((s) => s.scheme === p.scheme),
      );
      this.#manager = createManager({
        schemes: [...own, ...extras],
        ...(this.#pollingPeriod !== undefined ? { pollingPeriod: this.#pollingPeriod } : {}),
      });
      this.#log.debug(`manager with schemes ${this.#manager.schemes.join(', ')}`);
    }
    return this.#manager;
  }

  /** Whether the manager was created. */
  get hasManager(): boolean {
    return this.#manager !== undefined;
  }

  /** Writes a line to standard output. */
  print(line = ''): void {
    this.out.write(`${line}\n`);
  }

  /** Writes a line to standard error. */
  note(line: string): void {
    this.err.write(`${line}\n`);
  }

  /** Whether stack traces are shown (log level debug or trace). */
  get verbose(): boolean {
    return this.#log.isEnabled('debug');
  }

  /** Reports an error as one line on stderr (plus the stack at debug level) and sets the exit code. */
  fail(err: unknown, code: ExitCode): void {
    const message = cliWording(err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    this.note(`tk: ${message}`);
    if (this.verbose && err instanceof Error && err.stack !== undefined) this.note(err.stack);
    if (code > this.exitCode) this.exitCode = code;
  }

  /** Raises the exit code to `code` (never lowers it). */
  raise(code: ExitCode): void {
    if (code > this.exitCode) this.exitCode = code;
  }

  /** Disposes the manager, if one was made, and stops the example producer of {@link startEmbeddedExample}. */
  async close(): Promise<void> {
    const m = this.#manager;
    this.#manager = undefined;
    const example = this.#example;
    this.#example = undefined;
    try {
      if (m !== undefined) await m.dispose();
    } finally {
      for (const s of this.#ownStores.splice(0)) await s.close();
      if (example !== undefined) await (await example.catch(() => undefined))?.stop();
    }
  }
}
