/**
 * One value prints the same in every `tk` command (issue 11 item 13): `tk
 * read`, `tk write` and `tk oldb` show values as `tk watch` does, which shows
 * tk-core/ui displays (`createDisplay`: Taurus's text, the attribute's format,
 * floats as floats, units), with the same quality colours. In process
 * (`main` with captured output), so it is quick.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readingText } from '../../src/cli/value-text.js';
import { createManager } from '../../src/index.js';
import { createDisplay } from '../../src/ui/index.js';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'tk', ...args],
    { write: (s: string) => (out += s) },
    { write: (s: string) => (err += s) },
  );
  return { code, out, err };
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'TK_OLDB', 'TK_OLDB_URL'])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe("tk's value text is the display's", () => {
  it.each([
    ['loc:/same/f?type=float&init=12&units=mm', '12.0 mm'],
    ['loc:/same/i?type=int&init=3', '3'],
    ['loc:/same/b?type=bool&init=true', 'True'],
    ['loc:/same/s?type=string&init=abc', 'abc'],
    ['eval:Q("12.5m")*2', '25.0 m'],
    ['eval:[1.5,2,3]', '[1.5 2.  3. ]'],
    ['eval:1/3', '0.3333333333333333'],
  ])('%s: %s', async (uri, text) => {
    const m = createManager();
    const a = m.attribute(uri);
    const r = await a.read();
    const d = createDisplay(a, { manager: m, showUnits: false });
    const s = d.getSnapshot();
    expect(s.units === '' ? s.value : `${s.value} ${s.units}`).toBe(text);
    expect(readingText(r, a.config)).toBe(text);
    d.dispose();
    await m.dispose();
  });
});

describe('one value, every command', () => {
  it('tk read, watch and write print a loc value as the display does', async () => {
    const uri = 'loc:/same/x?type=float&init=12&units=mm';
    const r = await run('read', uri);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[1]).toMatch(/^x\s+12\.0 mm\s+VALID\s/);
    const w = await run('watch', uri, '--count', '1');
    expect(w.out).toMatch(/Z {2}x {2}12\.0 mm {2}VALID\n$/);
    const wr = await run('write', uri, '1.5 cm');
    expect(wr.code, wr.err).toBe(0);
    expect(wr.out.trim()).toBe(
      `wrote ${uri.replace('loc:/', 'loc://local/')}: 1.5 cm -> 15.0 mm VALID (was 12.0 mm)`,
    );
  });

  it('tk oldb declare, get, ls, set and tk read, watch of the cii.oldb name agree (format %6.3f, units)', async () => {
    process.env.TK_OLDB = 'embedded';
    const d = await run(
      'oldb',
      'declare',
      '/root/same/x',
      'double',
      '--units',
      'mm',
      '--format',
      '%6.3f',
      '--value',
      '12',
      '--if-exists',
      'replace',
    );
    expect(d.code, d.err).toBe(0);
    expect(d.out).toMatch(/^declared \/root\/same\/x: double = 12\.000 mm in /);
    const g = await run('oldb', 'get', '/root/same/x');
    expect(g.out).toMatch(/^value\s+12\.000 mm$/m);
    const ls = await run('oldb', 'ls', '/root/same');
    expect(ls.out).toMatch(/^x\s+double\s+12\.000 mm\s+OK$/m);
    const r = await run('read', 'cii.oldb:/root/same/x');
    expect(r.out.split('\n')[1]).toMatch(/^x\s+12\.000 mm\s+VALID\s/);
    const w = await run('watch', 'cii.oldb:/root/same/x', '--count', '1');
    expect(w.out).toMatch(/Z {2}x {2}12\.000 mm {2}VALID\n$/);
    const s = await run('oldb', 'set', '/root/same/x', '2 cm');
    expect(s.out.trim()).toBe('set /root/same/x: 2 cm -> 20.000 mm OK (was 12.000 mm)');
    const gw = await run('oldb', 'get', '/root/same/x', '--watch', '--count', '1');
    expect(gw.out).toMatch(/Z {2}20\.000 mm {2}OK\n$/);
  });

  it('qualities have the same colours in read, watch and oldb get', async () => {
    process.env.FORCE_COLOR = '1';
    delete process.env.NO_COLOR;
    const green = '\x1b[32m';
    const r = await run('read', 'loc:/same/c?init=1');
    const w = await run('watch', 'loc:/same/c?init=1', '--count', '1');
    expect(r.out).toContain(`${green}VALID`);
    expect(w.out).toContain(`${green}VALID`);
    process.env.TK_OLDB = 'embedded';
    const g = await run('oldb', 'get', '/root/example/double/sine');
    expect(g.out).toContain(`${green}OK`);
  });
});
