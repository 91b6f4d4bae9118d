import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createManager, createVirtualClock, Quality } from '../../src/index.js';
import {
  createEmbeddedStore,
  createRedisStore,
  type ExampleProducerReport,
  exampleQuality,
  limitState,
  startExampleProducer,
} from '../../src/oldb-store/index.js';
import { createOldbScheme, taurusQuality } from '../../src/schemes/oldb/index.js';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { EventQueue } from './event-queue.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('example producer', () => {
  it('declares the seed datapoints and updates them at its rate on its clock', async () => {
    const clock = createVirtualClock(0);
    const store = createEmbeddedStore({ clock });
    const p = await startExampleProducer(store, { rate: 10, clock });
    expect(p.paths).toHaveLength(13);
    expect((await store.listChildren('/root/example')).map((c) => c.name)).toEqual([
      'boolean',
      'double',
      'string',
    ]);
    for (let i = 0; i < 25; i++) {
      clock.advance(100);
      await settle();
    }
    expect(p.ticks).toBe(25);
    const sine = await store.read('/root/example/double/sine');
    expect(sine.timestamp).toBe(2500);
    expect(sine.value).toBeCloseTo(Math.sin((2 * Math.PI * 2500) / 10_000));
    expect(sine.metadata.units).toBe('V');
    expect((await store.read('/root/example/double/bigincrement')).value).toBeCloseTo(25);
    expect((await store.read('/root/example/double/smalldecrement')).value).toBeCloseTo(-0.25);
    expect((await store.read('/root/example/double/sinelimits')).metadata.alarms).toEqual([-0.7, 0.7]);
    expect((await store.read('/root/example/string/timestamp')).value).toBe(new Date(2500).toISOString());
    expect((await store.read('/root/example/boolean/switch')).value).toBe(false);
    for (let i = 0; i < 6; i++) {
      clock.advance(100);
      await settle();
    }
    expect((await store.read('/root/example/boolean/switch')).value).toBe(true);
    await p.stop();
    const ticks = p.ticks;
    clock.advance(1000);
    await settle();
    expect(p.ticks).toBe(ticks);
    await store.close();
  });

  it('declares again a datapoint removed from its store, says so once, keeps going, and stops by itself when its store is closed', async () => {
    const clock = createVirtualClock(0);
    const store = createEmbeddedStore({ clock });
    const reports: ExampleProducerReport[] = [];
    const p = await startExampleProducer(store, { rate: 10, clock, report: (r) => reports.push(r) });
    await store.remove('/root/example/double/tan');
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      await settle();
    }
    expect(reports.map((r) => r.state)).toEqual(['redeclared']);
    expect(reports[0]!.state === 'redeclared' && reports[0]!.paths).toEqual(['/root/example/double/tan']);
    expect(reports[0]!.message).toContain('/root/example/double/tan');
    const tan = await store.read('/root/example/double/tan');
    expect(tan.metadata.label).toBe('Tangent');
    expect(tan.timestamp).toBe(clock.now());
    // the other datapoints kept changing meanwhile
    expect((await store.read('/root/example/double/bigincrement')).value).toBeCloseTo(10 * 0.1 * p.ticks, 9);
    await store.close();
    clock.advance(100);
    await settle();
    expect(p.running).toBe(false);
    expect(clock.pending).toBe(0);
    await p.stop();
  });

  it('reads through tk-core with limits and qualities mapped', async () => {
    const clock = createVirtualClock(0);
    const store = createEmbeddedStore({ clock });
    const p = await startExampleProducer(store, { rate: 10, clock });
    const m = createManager({ builtins: false, gcTime: 0, clock, schemes: [createOldbScheme({ store })] });
    // t = 2.5 s: sine = 1 (BAD on sinequality, ALARM on sinelimits), cosine = 0
    for (let i = 0; i < 25; i++) {
      clock.advance(100);
      await settle();
    }
    expect(
      (await m.attribute('cii.oldb:/root/example/double/sinelimits').read({ cache: false })).quality,
    ).toBe(Quality.ALARM);
    expect(
      (await m.attribute('cii.oldb:/root/example/double/sinequality').read({ cache: false })).quality,
    ).toBe(Quality.INVALID);
    expect(
      (await m.attribute('cii.oldb:/root/example/double/cosinequality').read({ cache: false })).quality,
    ).toBe(Quality.VALID);
    await p.stop();
    await m.dispose();
    await store.close();
  });

  it('property: quality of every value follows the seed (BAD > 0.9, SUSPECT > 0.8) and maps to Taurus', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 2, noNaN: true }), (x) => {
        const q = exampleQuality(x);
        expect(q).toBe(Math.abs(x) > 0.9 ? 'BAD' : Math.abs(x) > 0.8 ? 'SUSPECT' : 'OK');
        const state = limitState(x, { alarms: [-0.7, 0.7], warnings: [-0.5, 0.5] });
        expect(state).toBe(Math.abs(x) > 0.7 ? 'alarm' : Math.abs(x) > 0.5 ? 'warning' : 'normal');
        const t = taurusQuality(q, state);
        const expected =
          q === 'BAD'
            ? Quality.INVALID
            : state === 'alarm'
              ? Quality.ALARM
              : q === 'SUSPECT' || state === 'warning'
                ? Quality.WARNING
                : Quality.VALID;
        expect(t).toBe(expected);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });
});

describe.skipIf(!canRunRedisServer())('example producer against a server that goes away', () => {
  it('reports failures once with counts and reason, declares everything again when the server comes back empty', async () => {
    const server = await RedisProcess.start(); // no persistence: it comes back empty
    const store = createRedisStore({ url: server.url, maxReconnectDelay: 100 });
    const reports = new EventQueue<ExampleProducerReport>();
    const p = await startExampleProducer(store, { rate: 20, report: reports.push });
    try {
      await server.kill();
      const failing = await reports.next((r) => r.state === 'failing', 10_000);
      expect(failing.state === 'failing' && failing.failed).toBe(13);
      expect(failing.state === 'failing' && failing.total).toBe(13);
      expect(failing.message).toMatch(
        /13 of 13 writes failed .*redis:\/\/127\.0\.0\.1:\d+\/0 is not reachable.*retrying every 50 ms/,
      );
      await server.start();
      const redeclared = await reports.next((r) => r.state === 'redeclared', 10_000);
      expect(redeclared.state === 'redeclared' && redeclared.paths).toHaveLength(13);
      const working = await reports.next((r) => r.state === 'working', 10_000);
      expect(working.state === 'working' && working.failedWrites).toBeGreaterThanOrEqual(13);
      expect(working.message).toContain('work again');
      // one report per change of state, not one per failed round
      expect(reports.all.filter((r) => r.state === 'failing')).toHaveLength(1);
      const sine = await store.read('/root/example/double/sine');
      expect(sine.metadata.units).toBe('V');
    } finally {
      await p.stop();
      await store.close();
      await server.stop();
    }
  }, 30_000);

  it('by default reports on standard error', async () => {
    const store = createEmbeddedStore();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const clock = createVirtualClock(0);
    try {
      const p = await startExampleProducer(store, { rate: 10, clock });
      await store.remove('/root/example/double/sine');
      clock.advance(100);
      await settle();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]![0])).toMatch(
        /^example producer: declared again 1 datapoint\(s\) missing from embedded/,
      );
      await p.stop();
    } finally {
      spy.mockRestore();
      await store.close();
    }
  });
});
