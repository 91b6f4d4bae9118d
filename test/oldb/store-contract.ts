/**
 * The OLDB store contract: the same tests for every {@link OldbStore}
 * implementation, run with a factory that gives a fresh, empty store.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OldbEvent, OldbStore, OldbType, OldbValue } from '../../src/oldb-store/index.js';
import { EventQueue } from './event-queue.js';

/** What a factory gives: an empty store and how to clean up after it. */
export interface StoreFixture {
  readonly store: OldbStore;
  cleanup(): Promise<void>;
}

async function rejects(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

function isSnapshot(e: OldbEvent): e is Extract<OldbEvent, { kind: 'snapshot' }> {
  return e.kind === 'snapshot';
}

/** What a store promises beyond the common contract. */
export interface ContractOptions {
  /**
   * What the change counter orders: every change of the store (`store`: one
   * server, the embedded store), or the changes of each datapoint
   * (`datapoint`: a Redis Cluster, where no key is touched by every write).
   */
  readonly seqScope?: 'store' | 'datapoint';
}

/** Defines the contract tests for stores made by `factory`. */
export function defineStoreContract(
  label: string,
  factory: () => Promise<StoreFixture>,
  contract: ContractOptions = {},
): void {
  describe(`OLDB store contract: ${label}`, () => {
    let fx: StoreFixture;
    let store: OldbStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('declares a datapoint with the zero of its type, metadata, OK quality', async () => {
      const s = await store.declare('/root/a/x', {
        type: 'double',
        metadata: { units: 'V', label: 'X', alarms: [-1, 1] },
        timestamp: 1000,
      });
      expect(s).toMatchObject({
        path: '/root/a/x',
        type: 'double',
        value: 0,
        timestamp: 1000,
        quality: 'OK',
      });
      const r = await store.read('/root/a/x');
      expect(r.metadata).toEqual({ label: 'X', units: 'V', alarms: [-1, 1] });
      expect(r.seq).toBe(s.seq);
      for (const [type, zero] of [
        ['integer', 0],
        ['boolean', false],
        ['string', ''],
        ['string[]', []],
      ] as const) {
        await store.declare(`/root/z/${type.replace('[]', 'arr')}`, { type });
        expect((await store.read(`/root/z/${type.replace('[]', 'arr')}`)).value).toEqual(zero);
      }
    });

    it('refuses bad paths, types and metadata with errors naming them, storing nothing', async () => {
      const e1 = await rejects(store.declare('root/x', { type: 'double' }));
      expect(e1.code).toBe('INVALID_NAME');
      expect(e1.message).toContain('"root/x"');
      const e2 = await rejects(store.declare('/root/x', { type: 'float' as OldbType }));
      expect(e2.code).toBe('CONFIG');
      expect(e2.message).toContain('double');
      const e3 = await rejects(store.declare('/root/x', { type: 'double', metadata: { alarms: [2, 1] } }));
      expect(e3.message).toContain('"alarms"');
      const e4 = await rejects(
        store.declare('/root/x', { type: 'double', metadata: { colour: 'red' } as never }),
      );
      expect(e4.message).toContain('"colour"');
      const e5 = await rejects(store.declare('/root/x', { type: 'integer', value: 1.5 }));
      expect(e5.code).toBe('TYPE_MISMATCH');
      expect(await store.listChildren('/')).toEqual([]);
      expect((await rejects(store.read('/root/x'))).code).toBe('NOT_FOUND');
    });

    it('handles redeclaration: error, keep, replace; never a type change', async () => {
      await store.declare('/root/d', { type: 'double', value: 5, metadata: { units: 'm' } });
      expect((await rejects(store.declare('/root/d', { type: 'double' }))).code).toBe('CONFIG');
      const kept = await store.declare(
        '/root/d',
        { type: 'double', metadata: { units: 'V' } },
        { ifExists: 'keep' },
      );
      expect(kept.metadata).toEqual({ units: 'm' });
      expect(kept.value).toBe(5);
      const rep = await store.declare(
        '/root/d',
        { type: 'double', metadata: { units: 'V' } },
        { ifExists: 'replace' },
      );
      expect(rep).toMatchObject({ value: 5, metadata: { units: 'V' } });
      const e = await rejects(store.declare('/root/d', { type: 'string' }, { ifExists: 'replace' }));
      expect(e.code).toBe('TYPE_MISMATCH');
      expect(e.message).toContain('/root/d');
      expect((await store.read('/root/d')).type).toBe('double');
    });

    it('writes and reads back every type; refuses wrong types and undeclared datapoints, writing nothing', async () => {
      const cases: [OldbType, OldbValue][] = [
        ['double', 1.25],
        ['double', Number.NaN],
        ['double', Number.NEGATIVE_INFINITY],
        ['integer', -42],
        ['boolean', true],
        ['string', 'héllo "quoted" \\ \n'],
        ['double[]', [1, Number.POSITIVE_INFINITY, -0.5]],
        ['integer[]', [1, 2, 3]],
        ['boolean[]', [true, false]],
        ['string[]', ['a', '']],
      ];
      for (const [i, [type, value]] of cases.entries()) {
        const path = `/root/w/p${i}`;
        await store.declare(path, { type });
        const w = await store.write(path, { value, timestamp: 2000 + i, quality: 'SUSPECT' });
        expect(w.value).toEqual(value);
        const r = await store.read(path);
        expect(r).toMatchObject({ type, timestamp: 2000 + i, quality: 'SUSPECT' });
        expect(r.value).toEqual(value);
      }
      await store.declare('/root/w/int', { type: 'integer', value: 7 });
      const e = await rejects(store.write('/root/w/int', { value: 2.5 }));
      expect(e.code).toBe('TYPE_MISMATCH');
      expect(e.message).toContain('/root/w/int');
      expect(
        (await rejects(store.write('/root/w/int', { value: 1, quality: 'GOOD' as never }))).message,
      ).toContain('SUSPECT');
      expect((await rejects(store.write('/root/w/int', { value: [1] }))).code).toBe('TYPE_MISMATCH');
      expect((await store.read('/root/w/int')).value).toBe(7);
      const nf = await rejects(store.write('/root/w/nope', { value: 1 }));
      expect(nf.code).toBe('NOT_FOUND');
      expect(nf.message).toContain('/root/w/nope');
      expect((await store.listChildren('/root/w')).map((c) => c.name)).not.toContain('nope');
    });

    it('merges metadata patches, removing fields set to undefined', async () => {
      await store.declare('/root/m', { type: 'double', metadata: { units: 'V', label: 'M' } });
      const md = await store.updateMetadata('/root/m', {
        label: undefined,
        warnings: [null, 3],
        writable: false,
      });
      expect(md).toEqual({ units: 'V', warnings: [null, 3], writable: false });
      expect((await store.read('/root/m')).metadata).toEqual(md);
      expect((await rejects(store.updateMetadata('/root/m', { range: [1] as never }))).code).toBe('CONFIG');
      expect((await rejects(store.updateMetadata('/root/none', { label: 'x' }))).code).toBe('NOT_FOUND');
    });

    it('lists children as a tree without scanning, prunes empty nodes, refuses node/datapoint clashes', async () => {
      await store.declare('/root/example/double/sine', { type: 'double' });
      await store.declare('/root/example/double/cosine', { type: 'double' });
      await store.declare('/root/example/string/timestamp', { type: 'string' });
      expect(await store.listChildren('/')).toEqual([{ name: 'root', path: '/root', kind: 'node' }]);
      expect(await store.listChildren('/root/example')).toEqual([
        { name: 'double', path: '/root/example/double', kind: 'node' },
        { name: 'string', path: '/root/example/string', kind: 'node' },
      ]);
      expect((await store.listChildren('/root/example/double')).map((c) => [c.name, c.kind])).toEqual([
        ['cosine', 'datapoint'],
        ['sine', 'datapoint'],
      ]);
      expect(await store.listChildren('/root/nothing')).toEqual([]);
      expect(
        (await rejects(store.declare('/root/example/double/sine/x', { type: 'double' }))).message,
      ).toContain('ancestor /root/example/double/sine');
      expect((await rejects(store.declare('/root/example/double', { type: 'double' }))).message).toContain(
        'path node',
      );
      expect(await store.remove('/root/example/string/timestamp')).toBe(true);
      expect(await store.remove('/root/example/string/timestamp')).toBe(false);
      expect((await store.listChildren('/root/example')).map((c) => c.name)).toEqual(['double']);
    });

    it('reads many datapoints in one go', async () => {
      await store.declare('/root/r/a', { type: 'integer', value: 1 });
      await store.declare('/root/r/b', { type: 'string', value: 'b' });
      const r = await store.readMany(['/root/r/a', '/root/r/none', '/root/r/b']);
      expect(r.map((s) => s?.value)).toEqual([1, undefined, 'b']);
    });

    it('watchers get a snapshot first, then every change in order; unsubscribe stops them', async () => {
      await store.declare('/root/s/x', { type: 'double', value: 1, metadata: { units: 'mm' } });
      const q = new EventQueue<OldbEvent>();
      const sub = store.subscribe('/root/s/x', q.push);
      const first = await q.next();
      expect(first).toMatchObject({
        kind: 'snapshot',
        resync: false,
        snapshot: { value: 1, type: 'double' },
      });
      for (let i = 0; i < 20; i++) void store.write('/root/s/x', { value: i, timestamp: 10_000 + i });
      await store.updateMetadata('/root/s/x', { units: 'm' });
      await q.next((e) => e.kind === 'metadata');
      const values = q.all
        .filter((e) => e.kind === 'value')
        .map((e) => (e.kind === 'value' ? e.sample.value : 0));
      expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const seqs = q.all.map((e) => (e.kind === 'snapshot' ? e.snapshot.seq : 'seq' in e ? e.seq : 0));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      // a second watcher of the same datapoint gets the current state
      const q2 = new EventQueue<OldbEvent>();
      const sub2 = store.subscribe('/root/s/x', q2.push);
      const s2 = await q2.next();
      expect(s2).toMatchObject({ kind: 'snapshot', snapshot: { value: 19, metadata: { units: 'm' } } });
      sub.unsubscribe();
      sub.unsubscribe();
      await store.write('/root/s/x', { value: 99 });
      await q2.next((e) => e.kind === 'value');
      expect(q.all.some((e) => e.kind === 'value' && e.sample.value === 99)).toBe(false);
      sub2.unsubscribe();
    });

    it('a watcher of an undeclared datapoint gets an error, then a snapshot when declared, removed when removed', async () => {
      const q = new EventQueue<OldbEvent>();
      const sub = store.subscribe('/root/late/x', q.push);
      const e = await q.next();
      expect(e.kind).toBe('error');
      expect(e.kind === 'error' && e.error.message).toContain('/root/late/x');
      await store.declare('/root/late/x', { type: 'boolean', value: true });
      const s = await q.next(isSnapshot);
      expect(s.kind === 'snapshot' && s.snapshot.value).toBe(true);
      await store.remove('/root/late/x');
      await q.next((x) => x.kind === 'removed');
      sub.unsubscribe();
    });

    it('property: after any sequence of writes, a fresh reader sees the last acknowledged value and a watcher saw them all in order', async () => {
      await store.declare('/root/p/a', { type: 'integer' });
      await store.declare('/root/p/b', { type: 'integer' });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom('/root/p/a', '/root/p/b'), fc.integer()), {
            minLength: 1,
            maxLength: 30,
          }),
          async (writes) => {
            const q = new EventQueue<OldbEvent>();
            const sub = store.subscribe('/root/p/a', q.push);
            await q.next(isSnapshot);
            const acks = await Promise.all(writes.map(([p, v]) => store.write(p, { value: v })));
            const lastA = writes.filter(([p]) => p === '/root/p/a').map(([, v]) => v);
            if (lastA.length > 0) {
              await q.next(
                (e) => e.kind === 'value' && e.seq === acks.filter((a) => a.path === '/root/p/a').at(-1)!.seq,
              );
              const seen = q.all
                .filter((e) => e.kind === 'value')
                .map((e) => (e.kind === 'value' ? e.sample.value : 0));
              expect(seen).toEqual(lastA);
            }
            sub.unsubscribe();
            for (const p of ['/root/p/a', '/root/p/b']) {
              const mine = writes.filter(([x]) => x === p);
              if (mine.length > 0) expect((await store.read(p)).value).toBe(mine.at(-1)![1]);
            }
            // counters are unique store-wide, or per datapoint (and increasing with the acknowledgements)
            for (const p of contract.seqScope === 'datapoint' ? ['/root/p/a', '/root/p/b'] : [undefined]) {
              const seqs = acks.filter((a) => p === undefined || a.path === p).map((a) => a.seq);
              expect(new Set(seqs).size).toBe(seqs.length);
              if (p !== undefined) expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
            }
          },
        ),
        { numRuns: 25, seed: 4242 },
      );
    });

    it('writes issued in one tick are applied in order, each acknowledged or refused on its own', async () => {
      await store.declare('/root/t/a', { type: 'integer', value: 0 });
      await store.declare('/root/t/s', { type: 'string', value: 'keep' });
      const q = new EventQueue<OldbEvent>();
      const sub = store.subscribe('/root/t/a', q.push);
      await q.next(isSnapshot);
      const calls = [
        store.write('/root/t/a', { value: 1 }),
        store.write('/root/t/none', { value: 5 }),
        store.write('/root/t/a', { value: 2 }),
        store.write('/root/t/s', { value: 3 as never }),
        store.write('/root/t/a', { value: 3, quality: 'SUSPECT' }),
      ];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const reasons = settled.map((r) =>
        r.status === 'rejected' ? (r.reason as { code: string }).code : null,
      );
      expect(reasons).toEqual([null, 'NOT_FOUND', null, 'TYPE_MISMATCH', null]);
      const seqs = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : []));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(3);
      await q.next((e) => e.kind === 'value' && e.seq === seqs[2]);
      expect(q.all.filter((e) => e.kind === 'value').map((e) => e.kind === 'value' && e.sample)).toEqual([
        expect.objectContaining({ value: 1, quality: 'OK' }),
        expect.objectContaining({ value: 2, quality: 'OK' }),
        expect.objectContaining({ value: 3, quality: 'SUSPECT' }),
      ]);
      expect((await store.read('/root/t/s')).value).toBe('keep');
      expect((await store.read('/root/t/a')).value).toBe(3);
      sub.unsubscribe();
    });

    it('refuses every call after close', async () => {
      await store.close();
      expect(store.connectionState).toBe('closed');
      expect((await rejects(store.read('/root/x'))).code).toBe('DISPOSED');
    });
  });
}
