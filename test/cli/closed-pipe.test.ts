/**
 * Issue 11 item 9: a reader that closes the pipe (`tk ... | head -1`) ends
 * `tk` quietly: exit 0, no EPIPE stack trace. The test closes the reading
 * end of tk's stdout before tk writes anything, so every write meets a
 * closed pipe (what `head` does after its first lines, without the race).
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, TK } from './tk-process.js';

beforeAll(() => ensureBuilt(), 180_000);

function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [TK, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', TK_LOG_LEVEL: '', TK_OLDB_URL: '', TK_OLDB: '' },
  });
  child.stdout.destroy(); // the reader is gone
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr });
    }),
  );
}

describe('tk writing into a closed pipe', () => {
  it.each([
    [['--help']],
    [['read', '--json', 'eval:rand(2000)']],
    [['--embedded', 'oldb', 'tree', '/']],
    [['validate', 'eval:{eval:1}+{loc:/a/b}']],
  ])('tk %j exits 0 without a stack trace', async (args) => {
    const r = await withClosedStdout(args);
    expect(r.stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(r.code, r.stderr).toBe(0);
  });

  it('tk watch ends at its first line instead of running on', async () => {
    const r = await withClosedStdout(['watch', 'loc:/pipe/x?init=1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
