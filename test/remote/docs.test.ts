/**
 * The example of docs/gateway.md's client section, run as written in a
 * user's Node script (tk-core linked to this build) against a gateway
 * serving the example OLDB with the demo rules.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManager } from 'tk-core';
import { createGateway } from 'tk-core/gateway';
import { createEmbeddedStore, startExampleProducer } from 'tk-core/oldb';
import { describe, expect, it } from 'vitest';
import { declareDemoPoints } from '../../src/cli/commands/demo-page.js';
import { DEMO_ACCESS } from '../../src/cli/commands/serve.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function clientExample(): string {
  const doc = readFileSync(join(root, 'docs/gateway.md'), 'utf8');
  const start = doc.indexOf('## The client');
  return /```ts\n([\s\S]*?)```/.exec(doc.slice(start))![1]!;
}

describe.runIf(existsSync(join(root, 'dist/remote/index.js')))('docs/gateway.md, the client', () => {
  it('the example runs as written against a gateway', async () => {
    const store = createEmbeddedStore();
    const producer = await startExampleProducer(store, { rate: 10 });
    await declareDemoPoints(store);
    const manager = createManager({ gcTime: 0, schemes: [createOldbScheme({ store })] });
    const gw = await createGateway({ manager, access: DEMO_ACCESS, audit: () => {} });
    const dir = mkdtempSync(join(tmpdir(), 'tk-remote-doc-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'tk-core'), 'dir');
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const code = `const token = undefined;\n${clientExample().replace('ws://127.0.0.1:8765/', gw.url)}`;
      writeFileSync(join(dir, 'main.mjs'), code);
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['main.mjs'], { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      expect(out).toMatch(/^-?\d\.\d+ V VALID$/m);
      expect(out).toContain('connected');
      expect(await store.read('/root/example/string/note').then((s) => s.value)).toBe('hello');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await gw.close();
      await manager.dispose();
      await producer.stop();
      await store.close();
    }
  }, 120_000);
});
