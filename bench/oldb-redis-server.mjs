// Shared by the oldb benchmarks: a redis-server of their own on a free loopback port, or a Redis
// Cluster, started as the tests start theirs (test/support/redis-launch.mjs).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clusterNodeArgs,
  clusterOk,
  createCluster,
  freePort,
  serverArgs,
  spawnServer,
} from '../test/support/redis-launch.mjs';

/** CPU seconds (user + system) used so far by process `pid`, from /proc; null where /proc is not available. */
export function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** Spawns redis-server on `port` (files in `dir`) with `args` added; resolves the child process once it accepts connections. */
async function spawnRedis(port, dir, args = []) {
  const { child, ready } = spawnServer(serverArgs(port, dir, args));
  await ready;
  return child;
}

/** Stops `child` by its pid (SIGTERM); resolves once it exited. */
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid, 'SIGTERM');
  });
}

/** Starts redis-server; resolves { url, pid, cpuSeconds(), stop } once it accepts connections. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-redis-'));
  const child = await spawnRedis(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a Redis Cluster of `masters` masters (no replicas) on free loopback
 * ports (the launch of test/support/redis-cluster.ts, without replicas);
 * resolves { url (redis+cluster://...), nodes [{ host, port }], pids,
 * cpuSeconds(), stop } once every node says the cluster is ok. `stop`
 * kills each node by its pid.
 */
export async function startRedisCluster(masters = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-cluster-'));
  const ports = [];
  for (let i = 0; i < masters; i++) ports.push(await freePort());
  const children = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      children.push(await spawnRedis(port, dir, clusterNodeArgs(port, 2000)));
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await createCluster(addresses, 0);
    const end = Date.now() + 15_000;
    while (!(await Promise.all(ports.map(clusterOk))).every(Boolean)) {
      if (Date.now() > end) throw new Error('cluster not ok within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      url: `redis+cluster://${addresses.join(',')}`,
      nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      pids: children.map((c) => c.pid),
      cpuSeconds: () => children.reduce((sum, c) => sum + (processCpuSeconds(c.pid) ?? 0), 0),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** High-resolution wall time in ms. */
export const now = () => performance.timeOrigin + performance.now();

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
