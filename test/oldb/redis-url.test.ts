/**
 * OLDB server URLs: parsed strictly, shown without credentials, and a
 * database the server does not have is an error naming the URL and the
 * valid range, never a quiet fallback to database 0.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createManager, Quality } from '../../src/index.js';
import { createRedisStore, parseRedisUrl } from '../../src/oldb-store/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';

const redis = await findRedis();
afterAll(async () => {
  await redis?.release();
});

describe('parseRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6390/3', 'redis://127.0.0.1:6390/3', 3],
    ['redis://h', 'redis://h:6379/0', 0],
    ['redis://u:pw@h:1/0', 'redis://h:1/0', 0],
    ['rediss://[::1]:7000', 'rediss://[::1]:7000/0', 0],
    ['redis://h/99', 'redis://h:6379/99', 99],
  ])('%s is %s', (url, display, db) => {
    const s = parseRedisUrl(url);
    expect(s.display).toBe(display);
    expect(s.db).toBe(db);
  });

  it.each([
    ['http://h', /redis: or rediss:/],
    ['redis://h/x', /database number/],
    ['redis://h/-1', /database number/],
    ['redis://h/1.5', /database number/],
    ['redis://h/1/2', /database number/],
    ['not a url', /expected redis:\/\//],
  ])('%s is refused', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});

describe('cluster and Sentinel URLs', () => {
  it.each([
    ['redis+cluster://h1:7000,h2:7001', 'redis+cluster://h1:7000,h2:7001', 'cluster'],
    ['redis+cluster://u:pw@h1,[::1]:7001/', 'redis+cluster://h1:6379,[::1]:7001', 'cluster'],
    ['rediss+cluster://h1:7000/0', 'rediss+cluster://h1:7000', 'cluster'],
    [
      'redis+sentinel://s1:26379,s2:26380/mymaster',
      'redis+sentinel://s1:26379,s2:26380/mymaster/0',
      'sentinel',
    ],
    ['redis+sentinel://:pw@s1:26379/mymaster/3', 'redis+sentinel://s1:26379/mymaster/3', 'sentinel'],
  ])('%s is %s', (url, display, kind) => {
    const s = parseRedisUrl(url);
    expect(s.display).toBe(display);
    expect(s.topology.kind).toBe(kind);
    expect(s.display).not.toContain('pw');
  });

  it('gives the nodes, the sentinels and the master name', () => {
    const c = parseRedisUrl('redis+cluster://a:1,b:2,[::1]:3');
    expect(c.topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
        { host: '::1', port: 3 },
      ],
    });
    const s = parseRedisUrl('redis+sentinel://u:secret@s1:5000,s2/prod-master/2');
    expect(s.topology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 5000 },
        { host: 's2', port: 6379 },
      ],
      name: 'prod-master',
    });
    expect(s).toMatchObject({ db: 2, username: 'u', password: 'secret' });
  });

  it.each([
    ['redis+cluster://', /host\[:port\]/],
    ['redis+cluster://h1:7000,,h2', /host\[:port\]/],
    ['redis+cluster://h1:99999', /ports 1-65535/],
    ['redis+cluster://h1:7000/3', /database 0 only/],
    ['redis+sentinel://s1:26379', /mastername/],
    ['redis+sentinel://s1:26379/a b', /mastername/],
    ['redis+sentinel://u:topsecret@s1:x/m', /host\[:port\]/],
  ])('%s is refused', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
    try {
      parseRedisUrl(url);
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });

  it('createOldbScheme({ cluster }) is checked: a list of nodes, not with url', () => {
    expect(() => createManager({ schemes: [createOldbScheme({ cluster: [] })] })).toThrow(/non-empty list/);
    expect(() =>
      createManager({ schemes: [createOldbScheme({ cluster: ['h:1'], url: 'redis://h' })] }),
    ).toThrow(/both given/);
    expect(() => createManager({ schemes: [createOldbScheme({ cluster: ['h:x'] })] })).toThrow(
      /host\[:port\]/,
    );
  });
});

describe.skipIf(redis === null)('a database the server does not have', () => {
  const url = `${(redis?.url ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/99`;
  const prefix = testPrefix('db99');

  afterAll(async () => {
    await deletePrefix(redis?.url ?? '', prefix);
  });

  it('every call fails with a CONFIG error naming the URL and the valid range; nothing reaches database 0', async () => {
    const store = createRedisStore({ url, prefix });
    try {
      const err = (await store
        .declare('/root/db/x', { type: 'double', value: 1 })
        .catch((e: unknown) => e)) as { code: string; message: string };
      expect(err.code).toBe('CONFIG');
      expect(err.message).toContain(url.replace(/^redis:\/\/([^/]+)\/99$/, 'redis://$1/99'));
      expect(err.message).toContain('database 99 does not exist');
      expect(err.message).toMatch(/\(0-15\)|0-15/);
      // later calls fail at once with the same error
      const again = (await store.read('/root/db/x').catch((e: unknown) => e)) as {
        code: string;
        message: string;
      };
      expect(again.code).toBe('CONFIG');
      expect(store.connectionState).toBe('disconnected');
      expect(store.connectionError?.message).toContain('database 99 does not exist');
      const db0 = new Redis(redis!.url);
      try {
        expect(await db0.exists(`${prefix}dp:/root/db/x`)).toBe(0);
        expect(await db0.exists(`${prefix}seq`)).toBe(0);
      } finally {
        db0.disconnect();
      }
    } finally {
      await store.close();
    }
  });

  it('through the manager: INVALID with the CONFIG error', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme()],
      schemeOptions: { 'cii.oldb': { url, prefix } },
    });
    try {
      const r = await m
        .attribute('cii.oldb:/root/db/x')
        .read()
        .catch((e: { code: string; message: string }) => ({ quality: Quality.INVALID, error: e }));
      expect(r.quality).toBe(Quality.INVALID);
      expect(r.error?.code).toBe('CONFIG');
      expect(r.error?.message).toContain('database 99 does not exist');
    } finally {
      await m.dispose();
    }
  });
});
