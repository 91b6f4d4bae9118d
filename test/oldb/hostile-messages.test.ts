/**
 * Messages published on a datapoint's channel by another client, in any
 * shape: none may throw, none may change a reading by itself. Each one that
 * does not fit is logged once per kind of problem and answered by reading
 * the datapoint again.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectionState,
  createManager,
  type LogRecord,
  Quality,
  type Quantity,
  type Reading,
  setLogLevel,
  setLogSink,
} from '../../src/index.js';
import { createRedisStore, type OldbEvent, type RedisOldbStore } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const redis = await findRedis();

/** Messages that do not fit, each sent twice: [message, kind of problem as logged]. */
const HOSTILE: [string, RegExp][] = [
  ['null', /not a JSON object/],
  ['{}', /k is not one of/],
  ['"x"', /not a JSON object/],
  ['0', /not a JSON object/],
  ['true', /not a JSON object/],
  ['[1,2]', /not a JSON object/],
  ['not json', /not JSON/],
  ['{"k":"v"}', /"v" message without a change counter/],
  ['{"k":"v","s":"9"}', /"v" message without a change counter/],
  ['{"k":"v","s":999999,"q":"OK","v":1}', /"v" message without a timestamp/],
  ['{"k":"v","s":999999,"t":1,"q":"MEH","v":1}', /"v" message without a quality/],
  ['{"k":"v","s":999999,"t":1,"q":"OK"}', /"v" message without a value/],
  ['{"k":"v","s":999999,"t":1,"q":"OK","v":"abc"}', /"v" message whose value is not of the datapoint's type/],
  ['{"k":"v","s":999999,"t":1,"q":"OK","v":1.5}', /"v" message whose value is not of the datapoint's type/],
  [
    `{"k":"v","s":999999,"t":1,"q":"OK","v":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    /"v" message whose value/,
  ],
  ['{"k":"m","s":999999}', /"m" message without valid metadata/],
  ['{"k":"m","s":999999,"m":{"units":5}}', /"m" message without valid metadata/],
  ['{"k":"d","s":999999}', /"d" message without a timestamp/],
  ['{"k":"d","s":999999,"t":1,"q":"OK","v":1,"m":{}}', /"d" message without a valid type/],
  ['{"k":"d","s":999999,"type":"integer","t":1,"q":"OK","v":1}', /"d" message without valid metadata/],
  ['{"k":"d","s":999999,"type":"integer","t":1,"q":"OK","v":"one","m":{}}', /"d" message whose value/],
  ['{"k":"z","s":999999}', /k is not one of/],
  ['{"k":"x"}', /"x" message without a change counter/],
];

describe.skipIf(redis === null)('malformed notifications from other clients', () => {
  const url = redis?.url ?? '';
  const prefix = testPrefix('hostile');
  const path = '/root/hostile/x';
  let admin: Redis;
  let writer: RedisOldbStore;
  const records: LogRecord[] = [];
  let previousSink: ReturnType<typeof setLogSink>;

  beforeAll(async () => {
    admin = new Redis(url);
    writer = createRedisStore({ url, prefix });
    previousSink = setLogSink((r) => records.push(r));
    setLogLevel('warning', 'oldb');
  });
  afterEach(() => {
    records.length = 0;
  });
  afterAll(async () => {
    setLogLevel('off', 'oldb');
    setLogSink(previousSink);
    await writer?.close();
    admin?.disconnect();
    await deletePrefix(url, prefix);
    await redis?.release();
  });

  const publishAll = async () => {
    for (const [message] of HOSTILE) {
      await admin.publish(`${prefix}ch:${path}`, message);
      await admin.publish(`${prefix}ch:${path}`, message);
    }
  };

  const expectLoggedOncePerKind = () => {
    const lines = records.filter((r) => r.message.includes('malformed OLDB notification'));
    for (const [message, kind] of HOSTILE) {
      expect(lines.filter((r) => kind.test(r.message)).length, message.slice(0, 60)).toBeGreaterThanOrEqual(
        1,
      );
    }
    // one line per kind, although every message came twice
    expect(new Set(lines.map((r) => r.message)).size).toBe(lines.length);
    for (const r of lines) expect(JSON.stringify(r.data).length).toBeLessThan(400);
  };

  it('store: no event changes until a real write; each kind logged once; the datapoint is read again', async () => {
    await writer.declare(path, { type: 'integer', value: 400 }, { ifExists: 'replace' });
    const store = createRedisStore({ url, prefix });
    try {
      const events = new EventQueue<OldbEvent>();
      store.subscribe(path, events.push);
      const first = await events.next();
      expect(first.kind === 'snapshot' && first.snapshot.value).toBe(400);
      await publishAll();
      const w = await writer.write(path, { value: 401 });
      const last = await events.next(
        (e) => (e.kind === 'value' && e.seq === w.seq) || (e.kind === 'snapshot' && e.snapshot.seq >= w.seq),
      );
      expect(
        last.kind === 'value' ? last.sample.value : last.kind === 'snapshot' && last.snapshot.value,
      ).toBe(401);
      // nothing else reached the watcher: no removal, no error, no other value
      for (const e of events.all) {
        expect(['snapshot', 'value']).toContain(e.kind);
        const v = e.kind === 'snapshot' ? e.snapshot.value : e.kind === 'value' ? e.sample.value : undefined;
        expect([400, 401]).toContain(v);
      }
      const stats = store.stats();
      expect(stats.malformed).toBeGreaterThanOrEqual(HOSTILE.length);
      expect(stats.rechecks).toBeGreaterThanOrEqual(1);
      expectLoggedOncePerKind();
    } finally {
      await store.close();
    }
  });

  it('manager: the attribute stays VALID with its value, connected, until a real write', async () => {
    await writer.declare(
      path,
      { type: 'integer', value: 400, metadata: { units: 'mm' } },
      { ifExists: 'replace' },
    );
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url, prefix } },
    });
    try {
      const a = m.attribute(`cii.oldb:${path}`);
      const readings = new EventQueue<Reading>();
      const states = new EventQueue<ConnectionState>();
      const s1 = a.value$.subscribe(readings.push);
      const s2 = a.connection$.subscribe(states.push);
      await readings.next((r) => r.quality === Quality.VALID);
      await publishAll();
      await writer.write(path, { value: 402 });
      await readings.next((r) => (r.rvalue as Quantity).magnitude === 402);
      for (const r of readings.all) {
        expect(r.quality).toBe(Quality.VALID);
        expect(r.error).toBeUndefined();
        expect([400, 402]).toContain((r.rvalue as Quantity).magnitude);
      }
      expect(states.all.filter((s) => s !== 'connecting' && s !== 'connected')).toEqual([]);
      s1.unsubscribe();
      s2.unsubscribe();
    } finally {
      await m.dispose();
    }
  });

  it('a well-formed value of the wrong type while the datapoint is held missing does not declare it', async () => {
    const missing = '/root/hostile/never';
    const store = createRedisStore({ url, prefix });
    try {
      const events = new EventQueue<OldbEvent>();
      store.subscribe(missing, events.push);
      const kinds = () => JSON.stringify(events.all.map((e) => e.kind));
      expect((await events.next()).kind, kinds()).toBe('error');
      await admin.publish(`${prefix}ch:${missing}`, '{"k":"v","s":5,"t":1,"q":"OK","v":3}');
      await admin.publish(`${prefix}ch:${missing}`, '{"k":"m","s":6,"m":{"label":"forged"}}');
      await writer.declare(missing, { type: 'double', value: 1.5 });
      const ev = await events.next((e) => e.kind === 'snapshot');
      expect(ev.kind === 'snapshot' && ev.snapshot.value, kinds()).toBe(1.5);
      expect(
        events.all.filter((e) => e.kind !== 'error' && e.kind !== 'snapshot'),
        kinds(),
      ).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
