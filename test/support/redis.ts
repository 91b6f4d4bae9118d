/**
 * Test support: finding a Redis server, and running our own `redis-server`
 * processes that fault tests can kill (SIGKILL) and restart on the same port.
 *
 * Order: `REDIS_URL`, else a server answering on 127.0.0.1:6379, else a
 * `redis-server` started here on a free loopback port. When none can be had,
 * tests skip with a printed reason, except with `CI=true` or
 * `TK_REQUIRE_REDIS=1`, where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REDIS_SERVER_BIN } from './redis-launch.mjs';
import { ServerProcess } from './server-process.js';

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

/**
 * A standalone `redis-server` owned by a test, on a fixed loopback port,
 * with a data directory of its own (removed by {@link RedisProcess.stop}).
 */
export class RedisProcess extends ServerProcess {
  /** `redis://host:port`. */
  readonly url: string;
  readonly #dir: string;

  private constructor(port: number, dir: string, options: RedisProcessOptions) {
    const bind = options.bind ?? ['127.0.0.1'];
    const args = ['--port', String(port), '--bind', bind.join(' '), '--dir', dir, '--save', ''];
    if (options.debugCommand ?? false) args.push('--enable-debug-command', 'local');
    args.push(
      ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    );
    super(port, args, bind[0]);
    this.url = `redis://${this.address}`;
    this.#dir = dir;
  }

  /** Starts a redis-server on a free port and waits until it accepts connections. */
  static async start(options: RedisProcessOptions = {}): Promise<RedisProcess> {
    const p = new RedisProcess(await freePort(), mkdtempSync(join(tmpdir(), 'tk-redis-')), options);
    await p.start();
    return p;
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
