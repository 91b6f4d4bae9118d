/**
 * Test support: one `redis-server` (or `redis-sentinel`) process owned by a
 * test, on a fixed loopback port. It is started with its arguments, waited
 * for until it accepts connections, and can be killed by its pid (SIGKILL),
 * paused (SIGSTOP) and started again on the same port; what it prints is
 * kept for diagnostics. The single servers of test/support/redis.ts and the
 * cluster and sentinel nodes of test/support/redis-cluster.ts are all this.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnServer } from './redis-launch.mjs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One server process (redis-server or redis-sentinel) owned by a test. */
export class ServerProcess {
  /** The loopback port it listens on. */
  readonly port: number;
  /** The host it is reached at (the first address it binds). */
  readonly host: string;
  readonly #args: readonly string[];
  #child: ChildProcess | undefined;
  #paused = false;
  /** What the process printed (its log), for diagnostics. */
  output = '';

  /** A process to run as `redis-server args` (not started yet), listening on `host:port`. */
  constructor(port: number, args: readonly string[], host = '127.0.0.1') {
    this.port = port;
    this.host = host;
    this.#args = args;
  }

  /** The process id, while running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** `host:port`. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Whether the process is running (paused included). */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Whether the process is stopped by {@link pause}. */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * The time (ms since the epoch) of the first line of its log that matches
   * `pattern`, printed after `after` (ms since the epoch); undefined if none.
   * Redis stamps its lines in local time to the millisecond.
   */
  logTime(pattern: RegExp, after = 0): number | undefined {
    for (const line of this.output.split('\n')) {
      const m = /^\d+:[A-Z] (\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
      if (m === null || !pattern.test(line)) continue;
      const [, d, mon, y, h, min, sec, ms] = m;
      const t = new Date(
        Number(y),
        MONTHS.indexOf(mon!),
        Number(d),
        Number(h),
        Number(min),
        Number(sec),
        Number(ms),
      ).getTime();
      if (t >= after) return t;
    }
    return undefined;
  }

  /** Starts (or restarts) the process; resolves once it is ready to accept connections. */
  start(): Promise<void> {
    if (this.#child !== undefined) return Promise.resolve();
    const { child, ready } = spawnServer(this.#args, (text) => {
      this.output += text;
    });
    this.#child = child;
    const gone = () => {
      if (this.#child === child) this.#child = undefined;
    };
    child.on('exit', gone);
    child.on('error', gone);
    return ready;
  }

  /** Kills the process with SIGKILL (by its pid) and waits for it to be gone. */
  kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    this.#paused = false;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      process.kill(child.pid!, 'SIGKILL');
    });
  }

  /** Kills and starts again on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /**
   * Stops the process with SIGSTOP: the server hangs (its sockets stay open,
   * the kernel still accepts bytes, nothing is answered) until {@link resume}.
   */
  pause(): void {
    const child = this.#child;
    if (child === undefined) throw new Error(`${this.address} is not running`);
    process.kill(child.pid!, 'SIGSTOP');
    this.#paused = true;
  }

  /** Lets a process stopped by {@link pause} go on (SIGCONT). */
  resume(): void {
    const child = this.#child;
    if (child === undefined || !this.#paused) return;
    process.kill(child.pid!, 'SIGCONT');
    this.#paused = false;
  }
}
