/**
 * Issue 11 item 10: `tk read 'URI#fragment'` reads and prints the fragment
 * (the range of a cii.oldb datapoint, the units of a value, its label), in
 * the table and in --json; an unknown fragment is an error with exit 2,
 * before anything is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunRedisServer, RedisProcess } from '../support/redis.js';
import { ensureBuilt, tk } from './tk-process.js';

let redis: RedisProcess | undefined;
const haveRedis = canRunRedisServer();

beforeAll(async () => {
  await ensureBuilt();
  if (haveRedis) redis = await RedisProcess.start();
}, 180_000);
afterAll(async () => {
  await redis?.stop();
});

describe('tk read with a fragment', { timeout: 120_000 }, () => {
  it('prints the fragment, not the value', async () => {
    const r = await tk([
      'read',
      'eval:Q("3m")#rvalue.units',
      'eval:Q("3m")#rvalue.magnitude',
      'eval:7#label',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^Q\("3m"\)#rvalue\.units\s+m\s+VALID\s+\d{4}-/);
    expect(lines[2]).toMatch(/^Q\("3m"\)#rvalue\.magnitude\s+3\s+VALID/);
    expect(lines[3]).toMatch(/^7#label\s+7\s+VALID/);
  });

  it('--json gives the fragment, its value and units', async () => {
    const r = await tk([
      'read',
      '--json',
      'eval:Q("3m")#rvalue.units',
      'eval:rand(4)#rvalue[0:2]',
      'eval:1#time',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [units, slice, time] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(units).toMatchObject({ fragment: 'rvalue.units', value: 'm', units: '', quality: 'VALID' });
    expect(slice).toMatchObject({ fragment: 'rvalue[0:2]' });
    expect(slice!.value).toHaveLength(2);
    expect(time!.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(time!.value).toBe(time!.time);
  });

  it('an unknown fragment is an error (exit 2) naming the valid ones', async () => {
    for (const uri of ['eval:1#nope', 'eval:1#rvalue.nope']) {
      const r = await tk(['read', uri]);
      expect(r.code, uri).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^tk: Unknown (fragment "#nope": valid fragments are .*range|step "\.nope")/);
    }
  });

  it.skipIf(!haveRedis)('#range of a cii.oldb datapoint, with its units', async () => {
    const url = redis!.url;
    const d = await tk([
      '--redis',
      url,
      'oldb',
      'declare',
      '/root/cli/ranged',
      'double',
      '--units',
      'mm',
      '--range',
      '0,100',
      '--value',
      '12',
    ]);
    expect(d.code, d.stderr).toBe(0);
    const r = await tk(['--redis', url, 'read', 'cii.oldb:/root/cli/ranged#range']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ranged#range\s+\[0, 100\] mm\s+VALID/m);
    const j = await tk(['--redis', url, 'read', '--json', 'cii.oldb:/root/cli/ranged#range']);
    expect(JSON.parse(j.stdout)[0]).toMatchObject({ fragment: 'range', value: [0, 100], units: 'mm' });
    const open = await tk(['--redis', url, 'read', 'cii.oldb:/root/cli/ranged#alarms']);
    expect(open.stdout).toMatch(/^ranged#alarms\s+\[-, -\] mm/m);
  });
});
