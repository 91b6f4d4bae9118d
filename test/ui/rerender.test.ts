/**
 * Re-renders through a useSyncExternalStore-style binding: a component
 * renders when getSnapshot() returns another object after the store called
 * back. Snapshots that did not change keep their identity, so updates that
 * change nothing shown cost no render.
 */
import { createManager, type Manager } from 'tk-core';
import { createEmbeddedStore, type OldbStore } from 'tk-core/oldb';
import { createDisplay, createForm, type ExternalStore } from 'tk-core/ui';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';
import { untilSnapshot } from './support/until.js';

/** What React's useSyncExternalStore does: subscribe, and re-render when the snapshot is another object. */
function mount<S>(store: ExternalStore<S>) {
  let shown = store.getSnapshot();
  const rendered: S[] = [shown];
  const unsubscribe = store.subscribe(() => {
    const next = store.getSnapshot();
    if (!Object.is(next, shown)) {
      shown = next;
      rendered.push(next);
    }
  });
  return { rendered, unsubscribe };
}

let m: Manager;
let store: OldbStore;
beforeEach(async () => {
  store = createEmbeddedStore();
  await store.declare('/root/r/v', { type: 'double', value: 1, metadata: { format: '%.1f' } });
  m = createManager({ gcTime: 0, schemes: [createOldbScheme({ store })] });
});
afterEach(async () => {
  await m.dispose();
  await store.close();
});

describe('re-renders through useSyncExternalStore', () => {
  it('a display re-renders only when what it shows changes', async () => {
    const d = createDisplay('cii.oldb:/root/r/v', { manager: m });
    await untilSnapshot(d, (s) => s.quality !== undefined);
    const time = d.getSnapshot().time!;
    const { rendered, unsubscribe } = mount(d);
    // values that print the same with %.1f and the same time: nothing shown changes
    for (const v of [1.01, 1.02, 0.98, 1.04]) await store.write('/root/r/v', { value: v, timestamp: time });
    await store.write('/root/r/v', { value: 2, timestamp: time });
    await untilSnapshot(d, (s) => s.text === '2.0');
    expect(rendered.map((s) => s.text)).toEqual(['1.0', '2.0']);
    unsubscribe();
    d.dispose();
  });

  it('a form does not re-render when item values change; each item renders on its own', async () => {
    const form = createForm(['cii.oldb:/root/r/v'], { manager: m });
    const item = form.getSnapshot().items[0]!;
    await untilSnapshot(item.display!, (s) => s.quality !== undefined);
    await untilSnapshot(form, (s) => s.items[0]!.input !== undefined);
    const f = mount(form);
    const i = mount(item.display!);
    for (const v of [3, 4, 5]) await store.write('/root/r/v', { value: v });
    await untilSnapshot(item.display!, (s) => s.text === '5.0');
    expect(f.rendered).toHaveLength(1);
    expect(i.rendered.map((s) => s.text)).toEqual(['1.0', '3.0', '4.0', '5.0']);
    f.unsubscribe();
    i.unsubscribe();
    form.dispose();
  });
});
