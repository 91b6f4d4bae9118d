/**
 * Datapoints written into the OLDB's Redis by other clients, byte by byte:
 * whatever does not decode to the declared type reads INVALID with a DATA
 * error naming the datapoint, the field and what was expected, through the
 * store (read, watch) and through the manager (read, value$). Never VALID,
 * never a made-up value, never a raw JavaScript error.
 */
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, Quality, type Reading } from '../../src/index.js';
import {
  createRedisStore,
  OLDB_QUALITIES,
  OLDB_TYPES,
  type OldbEvent,
  type OldbSnapshot,
  type RedisOldbStore,
} from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const redis = await findRedis();

const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;

/** A well-formed hash of `type` with value JSON `v`, as the declare script writes it. */
const good = (type: string, v: string): Record<string, string> => ({
  type,
  v,
  t: '1700000000000',
  q: 'OK',
  s: '7',
});
const without = (h: Record<string, string>, field: string) => {
  const out = { ...h };
  delete out[field];
  return out;
};

/** [label, stored hash, field named in the error, words of what was expected] */
const TABLE: [string, Record<string, string>, string, RegExp][] = [
  ['integer "abc"', good('integer', '"abc"'), 'v', /integer/],
  ['integer 1.5', good('integer', '1.5'), 'v', /integer/],
  ['integer holding an object', good('integer', '{"a":1}'), 'v', /integer/],
  ['double "hello"', good('double', '"hello"'), 'v', /number/],
  ['scalar double [1,2,3]', good('double', '[1,2,3]'), 'v', /number/],
  ['boolean "yes"', good('boolean', '"yes"'), 'v', /true or false/],
  ['string 12', good('string', '12'), 'v', /string/],
  ['double[] 5', good('double[]', '5'), 'v', /array/],
  ['v deleted', without(good('double', '1'), 'v'), 'v', /missing/],
  ['t="abc"', { ...good('double', '1'), t: '"abc"' }, 't', /milliseconds/],
  ['t deleted', without(good('double', '1'), 't'), 't', /missing/],
  ['value not JSON', good('double', '1,5'), 'v', /JSON/],
  ['m.units=5', { ...good('double', '1'), 'm.units': '5' }, 'm.units', /string/],
  ['alarms stored as an object', { ...good('double', '1'), 'm.alarms': '{"low":1}' }, 'm.alarms', /pair/],
  ['metadata not JSON', { ...good('double', '1'), 'm.label': 'Speed' }, 'm.label', /JSON/],
  ['100,000-deep array in a double[]', good('double[]', deep(100_000)), 'v', /number/],
  ['100,000-deep array in a string', good('string', deep(100_000)), 'v', /string/],
  ['q unknown', { ...good('double', '1'), q: 'GOOD' }, 'q', /OK, SUSPECT, BAD/],
  ['q deleted', without(good('double', '1'), 'q'), 'q', /missing/],
  ['s not a counter', { ...good('double', '1'), s: '-3' }, 's', /counter/],
  ['unknown type', good('float128', '1'), 'type', /double/],
  ['type deleted (other fields left)', without(good('double', '1'), 'type'), 'type', /missing/],
  ['integer[] holding a string', good('integer[]', '[1,"2"]'), 'v', /element 1/],
  ['double[] holding null', good('double[]', '[1,null]'), 'v', /element 1/],
  ['double "nan" (not the stored spelling)', good('double', '"nan"'), 'v', /number/],
];

describe.skipIf(redis === null)('data written by other clients', () => {
  const url = redis?.url ?? '';
  const prefix = testPrefix('stored');
  let admin: Redis;
  let store: RedisOldbStore;
  const key = (path: string) => `${prefix}dp:${path}`;
  const pathOf = (i: number) => `/root/stored/p${i}`;

  beforeAll(async () => {
    admin = new Redis(url);
    store = createRedisStore({ url, prefix });
    for (let i = 0; i < TABLE.length; i++) await admin.hset(key(pathOf(i)), TABLE[i]![1]);
  });
  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
    await deletePrefix(url, prefix);
    await redis?.release();
  });

  const expectDataError = (err: unknown, i: number) => {
    const [label, , field, expected] = TABLE[i]!;
    const e = err as { code?: string; message?: string; details?: Record<string, unknown> };
    expect(e?.code, label).toBe('DATA');
    expect(e.message, label).toContain(pathOf(i));
    expect(e.message, label).toContain(`"${field}"`);
    expect(e.message, label).toMatch(expected);
    expect(String(e.message).length, label).toBeLessThan(400);
    expect(e.details?.path, label).toBe(pathOf(i));
    expect(e.details?.field, label).toBe(field);
  };

  it('store.read: every malformed datapoint of the table is a DATA error naming datapoint, field and expectation', async () => {
    for (let i = 0; i < TABLE.length; i++) {
      const err = await store.read(pathOf(i)).then(
        (s) => new Error(`${TABLE[i]![0]} read as ${JSON.stringify(s).slice(0, 100)}`),
        (e: unknown) => e,
      );
      expectDataError(err, i);
    }
    // the message shown in docs/oldb.md
    expect(((await store.read(pathOf(0)).catch((e: Error) => e)) as Error).message).toBe(
      `OLDB datapoint ${pathOf(0)} holds malformed data in field "v": type integer: expected a safe integer (a whole number within ±2^53-1), found the string "abc" (stored "\\"abc\\"")`,
    );
  });

  it('store.readMany and watches report each malformed datapoint on its own, next to good ones', async () => {
    await store.declare('/root/stored/good', { type: 'double', value: 2 }, { ifExists: 'replace' });
    const many = await store.readMany(['/root/stored/good', pathOf(0)]).catch((e: unknown) => e);
    // one bad datapoint fails a readMany as a whole, naming it
    expect((many as { code: string }).code).toBe('DATA');
    const queues = TABLE.map(() => new EventQueue<OldbEvent>());
    const subs = queues.map((q, i) => store.subscribe(pathOf(i), q.push));
    const goodQ = new EventQueue<OldbEvent>();
    subs.push(store.subscribe('/root/stored/good', goodQ.push));
    for (let i = 0; i < TABLE.length; i++) {
      const ev = await queues[i]!.next();
      expect(ev.kind, TABLE[i]![0]).toBe('error');
      expectDataError(ev.kind === 'error' && ev.error, i);
    }
    const g = await goodQ.next();
    expect(g.kind === 'snapshot' && g.snapshot.value).toBe(2);
    for (const s of subs) s.unsubscribe();
  });

  it('through the manager: INVALID with the DATA error on read and on value$, never VALID', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url, prefix } },
    });
    try {
      for (let i = 0; i < TABLE.length; i++) {
        const a = m.attribute(`cii.oldb:${pathOf(i)}`);
        const r = await a.read({ cache: false }).catch((e: unknown) => ({ thrown: e }));
        const err = 'thrown' in r ? r.thrown : (r as Reading).error;
        if (!('thrown' in r)) expect((r as Reading).quality, TABLE[i]![0]).toBe(Quality.INVALID);
        expectDataError(err, i);
        const q = new EventQueue<Reading>();
        const sub = a.value$.subscribe(q.push);
        const live = await q.next((x) => x.error !== undefined);
        expect(live.quality).toBe(Quality.INVALID);
        expectDataError(live.error, i);
        expect(q.all.every((x) => x.quality !== Quality.VALID)).toBe(true);
        sub.unsubscribe();
      }
    } finally {
      await m.dispose();
    }
  });

  it('a datapoint repaired by its producer reads VALID again', async () => {
    const path = '/root/stored/repaired';
    await admin.hset(key(path), good('integer', '"abc"'));
    const q = new EventQueue<OldbEvent>();
    const sub = store.subscribe(path, q.push);
    expect((await q.next()).kind).toBe('error');
    await store.declare(path, { type: 'integer', value: 4 }, { ifExists: 'replace' });
    const ev = await q.next((e) => e.kind === 'snapshot');
    expect(ev.kind === 'snapshot' && ev.snapshot.value).toBe(4);
    sub.unsubscribe();
  });

  it('keys of another kind: DATA errors naming the key, nothing half-written, the other writes of a tick unaffected', async () => {
    const p2 = testPrefix('kinds');
    const s2 = createRedisStore({ url, prefix: p2 });
    const k = (x: string) => `${p2}${x}`;
    const code = async (p: Promise<unknown>) => {
      const e = (await p.then(
        () => ({ code: 'none', message: '' }),
        (x: unknown) => x,
      )) as { code: string; message: string };
      return e;
    };
    try {
      await s2.declare('/root/k/good', { type: 'integer', value: 1 });
      await s2.declare('/root/k/bad', { type: 'integer', value: 1 });
      await admin.del(k('dp:/root/k/bad'));
      await admin.set(k('dp:/root/k/bad'), 'a string');
      // reads and watches
      const r = await code(s2.read('/root/k/bad'));
      expect(r.code).toBe('DATA');
      expect(r.message).toContain(`"${k('dp:/root/k/bad')}"`);
      expect(r.message).toContain('a hash');
      const q = new EventQueue<OldbEvent>();
      const sub = s2.subscribe('/root/k/bad', q.push);
      const ev = await q.next();
      expect(ev.kind === 'error' && (ev.error as unknown as { code: string }).code).toBe('DATA');
      sub.unsubscribe();
      // writes of one tick: the bad one refused, the good one applied
      const [w1, w2] = await Promise.allSettled([
        s2.write('/root/k/bad', { value: 2 }),
        s2.write('/root/k/good', { value: 2 }),
      ]);
      expect(w1.status === 'rejected' && (w1.reason as { code: string }).code).toBe('DATA');
      expect(w1.status === 'rejected' && (w1.reason as Error).message).toContain('nothing was written');
      expect(w2.status).toBe('fulfilled');
      expect(await admin.get(k('dp:/root/k/bad'))).toBe('a string');
      for (const op of [
        () => s2.declare('/root/k/bad', { type: 'integer' }, { ifExists: 'replace' }),
        () => s2.updateMetadata('/root/k/bad', { label: 'x' }),
      ]) {
        expect((await code(op())).code).toBe('DATA');
      }
      expect(await admin.get(k('dp:/root/k/bad'))).toBe('a string');
      // a tree key of another kind: the declaration is refused whole
      await admin.set(k('tree:/root/t2'), 'junk');
      const seqBefore = await admin.get(k('seq'));
      const d = await code(s2.declare('/root/t2/x', { type: 'double' }));
      expect(d.code).toBe('DATA');
      expect(d.message).toContain(`"${k('tree:/root/t2')}"`);
      expect(await admin.exists(k('dp:/root/t2/x'))).toBe(0);
      expect(await admin.get(k('seq'))).toBe(seqBefore);
      expect((await code(s2.listChildren('/root/t2'))).code).toBe('DATA');
      // junk members of a tree set are left out of listings
      await admin.sadd(k('tree:/root/k'), 'junk', 'd:', 'd:a/b', 'x:y');
      expect((await s2.listChildren('/root/k')).map((c) => c.name)).toEqual(['bad', 'good']);
      // a counter that is not an integer: nothing is written
      for (const junk of [
        () => admin.set(k('seq'), 'abc'),
        () => admin.del(k('seq')).then(() => admin.hset(k('seq'), 'a', '1')),
      ]) {
        await admin.del(k('seq'));
        await junk();
        const w = await code(s2.write('/root/k/good', { value: 3 }));
        expect(w.code).toBe('DATA');
        expect(w.message).toContain(`"${k('seq')}"`);
        expect(w.message).toContain('change counter');
        expect((await s2.read('/root/k/good')).value).toBe(2);
        expect((await code(s2.declare('/root/k/new', { type: 'double' }))).code).toBe('DATA');
        expect(await admin.exists(k('dp:/root/k/new'))).toBe(0);
        expect((await code(s2.updateMetadata('/root/k/good', { label: 'y' }))).code).toBe('DATA');
        expect((await s2.read('/root/k/good')).metadata.label).toBeUndefined();
      }
    } finally {
      await s2.close();
      await deletePrefix(url, p2);
    }
  });

  // ------------------------------------------------------------------ property

  /** The independent reading of the stored format (docs/oldb.md): the decoded snapshot, or null when malformed. */
  function oracle(h: Record<string, string>): { type: string; value: unknown } | null {
    const type = h.type;
    if (type === undefined || !(OLDB_TYPES as readonly string[]).includes(type)) return null;
    if (h.v === undefined || h.t === undefined || h.q === undefined || h.s === undefined) return null;
    let v: unknown;
    try {
      v = JSON.parse(h.v);
    } catch {
      return null;
    }
    const scalar = type.replace('[]', '');
    const fits = (x: unknown): boolean =>
      scalar === 'double'
        ? typeof x === 'number' || x === 'NaN' || x === 'Infinity' || x === '-Infinity'
        : scalar === 'integer'
          ? typeof x === 'number' && Number.isSafeInteger(x)
          : scalar === 'boolean'
            ? typeof x === 'boolean'
            : typeof x === 'string';
    if (type.endsWith('[]') ? !(Array.isArray(v) && v.every(fits)) : !fits(v)) return null;
    if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(h.t) || !Number.isFinite(Number(h.t))) return null;
    if (!(OLDB_QUALITIES as readonly string[]).includes(h.q)) return null;
    if (!/^\d+$/.test(h.s) || !Number.isSafeInteger(Number(h.s))) return null;
    for (const [k, text] of Object.entries(h)) {
      if (!k.startsWith('m.')) continue;
      let x: unknown;
      try {
        x = JSON.parse(text);
      } catch {
        return null;
      }
      const f = k.slice(2);
      const limits = (l: unknown) =>
        Array.isArray(l) &&
        l.length === 2 &&
        l.every((y) => y === null || (typeof y === 'number' && !Number.isNaN(y))) &&
        (l[0] === null || l[1] === null || l[0] <= l[1]);
      if (['range', 'alarms', 'warnings'].includes(f) && !limits(x)) return null;
      if (f === 'writable' && typeof x !== 'boolean') return null;
      if (['description', 'label', 'units', 'format'].includes(f) && typeof x !== 'string') return null;
    }
    return { type, value: v };
  }

  const json = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((x) => JSON.stringify(x) ?? 'null'),
    fc.constantFrom('"NaN"', '"Infinity"', '"-Infinity"', '[1,"NaN"]', '1e400', '-0', '[]', '[[1]]'),
    fc.string({ maxLength: 12 }),
  );
  const field = (values: fc.Arbitrary<string>) => fc.option(values, { nil: undefined, freq: 4 });
  const hashArb = fc.record({
    type: field(fc.oneof(fc.constantFrom(...OLDB_TYPES), fc.string({ maxLength: 8 }))),
    v: field(json),
    t: field(
      fc.oneof(fc.integer().map(String), fc.double().map(String), fc.constantFrom('', ' 1', '1e3', '0x10')),
    ),
    q: field(fc.oneof(fc.constantFrom(...OLDB_QUALITIES), fc.string({ maxLength: 8 }))),
    s: field(fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '1.5', 'x', ''))),
    'm.units': field(json),
    'm.alarms': field(json),
    'm.writable': field(json),
  });

  it('property: a hash written with HSET decodes iff it fits its declared type; otherwise a DATA error', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url, prefix } },
    });
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(hashArb, async (raw) => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(raw)) if (v !== undefined) h[k] = v;
          const path = `/root/prop/p${n++}`;
          await admin.del(key(path));
          if (Object.keys(h).length > 0) await admin.hset(key(path), h);
          const expected = Object.keys(h).length === 0 ? undefined : oracle(h);
          const got = await store.read(path).then(
            (s: OldbSnapshot) => s,
            (e: { code: string }) => e,
          );
          if (Object.keys(h).length === 0) {
            expect((got as { code: string }).code).toBe('NOT_FOUND');
            return;
          }
          if (expected === null) {
            expect((got as { code: string }).code, JSON.stringify(h)).toBe('DATA');
          } else {
            const s = got as OldbSnapshot;
            expect(s.type, JSON.stringify(h)).toBe(expected?.type);
            expect(Number.isFinite(s.timestamp)).toBe(true);
          }
          // and through the manager: never VALID unless it decodes
          const r = await m
            .attribute(`cii.oldb:${path}`)
            .read({ cache: false })
            .catch(() => undefined);
          if (r !== undefined && r.quality === Quality.VALID)
            expect(expected, JSON.stringify(h)).not.toBe(null);
        }),
        { seed: 42, numRuns: 300 },
      );
    } finally {
      await m.dispose();
    }
  }, 60_000);
});
