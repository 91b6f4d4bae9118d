import { describe, expect, it } from 'vitest';
import { createEmbeddedStore, sharedEmbeddedStore } from '../../src/oldb-store/index.js';
import { defineStoreContract } from './store-contract.js';

defineStoreContract('embedded', async () => {
  const store = createEmbeddedStore();
  return { store, cleanup: () => store.close() };
});

describe('sharedEmbeddedStore', () => {
  it('is one store per process, replaced once closed', async () => {
    const a = sharedEmbeddedStore();
    expect(sharedEmbeddedStore()).toBe(a);
    await a.close();
    const b = sharedEmbeddedStore();
    expect(b).not.toBe(a);
    expect(b.connectionState).toBe('connected');
  });
});
