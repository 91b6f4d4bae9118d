import { fc, test } from '@fast-check/vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { Controller, shallowEqual } from 'tk-core/ui';
import { describe, expect, it } from 'vitest';

interface CounterSnapshot {
  readonly count: number;
  readonly label: string;
}

class Counter extends Controller<CounterSnapshot> {
  disposedCalls = 0;
  constructor() {
    super({ count: 0, label: 'zero' });
  }
  set(count: number, label: string) {
    return this.publish({ count, label });
  }
  protected onDispose(): void {
    this.disposedCalls++;
  }
}

describe('Controller (the store every UI controller is)', () => {
  it('gives the current snapshot to a new listener at once (Svelte store contract), then each change', () => {
    const c = new Counter();
    const seen: CounterSnapshot[] = [];
    const stop = c.subscribe((s) => seen.push(s));
    c.set(1, 'one');
    stop();
    c.set(2, 'two');
    expect(seen.map((s) => s.count)).toEqual([0, 1]);
  });

  it('keeps the snapshot object when nothing it shows changed, so frameworks do not re-render', () => {
    const c = new Counter();
    const before = c.getSnapshot();
    let calls = 0;
    c.subscribe(() => calls++);
    expect(c.set(0, 'zero')).toBe(before);
    expect(c.getSnapshot()).toBe(before);
    expect(calls).toBe(1); // the initial call only
    c.set(0, 'nil');
    expect(c.getSnapshot()).not.toBe(before);
    expect(calls).toBe(2);
  });

  it('state$ replays the current snapshot and completes on dispose', async () => {
    const c = new Counter();
    const all = firstValueFrom(c.state$.pipe(toArray()));
    c.set(1, 'one');
    c.dispose();
    expect((await all).map((s) => s.count)).toEqual([0, 1]);
    expect(c.listenerCount).toBe(0);
  });

  it('dispose is idempotent, drops listeners, works with Symbol.dispose, and later publishes are ignored', () => {
    const c = new Counter();
    let calls = 0;
    c.subscribe(() => calls++);
    c[Symbol.dispose]();
    c.dispose();
    expect(c.disposedCalls).toBe(1);
    expect(c.disposed).toBe(true);
    c.set(5, 'five');
    expect(c.getSnapshot().count).toBe(0);
    expect(calls).toBe(1);
    let late = 0;
    c.subscribe(() => late++)();
    expect(late).toBe(1);
  });

  it('one throwing listener does not stop the others', async () => {
    const c = new Counter();
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      let got = 0;
      c.subscribe((s) => {
        if (s.count === 1) throw new Error('boom');
      });
      c.subscribe((s) => {
        got = s.count;
      });
      c.set(1, 'one');
      expect(got).toBe(1);
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(errors).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('refuses a listener that is not a function, naming it', () => {
    expect(() => new Counter().subscribe(42 as never)).toThrow(/listener must be a function, got number/);
  });
});

describe('shallowEqual', () => {
  test.prop([
    fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.constant(null)), {
      noNullPrototype: true,
    }),
  ])('a plain object equals a copy of itself and differs once a field changes', (o) => {
    expect(shallowEqual(o, { ...o })).toBe(true);
    const fresh = '\u0000'.repeat(1 + Math.max(0, ...Object.keys(o).map((k) => k.length)));
    expect(shallowEqual(o, { ...o, [fresh]: 1 })).toBe(false);
  });
  it('compares arrays element by element and nested objects by identity', () => {
    const inner = { a: 1 };
    expect(shallowEqual([1, inner], [1, inner])).toBe(true);
    expect(shallowEqual([1, { a: 1 }], [1, { a: 1 }])).toBe(false);
    expect(shallowEqual({ x: [1] }, { x: [1] })).toBe(false);
    expect(shallowEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(shallowEqual([1], { 0: 1 })).toBe(false);
  });
});
