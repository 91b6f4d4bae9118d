/**
 * `tk oldb ...` and cii.oldb names through `tk read/write`, against a
 * redis-server of this test file's own (skipped, with the reason printed,
 * when none can be run) and the embedded store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { ensureBuilt, type TkResult, tk, tkUntil } from './tk-process.js';

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
  return tk(['--redis', redis!.url, ...args]);
}

function oneLine(r: TkResult): string {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

describe.skipIf(!haveRedis)('tk oldb against Redis', () => {
  it('declares, sets with units, gets, lists and shows the tree', async () => {
    const d = await oldb(
      'oldb',
      'declare',
      '/root/cli/x',
      'double',
      '--units',
      'mm',
      '--range',
      '0,100',
      '--value',
      '12',
      '--label',
      'X position',
    );
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout.trim()).toMatch(
      /^declared \/root\/cli\/x: double = 12\.0 mm in redis:\/\/127\.0\.0\.1:\d+/,
    );
    const s = await oldb('oldb', 'set', '/root/cli/x', '3 cm');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout.trim()).toBe('set /root/cli/x: 3 cm -> 30.0 mm OK (was 12.0 mm)');
    const g = await oldb('oldb', 'get', '/root/cli/x');
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/^value\s+30\.0 mm$/m);
    expect(g.stdout).toMatch(/^label\s+X position$/m);
    expect(g.stdout).toMatch(/^range\s+\[0, 100\]$/m);
    const j = JSON.parse((await oldb('oldb', 'get', '/root/cli/x', '--json')).stdout) as {
      value: number;
      type: string;
    };
    expect(j).toMatchObject({ value: 30, type: 'double' });
    const ls = await oldb('oldb', 'ls', '/root/cli');
    expect(ls.stdout).toMatch(/^x\s+double\s+30\.0 mm\s+OK$/m);
    const tree = await oldb('oldb', 'tree', '/root');
    expect(tree.stdout).toMatch(/^└── cli$/m);
    expect(tree.stdout).toMatch(/^ {4}└── x {2}double {2}30\.0 mm {2}OK$/m);
  });

  it('refuses bad input with exit 2 and reports a missing datapoint with exit 1, in one line', async () => {
    await oldb('oldb', 'declare', '/root/cli/y', 'double', '--units', 'mm', '--if-exists', 'keep');
    const unit = await oldb('oldb', 'set', '/root/cli/y', '3 kg');
    expect(unit.code).toBe(2);
    expect(oneLine(unit)).toBe('tk: Invalid value "3 kg" for /root/cli/y: kg cannot be converted to mm');
    const type = await oldb('oldb', 'declare', '/root/cli/z', 'float');
    expect(type.code).toBe(2);
    expect(oneLine(type)).toMatch(/Invalid OLDB type "float": expected double, integer/);
    const missing = await oldb('oldb', 'get', '/root/cli/nothing');
    expect(missing.code).toBe(1);
    expect(oneLine(missing)).toMatch(/\/root\/cli\/nothing is not declared/);
  });

  it('reads and writes cii.oldb attributes with unit conversion', async () => {
    await oldb(
      'oldb',
      'declare',
      '/root/cli/w',
      'double',
      '--units',
      'mm',
      '--value',
      '1',
      '--if-exists',
      'replace',
    );
    const w = await oldb('write', 'cii.oldb:/root/cli/w', '5 cm');
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout.trim()).toBe('wrote cii.oldb:/root/cli/w: 5 cm -> 50.0 mm VALID (was 1.0 mm)');
    const r = await oldb('read', '--json', 'cii.oldb:/root/cli/w');
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ value: 50, units: 'mm', quality: 'VALID' });
  });

  it('get --watch prints each change; produce runs the example producer', async () => {
    await oldb('oldb', 'declare', '/root/cli/v', 'integer', '--value', '1', '--if-exists', 'replace');
    const watch = await tkUntil(
      ['--redis', redis!.url, 'oldb', 'get', '/root/cli/v', '--watch'],
      /Z {2}1 {2}OK/,
    );
    await oldb('oldb', 'set', '/root/cli/v', '7');
    const { code, stdout } = await watch.stop('SIGINT');
    expect(code).toBe(0);
    // the set may land before the first line was read: wait on it through a fresh watch when needed
    if (!/Z {2}7 {2}OK/.test(stdout)) {
      const again = await tkUntil(
        ['--redis', redis!.url, 'oldb', 'get', '/root/cli/v', '--watch'],
        /Z {2}7 {2}OK/,
      );
      expect((await again.stop()).code).toBe(0);
    }
    const p = await oldb('oldb', 'produce', '--rate', '20', '--duration', '0.5');
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/^tk: producing \d+ datapoints under \/root\/example at 20 Hz in redis:/);
    const tree = await oldb('oldb', 'ls', '/root/example/double');
    expect(tree.stdout).toMatch(/^sine\s+double\s+-?\d[\d.e-]* V\s+OK$/m);
  });
});

describe('tk oldb on the embedded store', () => {
  it('produce --embedded runs and stops', async () => {
    const r = await tk(['--embedded', 'oldb', 'produce', '--duration', '0.3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/in embedded for 0\.3 s/);
    expect(r.stderr).toMatch(/producer stopped after \d+ rounds/);
  });

  it('--redis and --embedded together are a usage error', async () => {
    const r = await tk(['--embedded', '--redis', 'redis://x', 'oldb', 'ls']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe('tk: --redis and --embedded select different OLDBs: give one of them');
  });
});
