/** `tk serve` as a user runs it: its refusals, and a demo gateway answering health checks and clients. */
import { get } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, tk, tkUntil } from '../cli/tk-process.js';
import { TestClient } from './support/client.js';

const health = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

describe('tk serve', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('refuses to serve anonymous users beyond loopback, and names a file it cannot read', async () => {
    const open = await tk(['serve', '--host', '0.0.0.0', '--port', '0', '--duration', '1']);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('--tokens');
    const missing = await tk([
      'serve',
      '--port',
      '0',
      '--tokens',
      '/nonexistent/tokens.json',
      '--duration',
      '1',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/tokens.json');
    const badPort = await tk(['serve', '--port', '70000']);
    expect(badPort.code).toBe(2);
  }, 60_000);

  it('--demo serves the example OLDB: /healthz, and a client reading a datapoint; Ctrl-C ends with 0', async () => {
    const run = await tkUntil(['serve', '--demo', '--port', '0'], /health (http:\/\/\S+)\/healthz/, 60_000);
    try {
      const base = /health (http:\/\/\S+)\/healthz/.exec(run.stdout)![1]!;
      const h = await health(`${base}/healthz`);
      expect(h.status).toBe(200);
      expect(JSON.parse(h.body)).toMatchObject({ status: 'ok' });
      const c = await TestClient.connect(/tk serve: (ws:\/\/\S+)/.exec(run.stdout)![1]!);
      const r = await c.request('read', { name: 'cii.oldb:/root/example/double/sine' });
      expect(r.config.units).toBe('V');
      const refused = (await c
        .request('write', { name: 'cii.oldb:/root/example/double/sine', value: 0 })
        .catch((e) => e)) as {
        code: string;
      };
      expect(refused.code).toBe('FORBIDDEN');
      await c.close();
    } finally {
      const { code } = await run.stop('SIGINT');
      expect(code).toBe(0);
    }
  }, 120_000);
});
