/**
 * The store-wide change counter going backwards (FLUSHDB and a
 * re-declaration, the counter key deleted or set back): watchers must not
 * freeze on the old state, they read the datapoint again. Against a
 * redis-server of this file's own (FLUSHDB).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManager, Quality, type Quantity, type Reading } from '../../src/index.js';
import { createRedisStore, type OldbEvent, type RedisOldbStore } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const enabled = canRunRedisServer();

/** The value a watcher event carries, if any. */
const carried = (e: OldbEvent) =>
  e.kind === 'snapshot' ? e.snapshot.value : e.kind === 'value' ? e.sample.value : undefined;

describe.skipIf(!enabled)('change counter regressions', () => {
  let server: RedisProcess;
  let admin: Redis;
  let writer: RedisOldbStore;
  const path = '/root/reg/x';

  beforeAll(async () => {
    server = await RedisProcess.start();
    admin = new Redis(server.url);
  });
  beforeEach(async () => {
    await writer?.close();
    await admin.flushdb();
    writer = createRedisStore({ url: server.url });
    await admin.set('oldb:seq', '1000');
    await writer.declare(path, { type: 'integer', value: 0 });
  });
  afterAll(async () => {
    await writer?.close();
    admin?.disconnect();
    await server?.stop();
  });

  /** A watcher that has seen the value 400 (through a notification when `quiet` is false). */
  async function watching(quiet: boolean): Promise<{ store: RedisOldbStore; events: EventQueue<OldbEvent> }> {
    if (quiet) await writer.write(path, { value: 400 });
    const store = createRedisStore({ url: server.url });
    const events = new EventQueue<OldbEvent>();
    store.subscribe(path, events.push);
    const first = await events.next((e) => e.kind === 'snapshot');
    if (!quiet) {
      await writer.write(path, { value: 400 });
      await events.next((e) => carried(e) === 400);
    } else expect(carried(first)).toBe(400);
    return { store, events };
  }

  for (const quiet of [false, true]) {
    const how = quiet ? 'a quiet watcher (no notification since its read)' : 'a watcher fed by notifications';
    it(`FLUSHDB and a re-declaration: ${how} follows the new datapoint`, async () => {
      const { store, events } = await watching(quiet);
      try {
        await admin.flushdb();
        const writer2 = createRedisStore({ url: server.url });
        await writer2.declare(path, { type: 'integer', value: 1001 });
        await writer2.write(path, { value: 1002 });
        await writer2.write(path, { value: 1003 });
        await events.next((e) => carried(e) === 1003, 5000, 'the value 1003 written after the flush');
        expect((await store.read(path)).value).toBe(1003);
        await writer2.close();
      } finally {
        await store.close();
      }
    });

    it(`the counter key deleted: ${how} follows the writes`, async () => {
      const { store, events } = await watching(quiet);
      try {
        await admin.del('oldb:seq');
        const w = await writer.write(path, { value: 7 });
        expect(w.seq).toBe(1); // the counter started again
        await events.next((e) => carried(e) === 7, 5000, 'the value 7 written after the counter was deleted');
        await writer.write(path, { value: 8 });
        await events.next((e) => carried(e) === 8);
      } finally {
        await store.close();
      }
    });
  }

  it('the counter set back below the last one seen: the next writes are followed', async () => {
    const { store, events } = await watching(false);
    try {
      await admin.set('oldb:seq', '5');
      for (const v of [11, 12, 13]) await writer.write(path, { value: v });
      await events.next((e) => carried(e) === 13, 5000, 'the value 13');
      // every value the watcher saw after 400 was one that was written
      const after = events.all.slice(events.all.findIndex((e) => carried(e) === 400));
      for (const e of after) if (carried(e) !== undefined) expect([400, 11, 12, 13]).toContain(carried(e));
    } finally {
      await store.close();
    }
  });

  it('through the manager: a subscribed attribute shows what any new reader sees', async () => {
    await writer.updateMetadata(path, { units: 'mm' });
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url: server.url } },
    });
    try {
      const a = m.attribute(`cii.oldb:${path}`);
      const readings = new EventQueue<Reading>();
      const sub = a.value$.subscribe(readings.push);
      await readings.next((r) => r.quality === Quality.VALID);
      await writer.write(path, { value: 400 });
      await readings.next((r) => (r.rvalue as Quantity).magnitude === 400);
      await admin.flushdb();
      await writer.declare(path, { type: 'integer', value: 1003, metadata: { units: 'mm' } });
      const r = await readings.next((x) => (x.rvalue as Quantity | undefined)?.magnitude === 1003);
      expect(r.quality).toBe(Quality.VALID);
      const fresh = await m.attribute(`cii.oldb:${path}`).read({ cache: false });
      expect((fresh.rvalue as Quantity).magnitude).toBe(1003);
      sub.unsubscribe();
    } finally {
      await m.dispose();
    }
  });
});
