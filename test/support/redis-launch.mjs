// Starting redis-server processes and Redis Clusters on loopback, the same
// way for the tests (test/support/server-process.ts, redis-cluster.ts) and the benchmarks
// (bench/oldb-redis-server.mjs). Plain JavaScript, so the benchmarks run it
// with node alone; its types are in redis-launch.d.mts.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The redis-server binary. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/** The redis-cli binary. */
export const REDIS_CLI_BIN = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';

/** The lowest port {@link freePort} hands out. */
const PORT_BASE = 20000;
/** How many ports {@link freePort} chooses from: 20000-22699, and their cluster bus ports 30000-32699. */
const PORT_SPAN = 2700;

/** Whether a TCP server can listen on 127.0.0.1:`port` now. */
function canListen(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 for a server a test starts, whose port +
 * 10000 (a cluster node's bus port) is free too. Chosen at random below
 * the kernel's ephemeral range (32768 and up on Linux): a port the kernel
 * handed out (port 0) could be taken by an outgoing connection before the
 * server binds it ("Address already in use", seen with several test files
 * and their clients at once), and one above 55535 has no bus port.
 */
export async function freePort() {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = PORT_BASE + Math.floor(Math.random() * PORT_SPAN);
    if ((await canListen(port)) && (await canListen(port + 10000))) return port;
  }
  throw new Error(`no free port pair in ${PORT_BASE}-${PORT_BASE + PORT_SPAN - 1} (+10000)`);
}

/** The arguments of a redis-server on 127.0.0.1:`port` keeping nothing on disk (its files in `dir`), then `extra`. */
export function serverArgs(port, dir, extra = []) {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    ...extra,
  ];
}

/** The arguments that make a redis-server on `port` a cluster node with `nodeTimeout` ms of node timeout. */
export function clusterNodeArgs(port, nodeTimeout) {
  return [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    String(nodeTimeout),
  ];
}

/**
 * Spawns redis-server (or redis-sentinel, given a config file and
 * `--sentinel`) with `args`; `ready` resolves once it accepts connections,
 * and rejects when it exits first, cannot be spawned, or is not ready
 * within 10 s. `onOutput` gets what it prints.
 */
export function spawnServer(args, onOutput) {
  const child = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server ${args.join(' ')} not ready within 10 s:\n${out}`)),
      10_000,
    );
    child.stdout.on('data', (d) => {
      out += d.toString();
      onOutput?.(d.toString());
      if (/Ready to accept connections|Sentinel ID is/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (d) => {
      out += d.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`redis-server ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${out}`),
      );
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return { child, ready };
}

/** Runs redis-cli against 127.0.0.1:`port` with `args`; resolves its standard output. */
export async function cli(port, ...args) {
  const { stdout } = await run(REDIS_CLI_BIN, ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 20_000,
  });
  return stdout;
}

/** Makes the running cluster nodes at `addresses` (`host:port`) one cluster with `replicas` replicas per master. */
export async function createCluster(addresses, replicas) {
  await run(
    REDIS_CLI_BIN,
    ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'],
    { timeout: 30_000 },
  );
}

/** Whether the node on `port` says the cluster is ok and every slot is served. */
export async function clusterOk(port) {
  const info = await cli(port, 'CLUSTER', 'INFO');
  return /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info);
}
