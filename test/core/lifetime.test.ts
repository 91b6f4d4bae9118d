import { describe, expect, it } from 'vitest';
import { createSimScheme } from '../../docs/examples/sim-scheme.js';
import {
  Attribute,
  createManager,
  createVirtualClock,
  getDefaultManager,
  isValidName,
} from '../../src/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';

const make = (gcTime = 1000) => {
  const clock = createVirtualClock(0);
  const m = createManager({
    builtins: false,
    schemes: [createLocScheme(), createSimScheme()],
    clock,
    gcTime,
  });
  return { m, clock };
};

describe('factory identity', () => {
  it('gives one object per canonical name, whatever the spelling', () => {
    const { m } = make();
    const a = m.attribute('loc:/id/x');
    expect(m.attribute('loc://local/id/x')).toBe(a);
    expect(m.attribute('loc:/id/x#label')).toBe(a);
    expect(m.attribute('loc:/id/x#rvalue.units')).toBe(a);
    expect(m.attribute('loc:/id/x')).toBe(a);
    expect(m.device('loc:/id')).toBe(m.device('loc://local/id'));
    expect(m.parentOf(a)).toBe(m.device('loc:/id'));
    expect(a.parent).toBe(m.device('loc:/id'));
    expect(a.parent?.parent).toBe(m.authority('loc://local'));
    expect(m.authority('loc://local')).toBe(m.parentOf(m.device('loc:/id')));
  });

  it('registering a second plugin for a taken scheme is an error', () => {
    const { m } = make();
    expect(() => m.registerScheme(createLocScheme())).toThrow(/scheme "loc" already uses that name/);
  });

  it('unknown schemes and names without scheme give clear errors', () => {
    const { m } = make();
    expect(() => m.attribute('nope:/a/b')).toThrow(
      /Unknown scheme "nope" in "nope:\/a\/b": registered schemes are "loc", "sim"/,
    );
    expect(() => m.attribute('/a/b')).toThrow(/no scheme and no default scheme/);
    m.setDefaultScheme('loc');
    expect(m.attribute('/a/b')).toBe(m.attribute('loc:/a/b'));
  });

  it('object() picks the first valid element type in Taurus order', () => {
    const { m } = make();
    expect(m.getValidTypesForName('loc:/a/b')).toEqual(['Attribute', 'Device']);
    expect(m.object('loc:/a/b')).toBe(m.attribute('loc:/a/b'));
    expect(m.object('loc:/a')).toBe(m.device('loc:/a'));
    expect(m.object('loc://local')).toBe(m.authority('loc://local'));
  });
});

describe('lifetime', () => {
  it('connects on the first subscriber and disconnects after the last, after the grace period', () => {
    const { m, clock } = make(1000);
    const a = m.attribute('loc:/life/x');
    const s1 = a.subscribe(() => {});
    const s2 = a.subscribe(() => {});
    expect(a.isOpen).toBe(true);
    s1.unsubscribe();
    s2.unsubscribe();
    clock.advance(999);
    expect(a.isOpen).toBe(true);
    const s3 = a.subscribe(() => {});
    clock.advance(5000);
    expect(a.isOpen).toBe(true);
    s3.unsubscribe();
    clock.advance(1000);
    expect(a.isOpen).toBe(false);
    expect(m.snapshot().totals.attributes).toBe(0);
    // the object a program kept is still the one the factory gives, and it reconnects on use
    expect(m.attribute('loc:/life/x')).toBe(a);
    a.subscribe(() => {}).unsubscribe();
    expect(m.snapshot().pendingReleases).toBe(1);
  });

  it('a hold keeps the object in the cache without connecting', () => {
    const { m, clock } = make(10);
    const a = m.attribute('loc:/hold/x');
    const h = a.hold();
    clock.advance(100);
    expect(m.snapshot().totals.attributes).toBe(1);
    h.dispose();
    h.dispose();
    clock.advance(10);
    expect(m.snapshot().totals.attributes).toBe(0);
  });

  it('100k create/subscribe/unsubscribe/release cycles leave no subscription, no timer, no cached object and a flat heap', async () => {
    const { m, clock } = make(50);
    const cycles = (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        const a = m.attribute(`sim:/const?value=${i}`);
        const s = a.subscribe(() => {});
        s.unsubscribe();
        if (i % 1000 === 999) clock.advance(50);
      }
      clock.advance(50);
    };
    const heap = async () => {
      // let FinalizationRegistry callbacks run between collections
      for (let k = 0; k < 5; k++) {
        globalThis.gc?.();
        await new Promise((r) => setTimeout(r, 5));
      }
      return process.memoryUsage().heapUsed;
    };
    cycles(0, 100_000); // warm up: compiled code, inline caches and tables reach their steady size
    const before = await heap();
    cycles(100_000, 100_000);
    const after = await heap();
    const snap = m.snapshot();
    expect(snap.totals).toEqual({ attributes: 0, subscribers: 0, openSources: 0 });
    expect(snap.pendingReleases).toBe(0);
    expect(snap.releaseTimerArmed).toBe(false);
    expect(snap.pollingTimers).toEqual([]);
    expect(clock.pending).toBe(0);
    expect(typeof globalThis.gc).toBe('function');
    // flat: under 10 bytes per cycle (a leaked attribute would cost hundreds)
    expect(after - before).toBeLessThan(1024 * 1024);
  });
});

describe('a disposed manager', () => {
  it('holds nothing of its objects any more, even while the program keeps the manager', async () => {
    const heap = async () => {
      for (let k = 0; k < 5; k++) {
        globalThis.gc?.();
        await new Promise((r) => setTimeout(r, 5));
      }
      return process.memoryUsage().heapUsed;
    };
    const { m } = make(60_000);
    m.attribute('loc:/disposed/warm'); // the scheme's first use (backend, compiled code) before measuring
    const before = await heap();
    for (let i = 0; i < 50_000; i++) m.attribute(`loc:/disposed/x${i}`);
    await m.dispose();
    const after = await heap();
    expect(typeof globalThis.gc).toBe('function');
    // entries left behind (names, weak references) would cost about 200 bytes per object: 10 MB here
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    expect(m.snapshot().totals.attributes).toBe(0);
    expect(() => m.attribute('loc:/disposed/x0')).toThrow(/dispos/);
  });
});

describe('polling', () => {
  it('one shared timer per period, readings on virtual time, none after the last subscriber leaves', async () => {
    const { m, clock } = make(0);
    const sine = m.attribute('sim:/sine?period=4');
    const ramp = m.attribute('sim:/ramp?period=4');
    const values: number[] = [];
    const events: string[] = [];
    const s1 = sine.subscribe((r) => values.push(Number(Number(r.rvalue))));
    const s2 = ramp.addListener((e) => events.push(e.type));
    await Promise.resolve();
    await Promise.resolve();
    expect(m.snapshot().pollingTimers).toEqual([{ period: 1000, members: 2 }]);
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      await new Promise((r) => setImmediate(r));
    }
    expect(values.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 1, 0, -1, 0].map((v) => v));
    expect(events.filter((e) => e === 'change').length).toBe(5);
    s1.unsubscribe();
    s2.unsubscribe();
    expect(m.snapshot().pollingTimers).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('periodic events for unchanged polled values, no value$ repeats', async () => {
    const { m, clock } = make(0);
    const c = m.attribute('sim:/const?value=3');
    const values: unknown[] = [];
    const types: string[] = [];
    c.subscribe((r) => values.push(Number(r.rvalue)));
    c.addListener((e) => types.push(e.type));
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(1000);
    }
    await new Promise((r) => setImmediate(r));
    expect(values).toEqual([3]);
    expect(types).toEqual(['config', 'change', 'periodic', 'periodic', 'periodic']);
  });

  it('read(cache) returns the kept reading while fresh and asks the backend otherwise', async () => {
    const { m, clock } = make(10_000);
    const r = m.attribute('sim:/ramp?period=100');
    const first = await r.read();
    clock.advance(500);
    expect(await r.read()).toBe(first);
    clock.advance(600);
    const second = await r.read();
    expect(second).not.toBe(first);
    expect(Number(Number(second.rvalue))).toBeCloseTo(0.011, 6);
    clock.advance(1);
    expect(await r.read({ cache: false })).not.toBe(second);
  });

  it('abort signals reject reads with an AbortError', async () => {
    const { m } = make(0);
    const ac = new AbortController();
    ac.abort();
    await expect(m.attribute('sim:/const').read({ signal: ac.signal })).rejects.toThrow();
  });
});

describe('the default manager', () => {
  it('serves Attribute(uri) with the built-in schemes', async () => {
    expect(isValidName('loc:/default/x')).toBe(true);
    const a = Attribute('loc:/default/x?init=4');
    expect(Number((await a.read()).rvalue)).toBe(4);
    expect(getDefaultManager().attribute('loc:/default/x?init=4')).toBe(a);
    expect(String(a)).toBe('Attribute<loc://local/default/x?init=4> 4 (VALID)');
  });
});

describe('async iteration', () => {
  it('yields the latest reading, skipping intermediate ones', async () => {
    const { m } = make(0);
    const a = m.attribute('loc:/iter/x');
    const it = a[Symbol.asyncIterator]();
    expect(Number((await it.next()).value.rvalue)).toBe(0);
    await a.write(1);
    await a.write(2);
    await a.write(3);
    expect(Number((await it.next()).value.rvalue)).toBe(3);
    await it.return?.();
    expect(a.subscriberCount).toBe(0);
  });
});

describe('ordering', () => {
  it('concurrent writes never make value$ go back in time', async () => {
    const { m } = make(0);
    const a = m.attribute('loc:/order/x?type=int');
    const seen: number[] = [];
    a.subscribe((r) => seen.push(Number(r.rvalue)));
    const results = await Promise.all([1, 2, 3, 4, 5].map((v) => a.write(v)));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => Number(r?.rvalue))).toEqual([1, 2, 3, 4, 5]);
    expect(Number((await a.read()).rvalue)).toBe(5);
  });

  it('a read that started before a push answers with the newer pushed reading', async () => {
    const { m } = make(0);
    const a = m.attribute('loc:/order/y?type=int');
    const seen: number[] = [];
    a.subscribe((r) => seen.push(Number(r.rvalue)));
    const reading = a.read({ cache: false });
    await a.write(7);
    expect(Number((await reading).rvalue)).toBe(7);
    expect(seen).toEqual([0, 7]);
  });
});

describe('released objects used again by name', () => {
  it('come back without a second validation once their spelling was used again, and the cache forgets them once collected', async () => {
    const { m } = make(0);
    const validator = m.getValidator('loc', 'Attribute');
    let validations = 0;
    const original = validator.getNames.bind(validator);
    validator.getNames = (n: string) => {
      if (n === 'loc:/again/x') validations++; // the spelling (the model names itself from its full name)
      return original(n);
    };
    const a = m.attribute('loc:/again/x');
    expect(validations).toBe(1);
    // the creation spelling is not indexed: its second use validates once and indexes it
    expect(m.attribute('loc:/again/x')).toBe(a);
    expect(validations).toBe(2);
    expect(m.attribute('loc:/again/x')).toBe(a);
    expect(validations).toBe(2);
    await a.read();
    expect(m.snapshot().totals.attributes).toBe(0);
    expect(m.attribute('loc:/again/x')).toBe(a);
    expect(validations).toBe(2);
    expect(m.snapshot().pendingReleases).toBe(0); // gcTime 0: released again at once
    validator.getNames = original;
  });
});

describe('released and used again, over and over', () => {
  it('counts as released only while released; the factory finds the same object throughout', async () => {
    const { m } = make(0);
    const held = Array.from({ length: 5 }, (_, i) => m.attribute(`loc:/again/r${i}`));
    // no grace period: released at creation (nothing uses them), still referenced by this test
    expect(m.snapshot().releasedStillReferenced).toBe(5);
    expect(m.snapshot().totals.attributes).toBe(0);
    for (let round = 0; round < 3; round++) await Promise.all(held.map((a) => a.read()));
    expect(m.snapshot().releasedStillReferenced).toBe(5);
    const s = held[0]!.subscribe(() => {});
    expect(m.snapshot().releasedStillReferenced).toBe(4);
    expect(m.snapshot().totals.attributes).toBe(1);
    expect(m.attribute('loc:/again/r0')).toBe(held[0]);
    s.unsubscribe();
    expect(m.snapshot().releasedStillReferenced).toBe(5);
    expect(m.snapshot().totals.attributes).toBe(0);
    for (const [i, a] of held.entries()) expect(m.attribute(`loc:/again/r${i}`)).toBe(a);
    await m.dispose();
  });
});
