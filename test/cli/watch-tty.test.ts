/**
 * `tk watch`, `tk demo`, `tk trend` in a real pseudo-terminal (tmux): the
 * screen is read back, Ctrl-C is sent as keys, the exit code is printed by
 * the shell.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TmuxSession, tk, tkUntil } from './tk-process.js';

beforeAll(() => ensureBuilt(), 180_000);

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

const ESC = '\x1b';

describe('tk watch on a terminal', () => {
  it('draws the table in place, colours a WARNING quality and exits 0 on Ctrl-C', async () => {
    session = TmuxSession.start(
      `node dist/cli/tk.js watch 'eval:Q("12.5m")*2' 'loc:/w/level?init=5&warn_high=3&max=10&units=mm'`,
      { env: { FORCE_COLOR: '1' } },
    );
    const screen = await session.waitFor((s) => /WARNING/.test(s) && /25/.test(s));
    const lines = screen.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toMatch(/^label\s+value\s+units\s+quality\s+age$/);
    expect(lines[1]).toMatch(/^Q\("12\.5m"\)\*2\s+25\s+m\s+VALID\s+\d+\.\ds$/);
    expect(lines[2]).toMatch(/^level\s+5\s+mm\s+WARNING\s+\d+\.\ds$/);
    // one frame, redrawn in place: the header appears once however many redraws happened
    await session.waitFor((s) => /[1-9]\.\ds\s*$/m.test(s));
    expect(session.screen().match(/^label/gm)).toHaveLength(1);
    const colored = session.screen(true);
    expect(colored).toContain(`${ESC}[33mWARNING`);
    expect(colored).toContain(`${ESC}[32mVALID`);
    session.keys('C-c');
    const end = await session.waitFor((s) => /EXIT=\d+/.test(s));
    expect(end).toMatch(/EXIT=0/);
  });

  it('highlights a value that just changed, then shows it plainly', async () => {
    // the producer of tk demo changes the sine at 10 Hz; bigincrement counts up by 1
    session = TmuxSession.start(`node dist/cli/tk.js demo --producer-rate 2`, {
      env: { FORCE_COLOR: '1' },
      width: 140,
      height: 30,
    });
    const first = await session.waitFor((s) => /Big increment\s+\d+/.test(s));
    const n0 = Number(/Big increment\s+(\d+)/.exec(first)![1]);
    const later = await session.waitFor((s) => Number(/Big increment\s+(\d+)/.exec(s)?.[1]) > n0, 10_000);
    expect(later).toMatch(/sine\*2\s+-?\d/);
    expect(later).toMatch(/sine\*\*2\+cosine\*\*2\s+1\s+V\^2\s+VALID/);
    // a just-changed value is drawn inverse (ESC[7m)
    const inverse = /\x1b\[(?:[\d;]*;)?7(?:;[\d;]*)?m/;
    await session.waitFor((s) => inverse.test(s), 5000, true);
    session.keys('C-c');
    expect(await session.waitFor((s) => /EXIT=\d+/.test(s))).toMatch(/EXIT=0/);
  });

  it('--stats shows the profiler table per attribute and per scheme', async () => {
    session = TmuxSession.start(`node dist/cli/tk.js demo --stats --sort name`, { width: 160, height: 40 });
    const screen = await session.waitFor((s) => /^cii\.oldb\s+\d+/m.test(s) && /^eval\s+\d+/m.test(s));
    expect(screen).toMatch(/^attribute\s+events\s+ev\/s\s+errors\s+reads\s+read p50/m);
    expect(screen).toMatch(/^scheme\s+events\s+ev\/s/m);
    session.keys('C-c');
    expect(await session.waitFor((s) => /EXIT=\d+/.test(s))).toMatch(/EXIT=0/);
  });

  it('redraws one frame from the top after the terminal is resized', async () => {
    session = TmuxSession.start(`node dist/cli/tk.js watch 'eval:Q("12.5m")*2' 'loc:/w/r?init=5'`);
    await session.waitFor((s) => /^r\s+5\s+VALID/m.test(s));
    session.resize(60, 20);
    // the ages keep the frame changing: wait for a redraw after the resize, then count the headers
    const after = await session.waitFor((s) => /^r\s+5\s+VALID\s+[2-9]\.\ds/m.test(s));
    expect(after.match(/^label/gm)).toHaveLength(1);
    session.keys('C-c');
    expect(await session.waitFor((s) => /EXIT=\d+/.test(s))).toMatch(/EXIT=0/);
  });

  it('NO_COLOR turns colours off', async () => {
    session = TmuxSession.start(`node dist/cli/tk.js watch 'loc:/w/x?init=5&warn_high=3'`, {
      env: { NO_COLOR: '1' },
    });
    await session.waitFor((s) => /WARNING/.test(s));
    expect(session.screen(true)).not.toMatch(/\x1b\[3\dm/);
    session.keys('C-c');
    expect(await session.waitFor((s) => /EXIT=\d+/.test(s))).toMatch(/EXIT=0/);
  });

  it('tk trend draws a chart in place', async () => {
    session = TmuxSession.start(`node dist/cli/tk.js trend 'eval:{loc:/t/v?init=2}*3' --height 5`);
    const screen = await session.waitFor((s) => /┼|┤/.test(s));
    expect(screen).toMatch(/^\{?v\}?\*3\s+6\s+VALID/m);
    session.keys('C-c');
    expect(await session.waitFor((s) => /EXIT=\d+/.test(s))).toMatch(/EXIT=0/);
  });
});

describe('tk watch when stdout is not a terminal', () => {
  it('prints one plain line per update and ends after --count', async () => {
    const r = await tk(['watch', 'eval:Q("12.5m")*2', 'loc:/p/x?init=1', '--count', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\S+Z {2}Q\("12\.5m"\)\*2 {2}25 m {2}VALID$/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => /Z {2}x {2}1 {2}VALID$/.test(l))).toBe(true);
  });

  it('ends with exit 0 on SIGINT and prints --stats at the end', async () => {
    const run = await tkUntil(['demo', '--stats'], /Sine/);
    const { code, stdout } = await run.stop('SIGINT');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^attribute\s+events\s+ev\/s/m);
    expect(stdout).toMatch(/^cii\.oldb\s+\d+/m);
  });

  it('tk demo --duration prints datapoints and eval attributes', async () => {
    const r = await tk(['demo', '--duration', '1.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ {2}Sine {2}-?\d[\d.e-]* V {2}(VALID|WARNING|ALARM)$/m);
    expect(r.stdout).toMatch(/ {2}sine\*2 {2}-?\d[\d.e-]* V {2}\w+$/m);
    expect(r.stdout).toMatch(/ {2}Timestamp {2}"\d{4}-/m);
  });

  it('--rate throttles each row', async () => {
    // the demo producer updates at 20 Hz; at most 2 lines a second per row get through (+ leading and trailing)
    const free = await tk(['demo', '--producer-rate', '20', '--duration', '1.5']);
    const throttled = await tk(['demo', '--producer-rate', '20', '--duration', '1.5', '--rate', '2']);
    expect(throttled.code).toBe(0);
    const sines = (out: string) => out.split('\n').filter((l) => /Z {2}Sine {2}/.test(l)).length;
    expect(sines(free.stdout)).toBeGreaterThan(10);
    expect(sines(throttled.stdout)).toBeGreaterThanOrEqual(1);
    expect(sines(throttled.stdout)).toBeLessThanOrEqual(5);
  });

  it('leaves no open handle behind after the end (checked at --log-level debug)', async () => {
    for (const args of [
      ['watch', 'eval:{loc:/h/x?init=1}*2', '--duration', '0.5'],
      ['demo', '--duration', '0.5'],
      ['trend', 'loc:/h/y?init=1', '--count', '1'],
    ]) {
      const r = await tk(['--log-level', 'debug', ...args]);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('still open');
    }
  });
});

describe('tk watch --json', () => {
  it('prints JSON Lines, one reading per line', async () => {
    const r = await tk(['watch', '--json', 'eval:Q("12.5m")*2', '--count', '1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      label: 'Q("12.5m")*2',
      value: 25,
      units: 'm',
      quality: 'VALID',
    });
  });
});
