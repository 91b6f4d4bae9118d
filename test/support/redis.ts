/**
 * Test support: finding a Redis server, and running our own `redis-server`
 * processes that fault tests can kill (SIGKILL) and restart on the same port.
 *
 * Order: `REDIS_URL`, else a server answering on 127.0.0.1:6379, else a
 * `redis-server` started here on a free loopback port. When none can be had,
 * tests skip with a printed reason, except with `CI=true` or
 * `TK_REQUIRE_REDIS=1`, where that is a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REDIS_SERVER_BIN, spawnServer } from './redis-launch.mjs';

export { freePort, REDIS_SERVER_BIN };

/** Whether a missing Redis must fail the run instead of skipping. */
export const REDIS_REQUIRED = process.env.CI === 'true' || process.env.TK_REQUIRE_REDIS === '1';

/** Whether a Redis server answers PING at host:port within `timeoutMs`. */
export function pingRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => finish(d.toString().startsWith('+PONG')));
    sock.on('error', () => finish(false));
  });
}

/** Options of a redis-server run by a test. */
export interface RedisProcessOptions {
  /** Keep data across SIGKILL + restart (append-only file, fsync always). */
  readonly persistent?: boolean;
  /** Loopback addresses to listen on (default `127.0.0.1`); e.g. `127.0.0.2` names the same server differently. */
  readonly bind?: readonly string[];
  /** Allow `DEBUG` (e.g. `DEBUG SLEEP`) from loopback clients. */
  readonly debugCommand?: boolean;
}

/** A `redis-server` process owned by a test, on a fixed loopback port. */
export class RedisProcess {
  readonly port: number;
  readonly url: string;
  readonly #persistent: boolean;
  readonly #bind: readonly string[];
  readonly #debugCommand: boolean;
  readonly #dir: string;
  #child: ChildProcess | undefined;
  #paused = false;

  private constructor(port: number, options: RedisProcessOptions) {
    this.port = port;
    this.#bind = options.bind ?? ['127.0.0.1'];
    this.url = `redis://${this.#bind[0]}:${port}`;
    this.#persistent = options.persistent ?? false;
    this.#debugCommand = options.debugCommand ?? false;
    this.#dir = mkdtempSync(join(tmpdir(), 'tk-redis-'));
  }

  /** Starts a redis-server on a free port and waits until it accepts connections. */
  static async start(options: RedisProcessOptions = {}): Promise<RedisProcess> {
    const p = new RedisProcess(await freePort(), options);
    await p.start();
    return p;
  }

  /** Whether the process is running (paused included). */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** The process id, while running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Whether the process is stopped by {@link pause}. */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Stops the process with SIGSTOP: the server hangs (its sockets stay open,
   * the kernel still accepts bytes, nothing is answered) until {@link resume}.
   */
  pause(): void {
    const child = this.#child;
    if (child === undefined) throw new Error(`redis-server on port ${this.port} is not running`);
    child.kill('SIGSTOP');
    this.#paused = true;
  }

  /** Lets a process stopped by {@link pause} go on (SIGCONT). */
  resume(): void {
    const child = this.#child;
    if (child === undefined || !this.#paused) return;
    child.kill('SIGCONT');
    this.#paused = false;
  }

  /** Starts (or restarts) the server on its port; resolves once it is ready to accept connections. */
  start(): Promise<void> {
    if (this.#child !== undefined) return Promise.resolve();
    const args = [
      '--port',
      String(this.port),
      '--bind',
      this.#bind.join(' '),
      '--dir',
      this.#dir,
      '--save',
      '',
    ];
    if (this.#debugCommand) args.push('--enable-debug-command', 'local');
    args.push(
      ...(this.#persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    );
    const { child, ready } = spawnServer(args);
    this.#child = child;
    const gone = () => {
      if (this.#child === child) this.#child = undefined;
    };
    child.on('exit', gone);
    child.on('error', gone);
    return ready;
  }

  /** Kills the server with SIGKILL and waits for it to be gone. */
  kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      this.#child = undefined;
      this.#paused = false;
      child.kill('SIGKILL');
    });
  }

  /** Kills and starts again on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** Stops the server and removes its data directory. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** A Redis server for a test file, and how to release it. */
export interface FoundRedis {
  readonly url: string;
  /** Where it came from: `REDIS_URL`, `local` (127.0.0.1:6379) or `spawned`. */
  readonly origin: 'REDIS_URL' | 'local' | 'spawned';
  release(): Promise<void>;
}

/**
 * Finds a Redis server (see the module doc). Returns null, after printing
 * why, when there is none and Redis is not required; throws when it is.
 */
export async function findRedis(): Promise<FoundRedis | null> {
  const env = process.env.REDIS_URL;
  if (env !== undefined && env !== '') return { url: env, origin: 'REDIS_URL', release: async () => {} };
  if (await pingRedis('127.0.0.1', 6379)) {
    return { url: 'redis://127.0.0.1:6379', origin: 'local', release: async () => {} };
  }
  let reason: string;
  if (existsSync(REDIS_SERVER_BIN)) {
    try {
      const p = await RedisProcess.start();
      return { url: p.url, origin: 'spawned', release: () => p.stop() };
    } catch (err) {
      reason = `could not start ${REDIS_SERVER_BIN}: ${(err as Error).message}`;
    }
  } else {
    reason = `no REDIS_URL, nothing on 127.0.0.1:6379 and no ${REDIS_SERVER_BIN}`;
  }
  if (REDIS_REQUIRED) throw new Error(`Redis is required (CI=true or TK_REQUIRE_REDIS=1) but ${reason}`);
  console.warn(`[tk-core tests] skipping Redis tests: ${reason}`);
  return null;
}

/** Whether redis-server can be run here (for fault tests, which need their own server). */
export function canRunRedisServer(): boolean {
  if (existsSync(REDIS_SERVER_BIN)) return true;
  if (REDIS_REQUIRED)
    throw new Error(`Redis fault tests are required but ${REDIS_SERVER_BIN} does not exist`);
  console.warn(`[tk-core tests] skipping Redis fault tests: no ${REDIS_SERVER_BIN}`);
  return false;
}

let prefixCounter = 0;

/** A key prefix of its own for one test. */
export function testPrefix(label = 't'): string {
  return `tktest:${label}:${process.pid}:${Date.now().toString(36)}:${++prefixCounter}:`;
}

/** Deletes every key starting with `prefix` (SCAN, never KEYS). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const spec = 'ioredis';
  const { Redis } = (await import(spec)) as typeof import('ioredis');
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
