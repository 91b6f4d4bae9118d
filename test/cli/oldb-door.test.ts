/**
 * Issue 12 item 4: one OLDB door. `tk oldb` resolves its store with the
 * `cii.oldb` scheme's own option resolution, so a setting the scheme rejects
 * (`TK_OLDB` other than embedded or redis, a `TK_OLDB_URL` that is no Redis
 * URL) is rejected by `tk oldb` too, with the same message. In process (the
 * CLI's `main`, the library's manager), no server needed: nothing connects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createManager } from '../../src/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';

const saved = { TK_OLDB: process.env.TK_OLDB, TK_OLDB_URL: process.env.TK_OLDB_URL };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** What `tk <args>` writes on stderr, and its exit code. */
async function tkInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['node', 'tk', ...args],
    { write: (t: string) => (stdout += t) },
    { write: (t: string) => (stderr += t) },
  );
  void stdout;
  return { code, stderr: stderr.trim() };
}

/** The error the scheme gives for a datapoint under the current environment. */
async function schemeError(): Promise<string> {
  const m = createManager({ schemes: [createOldbScheme()] });
  try {
    const r = await m.attribute('cii.oldb:/root/door/x').read();
    return r.error?.message ?? `no error (${String(r.rvalue)})`;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await m.dispose();
  }
}

describe('tk oldb and the cii.oldb scheme resolve the OLDB the same way', () => {
  it.each([
    ['TK_OLDB=other', { TK_OLDB: 'other', TK_OLDB_URL: '' }],
    ['TK_OLDB_URL not a Redis URL', { TK_OLDB: '', TK_OLDB_URL: 'http://oldb:6379' }],
    ['TK_OLDB_URL with a bad port', { TK_OLDB: '', TK_OLDB_URL: 'redis://oldb:99999' }],
  ])('%s: the CLI rejects it with the scheme message', async (_what, env) => {
    Object.assign(process.env, env);
    const fromScheme = await schemeError();
    expect(fromScheme).toMatch(/^Invalid (TK_OLDB|OLDB server URL)/);
    const cli = await tkInProcess(['oldb', 'ls', '/']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toBe(`tk: ${fromScheme}`);
  });

  it('commands on other schemes still run when the environment names no valid OLDB', async () => {
    Object.assign(process.env, { TK_OLDB: 'other', TK_OLDB_URL: '' });
    const r = await tkInProcess(['read', 'eval:1+1', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });
});
