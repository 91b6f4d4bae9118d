/**
 * Issue 11 item 13: one consistent CLI. `tk oldb get --watch` shows units on
 * every line and honours --json; a path with nothing there is an error for
 * ls and tree; a node given to get is named as a node with its children;
 * time limits quoted are the --timeout in force (5000 by default); hints
 * name tk commands and flags, not JavaScript calls; every --json output
 * gives times as ISO text. Against a redis-server of this file's own (and a
 * TCP server that accepts connections and never answers, for time limits).
 */
import { spawn } from 'node:child_process';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { ensureBuilt, ROOT, TK, type TkResult, tk, tkUntil } from './tk-process.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let redis: RedisProcess | undefined;
const haveRedis = canRunRedisServer();

beforeAll(async () => {
  await ensureBuilt();
  if (haveRedis) redis = await RedisProcess.start();
}, 180_000);
afterAll(async () => {
  await redis?.stop();
});

function oldb(...args: string[]): Promise<TkResult> {
  return tk(['--redis', redis!.url, ...args], { timeoutMs: 90_000 });
}

/** A running `tk` whose stdout is awaited pattern after pattern. */
function watchLines(args: readonly string[]): { until(p: RegExp): Promise<string>; kill(): void } {
  const child = spawn(process.execPath, [TK, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let waiting: { p: RegExp; resolve: (s: string) => void } | undefined;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (waiting?.p.test(out)) waiting.resolve(out);
  });
  return {
    until: (p) =>
      new Promise((resolve, reject) => {
        if (p.test(out)) return resolve(out);
        const t = setTimeout(() => reject(new Error(`no ${p} within 60 s; got:\n${out}`)), 60_000);
        waiting = {
          p,
          resolve: (s) => {
            clearTimeout(t);
            resolve(s);
          },
        };
      }),
    kill: () => child.kill('SIGKILL'),
  };
}

function oneLine(r: TkResult): string {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

describe.skipIf(!haveRedis)('tk oldb, consistent', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const d = await oldb('oldb', 'declare', '/root/cons/x', 'double', '--units', 'mm', '--value', '12');
    expect(d.code, d.stderr).toBe(0);
  }, 60_000);

  it('get --watch prints the units on every value line', async () => {
    const w = watchLines(['--redis', redis!.url, 'oldb', 'get', '/root/cons/x', '--watch']);
    await w.until(/12\.0 mm {2}OK/); // the snapshot: subscribed
    const set = await oldb('oldb', 'set', '/root/cons/x', '3 cm');
    expect(set.code, set.stderr).toBe(0);
    const out = await w.until(/ 30\.0 mm {2}OK/); // a value event
    w.kill();
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^\S+Z {2}\d+\.0 mm {2}OK/);
  });

  it('get --watch --json prints one JSON object a line, with units and ISO times', async () => {
    const w = await tkUntil(
      ['--redis', redis!.url, 'oldb', 'get', '/root/cons/x', '--watch', '--json', '--count', '1'],
      /\n/,
    );
    const { code, stdout } = await w.stop();
    expect([0, null]).toContain(code);
    const first = JSON.parse(stdout.trim().split('\n')[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ path: '/root/cons/x', kind: 'snapshot', units: 'mm', quality: 'OK' });
    expect(first.time).toMatch(ISO);
  });

  it('every --json gives ISO times: oldb get, declare, set, read', async () => {
    const g = JSON.parse((await oldb('oldb', 'get', '/root/cons/x', '--json')).stdout) as {
      timestamp: unknown;
    };
    expect(g.timestamp).toMatch(ISO);
    const s = JSON.parse((await oldb('oldb', 'set', '/root/cons/x', '5', '--json')).stdout) as {
      timestamp: unknown;
    };
    expect(s.timestamp).toMatch(ISO);
    const d = JSON.parse(
      (await oldb('oldb', 'declare', '/root/cons/d', 'integer', '--if-exists', 'replace', '--json')).stdout,
    ) as { timestamp: unknown };
    expect(d.timestamp).toMatch(ISO);
    const r = JSON.parse((await oldb('read', '--json', 'cii.oldb:/root/cons/x')).stdout) as {
      time: unknown;
    }[];
    expect(r[0]!.time).toMatch(ISO);
  });

  it('ls and tree of a path with nothing there exit 1; of a datapoint show it', async () => {
    for (const cmd of ['ls', 'tree']) {
      const r = await oldb('oldb', cmd, '/nothing');
      expect(r.code, cmd).toBe(1);
      expect(oneLine(r)).toMatch(
        /^tk: Nothing at \/nothing in redis:\/\/\S+: no node or datapoint has that path/,
      );
    }
    const ls = await oldb('oldb', 'ls', '/root/cons/x');
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^\/root\/cons\/x\s+double\s+\d+\.0 mm\s+OK$/m);
  });

  it('get of a node says it is a node with children, not "not declared"', async () => {
    const r = await oldb('oldb', 'get', '/root/cons');
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(
      /^tk: \/root\/cons is a node with children \((d, x|x, d)\), not a datapoint: tk oldb ls \/root\/cons/,
    );
    const w = await oldb('oldb', 'get', '/root', '--watch', '--duration', '5');
    expect(w.code).toBe(2);
    expect(oneLine(w)).toMatch(/\/root is a node with children \(.*cons\/.*\)/);
  });

  it('hints name tk commands and flags, not JavaScript calls', async () => {
    const missing = await oldb('oldb', 'get', '/root/cons/nothing');
    expect(missing.code).toBe(1);
    const m = oneLine(missing);
    expect(m).toMatch(/declare it first: tk oldb declare \/root\/cons\/nothing <type>/);
    expect(m).not.toMatch(/store\.declare|withDeclaration/);
    const read = await oldb('read', 'cii.oldb:/root/cons/nothing');
    expect(read.stderr + read.stdout).not.toMatch(/store\.declare|withDeclaration/);
    expect(read.stderr).toMatch(/tk oldb declare \/root\/cons\/nothing <type>/);
    const conflict = await oldb('oldb', 'declare', '/root/cons/x', 'double', '--units', 'V');
    expect(conflict.code).toBe(2);
    const c = oneLine(conflict);
    expect(c).toMatch(/give --if-exists keep or --if-exists replace/);
    expect(c).not.toMatch(/ifExists:/);
  });
});

describe('time limits quoted are the --timeout in force', { timeout: 120_000 }, () => {
  let silent: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('tk read of a cii.oldb name quotes the default 5000 ms, never 3000', async () => {
    const r = await tk(['--redis', `redis://127.0.0.1:${port}`, 'read', 'cii.oldb:/root/a/b'], {
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/within 5000 ms/);
    expect(r.stderr + r.stdout).not.toMatch(/3000 ms/);
  });

  it('tk write and tk oldb get quote --timeout 700', async () => {
    for (const args of [
      ['write', 'cii.oldb:/root/a/b', '5'],
      ['oldb', 'get', '/root/a/b'],
    ]) {
      const r = await tk(['--redis', `redis://127.0.0.1:${port}`, '--timeout', '700', ...args], {
        timeoutMs: 60_000,
      });
      expect(r.code, args.join(' ')).toBe(1);
      expect(oneLine(r)).toMatch(/within 700 ms/);
    }
  });
});
