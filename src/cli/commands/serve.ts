/**
 * `tk serve`: the WebSocket gateway as a command. Serves the manager's
 * attributes (the OLDB from `--redis`/`--embedded`, eval, loc) to web pages
 * and remote programs, with tokens, access rules and an origin allowlist
 * from files and options; `/healthz` and `/metrics` on the same port.
 * `--demo` adds the embedded OLDB with the example producer.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import type { AccessPolicy } from '../../gateway/access.js';
import type { AuthOption } from '../../gateway/auth.js';
import { loadAccessFile, loadAuthFile } from '../../gateway/files.js';
import { createGateway } from '../../gateway/gateway.js';
import { setLogLevel } from '../../log/logger.js';
import { sharedEmbeddedStore } from '../../oldb-store/embedded-store.js';
import { type ExampleProducer, startExampleProducer } from '../../oldb-store/example-producer.js';
import { createRedisStore } from '../../oldb-store/redis-store.js';
import type { OldbStore } from '../../oldb-store/types.js';
import { createOldbScheme } from '../../schemes/oldb/index.js';
import { UsageError } from '../exit-codes.js';
import { parsePositive, parseSeconds, untilStopped } from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';
import { VERSION } from '../version.js';
import { declareDemoPoints, demoPageHandler } from './demo-page.js';

/**
 * The access rules of `tk serve --demo` without `--access`: the OLDB and
 * expressions readable, `loc:/demo/...` points readable and writable (no other
 * loc point), the example OLDB's string datapoints writable; any other write
 * is refused by the rules (the page shows why).
 */
export const DEMO_ACCESS: AccessPolicy = Object.freeze({
  rules: Object.freeze([
    { match: 'cii.oldb:/root/example/string/**', roles: ['*'], read: true, write: true },
    { match: 'loc://local/demo/**', roles: ['*'], read: true, write: true },
    { match: 'cii.oldb:**', roles: ['*'], read: true, write: false },
    { match: 'eval:**', roles: ['*'], read: true, write: false },
  ]),
});

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

interface ServeOptions {
  port: string;
  host: string;
  tokens?: string;
  access?: string;
  origin: string[];
  anonymous?: boolean;
  demo?: boolean;
  producerRate: string;
  tlsCert?: string;
  tlsKey?: string;
  duration?: string;
}

/** Handles an HTTP request other than the gateway's own (`/healthz`, `/metrics`); false: not handled. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`Invalid --port ${JSON.stringify(text)}: expected 0 to 65535 (0: any free port)`);
  return n;
}

function authOf(o: ServeOptions): AuthOption {
  if (o.tokens !== undefined) {
    if (o.anonymous === true)
      throw new UsageError('--tokens and --anonymous contradict each other: give one');
    return loadAuthFile(o.tokens);
  }
  if (o.anonymous === true || LOOPBACK.has(o.host)) return 'none';
  throw new UsageError(
    `tk serve on ${o.host} needs --tokens FILE (anyone who can reach the port could connect); --anonymous serves anonymous users on purpose`,
  );
}

function makeServer(o: ServeOptions, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined))
    throw new UsageError('--tls-cert and --tls-key go together: give both for TLS, or neither');
  if (o.tlsCert === undefined) return createServer(handler);
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(`Cannot read the TLS ${what} ${path}: ${(err as Error).message}`);
    }
  };
  return createHttpsServer({ cert: read(o.tlsCert, 'certificate'), key: read(o.tlsKey!, 'key') }, handler);
}

async function run(runtime: CliRuntime, o: ServeOptions, pages: PageHandler | undefined): Promise<void> {
  const port = parsePort(o.port);
  const duration = parseSeconds(o.duration, '--duration');
  const auth = authOf(o);
  const access: AccessPolicy | undefined =
    o.access !== undefined ? loadAccessFile(o.access) : o.demo === true ? DEMO_ACCESS : undefined;
  if (runtime.options.logLevel === undefined) setLogLevel('info', 'gateway');
  let producer: ExampleProducer | undefined;
  let store: OldbStore | undefined;
  if (o.demo === true) {
    const rate = parsePositive(o.producerRate, '--producer-rate') ?? 10;
    const redis = runtime.options.redis;
    store =
      redis === undefined
        ? sharedEmbeddedStore()
        : createRedisStore({ url: redis, timeout: runtime.timeoutMs() });
    runtime.addScheme(createOldbScheme({ store }));
    producer = await startExampleProducer(store, { rate });
    await declareDemoPoints(store);
    pages ??= demoPageHandler();
  }
  const manager = await runtime.manager();
  let gateway: Awaited<ReturnType<typeof createGateway>> | undefined;
  const server = makeServer(o, (req, res) => {
    if (gateway?.handleRequest(req, res) === true) return;
    if (pages?.(req, res) === true) return;
    res
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end('Not found: the gateway answers WebSocket upgrades, /healthz and /metrics\n');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw new UsageError(`Cannot listen on ${o.host}:${port}: ${(err as Error).message}`);
  }
  try {
    gateway = await createGateway({
      manager,
      server,
      auth,
      ...(access === undefined ? {} : { access }),
      origins: o.origin,
      name: `tk-core ${VERSION}`,
      limits: { readTimeoutMs: runtime.timeoutMs() * 2, writeTimeoutMs: runtime.timeoutMs() * 2 },
    });
    const a = server.address() as AddressInfo;
    const http = o.tlsCert === undefined ? 'http' : 'https';
    const hostText = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    runtime.print(`tk serve: ${gateway.url}`);
    if (o.demo === true) runtime.print(`  demo page: ${http}://${hostText}:${a.port}/`);
    runtime.print(
      `  health ${http}://${hostText}:${a.port}/healthz, metrics ${http}://${hostText}:${a.port}/metrics`,
    );
    runtime.print(
      `  auth: ${auth === 'none' ? 'anonymous' : o.tokens}; access: ${o.access ?? (o.demo === true ? 'demo rules' : 'default (read all but eval and loc, write nothing)')}${o.origin.length > 0 ? `; origins: ${o.origin.join(', ')}` : ''}`,
    );
    if (producer !== undefined) runtime.print(`  demo: example producer on the ${store!.description} OLDB`);
    runtime.print('Ctrl-C ends.');
    await untilStopped(duration).stopped;
  } finally {
    await gateway?.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await producer?.stop();
    await runtime.close();
    if (store !== undefined && runtime.options.redis !== undefined) await store.close();
  }
}

/** Registers `tk serve`; `pages` answers the HTTP requests the gateway does not (the demo page). */
export function registerServe(program: Command, runtime: CliRuntime, pages?: PageHandler): void {
  program
    .command('serve')
    .description('the WebSocket gateway: serves attributes to web pages and remote programs (tk-core/remote)')
    .option('--port <port>', 'port to listen on (0: any free port)', '8765')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--tokens <file>', 'tokens with users and roles, or JWT settings (JSON; see docs/security.md)')
    .option('--access <file>', 'access rules: what each role may read and write (JSON; see docs/security.md)')
    .option(
      '--origin <origin>',
      'a web origin allowed to connect, e.g. https://ops.example.org (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--anonymous', 'serve anonymous users on a non-loopback host (no --tokens)')
    .option('--demo', 'the embedded OLDB with the example producer, and the demo rules')
    .option('--producer-rate <hz>', 'update rounds per second of the --demo producer', '10')
    .option('--tls-cert <file>', 'TLS certificate (PEM): serve wss:// and https://')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--duration <seconds>', 'stop after this many seconds')
    .addHelpText(
      'after',
      `
Examples:
  $ tk serve --demo                                  # embedded OLDB + producer, anonymous on 127.0.0.1:8765
  $ tk --redis redis://127.0.0.1:6379 serve --tokens tokens.json --access access.json --host 0.0.0.0
  $ tk serve --tokens tokens.json --origin https://ops.example.org --tls-cert cert.pem --tls-key key.pem

Without --tokens, only loopback hosts are served (anonymously). Ctrl-C ends with exit code 0.`,
    )
    .action((options: ServeOptions) => run(runtime, options, pages));
}
