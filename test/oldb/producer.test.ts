import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createManager,
  createVirtualClock,
  type LogRecord,
  Quality,
  setLogLevel,
  setLogSink,
} from '../../src/index.js';
import {
  createEmbeddedStore,
  exampleQuality,
  limitState,
  startExampleProducer,
} from '../../src/oldb/index.js';
import { createOldbScheme, taurusQuality } from '../../src/schemes/oldb/index.js';

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

  it('reports failing writes once (not per write), keeps going, and stops by itself when its store is closed', async () => {
    const clock = createVirtualClock(0);
    const store = createEmbeddedStore({ clock });
    const p = await startExampleProducer(store, { rate: 10, clock });
    const records: LogRecord[] = [];
    const previous = setLogSink((r) => records.push(r));
    setLogLevel('info', 'oldb.producer');
    try {
      await store.remove('/root/example/double/tan'); // its writes now fail every tick
      for (let i = 0; i < 10; i++) {
        clock.advance(100);
        await settle();
      }
      const warnings = records.filter((r) => r.area === 'oldb.producer' && r.level === 'warning');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toContain('fail');
      await store.declare('/root/example/double/tan', { type: 'double' });
      clock.advance(100);
      await settle();
      expect(
        records.filter((r) => r.area === 'oldb.producer' && r.message.includes('work again')),
      ).toHaveLength(1);
      // the other datapoints kept changing meanwhile
      expect((await store.read('/root/example/double/bigincrement')).value).toBeCloseTo(
        10 * 0.1 * p.ticks,
        9,
      );
      await store.close();
      clock.advance(100);
      await settle();
      expect(p.running).toBe(false);
      expect(clock.pending).toBe(0);
      await p.stop();
    } finally {
      setLogLevel('off', 'oldb.producer');
      setLogSink(previous);
    }
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
