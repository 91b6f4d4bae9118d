import { describe, expect, it } from 'vitest';
import { createManager, createVirtualClock, type Reading } from '../../src/index.js';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';
import { tapSinks } from '../../src/testing/index.js';

const make = (freezeReadings?: boolean) =>
  createManager({
    builtins: false,
    schemes: [createLocScheme(), createEvalScheme()],
    gcTime: 0,
    clock: createVirtualClock(1_000),
    ...(freezeReadings === undefined ? {} : { freezeReadings }),
  });

describe('readings', () => {
  it('are one object per update, shared by every subscriber, and not frozen by default', async () => {
    const m = make();
    const a = m.attribute('loc:/r/a?init=1');
    const first: Reading[] = [];
    const second: Reading[] = [];
    a.subscribe((r) => first.push(r));
    a.subscribe((r) => second.push(r));
    await a.write(2);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    for (const [k, r] of first.entries()) expect(second[k]).toBe(r);
    expect(Object.isFrozen(a.reading)).toBe(false);
    await m.dispose();
  });

  it('with freezeReadings, every reading published is frozen: pushed, written, read, polled and failed', async () => {
    const m = make(true);
    const a = m.attribute('loc:/r/a?init=1');
    const pushed: Reading[] = [];
    a.subscribe((r) => pushed.push(r));
    const written = await a.write(2);
    const read = await a.read({ cache: false });
    const polled = await m.attribute('eval:2*3').read();
    const failed = await m.attribute('eval:1/0').read();
    const all = [...pushed, written, read, polled, failed];
    expect(all.every((r) => r !== undefined && Object.isFrozen(r))).toBe(true);
    expect(failed.error?.code).toBe('EXPRESSION');
    // a test module is strict code: changing a shared reading throws instead of corrupting it
    expect(() => {
      (pushed[0] as { rvalue: unknown }).rvalue = 0;
    }).toThrow(TypeError);
    await m.dispose();
  });
});

describe('tapSinks', () => {
  it('reaches the sink of each attribute the real backend opened, and names what it has when asked for another', async () => {
    const tap = tapSinks(createLocScheme());
    const m = createManager({
      builtins: false,
      schemes: [tap.plugin],
      gcTime: 0,
      clock: createVirtualClock(1_000),
    });
    const a = m.attribute('loc:/r/a');
    expect(() => tap.sink(a.fullName)).toThrow(/No sink for loc:\/\/local\/r\/a: .*opened: none/);
    const seen: Reading[] = [];
    a.subscribe((r) => seen.push(r));
    tap.sink(a.fullName).reading({ rvalue: 5, time: 7_000 });
    expect(seen.map((r) => [String(r.rvalue), r.time])).toEqual([
      ['0', 1_000],
      ['5', 7_000],
    ]);
    // the rest of the backend is the real one
    expect(await m.device('loc:/r').children()).toEqual([a.fullName]);
    await m.dispose();
  });
});
