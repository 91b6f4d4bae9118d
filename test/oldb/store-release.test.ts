/**
 * Stores named in URIs (`cii.oldb://host:port/...`) are closed after their
 * last user is gone plus the manager's grace period: the server's
 * connection count and the heap go back down.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, Quality, type Reading } from '../../src/index.js';
import { createRedisStore } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { canRunRedisServer, freePort, RedisProcess } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const enabled = canRunRedisServer();
const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

/** Forces a full garbage collection (vitest runs with --expose-gc) and returns the heap used. */
function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The servers a manager's cii.oldb backend holds stores of. */
function servers(m: ReturnType<typeof createManager>): unknown[] {
  const d = m.getBackend('cii.oldb').describe;
  return (d?.() as { servers: unknown[] } | undefined)?.servers ?? [];
}

/** Open TCP sockets of this process. */
function sockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

describe.skipIf(!enabled)('stores named in URIs are released', () => {
  let server: RedisProcess;
  let admin: Redis;

  beforeAll(async () => {
    server = await RedisProcess.start({ bind: ADDRESSES });
    admin = new Redis(server.url);
    const w = createRedisStore({ url: server.url });
    await w.declare('/root/rel/x', { type: 'double', value: 1 });
    await w.close();
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  /** The tk-core connections the server has, by the names tk-core gives them. */
  async function tkConnections(): Promise<number> {
    const list = (await admin.client('LIST')) as string;
    return list.split('\n').filter((l) => / name=tk-core-oldb/.test(l)).length;
  }

  /** Waits (bounded, by round trips to the server, no timers) until `n` tk-core connections remain. */
  async function connectionsBecome(n: number): Promise<number> {
    let c = await tkConnections();
    for (let i = 0; i < 2000 && c !== n; i++) c = await tkConnections();
    return c;
  }

  it('the connection count goes back down once the attributes of four servers are released', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store: 'embedded' })],
    });
    try {
      const names = ADDRESSES.map((a) => `cii.oldb://${a}:${server.port}/root/rel/x`);
      const subs = [];
      for (const name of names) {
        const q = new EventQueue<Reading>();
        subs.push(m.attribute(name).value$.subscribe(q.push));
        await q.next((r) => r.quality === Quality.VALID, 10_000);
      }
      expect(await tkConnections()).toBe(2 * ADDRESSES.length); // a command and a subscriber connection each
      expect(servers(m)).toHaveLength(4);
      for (const s of subs) s.unsubscribe();
      expect(await connectionsBecome(0)).toBe(0);
      expect(servers(m)).toHaveLength(0);
      // a name used again opens its server again
      const again = await m.attribute(names[1]!).read({ cache: false });
      expect(again.quality).toBe(Quality.VALID);
      m.flush();
      expect(await connectionsBecome(0)).toBe(0);
    } finally {
      await m.dispose();
    }
  });

  it('listing a server named in a URI does not keep its store', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store: 'embedded' })],
    });
    try {
      const children = await m.device(`cii.oldb://127.0.0.2:${server.port}/root/rel`).children();
      expect(children).toEqual([`cii.oldb://127.0.0.2:${server.port}/root/rel/x`]);
      expect(servers(m)).toHaveLength(0);
      expect(await connectionsBecome(0)).toBe(0);
    } finally {
      await m.dispose();
    }
  });

  it('200 servers on closed ports: after release no store is left and the heap goes back down', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store: 'embedded' })],
    });
    try {
      const ports = new Set<number>();
      while (ports.size < 200) ports.add(await freePort());
      const before = heapAfterGc();
      const socketsBefore = sockets();
      const subs = [];
      const queues: EventQueue<Reading>[] = [];
      for (const port of ports) {
        const q = new EventQueue<Reading>();
        queues.push(q);
        subs.push(m.attribute(`cii.oldb://127.0.0.1:${port}/root/rel/x`).value$.subscribe(q.push));
      }
      for (const q of queues) {
        const r = await q.next((x) => x.error !== undefined, 10_000);
        expect(r.error?.code).toBe('BACKEND_UNAVAILABLE');
      }
      const used = heapAfterGc();
      expect(servers(m)).toHaveLength(200);
      for (const s of subs) s.unsubscribe();
      subs.length = 0;
      queues.length = 0;
      expect(servers(m)).toHaveLength(0);
      // the stores close their connections on their next turn; then the memory they held can go
      // the stores close their connections over the next event-loop turns: wait for that (bounded, no timers)
      for (let i = 0; i < 1000 && sockets() > socketsBefore; i++) await new Promise((r) => setImmediate(r));
      expect(sockets()).toBeLessThanOrEqual(socketsBefore);
      const grown = used - before;
      expect(grown).toBeGreaterThan(0);
      // at least 80 % of what 200 stores took is given back (rounds of a few turns each, bounded)
      let after = heapAfterGc();
      for (let round = 0; round < 50 && after - before >= grown * 0.2; round++) {
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        after = heapAfterGc();
      }
      expect(after - before).toBeLessThan(grown * 0.2);
    } finally {
      await m.dispose();
    }
  }, 60_000);
});
