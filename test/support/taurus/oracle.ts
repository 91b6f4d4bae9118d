/**
 * Client of the Taurus oracle (taurus_oracle.py): the real Taurus 5, run once
 * per test file with /usr/bin/python3, answering batches of questions about
 * eval names and readings over JSON lines.
 *
 * Tests call {@link taurusStatus} first: when python3-taurus is missing they
 * skip with a printed reason, except when `CI=true` or `TK_REQUIRE_TAURUS=1`,
 * where {@link taurusStatus} reports `required` and the test must fail.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The Python interpreter that has Debian's python3-taurus. */
export const TAURUS_PYTHON = process.env.TK_TAURUS_PYTHON ?? '/usr/bin/python3';

/** Path of the oracle script. */
export const ORACLE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'taurus_oracle.py');

/** Whether Taurus can be used here, and what to do when it cannot. */
export interface TaurusStatus {
  /** True when `import taurus` works with {@link TAURUS_PYTHON}. */
  readonly available: boolean;
  /** Why it is not available (empty when it is). */
  readonly reason: string;
  /** True when tests must fail instead of skipping (CI=true or TK_REQUIRE_TAURUS=1). */
  readonly required: boolean;
}

let status: TaurusStatus | undefined;

/** Probes Taurus once per process. */
export function taurusStatus(): TaurusStatus {
  if (status !== undefined) return status;
  const required = process.env.CI === 'true' || process.env.TK_REQUIRE_TAURUS === '1';
  const probe = spawnSync(TAURUS_PYTHON, ['-c', 'import taurus'], { encoding: 'utf8', timeout: 30_000 });
  const available = probe.status === 0;
  const reason = available
    ? ''
    : `Taurus is not available (${TAURUS_PYTHON} -c 'import taurus' ${
        probe.error
          ? `failed: ${probe.error.message}`
          : `exited ${probe.status}: ${probe.stderr.trim().split('\n').pop()}`
      }); install it with: apt-get install -y python3-taurus`;
  status = { available, reason, required };
  return status;
}

/** Whether Taurus is available (see {@link taurusStatus}). */
export function isTaurusAvailable(): boolean {
  return taurusStatus().available;
}

/** Which of Taurus's eval validators to ask. */
export type TaurusValidatorKind = 'authority' | 'device' | 'attribute';

/** A request to the oracle (see taurus_oracle.py for the ops). */
export type OracleRequest =
  | { op: 'hello' }
  | { op: 'isValid'; validator: TaurusValidatorKind; name: string; strict: boolean | null }
  | { op: 'getUriGroups'; validator: TaurusValidatorKind; name: string; strict: boolean | null }
  | { op: 'getNames'; validator: TaurusValidatorKind; name: string }
  | { op: 'getDeviceName'; name: string }
  | { op: 'isValidName'; name: string; types?: string[] | null; strict: boolean | null }
  | { op: 'getValidTypesForName'; name: string; strict: boolean | null }
  | { op: 'read'; name: string }
  /** `taurus.<kind>(name)`'s full, normal and simple names (the object's, computed from its full name). */
  | { op: 'objectNames'; kind: 'Attribute' | 'Device' | 'Authority'; name: string }
  /** Loads a map of the `res` scheme (Taurus's `ResourcesFactory.loadResource`). */
  | { op: 'loadResource'; map: Record<string, string>; priority?: number };

/** An answer: Taurus's result, or the exception it raised (as `Type: message`). */
export type OracleAnswer<T = unknown> = { ok: true; result: T } | { ok: false; error: string };

/** What the `read` op returns. */
export interface TaurusReading {
  /** The value (arrays as nested lists; NaN/Infinity as strings). */
  readonly magnitude: unknown;
  /** pint's unit string (`str(units)`), null for non-quantities. */
  readonly units: string | null;
  /** pint's abbreviated unit string (`format(units, '~')`). */
  readonly unitsSymbol: string | null;
  /** The Python type of the magnitude. */
  readonly pythonType: string;
  /** Taurus DataType name (`Float`, `Integer`, `Boolean`, `String`...), or null. */
  readonly type: string | null;
  /** `_0D`, `_1D`, `_2D`, or null. */
  readonly data_format: string | null;
  /** `ATTR_VALID`, `ATTR_INVALID`... */
  readonly quality: string;
  /** The attribute's label. */
  readonly label: string;
  /** The attribute's full name. */
  readonly fullName: string;
  /** The attribute's simple name. */
  readonly simpleName: string;
  /** The last warning Taurus logged while reading (its only report of evaluation errors). */
  readonly warning: string | null;
}

/** A running oracle process. Create with {@link startTaurusOracle}; close when done. */
export class TaurusOracle {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, (a: OracleAnswer) => void>();
  #nextId = 1;
  #stderr = '';
  #exited: Error | undefined;

  /** @internal use {@link startTaurusOracle}. `script`: another oracle script speaking the same protocol (taurus_widgets.py). */
  constructor(script: string = ORACLE_SCRIPT) {
    this.#proc = spawn(TAURUS_PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#proc.stderr.setEncoding('utf8');
    this.#proc.stderr.on('data', (d: string) => {
      this.#stderr = (this.#stderr + d).slice(-4000);
    });
    const lines = createInterface({ input: this.#proc.stdout });
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { id: number } & OracleAnswer;
      const done = this.#pending.get(msg.id);
      if (done === undefined) return;
      this.#pending.delete(msg.id);
      done(msg.ok ? { ok: true, result: msg.result } : { ok: false, error: msg.error });
    });
    this.#proc.on('exit', (code, signal) => {
      this.#exited = new Error(`Taurus oracle exited (code ${code}, signal ${signal}): ${this.#stderr}`);
      for (const [, done] of this.#pending) done({ ok: false, error: `OracleDied: ${this.#exited.message}` });
      this.#pending.clear();
    });
  }

  /** Sends all requests at once and resolves with the answers in the same order. */
  batch<T = unknown>(requests: readonly (OracleRequest | WidgetRequest)[]): Promise<OracleAnswer<T>[]> {
    if (this.#exited) return Promise.reject(this.#exited);
    const promises: Promise<OracleAnswer<T>>[] = [];
    let text = '';
    for (const req of requests) {
      const id = this.#nextId++;
      promises.push(new Promise((resolve) => this.#pending.set(id, resolve as (a: OracleAnswer) => void)));
      text += `${JSON.stringify({ id, ...req })}\n`;
    }
    this.#proc.stdin.write(text);
    return Promise.all(promises);
  }

  /** One request. */
  async ask<T = unknown>(request: OracleRequest | WidgetRequest): Promise<OracleAnswer<T>> {
    const [a] = await this.batch<T>([request]);
    return a!;
  }

  /** Ends the process (closing its input) and waits for it. */
  close(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.#proc.once('exit', () => resolve());
      this.#proc.stdin.end();
    });
  }
}

/** Path of the widget oracle script: Taurus's Qt widgets, headless. */
export const WIDGETS_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'taurus_widgets.py');

/** A request to the widget oracle (see taurus_widgets.py). */
export type WidgetRequest =
  | { op: 'form'; models: string[] }
  | { op: 'label'; model: string; fgRole?: string; bgRole?: string }
  | { op: 'lineEdit'; model: string; text: string }
  | { op: 'qualityPalette' }
  | { op: 'write'; model: string; value: number };

/** Starts the oracle (or another script speaking its protocol, such as {@link WIDGETS_SCRIPT}) and checks it answers. */
export async function startTaurusOracle(script: string = ORACLE_SCRIPT): Promise<TaurusOracle> {
  const oracle = new TaurusOracle(script);
  const hello = await oracle.ask<{ taurus: string }>({ op: 'hello' });
  if (!hello.ok) throw new Error(`Taurus oracle failed to start: ${hello.error}`);
  return oracle;
}
