// Read after write (issue 11, item 1): once a write's promise resolves, every read through any name
// of that point, and of every eval attribute that depends on it, returns the written value or a
// newer one, cached or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AttributeNameValidator,
  AuthorityNameValidator,
  createManager,
  createVirtualClock,
  DataType,
  DeviceNameValidator,
  type ModelNames,
  type Reading,
  type SchemePlugin,
  withDeclaration,
} from '../../src/index.js';

const value = (r: Reading) => Number(r.rvalue);

describe('read after write', () => {
  it('an eval attribute reads the value just written to its input (the issue)', async () => {
    const m = createManager({ clock: createVirtualClock(1_000) });
    const x = m.attribute('loc:/q/x?init=1');
    const e = m.attribute('eval:{loc:/q/x?init=1}*2');
    expect(value(await e.read())).toBe(2);
    await x.write(5);
    expect(value(await e.read())).toBe(10);
    expect(value(await e.read({ cache: false }))).toBe(10);
    await m.dispose();
  });

  it('two names of one loc point: the second reads what the first wrote, at once', async () => {
    const m = createManager({ clock: createVirtualClock(1_000) });
    const a1 = m.attribute('loc:/q/y?init=1');
    const a2 = m.attribute('loc:/q/y');
    expect(value(await a1.read())).toBe(1);
    expect(value(await a2.read())).toBe(1);
    await a1.write(7);
    expect(value(await a2.read())).toBe(7);
    await m.dispose();
  });

  it('a read in flight when a write resolves is not joined by a read after it', async () => {
    // a scheme whose reads wait until the test lets them answer, with the value of when they started
    let stored = 1;
    const pending: (() => void)[] = [];
    const m = createManager({
      builtins: false,
      schemes: [
        slowScheme(
          () => stored,
          (v) => void (stored = v),
          pending,
        ),
      ],
      clock: createVirtualClock(1_000),
    });
    const a = m.attribute('slow:/d/a');
    const before = a.read();
    await a.write(2); // the write's own result is not a read
    const after = a.read();
    expect(pending.length).toBe(2); // the read after the write asked the backend again
    for (const answer of pending) answer();
    expect(value(await before)).toBe(1);
    expect(value(await after)).toBe(2);
    expect(value(await a.read())).toBe(2);
    await m.dispose();
  });

  it('an eval attribute over a cii.oldb datapoint reads the value just written', async () => {
    const m = createManager({ schemeOptions: { 'cii.oldb': { store: 'embedded' } } });
    const path = `/root/core-raw/${Math.random().toString(36).slice(2)}`;
    const x = m.attribute(`cii.oldb:${path}`);
    await x.write(withDeclaration(1));
    const e = m.attribute(`eval:{cii.oldb:${path}}*2`);
    expect(value(await e.read())).toBe(2);
    await x.write(4);
    expect(value(await e.read())).toBe(8);
    await m.dispose();
  });

  it('holds for any sequence of writes, reads, subscriptions and clock steps (fast-check)', {
    timeout: 120_000,
  }, async () => {
    // one manager for every run (an eval backend is costly to make); each run has its own point
    const clock = createVirtualClock(1_000);
    const m = createManager({ clock, gcTime: 1_000 });
    let run = 0;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('write' as const),
        at: fc.nat(2),
        v: fc.integer({ min: -99, max: 99 }),
      }),
      fc.record({ kind: fc.constant('read' as const), at: fc.nat(5), cache: fc.boolean() }),
      fc.record({ kind: fc.constant('subscribe' as const), at: fc.nat(5) }),
      fc.record({ kind: fc.constant('unsubscribe' as const), at: fc.nat(5) }),
      fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 1, max: 2_500 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const p = `loc:/q/p${run++}`;
        const names = [`${p}?init=1`, p, `${p}?type=float&init=1`];
        // each attribute with the value it must read when the point holds v
        const all: [string, (v: number) => number][] = [
          ...names.map((n): [string, (v: number) => number] => [n, (v) => v]),
          [`eval:{${p}?init=1}*2`, (v) => 2 * v],
          [`eval:{${p}}+{${p}?init=1}`, (v) => 2 * v],
          [`eval:{eval:{${p}}*2}+1`, (v) => 2 * v + 1],
        ];
        const subs = new Map<number, { unsubscribe(): void }>();
        let v = 1;
        // the point is declared before any bare name opens it
        await m.attribute(names[0]!).read();
        for (const o of ops) {
          if (o.kind === 'write') {
            await m.attribute(names[o.at]!).write(o.v);
            v = o.v;
          } else if (o.kind === 'read') {
            const [name, expected] = all[o.at]!;
            const r = await m.attribute(name).read({ cache: o.cache });
            expect(r.error).toBeUndefined();
            expect(value(r)).toBe(expected(v));
          } else if (o.kind === 'subscribe') {
            if (!subs.has(o.at))
              subs.set(
                o.at,
                m.attribute(all[o.at]![0]).subscribe(() => {}),
              );
          } else if (o.kind === 'unsubscribe') {
            subs.get(o.at)?.unsubscribe();
            subs.delete(o.at);
          } else {
            clock.advance(o.ms);
          }
        }
        for (const s of subs.values()) s.unsubscribe();
      }),
      { seed: 11, numRuns: 200 },
    );
    await m.dispose();
  });
});

/** A poll scheme `slow:/d/<name>` over one stored number whose reads answer when the test says so. */
function slowScheme(get: () => number, set: (v: number) => void, pending: (() => void)[]): SchemePlugin {
  class A extends AttributeNameValidator {
    readonly scheme = 'slow';
    override path = '(?<devname>/d)/(?<attrname>[a-z]+)';
    getNames(n: string): ModelNames | null {
      const g = this.getUriGroups(n);
      return (
        g && { fullName: `slow:/d/${g.attrname}`, normalName: `/d/${g.attrname}`, simpleName: g.attrname! }
      );
    }
  }
  class D extends DeviceNameValidator {
    readonly scheme = 'slow';
    override path = '(?<devname>/d)';
    getNames(): ModelNames {
      return { fullName: 'slow:/d', normalName: '/d', simpleName: 'd' };
    }
  }
  class Au extends AuthorityNameValidator {
    readonly scheme = 'slow';
  }
  return {
    scheme: 'slow',
    validators: { attribute: new A(), device: new D(), authority: new Au() },
    createBackend: () => ({
      openAttribute: () => ({
        mode: 'poll',
        config: { type: DataType.Float },
        read: () => {
          const v = get();
          return new Promise((resolve) => pending.push(() => resolve({ rvalue: v })));
        },
        write: async (x) => {
          set(Number(x));
          return undefined;
        },
        close() {},
      }),
    }),
  };
}
