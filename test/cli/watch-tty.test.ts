/**
 * `tk watch`, `tk demo`, `tk trend` in a real pseudo-terminal (tmux): the
 * screen is read back, Ctrl-C is sent as keys, the exit code is printed by
 * the shell.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TmuxSession, tk, tkUntil } from './tk-process.js';

beforeAll(() => ensureBuilt(), 180_000);
// every test starts node processes: generous limits, for a loaded machine where one start takes 10 s

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

const ESC = '\x1b';

describe('tk watch on a terminal', { timeout: 120_000 }, () => {
  it('draws the table in place, colours a WARNING quality and exits 0 on Ctrl-C', async () => {
    session = TmuxSession.start(
      `node dist/cli/tk.js watch 'eval:Q("12.5m")*2' 'loc:/w/level?init=5&warn_high=3&max=10&units=mm'`,
      { env: { FORCE_COLOR: '1' } },
    );
    const screen = await session.waitFor((s) => /WARNING/.test(s) && /25/.test(s));
    const lines = screen.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toMatch(/^label\s+value\s+units\s+quality\s+age$/);
    // the values as tk-core/ui's createDisplay formats them, as Taurus's TaurusLabel does: floats as floats
    expect(lines[1]).toMatch(/^Q\("12\.5m"\)\*2\s+25\.0\s+m\s+VALID\s+\d+\.\ds$/);
    expect(lines[2]).toMatch(/^level\s+5\.0\s+mm\s+WARNING\s+\d+\.\ds$/);
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
    const later = await session.waitFor((s) => Number(/Big increment\s+(\d+)/.exec(s)?.[1]) > n0, 30_000);
    expect(later).toMatch(/sine\*2\s+-?\d/);
    // a float as Python prints it (Taurus's default format): sin^2+cos^2 may be 0.9999999999999999
    expect(later).toMatch(/sine\*\*2\+cosine\*\*2\s+(?:1|0\.9{12,}\d*|1\.0{12,}\d*)\s+V\^2\s+VALID/);
    // a just-changed value is drawn inverse (ESC[7m)
    const inverse = /\x1b\[(?:[\d;]*;)?7(?:;[\d;]*)?m/;
    await session.waitFor((s) => inverse.test(s), 30_000, true);
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
    await session.waitFor((s) => /^r\s+5\.0\s+VALID/m.test(s));
    session.resize(60, 20);
    // the ages keep the frame changing: wait for a redraw after the resize, then count the headers
    const after = await session.waitFor((s) => /^r\s+5\.0\s+VALID\s+[2-9]\.\ds/m.test(s));
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

describe('tk watch when stdout is not a terminal', { timeout: 120_000 }, () => {
  it('prints one plain line per update and ends after --count', async () => {
    const r = await tk(['watch', 'eval:Q("12.5m")*2', 'loc:/p/x?init=1', '--count', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\S+Z {2}Q\("12\.5m"\)\*2 {2}25\.0 m {2}VALID$/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => /Z {2}x {2}1\.0 {2}VALID$/.test(l))).toBe(true);
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
    // the datapoint's own format (printf style, width 6) and Taurus's text for a string (no quotes)
    expect(r.stdout).toMatch(/ {2}Sine {2} ?-?\d\.\d{3} V {2}(VALID|WARNING|ALARM)$/m);
    expect(r.stdout).toMatch(/ {2}sine\*2 {2}-?\d[\d.e-]* V {2}\w+$/m);
    expect(r.stdout).toMatch(/ {2}Timestamp {2}\d{4}-/m);
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

describe('--polling-period (issue 11 item 11)', { timeout: 120_000 }, () => {
  const readings = (out: string) => out.split('\n').filter((l) => /Z {2}rand\(\) {2}\S+ {2}VALID$/.test(l));

  it('tk watch reads a polled attribute every --polling-period ms instead of every 3 s', async () => {
    // 2 s of watching: about 20 readings at 100 ms; the default period (3000 ms) gives the first one only
    const fast = await tk(['watch', 'eval:rand()', '--polling-period', '100', '--duration', '2'], {
      timeoutMs: 50_000,
    });
    expect(fast.code).toBe(0);
    const lines = readings(fast.stdout);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(new Set(lines.map((l) => l.split('  ')[2])).size).toBe(lines.length);
  });

  it('tk trend samples a polled attribute every --polling-period ms', async () => {
    // 6 readings take about 0.5 s at 100 ms, 15 s at the default 3000 ms
    const r = await tk(['trend', 'eval:rand()', '--polling-period', '100', '--count', '6', '--height', '4'], {
      timeoutMs: 50_000,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rand\(\) {2}\S+ {2}VALID {2}6 samples {2}min \S+ {2}max \S+$/m);
  });

  it.each([
    ['watch', '0'],
    ['trend', 'fast'],
    ['plot', '-5'],
  ])(
    'tk %s --polling-period %s is a usage error naming the option (exit 2)',
    async (cmd, value) => {
      const r = await tk([cmd, 'eval:rand(2)', '--polling-period', value], { timeoutMs: 50_000 });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `tk: Invalid --polling-period "${value}": expected a number of milliseconds from 1, e.g. --polling-period 500 (default 3000)`,
      );
    },
    60_000,
  );
});

describe('tk watch --json', { timeout: 120_000 }, () => {
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
