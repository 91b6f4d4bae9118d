import { afterEach, describe, expect, it } from 'vitest';
import {
  consoleSink,
  createManager,
  getLogger,
  type LogRecord,
  parseLogLevel,
  setLogLevel,
  setLogSink,
} from '../../src/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';

afterEach(() => {
  setLogLevel('off');
  setLogSink(consoleSink);
});

describe('logging', () => {
  it('is silent by default and shows every resolution, subscription and event at Trace', async () => {
    const records: LogRecord[] = [];
    setLogSink((r) => records.push(r));
    const m = createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 });
    await m.attribute('loc:/log/a').read();
    expect(records).toEqual([]);
    setLogLevel('trace');
    expect(getLogger('factory').tracing).toBe(true);
    const a = m.attribute('loc:/log/b');
    const sub = a.subscribe(() => {});
    await a.write(2);
    sub.unsubscribe();
    const text = records.map((r) => `${r.level} ${r.area}: ${r.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        'trace factory: resolve Attribute "loc:/log/b" -> loc://local/log/b',
        'trace factory: create Attribute loc://local/log/b',
        'trace scheme.loc: open loc://local/log/b',
        'trace scheme.loc: subscribe loc://local/log/b',
        'trace scheme.loc: write loc://local/log/b <- 2',
        'trace scheme.loc: set //local/log/b = 2',
        'trace scheme.loc: unsubscribe loc://local/log/b',
        'trace scheme.loc: close loc://local/log/b',
      ]),
    );
    await m.dispose();
  });

  it('levels per area, from a spec like TK_LOG_LEVEL', () => {
    setLogLevel('warning,scheme.loc=debug');
    expect(getLogger('scheme.loc').isEnabled('debug')).toBe(true);
    expect(getLogger('scheme.loc.points').isEnabled('debug')).toBe(true);
    expect(getLogger('factory').isEnabled('info')).toBe(false);
    expect(getLogger('factory').isEnabled('warning')).toBe(true);
    expect(getLogger('scheme.loc').tracing).toBe(false);
  });

  it('names the valid levels for a bad one', () => {
    expect(parseLogLevel('Trace')).toBe('trace');
    expect(parseLogLevel('WARN')).toBe('warning');
    expect(() => parseLogLevel('loud')).toThrow(
      /Invalid log level "loud": expected one of critical, error, warning, info, debug, trace, off/,
    );
  });

  it('a broken sink never breaks the caller', async () => {
    setLogSink(() => {
      throw new Error('sink down');
    });
    setLogLevel('trace');
    const m = createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 });
    await expect(m.attribute('loc:/log/c').write(1)).resolves.toBeDefined();
    await m.dispose();
  });
});
