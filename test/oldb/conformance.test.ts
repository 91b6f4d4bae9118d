/**
 * The scheme conformance suite (src/testing/conformance.ts) on `cii.oldb`,
 * against the embedded store and against a Redis store (a key prefix of its
 * own per test, deleted afterwards), plus the failures the suite checks only
 * loosely: an undeclared datapoint and an unreachable server must read
 * INVALID with a clear error, never fall back to another store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createManager, type Manager, Quality, Quantity, type Reading } from '../../src/index.js';
import { createEmbeddedStore, createRedisStore, type OldbStore } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { type ConformanceSetup, schemeConformance, waitForReading } from '../../src/testing/index.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';

/** Declares the datapoints the suites use. */
async function declareAll(store: OldbStore): Promise<void> {
  await store.declare('/root/conf/pos', {
    type: 'double',
    value: 12.5,
    metadata: { units: 'mm', label: 'Position', range: [-1000, 1000], alarms: [-900, 900] },
  });
  await store.declare('/root/conf/count', { type: 'integer', value: 3 });
  await store.declare('/root/conf/name', { type: 'string', value: 'hello' });
  await store.declare('/root/conf/flag', { type: 'boolean', value: true });
  await store.declare('/root/conf/trace', { type: 'double[]', value: [1, 2, 3], metadata: { units: 'V' } });
  await store.declare('/root/x/y', { type: 'double', value: 1 });
}

const attributes = [
  'cii.oldb:/root/conf/pos',
  'cii.oldb:/root/conf/count',
  'cii.oldb:/root/conf/name',
  'cii.oldb:/root/conf/flag',
  'cii.oldb:/root/conf/trace',
];

const invalid = [
  'cii.oldb:/root', // no attribute
  'cii.oldb:/root//y', // empty segment
  'cii.oldb:/elt', // a node, not a datapoint
  'cii.oldb:root/x/y', // relative
  'cii.oldb:/root/x/y?units=mm', // no query in cii.oldb names
  'cii.oldb://user:secret@127.0.0.1/root/x/y', // credentials never in names
  'cii.oldb://127.0.0.1:0/root/x/y', // port 0
  'cii.oldb://127.0.0.1:06379/root/x/y', // leading zero: not canonical
  'cii.oldb:/root/x y/z', // space
];

/** Writing a quantity in other units stores it converted to the datapoint's units. */
const write: ConformanceSetup['write'] = {
  name: 'cii.oldb:/root/conf/pos',
  value: Quantity.of(0.25, 'm'),
  check: (r: Reading) =>
    Quantity.isQuantity(r.rvalue) &&
    r.rvalue.units === 'mm' &&
    Math.abs((r.rvalue.magnitude as number) - 250) < 1e-9 &&
    r.quality === Quality.VALID,
};

describe('cii.oldb conformance on the embedded store', () => {
  const stores = new Map<Manager, OldbStore>();
  schemeConformance(
    { describe, it, expect },
    {
      scheme: 'cii.oldb',
      async createManager() {
        const store = createEmbeddedStore();
        await declareAll(store);
        const m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
        stores.set(m, store);
        return m;
      },
      async cleanup(m) {
        await stores.get(m)?.close();
        stores.delete(m);
      },
      attributes,
      equivalent: [
        [
          'cii.oldb:/root/x/y',
          'cii.oldb:/root/x/y#label',
          'cii.oldb:///root/x/y',
          'cii.oldb:///root/x/y#rvalue.units',
        ],
        // an explicit server: the host is case-insensitive and the default port is written out
        [
          'cii.oldb://LocalHost/root/x/y',
          'cii.oldb://localhost:6379/root/x/y',
          'cii.oldb://localhost:6379/root/x/y#label',
        ],
      ],
      invalid,
      failing: 'cii.oldb:/root/conf/undeclared',
      write,
    },
  );
});

const redis = await findRedis();
afterAll(async () => {
  await redis?.release();
});

describe.skipIf(redis === null)('cii.oldb conformance on a Redis store', () => {
  const url = redis?.url ?? '';
  const hostPort = url.replace(/^redis:\/\//, '').replace(/\/.*$/, '');
  const port = hostPort.split(':')[1] ?? '6379';
  const runs = new Map<Manager, { store: OldbStore; prefix: string }>();
  const setup = (failing: string): ConformanceSetup => ({
    scheme: 'cii.oldb',
    async createManager() {
      const prefix = testPrefix('conformance');
      const store = createRedisStore({ url, prefix });
      await declareAll(store);
      const m = createManager({
        builtins: false,
        gcTime: 0,
        schemes: [createOldbScheme()],
        schemeOptions: { 'cii.oldb': { url, prefix, writeTimeout: 1000 } },
      });
      runs.set(m, { store, prefix });
      return m;
    },
    async cleanup(m) {
      const run = runs.get(m);
      runs.delete(m);
      if (run === undefined) return;
      await run.store.close();
      await deletePrefix(url, run.prefix);
    },
    attributes: [...attributes, `cii.oldb://${hostPort}/root/conf/pos`],
    equivalent: [
      ['cii.oldb:/root/x/y', 'cii.oldb:/root/x/y#label', 'cii.oldb:///root/x/y'],
      // the server spelled differently: host case, and the default port written out or not
      [
        `cii.oldb://LocalHost:${port}/root/x/y`,
        `cii.oldb://localhost:${port}/root/x/y#rvalue`,
        ...(port === '6379' ? ['cii.oldb://localhost/root/x/y'] : []),
      ],
    ],
    invalid,
    failing,
    write,
    timeout: 5000,
  });
  describe('failing: an undeclared datapoint', () => {
    schemeConformance({ describe, it, expect }, setup('cii.oldb:/root/conf/undeclared'));
  });
  describe('failing: a server that is down', () => {
    schemeConformance({ describe, it, expect }, setup('cii.oldb://127.0.0.1:1/root/a/b'));
  });
});

describe('cii.oldb failures read INVALID with a clear error, never from another store', () => {
  it('an undeclared datapoint names itself and says how to declare it', async () => {
    const store = createEmbeddedStore();
    await declareAll(store);
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
    try {
      const a = m.attribute('cii.oldb:/root/conf/undeclared');
      const s = a.subscribe(() => {});
      const r = await waitForReading(a, (x) => x.error !== undefined, 5000);
      expect(r.quality).toBe(Quality.INVALID);
      expect(r.rvalue ?? null).toBeNull();
      expect(r.error?.code).toBe('NOT_FOUND');
      expect(r.error?.message).toContain('/root/conf/undeclared');
      expect(r.error?.message).toMatch(/declare/);
      s.unsubscribe();
    } finally {
      await m.dispose();
      await store.close();
    }
  });

  it('a server that is down: INVALID, BACKEND_UNAVAILABLE naming it, disconnected, while the default OLDB works', async () => {
    // the default OLDB is an embedded store holding the same path: it must not answer for the other server
    const store = createEmbeddedStore();
    await store.declare('/root/a/b', { type: 'double', value: 42 });
    const m = createManager({
      builtins: false,
      gcTime: 0,
      // a write's time limit of an hour: a write that were queued could not fail within the test
      schemes: [createOldbScheme({ store, writeTimeout: 3_600_000 })],
    });
    try {
      const down = m.attribute('cii.oldb://127.0.0.1:1/root/a/b');
      const s = down.subscribe(() => {});
      const r = await waitForReading(down, (x) => x.error !== undefined, 5000);
      expect(r.quality).toBe(Quality.INVALID);
      expect(r.rvalue ?? null).toBeNull();
      expect(r.error?.code).toBe('BACKEND_UNAVAILABLE');
      expect(r.error?.message).toContain('127.0.0.1:1');
      const read = await down.read({ cache: false }).then(
        (x) => x,
        (e: unknown) => e,
      );
      if (read instanceof Error) expect((read as { code?: string }).code).toBe('BACKEND_UNAVAILABLE');
      else expect((read as Reading).quality).toBe(Quality.INVALID);
      const w = await down.write(1).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(w?.code).toBe('BACKEND_UNAVAILABLE');
      expect(w?.message).toContain('nothing was sent'); // refused, not queued until a time limit
      const ok = await m.attribute('cii.oldb:/root/a/b').read({ cache: false });
      expect(Number((ok.rvalue as Quantity<number>).magnitude)).toBe(42);
      s.unsubscribe();
    } finally {
      await m.dispose();
      await store.close();
    }
  });
});
