/**
 * Issue 11 item 11: `--log-level` takes Taurus's spellings in any case and
 * `off`, and the area lists of TK_LOG_LEVEL; anything else is a usage error
 * (exit 2) naming the valid levels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, tk } from './tk-process.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('tk --log-level', { timeout: 120_000 }, () => {
  it.each(['Trace', 'Debug', 'Info', 'Warning', 'Error', 'Critical', 'off', 'OFF', 'TRACE', 'warning'])(
    '--log-level %s is accepted',
    async (level) => {
      const r = await tk(['--log-level', level, 'validate', 'loc:/a/b']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^valid\s+yes/m);
    },
  );

  it('Trace logs on stderr, off logs nothing, as TK_LOG_LEVEL does', async () => {
    const t = await tk(['--log-level', 'Trace', 'read', 'eval:1+1']);
    expect(t.stderr).toMatch(/TRACE/);
    const env = await tk(['read', 'eval:1+1'], { env: { TK_LOG_LEVEL: 'Trace' } });
    expect(env.stderr).toMatch(/TRACE/);
    const off = await tk(['--log-level', 'off', 'read', 'eval:1+1']);
    expect(off.stderr).toBe('');
  });

  it('takes an area list such as warning,scheme.eval=Trace', async () => {
    const r = await tk(['--log-level', 'warning,scheme.eval=Trace', 'read', 'eval:1+1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/scheme\.eval/);
  });

  it('refuses an unknown level with exit 2, naming the valid ones', async () => {
    for (const bad of ['loud', 'warning,scheme.eval=loud']) {
      const r = await tk(['--log-level', bad, 'read', 'eval:1']);
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^tk: Invalid --log-level "loud": expected one of critical, error, warning, info, debug, trace, off/,
      );
    }
  });
});
