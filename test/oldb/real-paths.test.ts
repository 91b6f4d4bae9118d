/**
 * Datapoints under any top-level node, as real installations name them
 * (`cii.oldb:/elt/tdm/ocm`, `cii.oldb:///elt/hlcc/...`), next to the seed's
 * `/root/...` ones: the stores, the tree, the scheme, the producer and the
 * `tk oldb` commands (issue 15 item 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, Quality, Quantity, type Reading } from '../../src/index.js';
import {
  createEmbeddedStore,
  createRedisStore,
  type OldbStore,
  startExampleProducer,
} from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { ensureBuilt, tk } from '../cli/tk-process.js';
import { canRunRedisServer, RedisProcess, testPrefix } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

const haveRedis = canRunRedisServer();
let redis: RedisProcess | undefined;

beforeAll(async () => {
  if (haveRedis) redis = await RedisProcess.start();
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

async function declareBoth(store: OldbStore): Promise<void> {
  await store.declare('/elt/tdm/ocm', {
    type: 'double',
    value: 2.5,
    metadata: { units: 'mm', label: 'OCM' },
  });
  await store.declare('/elt/hlcc/trksim/ctrl/state', { type: 'string', value: 'On' });
  await store.declare('/root/example/double/sine', { type: 'double', value: 0.5 });
}

function stores(): [string, () => { store: OldbStore; close: () => Promise<void> }][] {
  const list: [string, () => { store: OldbStore; close: () => Promise<void> }][] = [
    [
      'embedded',
      () => {
        const store = createEmbeddedStore();
        return { store, close: () => store.close() };
      },
    ],
  ];
  if (haveRedis) {
    list.push([
      'redis',
      () => {
        const store = createRedisStore({ url: redis!.url, prefix: testPrefix('paths') });
        return { store, close: () => store.close() };
      },
    ]);
  }
  return list;
}

describe.each(stores())('datapoints outside /root, %s store', (_label, open) => {
  it('are declared, read, written, watched and listed; the tree has every top-level node', async () => {
    const { store, close } = open();
    try {
      await declareBoth(store);
      expect(await store.listChildren('/')).toEqual([
        { name: 'elt', path: '/elt', kind: 'node' },
        { name: 'root', path: '/root', kind: 'node' },
      ]);
      expect(await store.listChildren('/elt')).toEqual([
        { name: 'hlcc', path: '/elt/hlcc', kind: 'node' },
        { name: 'tdm', path: '/elt/tdm', kind: 'node' },
      ]);
      expect(await store.listChildren('/elt/tdm')).toEqual([
        { name: 'ocm', path: '/elt/tdm/ocm', kind: 'datapoint' },
      ]);
      const q = new EventQueue<Parameters<Parameters<OldbStore['subscribe']>[1]>[0]>();
      const sub = store.subscribe('/elt/tdm/ocm', q.push);
      expect(await q.next()).toMatchObject({ kind: 'snapshot', snapshot: { value: 2.5 } });
      await store.write('/elt/tdm/ocm', { value: 3 });
      expect(await q.next()).toMatchObject({ kind: 'value', sample: { value: 3 } });
      sub.unsubscribe();
      expect((await store.read('/elt/hlcc/trksim/ctrl/state')).value).toBe('On');
      // removing the last datapoint under /elt prunes the whole branch; /root stays
      expect(await store.remove('/elt/tdm/ocm')).toBe(true);
      expect(await store.remove('/elt/hlcc/trksim/ctrl/state')).toBe(true);
      expect((await store.listChildren('/')).map((c) => c.name)).toEqual(['root']);
    } finally {
      await close();
    }
  });

  it('a datapoint lives in a node: a one-segment datapoint path is refused, naming it and a valid example', async () => {
    const { store, close } = open();
    try {
      const err = (await store.declare('/ocm', { type: 'double' }).catch((e: unknown) => e)) as {
        code: string;
        message: string;
      };
      expect(err.code).toBe('INVALID_NAME');
      expect(err.message).toContain('"/ocm"');
      expect(err.message).toContain('at least two segments');
      expect(err.message).toContain('/root/ocm');
      expect(await store.listChildren('/')).toEqual([]);
      // a one-segment node lists fine (empty)
      expect(await store.listChildren('/elt')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('through the scheme: names, readings, writes, devices and authorities, /root names unchanged', async () => {
    const { store, close } = open();
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
    try {
      await declareBoth(store);
      expect(m.isValidName('cii.oldb:/elt/tdm/ocm')).toBe(true);
      const ocm = m.attribute('cii.oldb:/elt/tdm/ocm');
      expect(m.attribute('cii.oldb:///elt/tdm/ocm#label')).toBe(ocm);
      expect(ocm.fullName).toBe('cii.oldb:/elt/tdm/ocm');
      const r = await ocm.read({ cache: false });
      expect(Quantity.isQuantity(r.rvalue) && r.rvalue.equals(Quantity.of(2.5, 'mm'))).toBe(true);
      expect(r.quality).toBe(Quality.VALID);
      expect(ocm.config.label).toBe('OCM');
      const readings = new EventQueue<Reading>();
      const sub = m.attribute('cii.oldb:///elt/hlcc/trksim/ctrl/state').value$.subscribe(readings.push);
      expect((await readings.next((x) => x.rvalue === 'On')).quality).toBe(Quality.VALID);
      await store.write('/elt/hlcc/trksim/ctrl/state', { value: 'Off' });
      await readings.next((x) => x.rvalue === 'Off');
      sub.unsubscribe();
      await ocm.write(Quantity.of(0.5, 'cm'));
      expect((await store.read('/elt/tdm/ocm')).value).toBe(5);
      expect(await m.authority('cii.oldb://').children()).toEqual(['cii.oldb:/elt', 'cii.oldb:/root']);
      expect(await m.device('cii.oldb:/elt').children()).toEqual(['cii.oldb:/elt/hlcc', 'cii.oldb:/elt/tdm']);
      expect(await m.device('cii.oldb:/elt/tdm').children()).toEqual(['cii.oldb:/elt/tdm/ocm']);
      expect(m.device('cii.oldb:/elt/tdm').fullName).toBe('cii.oldb:/elt/tdm');
      // the seed's names are the same objects with the same names as before
      const sine = m.attribute('cii.oldb:/root/example/double/sine');
      expect(sine.fullName).toBe('cii.oldb:/root/example/double/sine');
      expect(sine.simpleName).toBe('sine');
      expect(((await sine.read({ cache: false })).rvalue as Quantity).magnitude).toBe(0.5);
    } finally {
      await m.dispose();
      await close();
    }
  });

  it('the example producer runs under another node', async () => {
    const { store, close } = open();
    try {
      const p = await startExampleProducer(store, { rate: 50, under: '/elt/example', report: false });
      try {
        expect(p.paths).toContain('/elt/example/double/sine');
        expect(p.paths.every((x) => x.startsWith('/elt/example/'))).toBe(true);
        expect((await store.listChildren('/')).map((c) => c.name)).toEqual(['elt']);
        const q = new EventQueue<Parameters<Parameters<OldbStore['subscribe']>[1]>[0]>();
        const sub = store.subscribe('/elt/example/double/sine', q.push);
        await q.next((e) => e.kind === 'value');
        sub.unsubscribe();
      } finally {
        await p.stop();
      }
      await expect(startExampleProducer(store, { under: 'elt' })).rejects.toThrow(/"elt"/);
    } finally {
      await close();
    }
  });
});

describe.skipIf(!haveRedis)('tk oldb on paths outside /root', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 600_000);

  it('declare, set, get, ls, tree and tk read work on /elt paths', async () => {
    const run = (...args: string[]) => tk(['--redis', redis!.url, ...args]);
    const d = await run('oldb', 'declare', '/elt/tdm/ocm', 'double', '--units', 'mm', '--value', '4');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain('declared /elt/tdm/ocm: double = 4.0 mm');
    const s = await run('oldb', 'set', '/elt/tdm/ocm', '1 cm');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('-> 10.0 mm');
    const g = await run('oldb', 'get', '/elt/tdm/ocm');
    expect(g.stdout).toMatch(/^value\s+10\.0 mm$/m);
    const ls = await run('oldb', 'ls', '/');
    expect(ls.stdout).toMatch(/^elt\/$/m);
    const tree = await run('oldb', 'tree', '/elt');
    expect(tree.stdout).toMatch(/└── tdm/);
    expect(tree.stdout).toMatch(/└── ocm {2}double {2}10\.0 mm/);
    const read = await run('read', 'cii.oldb:/elt/tdm/ocm');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('10');
    const bad = await run('oldb', 'declare', '/ocm', 'double');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('at least two segments');
  }, 120_000);
});
