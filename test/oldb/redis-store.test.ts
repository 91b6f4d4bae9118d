import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/oldb/redis-store.js';
import { deletePrefix, findRedis, testPrefix } from '../support/redis.js';
import { defineStoreContract } from './store-contract.js';

const redis = await findRedis();
afterAll(async () => {
  await redis?.release();
});

describe.skipIf(redis === null)('Redis store', () => {
  const url = redis?.url ?? '';
  defineStoreContract('redis', async () => {
    const prefix = testPrefix('contract');
    const store = createRedisStore({ url, prefix });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await deletePrefix(url, prefix);
      },
    };
  });

  it('keeps credentials out of its description and errors', async () => {
    const store = createRedisStore({ url: 'redis://alice:s3cret@127.0.0.1:1/0', timeout: 200 });
    expect(store.description).toBe('redis://127.0.0.1:1/0');
    const err = await store.read('/root/x').catch((e: Error) => e);
    expect((err as unknown as { code: string }).code).toBe('BACKEND_UNAVAILABLE');
    expect(String((err as Error).message)).not.toContain('s3cret');
    expect(String((err as Error).message)).toContain('redis://127.0.0.1:1/0');
    await store.close();
  });
});
