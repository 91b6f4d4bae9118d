import { describe, expect, it } from 'vitest';
import {
  createManager,
  createVirtualClock,
  Quality,
  Quantity,
  type Reading,
  TkError,
} from '../../src/index.js';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import { createSeededRandom } from '../../src/schemes/eval/sandbox/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';
import { tapSinks } from '../../src/testing/index.js';

function make(options: Parameters<typeof createEvalScheme>[0] = {}) {
  const clock = createVirtualClock(1_000);
  const evalScheme = createEvalScheme({ random: createSeededRandom(3), ...options });
  const m = createManager({
    builtins: false,
    schemes: [createLocScheme(), evalScheme],
    gcTime: 0,
    clock,
    pollingPeriod: 3000,
  });
  return { m, clock, evalScheme };
}

/** A manager whose loc attributes' sinks can be pushed into, as the loc backend would. */
function withSinks() {
  const clock = createVirtualClock(1_000);
  const tap = tapSinks(createLocScheme());
  const m = createManager({ builtins: false, schemes: [tap.plugin, createEvalScheme()], gcTime: 0, clock });
  return { m, clock, sinks: tap };
}

const mag = (r: Reading | undefined) => (r?.rvalue as Quantity | undefined)?.magnitude;

/** Waits for the first value of `seen` satisfying `p`, bounded. */
async function until<T>(get: () => T | undefined, what: string, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('eval attributes with references', () => {
  it('evaluates once all inputs delivered their first reading, then on every change', async () => {
    const { m } = make();
    const a = m.attribute('loc:/t/a?init=2');
    const b = m.attribute('loc:/t/b?init=3');
    const e = m.attribute('eval:{loc:/t/a?init=2}*{loc:/t/b?init=3}');
    const seen: Reading[] = [];
    const sub = e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first reading');
    expect(seen).toHaveLength(1);
    expect(mag(seen[0])).toBe(6);
    await a.write(5);
    await until(() => seen[1], 'second reading');
    expect(mag(seen[1])).toBe(15);
    await b.write(10);
    await until(() => seen[2], 'third reading');
    expect(mag(seen[2])).toBe(50);
    sub.unsubscribe();
    await m.dispose();
  });

  it('exposes its expression and inputs, and unsubscribes its inputs after its last subscriber', async () => {
    const { m } = make();
    const e = m.attribute('eval:x=2;{loc:/s/a?init=1}+x');
    const s1 = e.subscribe(() => {});
    const s2 = e.subscribe(() => {});
    await until(() => e.reading, 'a reading');
    expect(mag(e.reading)).toBe(3);
    const input = m.attribute('loc:/s/a?init=1');
    const snapshotOf = (name: string) =>
      m
        .snapshot()
        .schemes.flatMap((sc) => sc.attributes)
        .find((x) => x.fullName === name) as unknown as {
        subscribers: number;
        source?: Record<string, unknown>;
      };
    const evalSnap = snapshotOf(e.fullName);
    expect(evalSnap.source?.expression).toBe('x=2;{loc://local/s/a?init=1}+x'.slice(4));
    expect(evalSnap.source?.inputs).toEqual([input.fullName]);
    expect(m.snapshot().edges).toContainEqual({ from: input.fullName, to: e.fullName });
    expect(snapshotOf(input.fullName).subscribers).toBe(1);
    s1.unsubscribe();
    expect(snapshotOf(input.fullName).subscribers).toBe(1);
    s2.unsubscribe();
    expect(snapshotOf(input.fullName)?.subscribers ?? 0).toBe(0);
    expect(snapshotOf(e.fullName)?.source?.subscribed ?? false).toBe(false);
    await m.dispose();
  });

  it('an INVALID input makes the result INVALID with an error naming the input, and it recovers', async () => {
    const { m } = make();
    const a = m.attribute('loc:/r/a?init=4');
    const e = m.attribute('eval:1/{loc:/r/a?init=4}');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first');
    expect(mag(seen[0])).toBe(0.25);
    await a.write(0);
    await until(() => seen[1], 'error reading');
    expect(seen[1]!.quality).toBe(Quality.INVALID);
    expect(seen[1]!.error).toBeInstanceOf(TkError);
    expect(seen[1]!.error!.message).toMatch(/division by zero/);
    expect(seen[1]!.error!.message).toContain('1/{loc://local/r/a?init=4}');
    await a.write(2);
    await until(() => seen[2], 'recovered');
    expect(seen[2]!.quality).toBe(Quality.VALID);
    expect(mag(seen[2])).toBe(0.5);
    await m.dispose();
  });

  it('an INVALID input names the input', async () => {
    const { m } = make();
    const a = m.attribute('loc:/i/a?init=1');
    const e = m.attribute('eval:{eval:1/{loc:/i/a?init=1}}+1');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first');
    expect(mag(seen[0])).toBe(2);
    await a.write(0);
    await until(() => seen.find((r) => r.error !== undefined), 'error');
    const bad = seen.find((r) => r.error !== undefined)!;
    expect(bad.quality).toBe(Quality.INVALID);
    expect(bad.error!.message).toMatch(
      /the input \{eval:\/\/localhost\/@DefaultEvaluator\/1\/\{loc:\/\/local\/i\/a\?init=1\}\} is INVALID/,
    );
    await m.dispose();
  });

  it('inputs that start together give one first reading, computed from all of them', async () => {
    const { m } = make();
    const e = m.attribute('eval:{eval:{loc:/g/a?init=3}*2}-{loc:/g/a?init=3}*2+{loc:/g/a?init=3}');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first');
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(1);
    expect(mag(seen[0])).toBe(3);
    await m.dispose();
  });

  it('references to eval attributes nest', async () => {
    const { m } = make();
    const a = m.attribute('loc:/n/a?init=1');
    const e = m.attribute('eval:{eval:{loc:/n/a?init=1}*10}+1');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first');
    expect(mag(seen[0])).toBe(11);
    await a.write(2);
    await until(() => seen[1], 'second');
    expect(mag(seen[1])).toBe(21);
    await m.dispose();
  });

  it('read({cache:false}) re-reads the inputs', async () => {
    const { m } = make();
    const a = m.attribute('loc:/c/a?init=1&units=m');
    const e = m.attribute('eval:{loc:/c/a?init=1&units=m}*2');
    expect(String((await e.read({ cache: false })).rvalue)).toBe('2 m');
    await a.write(3);
    const r = await e.read({ cache: false });
    expect((r.rvalue as Quantity).magnitude).toBe(6);
    expect((r.rvalue as Quantity).units).toBe('m');
    expect(e.config.units).toBe('m');
    await m.dispose();
  });

  it('a reading carries the time of the newest input it was computed from, not the clock', async () => {
    const { m, sinks, clock } = withSinks();
    const a = m.attribute('loc:/t/a?init=1');
    const b = m.attribute('loc:/t/b?init=1');
    const e = m.attribute('eval:{loc:/t/a?init=1}*{loc:/t/b?init=1}');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first reading');
    const push = (x: typeof a, rvalue: number, time: number) =>
      sinks.sink(x.fullName).reading({ rvalue, time });
    // two inputs: each change is evaluated by the scheduler's flush, after the pushing code
    const next = async (n: number) => {
      const r = await until(() => seen[n], `reading ${n}`);
      return [mag(r), r.time];
    };
    push(a, 2, 10_000);
    expect(await next(1)).toEqual([2, 10_000]);
    push(b, 3, 20_000);
    expect(await next(2)).toEqual([6, 20_000]);
    // an input whose new reading is older than the other input's keeps the newer time
    push(a, 4, 15_000);
    expect(await next(3)).toEqual([12, 20_000]);
    push(b, 5, 30_000);
    expect(await next(4)).toEqual([20, 30_000]);
    // an uncached read reads the inputs' backend (the loc store, which the pushes above went
    // around: a=1 and b=1 at 1000) and takes the time of the newest input it read
    clock.advance(39_000);
    await a.write(7); // loc stamps a write with the manager's clock: 40,000
    clock.advance(5_000);
    const r = await e.read({ cache: false });
    expect([mag(r), r.time]).toEqual([7, 40_000]);
    await m.dispose();
  });

  it('an error reading is stamped by the clock', async () => {
    const { m, sinks, clock } = withSinks();
    const a = m.attribute('loc:/t/a?init=1');
    const e = m.attribute('eval:{loc:/t/a?init=1}+1');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first reading');
    clock.advance(4_000);
    sinks.sink(a.fullName).error(new TkError('BACKEND_UNAVAILABLE', 'no data'));
    expect(e.reading?.quality).toBe(Quality.INVALID);
    expect(e.reading?.time).toBe(5_000);
    await m.dispose();
  });
});

describe('eval attributes without references', () => {
  it('are polled on the shared timer', async () => {
    const { m, clock } = make();
    const e = m.attribute('eval:rand()');
    const seen: Reading[] = [];
    e.subscribe((r) => seen.push(r));
    await until(() => seen[0], 'first poll');
    const first = mag(seen[0]) as number;
    expect(first).toBeGreaterThanOrEqual(0);
    clock.advance(3000);
    await until(() => seen[1], 'second poll');
    expect(mag(seen[1])).not.toBe(first);
    // stamped with the time of the evaluation, as Taurus does
    expect(seen.map((r) => r.time)).toEqual([1_000, 4_000]);
    await m.dispose();
  });

  it('have the label, type and format of the result, and empty limits', async () => {
    const { m } = make();
    const e = m.attribute('eval:zeros(3)');
    await e.read();
    expect(e.config.label).toBe('zeros(3)');
    expect(e.config.type).toBe('Float');
    expect(e.config.dataFormat).toBe('spectrum');
    expect(e.config.range).toEqual([undefined, undefined]);
    expect(e.config.writable).toBe(false);
    await m.dispose();
  });

  it('failures are INVALID readings naming the expression', async () => {
    const { m } = make();
    for (const [name, cause] of [
      ['eval:foo+1', /unknown symbol "foo"/],
      ['eval:1/0', /division by zero/],
      ['eval:Q("1m")+Q("1s")', /incompatible units/],
      ['eval:range(1,1e9)', /limit/],
    ] as const) {
      const r = await m.attribute(name).read();
      expect(r.quality).toBe(Quality.INVALID);
      expect(r.error?.message).toMatch(cause);
      expect(r.error?.message).toContain(JSON.stringify(name.slice(5)));
    }
    await m.dispose();
  });
});

describe('evaluator devices', () => {
  class Motor {
    #pos = 1.5;
    get position() {
      return Quantity.of(this.#pos, 'mm');
    }
    set position(v: unknown) {
      this.#pos = Quantity.isQuantity(v) ? (v.to('mm').magnitude as number) : Number(v);
    }
    twice(x: number) {
      return x * 2;
    }
    attributeConfig(expression: string) {
      return expression === 'position' ? { range: [0, 10] as const } : undefined;
    }
  }

  it('exposes symbols and writable properties', async () => {
    const { m } = make({ evaluators: { motor: Motor } });
    const pos = m.attribute('eval:@motor/position');
    expect(String((await pos.read()).rvalue)).toBe('1.5 mm');
    expect(pos.config.writable).toBe(true);
    expect(pos.config.range).toEqual([0, 10]);
    await pos.write(Quantity.of(0.5, 'cm'));
    expect(String((await pos.read({ cache: false })).rvalue)).toBe('5 mm');
    // 20 mm is outside the evaluator's range [0, 10]: refused, nothing written
    await expect(pos.write(Quantity.of(2, 'cm'))).rejects.toMatchObject({ code: 'OUT_OF_RANGE' });
    const t = m.attribute('eval:@motor/twice(3)*position');
    expect(String((await t.read()).rvalue)).toBe('30 mm');
    expect(t.config.writable).toBe(false);
    await m.dispose();
  });

  it('registered later, by object', async () => {
    const { m, evalScheme } = make();
    evalScheme.registerEvaluator('cfg', { gain: 4 });
    expect((await m.attribute('eval:@cfg/gain*2').read()).rvalue).toEqual(Quantity.of(8));
    await m.dispose();
  });

  it('an unknown evaluator is a clear error', async () => {
    const { m } = make();
    const r = await m.attribute('eval:@nothing/1+1').read();
    expect(r.quality).toBe(Quality.INVALID);
    expect(r.error?.message).toMatch(/Unknown evaluator "@nothing".*registerEvaluator/);
    const d = await m.attribute('eval:@os.path/1').read();
    expect(d.error?.message).toMatch(/Unknown evaluator/);
    await m.dispose();
  });
});
