import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AttributeConfig,
  type ConnectionState,
  createManager,
  type Manager,
  Quality,
  Quantity,
  type Reading,
} from '../../src/index.js';
import { createEmbeddedStore, type OldbStore } from '../../src/oldb-store/index.js';
import { createOldbScheme, withDeclaration } from '../../src/schemes/oldb/index.js';
import { EventQueue } from './event-queue.js';

let store: OldbStore;
let m: Manager;

beforeEach(async () => {
  store = createEmbeddedStore();
  await store.declare('/root/t/volt', {
    type: 'double',
    value: 0.5,
    metadata: { units: 'V', label: 'Voltage', range: [-10, 10], alarms: [-0.7, 0.7], warnings: [-0.5, 0.5] },
  });
  await store.declare('/root/t/count', { type: 'integer', value: 3 });
  await store.declare('/root/t/name', { type: 'string', value: 'a', metadata: { writable: false } });
  m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
});
afterEach(async () => {
  await m.dispose();
  await store.close();
});

async function rejects(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('cii.oldb scheme through the manager (embedded store)', () => {
  it('reads values as Quantities with config from metadata', async () => {
    const a = m.attribute('cii.oldb:/root/t/volt');
    const r = await a.read({ cache: false });
    expect(Quantity.isQuantity(r.rvalue) && r.rvalue.equals(Quantity.of(0.5, 'V'))).toBe(true);
    expect(r.quality).toBe(Quality.VALID);
    expect(a.config).toMatchObject({
      label: 'Voltage',
      units: 'V',
      range: [-10, 10],
      alarms: [-0.7, 0.7],
      warnings: [-0.5, 0.5],
      type: 'Float',
      dataFormat: 'scalar',
      writable: true,
    });
    expect(await m.getFragment('cii.oldb:/root/t/volt#rvalue.units')).toBe('V');
    expect(m.attribute('cii.oldb:///root/t/volt#label')).toBe(a);
  });

  it('pushes changes with OLDB quality and limits mapped to Taurus qualities', async () => {
    const a = m.attribute('cii.oldb:/root/t/volt');
    const q = new EventQueue<Reading>();
    const sub = a.value$.subscribe(q.push);
    await q.next((r) => r.quality === Quality.VALID);
    const cases: [number, 'OK' | 'SUSPECT' | 'BAD', Quality][] = [
      [0.6, 'OK', Quality.WARNING],
      [0.8, 'OK', Quality.ALARM],
      [-0.8, 'SUSPECT', Quality.ALARM],
      [0.1, 'SUSPECT', Quality.WARNING],
      [0.1, 'BAD', Quality.INVALID],
      [0.2, 'OK', Quality.VALID],
    ];
    for (const [value, quality, expected] of cases) {
      await store.write('/root/t/volt', { value, quality, timestamp: 1000 + value });
      const r = await q.next((x) => (x.rvalue as Quantity).magnitude === value && x.time === 1000 + value);
      expect(r.quality).toBe(expected);
      expect(r.error).toBeUndefined();
    }
    sub.unsubscribe();
  });

  it('turns metadata changes into config events and re-evaluates the quality', async () => {
    const a = m.attribute('cii.oldb:/root/t/volt');
    const configs = new EventQueue<AttributeConfig>();
    const readings = new EventQueue<Reading>();
    const s1 = a.events$.subscribe((e) => e.type === 'config' && configs.push(e.config));
    const s2 = a.value$.subscribe(readings.push);
    await readings.next();
    await store.updateMetadata('/root/t/volt', { alarms: [-0.1, 0.1], label: 'U' });
    const c = await configs.next((x) => x.label === 'U');
    expect(c.alarms).toEqual([-0.1, 0.1]);
    expect((await readings.next((r) => r.quality === Quality.ALARM)).quality).toBe(Quality.ALARM);
    s1.unsubscribe();
    s2.unsubscribe();
  });

  it('writes convert units, check type, range and writability, and write nothing on failure', async () => {
    const a = m.attribute('cii.oldb:/root/t/volt');
    await a.write(Quantity.of(250, 'mV'));
    expect((await store.read('/root/t/volt')).value).toBeCloseTo(0.25);
    await a.write(2);
    expect((await store.read('/root/t/volt')).value).toBe(2);
    const e1 = await rejects(a.write(Quantity.of(1, 'm')));
    expect(e1.code).toBe('UNIT_MISMATCH');
    expect(e1.message).toContain('/root/t/volt');
    const e2 = await rejects(a.write(Quantity.of(20, 'V')));
    expect(e2.code).toBe('OUT_OF_RANGE');
    expect(e2.message).toMatch(/\/root\/t\/volt.*range \[-10, 10\]/);
    const e3 = await rejects(a.write('high'));
    expect(e3.code).toBe('TYPE_MISMATCH');
    expect((await store.read('/root/t/volt')).value).toBe(2);
    const e4 = await rejects(m.attribute('cii.oldb:/root/t/count').write(1.5));
    expect(e4.code).toBe('TYPE_MISMATCH');
    const e5 = await rejects(m.attribute('cii.oldb:/root/t/name').write('b'));
    expect(e5.code).toBe('NOT_WRITABLE');
    expect((await store.read('/root/t/name')).value).toBe('a');
  });

  it('refuses writes to undeclared datapoints unless asked to declare them', async () => {
    const a = m.attribute('cii.oldb:/root/t/new');
    const e = await rejects(a.write(Quantity.of(2, 'mm')));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('/root/t/new');
    expect(await store.readMany(['/root/t/new'])).toEqual([undefined]);
    await a.write(withDeclaration(Quantity.of(2, 'mm')));
    expect(await store.read('/root/t/new')).toMatchObject({
      type: 'double',
      value: 2,
      metadata: { units: 'mm' },
    });
    await a.write(withDeclaration(Quantity.of(3, 'mm')));
    expect((await store.read('/root/t/new')).value).toBe(3);
  });

  it('reports an undeclared datapoint as an error reading, then the value once declared', async () => {
    const a = m.attribute('cii.oldb:/root/t/later');
    const readings = new EventQueue<Reading>();
    const sub = a.value$.subscribe(readings.push);
    const bad = await readings.next((r) => r.error !== undefined);
    expect(bad.quality).toBe(Quality.INVALID);
    expect(bad.error?.code).toBe('NOT_FOUND');
    await store.declare('/root/t/later', { type: 'boolean', value: true });
    expect((await readings.next((r) => r.error === undefined)).rvalue).toBe(true);
    sub.unsubscribe();
  });

  it('lists children of devices and authorities', async () => {
    expect(await m.device('cii.oldb:/root/t').children()).toEqual([
      'cii.oldb:/root/t/count',
      'cii.oldb:/root/t/name',
      'cii.oldb:/root/t/volt',
    ]);
    expect(await m.device('cii.oldb:/root').children()).toEqual(['cii.oldb:/root/t']);
    expect(await m.authority('cii.oldb://').children()).toEqual(['cii.oldb:/root']);
  });
});

describe('cii.oldb scheme configuration', () => {
  it('without a reachable default server, readings say so clearly (no silent fallback)', async () => {
    const mm = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url: 'redis://bob:hunter2@127.0.0.1:1', writeTimeout: 300 } },
    });
    const a = mm.attribute('cii.oldb:/root/example/double/sine');
    const states = new EventQueue<ConnectionState>();
    const readings = new EventQueue<Reading>();
    const s1 = a.connection$.subscribe(states.push);
    const s2 = a.value$.subscribe(readings.push);
    const r = await readings.next((x) => x.error !== undefined, 10_000);
    expect(r.quality).toBe(Quality.INVALID);
    expect(r.error?.code).toBe('BACKEND_UNAVAILABLE');
    expect(r.error?.message).toContain('redis://127.0.0.1:1/0');
    expect(r.error?.message).not.toContain('hunter2');
    await states.next((s) => s === 'disconnected');
    const w = await rejects(a.write(1));
    expect(w.code).toBe('BACKEND_UNAVAILABLE');
    expect(w.message).not.toContain('hunter2');
    s1.unsubscribe();
    s2.unsubscribe();
    await mm.dispose();
  });

  it('refuses unknown and conflicting options with clear errors, when the manager is created', () => {
    const bad = (opts: Record<string, unknown>) => {
      try {
        createManager({
          builtins: false,
          schemes: [createOldbScheme()],
          schemeOptions: { 'cii.oldb': opts },
        });
      } catch (err) {
        return String((err as Error).message);
      }
      throw new Error('expected createManager to throw');
    };
    expect(bad({ urll: 'x' })).toMatch(/Unknown cii\.oldb option "urll"/);
    const both = bad({ url: 'redis://u:secretpw@h', store: 'embedded' });
    expect(both).toMatch(/give one of them/);
    expect(both).not.toContain('secretpw');
    expect(bad({ url: 'http://h' })).toMatch(/redis: or rediss:/);
  });
});
