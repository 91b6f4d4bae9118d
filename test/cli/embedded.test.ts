/**
 * `--embedded` shows data (issue 11 item 15): the embedded OLDB of a new `tk`
 * process holds the example datapoints, produced in that same process, so
 * the README's `tk watch 'cii.oldb:/root/example/double/sine' --embedded`
 * shows values instead of "not declared"; and the help of `tk oldb produce`
 * no longer promises that another process sees what it produces there.
 * Through the built command, as a user runs it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, tk } from './tk-process.js';

beforeAll(() => ensureBuilt());

const SINE = 'cii.oldb:/root/example/double/sine';

describe('tk --embedded', { timeout: 120_000 }, () => {
  it("tk watch URI --embedded (the README's command) prints values of the example datapoint", async () => {
    const r = await tk(['watch', SINE, '--embedded', '--count', '2']);
    expect(r.stderr).not.toMatch(/not declared/);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\S+Z {2}Sine {2}\s*-?\d\.\d+ V {2}VALID$/);
  });

  it('tk --embedded read and trend see the example datapoints too', async () => {
    const r = await tk(['--embedded', 'read', SINE, 'cii.oldb:/root/example/boolean/switch', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { label: string; value: unknown; quality: string }[];
    expect(out.map((o) => o.label)).toEqual(['Sine', 'Switch']);
    expect(typeof out[0]!.value).toBe('number');
    expect(typeof out[1]!.value).toBe('boolean');
    const t = await tk(['--embedded', 'trend', SINE, '--count', '2', '--height', '3']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^Sine .*V {2}VALID {2}2 samples/m);
  });

  it('tk --embedded oldb get shows the example datapoint; produce --help says who sees it', async () => {
    const r = await tk(['--embedded', 'oldb', 'get', '/root/example/double/sine']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^value\s+-?\d\.\d+ V$/m);
    const h = await tk(['oldb', 'produce', '--help']);
    expect(h.stdout).not.toMatch(/useful with tk oldb produce --embedded and tk demo/);
    expect(h.stdout.replace(/\s+/g, ' ')).toMatch(
      /With --embedded it writes to this process's own OLDB, which no other process sees/,
    );
  });
});
