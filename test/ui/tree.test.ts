import { filter, firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManager, type Manager } from '../../src/index.js';
import { createEmbeddedStore, createRedisStore, type OldbStore } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { createTree, type TreeController, type TreeSnapshot } from '../../src/ui/index.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';

const R = 'cii.oldb:/root';

async function declareExample(store: OldbStore): Promise<void> {
  await store.declare('/root/example/double/sine', { type: 'double', value: 0.5 });
  await store.declare('/root/example/double/cosine', { type: 'double', value: 0.1 });
  await store.declare('/root/example/string/timestamp', { type: 'string', value: 'now' });
  await store.declare('/root/lab/motor/position', { type: 'double', value: 1, metadata: { units: 'mm' } });
}

/** A store that counts the listings it answers (the tree must list lazily). */
function counting(store: OldbStore): { store: OldbStore; listed: string[] } {
  const listed: string[] = [];
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === 'listChildren') {
        return (path: string, options?: { signal?: AbortSignal }) => {
          listed.push(path);
          return target.listChildren(path, options);
        };
      }
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store: wrapped, listed };
}

const shown = (s: TreeSnapshot) =>
  s.rows.map(
    (r) => `${'  '.repeat(r.depth)}${r.node.name}${r.node.container ? (r.open ? '/ -' : '/ +') : ''}`,
  );

/** The tree behaviour every OLDB store must give (embedded and Redis). */
function treeOnOldb(
  name: string,
  setup: () => Promise<{ store: OldbStore; cleanup(): Promise<void> } | null>,
) {
  describe(`createTree on cii.oldb (${name})`, () => {
    let store: OldbStore;
    let listed: string[];
    let m: Manager;
    let cleanup: (() => Promise<void>) | undefined;
    let tree: TreeController | undefined;
    let skip = false;

    beforeAll(async () => {
      const s = await setup();
      if (s === null) {
        skip = true;
        return;
      }
      cleanup = s.cleanup;
      await declareExample(s.store);
      const c = counting(s.store);
      store = c.store;
      listed = c.listed;
    });
    afterEach(async () => {
      tree?.dispose();
      tree = undefined;
      await m?.dispose();
      listed.length = 0;
    });
    afterAll(async () => {
      await cleanup?.();
    });

    const open = () => {
      m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
      tree = createTree(R, { manager: m });
      return tree;
    };

    it('lists the root at once and a node only when it is expanded', async (ctx) => {
      if (skip) return ctx.skip();
      const t = open();
      await t.expand(R);
      expect(shown(t.getSnapshot())).toEqual(['root/ -', '  example/ +', '  lab/ +']);
      expect(listed).toEqual(['/root']);
      expect(await t.expand(`${R}/example`)).toBe(true);
      expect(shown(t.getSnapshot())).toEqual([
        'root/ -',
        '  example/ -',
        '    double/ +',
        '    string/ +',
        '  lab/ +',
      ]);
      expect(listed).toEqual(['/root', '/root/example']);
      await t.expand(`${R}/example/double`);
      const leaf = t.node(`${R}/example/double/sine`)!;
      expect(leaf).toMatchObject({ name: 'sine', container: false, attribute: true, loaded: false });
      expect(t.node(`${R}/example`)).toMatchObject({ container: true, attribute: false, childCount: 2 });
      // collapsing hides the subtree without listing again; expanding shows it again from what was listed
      t.collapse(`${R}/example`);
      expect(shown(t.getSnapshot())).toEqual(['root/ -', '  example/ +', '  lab/ +']);
      await t.toggle(`${R}/example`);
      expect(shown(t.getSnapshot())).toContain('      sine');
      expect(listed).toEqual(['/root', '/root/example', '/root/example/double']);
    });

    it('filters by name: matches with the ancestors that lead to them, case-insensitive, with wildcards', async (ctx) => {
      if (skip) return ctx.skip();
      const t = open();
      await t.expandAll();
      t.setFilter('SINE');
      expect(shown(t.getSnapshot())).toEqual([
        'root/ -',
        '  example/ -',
        '    double/ -',
        '      cosine',
        '      sine',
      ]);
      expect(
        t
          .getSnapshot()
          .rows.filter((r) => r.match)
          .map((r) => r.node.name),
      ).toEqual(['cosine', 'sine']);
      t.setFilter('s*e');
      expect(
        t
          .getSnapshot()
          .rows.filter((r) => r.match)
          .map((r) => r.node.name),
      ).toEqual(['sine']);
      // a matching container shows its subtree as the user left it (collapsed here)
      t.setFilter('lab');
      t.collapse(`${R}/lab`);
      expect(shown(t.getSnapshot())).toEqual(['root/ -', '  lab/ +']);
      t.setFilter('');
      expect(t.getSnapshot().rows).toHaveLength(8); // lab stays collapsed
    });

    it('keeps snapshots, rows and nodes identical when nothing shown changed', async (ctx) => {
      if (skip) return ctx.skip();
      const t = open();
      await t.expand(R);
      await t.expand(`${R}/example`);
      const before = t.getSnapshot();
      let renders = 0;
      t.subscribe(() => renders++);
      renders = 0;
      t.collapse(`${R}/lab`); // already collapsed
      t.setFilter('');
      expect(await t.expand(`${R}/example`)).toBe(true); // already listed and open
      expect(renders).toBe(0);
      expect(t.getSnapshot()).toBe(before);
      await t.expand(`${R}/lab`);
      const after = t.getSnapshot();
      // rows of nodes that did not change keep their identity (a list re-renders only what changed)
      const row = (s: TreeSnapshot, id: string) => s.rows.find((r) => r.node.id === id);
      expect(row(after, `${R}/example/double`)).toBe(row(before, `${R}/example/double`));
      expect(row(after, `${R}/lab`)).not.toBe(row(before, `${R}/lab`));
    });

    it('refresh lists again, adds and removes nodes, and keeps the state of the rest', async (ctx) => {
      if (skip) return ctx.skip();
      const t = open();
      await t.expandAll();
      t.collapse(`${R}/lab/motor`);
      await store.declare('/root/example/double/tangent', { type: 'double', value: 2 });
      await store.remove('/root/example/string/timestamp');
      expect(await t.refresh()).toBe(true);
      const names = shown(t.getSnapshot());
      expect(names).toContain('      tangent');
      expect(names).not.toContain('      timestamp');
      expect(names).toContain('    motor/ +');
      await store.remove('/root/example/double/tangent');
      await store.declare('/root/example/string/timestamp', { type: 'string', value: 'again' });
    });

    it('a leaf offers a display of its value, in the tree manager', async (ctx) => {
      if (skip) return ctx.skip();
      const t = open();
      await t.expandAll();
      const id = `${R}/lab/motor/position`;
      const d = t.display(id);
      await m.attribute(id).read();
      await firstValueFrom(d.state$.pipe(filter((s) => s.quality !== undefined)));
      expect(d.getSnapshot()).toMatchObject({ text: '1.0 mm', quality: 'VALID' });
      expect(() => t.display(`${R}/lab/motor`)).toThrow(/not an attribute .*node\.attribute is true/);
      expect(() => t.display('cii.oldb:/root/none')).toThrow(/no node of this tree has that id/);
      // displays still alive go with the tree
      t.dispose();
      expect(d.disposed).toBe(true);
    });
  });
}

treeOnOldb('embedded store', async () => {
  const store = createEmbeddedStore();
  return { store, cleanup: () => store.close() };
});

treeOnOldb('Redis', async () => {
  const found = await findRedis();
  if (found === null) return null;
  const prefix = testPrefix('tree');
  const store = createRedisStore({ url: found.url, prefix });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await deletePrefix(found.url, prefix);
      await found.release();
    },
  };
});

describe('createTree on loc and bad input', () => {
  let m: Manager;
  afterEach(async () => {
    await m.dispose();
  });

  it('shows a name that is both an attribute and a device as a leaf that expands', async () => {
    m = createManager({ gcTime: 0 });
    // loc lists the points opened in this manager
    for (const u of ['loc:/t/a?init=1', 'loc:/t/a/x?init=2', 'loc:/t/b?init=3']) await m.attribute(u).read();
    const t = createTree('loc:/t', { manager: m, showRoot: false });
    await t.expand('loc://local/t');
    expect(
      t.getSnapshot().rows.map((r) => [r.node.name, r.node.container, r.node.attribute, r.depth]),
    ).toEqual([
      ['a', true, true, 0],
      ['b', false, true, 0],
    ]);
    await t.expand('loc://local/t/a');
    expect(t.children('loc://local/t/a')?.map((n) => n.fullName)).toEqual(['loc://local/t/a/x']);
    t.dispose();
  });

  it('a failed listing becomes the node error, never a rejection, and the tree goes on', async () => {
    const store = createEmbeddedStore();
    await declareExample(store);
    m = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
    const t = createTree(R, { manager: m });
    expect(await t.expand(R)).toBe(true);
    await store.close();
    expect(await t.expand(`${R}/example`)).toBe(false);
    const node = t.node(`${R}/example`)!;
    expect(node.error?.message).toMatch(/closed/);
    expect([node.loading, node.loaded, t.getSnapshot().loading]).toEqual([false, false, 0]);
    expect(await t.expand('cii.oldb:/root/nothing')).toBe(false); // unknown id
    t.dispose();
  });

  it('names what is wrong with a root', () => {
    m = createManager({ gcTime: 0 });
    expect(() => createTree('eval:@DefaultEvaluator', { manager: m })).toThrow(
      /the eval scheme cannot list children; schemes that can: .*cii\.oldb/,
    );
    expect(() => createTree('cii.oldb:root', { manager: m })).toThrow(/cii\.oldb:root/);
    expect(() => createTree(42 as unknown as string, { manager: m })).toThrow(
      /root must be a device or authority name .* got number/,
    );
  });

  it('holds its root while it lives and lets go on dispose', async () => {
    m = createManager({ gcTime: 0 });
    await m.attribute('loc:/h/x?init=1').read();
    const t = createTree('loc:/h', { manager: m });
    await t.expand('loc://local/h');
    const devices = () => m.snapshot().schemes.find((s) => s.scheme === 'loc')!.devices;
    m.flush();
    expect(devices()).toContain('loc://local/h');
    t.dispose();
    m.flush();
    expect(devices()).not.toContain('loc://local/h');
  });
});
