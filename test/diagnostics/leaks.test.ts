import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLocScheme, createManager, createVirtualClock, type Manager } from '../../src/index.js';
import { expectNoLeaks, LeakError } from '../../src/testing/index.js';

function locManager(gcTime = 5000): Manager {
  return createManager({
    builtins: false,
    schemes: [createLocScheme()],
    clock: createVirtualClock(0),
    gcTime,
  });
}

describe('expectNoLeaks', () => {
  it('passes when everything was unsubscribed, even within the grace period', async () => {
    const m = locManager();
    const a = m.attribute('loc:/t/a');
    const sub = a.subscribe(() => {});
    await firstValueFrom(a.value$);
    await a.read({ cache: false });
    sub.unsubscribe();
    expect(m.snapshot().pendingReleases).toBeGreaterThan(0);
    expect(() => expectNoLeaks(m)).not.toThrow();
    await m.dispose();
  });

  it('names a forgotten subscription and a forgotten hold()', async () => {
    const m = locManager();
    const a = m.attribute('loc:/t/forgotten');
    a.subscribe(() => {});
    const held = m.attribute('loc:/t/held').hold();
    let err: unknown;
    try {
      expectNoLeaks(m, { includeSnapshot: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LeakError);
    const leak = err as LeakError;
    expect(leak.leaks.map((l) => l.name)).toEqual(['loc://local/t/forgotten', 'loc://local/t/held']);
    expect(leak.message).toContain('attribute loc://local/t/forgotten: 1 subscriber, backend source open');
    expect(leak.message).toContain('attribute loc://local/t/held: held');
    expect(leak.message).toContain('tk-core snapshot at');
    held.dispose();
    await m.dispose();
  });

  it('passes again once the leak is fixed', async () => {
    const m = locManager(0);
    const a = m.attribute('loc:/t/x');
    const sub = a.events$.subscribe(() => {});
    expect(() => expectNoLeaks(m)).toThrow(/Expected no leaks, found 1/);
    sub.unsubscribe();
    expectNoLeaks(m);
    await m.dispose();
  });
});
