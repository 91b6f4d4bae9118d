import { describe, expect, it } from 'vitest';
import { Profiler, STATS_SORT_KEYS, startProfiling } from '../../src/diagnostics/index.js';
import { createLocScheme, createManager, createVirtualClock, type Manager } from '../../src/index.js';

function locManager(): Manager {
  return createManager({
    builtins: false,
    schemes: [createLocScheme()],
    clock: createVirtualClock(0),
    gcTime: 0,
  });
}

describe('Profiler fed by a manager', () => {
  it('counts pushes, reads, writes and errors per attribute and per scheme', async () => {
    const m = locManager();
    const profiler = startProfiling(m);
    const a = m.attribute('loc:/p/a?units=m&max=100');
    const b = m.attribute('loc:/p/b');
    const sub = a.subscribe(() => {});
    await a.write('12 mm');
    await a.write(3);
    await expect(a.write('1 km')).rejects.toThrow(/outside the range/);
    await b.read({ cache: false });
    await b.read({ cache: false });
    sub.unsubscribe();

    const stats = profiler.stats();
    const ra = stats.get(a.fullName)!;
    expect(ra.writes).toBe(3);
    expect(ra.errors).toBe(1);
    expect(ra.write.count).toBe(3);
    expect(ra.pushes).toBeGreaterThanOrEqual(1);
    const rb = stats.get(b.fullName)!;
    expect(rb.reads).toBe(2);
    expect(rb.read.count).toBe(2);
    const loc = stats.scheme('loc')!;
    expect(loc.writes).toBe(3);
    expect(loc.reads).toBe(2);
    expect(loc.events).toBe(ra.events + rb.events);
    profiler.stop();
    await m.dispose();
  });

  it('stops counting once stopped', async () => {
    const m = locManager();
    const profiler = startProfiling(m);
    const a = m.attribute('loc:/p/c');
    await a.write(1);
    profiler.stop();
    await a.write(2);
    expect(profiler.stats().get(a.fullName)!.writes).toBe(1);
    await m.dispose();
  });
});

describe('ProfilerStats', () => {
  function sample(): Profiler {
    let t = 0;
    const p = new Profiler({ now: () => t });
    for (let i = 0; i < 10; i++) p.read('eval:slow', 'eval', 50 + i, false);
    for (let i = 0; i < 100; i++) p.reading('eval:busy', 'eval', 'push', false, 2);
    p.read('eval:busy', 'eval', 0.1, false);
    p.reading('loc:/x', 'loc', 'push', true, undefined);
    p.write('loc:/x', 'loc', 3, true);
    t = 10_000;
    return p;
  }

  it('sorts by read p99, by events, by name', () => {
    const stats = sample().stats();
    expect(stats.sort('p99').attributes.map((r) => r.name)).toEqual(['eval:slow', 'eval:busy', 'loc:/x']);
    expect(stats.sort('events').attributes[0]!.name).toBe('eval:busy');
    expect(stats.sort('errors').attributes[0]!.name).toBe('loc:/x');
    expect(stats.sort('name').attributes.map((r) => r.name)).toEqual(['eval:busy', 'eval:slow', 'loc:/x']);
    expect(stats.sort('events', 'asc').attributes[0]!.events).toBe(0);
  });

  it('computes rates over the window and aggregates schemes', () => {
    const stats = sample().stats();
    expect(stats.elapsedMs).toBe(10_000);
    expect(stats.get('eval:busy')!.rate).toBeCloseTo(10, 6);
    expect(stats.get('eval:busy')!.latency.p50).toBeCloseTo(2, 1);
    const ev = stats.scheme('eval')!;
    expect(ev.reads).toBe(11);
    expect(ev.read.max).toBe(59);
    expect(stats.scheme('loc')!.errors).toBe(2);
  });

  it('rejects an unknown sort key naming the valid ones', () => {
    expect(() => sample().stats().sort('slowness')).toThrow(
      /Unknown sort key "slowness": valid keys are name, scheme, events/,
    );
    for (const k of STATS_SORT_KEYS) expect(() => sample().stats().sort(k)).not.toThrow();
  });

  it('prints a table with a limit', () => {
    const text = sample().stats().sort('p99').format({ limit: 1 });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^attribute\s+events\s+ev\/s\s+errors\s+reads\s+read p50\s+read p99/);
    expect(lines[1]).toMatch(/^eval:slow\s+0\s+0\.0\s+0\s+10\s+5[\d.]+ms\s+5[\d.]+ms\s+59ms/);
    expect(lines[2]).toBe('... 2 more');
    expect(lines).toContain('');
    expect(text).toMatch(/^scheme\s+events/m);
  });

  it('bounds memory: attributes past maxAttributes are counted under (other)', () => {
    const p = new Profiler({ maxAttributes: 2 });
    for (let i = 0; i < 5; i++) p.reading(`loc:/n${i}`, 'loc', 'push', false, undefined);
    const stats = p.stats();
    expect(stats.attributes.map((r) => r.name)).toEqual(['loc:/n0', 'loc:/n1', '(other)']);
    expect(stats.get('(other)')!.events).toBe(3);
    expect(stats.scheme('loc')!.events).toBe(5);
  });
});

describe('ProfilerStats.format nameWidth', () => {
  it('cuts long names in the middle', () => {
    const p = new Profiler();
    p.read(`eval:${'x'.repeat(100)}end`, 'eval', 1, false);
    const line = p.stats().formatLines({ nameWidth: 20, show: 'attributes' })[1]!;
    expect(line.startsWith('eval:xxxx...xxxxxend ')).toBe(true);
  });
});
