import { describe, expect, it } from 'vitest';
import { formatSnapshot } from '../../src/diagnostics/index.js';
import { createLocScheme, createManager, createVirtualClock } from '../../src/index.js';
import { installSnapshotSignal } from '../../src/node/index.js';

describe('formatSnapshot', () => {
  it('shows totals, live attributes with subscribers, quality and value', async () => {
    const m = createManager({
      builtins: false,
      schemes: [createLocScheme()],
      clock: createVirtualClock(0),
      gcTime: 0,
    });
    const a = m.attribute('loc:/s/speed?units=mm/s&init=2.5');
    const sub = a.subscribe(() => {});
    const text = formatSnapshot(m.snapshot());
    expect(text).toContain('tk-core snapshot at 1970-01-01T00:00:00.000Z (gcTime 0 ms)');
    expect(text).toContain(
      'totals: 1 attribute, 1 subscriber, 1 open source, 0 polling timers, 0 pending releases',
    );
    expect(text).toMatch(/scheme loc: backend /);
    expect(text).toMatch(/loc:\/\/local\/s\/speed\?\S*\s+1\s+yes\s+\S+\s+VALID\s+2\.5 mm\/s/);
    sub.unsubscribe();
    m.flush();
    expect(formatSnapshot(m.snapshot())).toContain('no live attributes');
    await m.dispose();
  });
});

describe('installSnapshotSignal', () => {
  it('dumps the snapshot on the signal and stops after uninstall', async () => {
    const m = createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 });
    const sub = m.attribute('loc:/s/sig').subscribe(() => {});
    const dumps: string[] = [];
    let wake: () => void = () => {};
    const uninstall = installSnapshotSignal(m, 'SIGUSR2', {
      write: (t) => {
        dumps.push(t);
        wake();
      },
    });
    const got = new Promise<void>((r) => (wake = r));
    process.kill(process.pid, 'SIGUSR2');
    await got;
    expect(dumps[0]).toContain('loc://local/s/sig');
    uninstall();
    expect(process.listeners('SIGUSR2')).toHaveLength(0);
    sub.unsubscribe();
    await m.dispose();
  });
});
