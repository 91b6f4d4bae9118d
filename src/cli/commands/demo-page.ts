/**
 * What `tk serve --demo` adds to the gateway: the demo page at `/` (the files
 * scripts/build-demo.mjs wrote to dist/demo/, served read-only from a list
 * made at start, so no request can name another file), and the two
 * datapoints the page writes besides the example producer's: a text
 * (`string/note`, writable by the demo rules) and a set-point
 * (`double/setpoint`, writable by its metadata but refused by the rules, so
 * the page shows a refusal and its reason).
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { OldbStore } from '../../oldb-store/types.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Where the built page is: dist/demo next to the CLI (dist/cli/tk.js), or the repository's dist/demo. */
export function findDemoPageDir(): string | undefined {
  const candidates = [new URL('../demo/', import.meta.url), new URL('../../../dist/demo/', import.meta.url)];
  for (const c of candidates) {
    if (c.protocol !== 'file:') continue;
    const dir = fileURLToPath(c);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/**
 * The HTTP handler of the demo page: GET or HEAD of `/` or of a file of the
 * built page; false for any other request (the gateway's own, or a 404).
 * Without a built page, `/` answers 404 saying how to build it.
 */
export function demoPageHandler(
  dir: string | undefined = findDemoPageDir(),
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const files = new Map<string, string>();
  if (dir !== undefined)
    for (const f of readdirSync(dir)) {
      const ext = f.slice(f.lastIndexOf('.'));
      if (TYPES[ext] !== undefined) files.set(`/${f}`, `${dir}${f}`);
    }
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const name = path === '/' ? '/index.html' : path;
    const file = files.get(name);
    if (file === undefined) {
      if (path !== '/') return false;
      res
        .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('The demo page was not built: run `npm run build` (scripts/build-demo.mjs writes dist/demo/)\n');
      return true;
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      'Content-Type': TYPES[name.slice(name.lastIndexOf('.'))]!,
      'Content-Length': body.length,
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** Declares the datapoints the demo page writes besides the example producer's (kept when they exist). */
export async function declareDemoPoints(store: OldbStore, under = '/root/example'): Promise<void> {
  await store.declare(
    `${under}/string/note`,
    {
      type: 'string',
      value: 'hello',
      metadata: { label: 'Note', description: 'A text the demo page may write', writable: true },
    },
    { ifExists: 'keep' },
  );
  await store.declare(
    `${under}/double/setpoint`,
    {
      type: 'double',
      value: 1,
      metadata: {
        label: 'Set-point',
        description: 'Writable by its metadata, but the demo rules refuse writes to it',
        units: 'mm',
        range: [0, 10],
        writable: true,
      },
    },
    { ifExists: 'keep' },
  );
}
