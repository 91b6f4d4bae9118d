/**
 * Test support: a Redis Cluster (3 masters, 3 replicas) and a Sentinel
 * set-up (1 master, 1 replica, 3 sentinels) started by the tests on free
 * loopback ports, each process killed by its pid. Node timeouts are short
 * (cluster-node-timeout 1000 ms, sentinel down-after 1000 ms) so failovers
 * take a couple of seconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, clusterNodeArgs, clusterOk, createCluster, freePort, serverArgs } from './redis-launch.mjs';
import { ServerProcess } from './server-process.js';

export { cli, REDIS_CLI_BIN } from './redis-launch.mjs';
export { ServerProcess } from './server-process.js';

/** Polls `check` every 50 ms until it holds, at most `ms`; throws naming `what` otherwise. */
export async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A 3-master, 3-replica Redis Cluster on loopback, started by a test. */
export class RedisClusterProcess {
  readonly nodes: ServerProcess[];
  readonly #dir: string;

  private constructor(nodes: ServerProcess[], dir: string) {
    this.nodes = nodes;
    this.#dir = dir;
  }

  /** `redis+cluster://127.0.0.1:p1,...` naming every node. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => n.address).join(',')}`;
  }

  /** The seed nodes as `{ host, port }`. */
  get seeds(): { host: string; port: number }[] {
    return this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
  }

  /** Starts six nodes, creates the cluster and waits until every node says the cluster is ok. */
  static async start(nodeTimeout = 1000): Promise<RedisClusterProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'tk-cluster-'));
    const nodes: ServerProcess[] = [];
    const c = new RedisClusterProcess(nodes, dir);
    try {
      for (let i = 0; i < 6; i++) {
        const port = await freePort();
        nodes.push(
          new ServerProcess(
            port,
            serverArgs(port, dir, [
              ...clusterNodeArgs(port, nodeTimeout),
              // a replica may always be promoted: with a short node timeout the default (10) made one refuse
              // ("Disconnected from master for longer than allowed") on a loaded machine
              '--cluster-replica-validity-factor',
              '0',
              // replicas copy their master at once (the default waits 5 s before a diskless full sync)
              '--repl-diskless-sync-delay',
              '0',
            ]),
          ),
        );
      }
      await Promise.all(nodes.map((n) => n.start()));
      await createCluster(
        nodes.map((n) => n.address),
        1,
      );
      await c.waitOk();
      return c;
    } catch (err) {
      await c.stop();
      throw err;
    }
  }

  /**
   * Waits until every running node reports `cluster_state:ok` and knows
   * every slot, and every replica is in sync with its master (else a master
   * killed at once would be replaced by an empty replica).
   */
  async waitOk(ms = 15_000): Promise<void> {
    await until(
      'cluster_state:ok on every node and replicas in sync',
      async () => {
        for (const n of this.nodes) {
          if (n.pid === undefined) continue;
          if (!(await clusterOk(n.port))) return false;
          const repl = await cli(n.port, 'INFO', 'replication');
          if (/role:slave/.test(repl) && !/master_link_status:up/.test(repl)) return false;
        }
        return true;
      },
      ms,
    );
  }

  /** The node serving `slot` as master, by asking a running node (`CLUSTER NODES`). */
  async masterOf(slot: number): Promise<ServerProcess> {
    const alive = this.nodes.find((n) => n.pid !== undefined)!;
    const out = await cli(alive.port, 'CLUSTER', 'NODES');
    for (const line of out.split('\n')) {
      const f = line.trim().split(' ');
      if (f.length < 8 || !f[2]!.split(',').includes('master') || f[2]!.includes('fail')) continue;
      for (const r of f.slice(8)) {
        if (r.startsWith('[')) continue;
        const [lo, hi] = r.split('-').map(Number);
        if (slot >= lo! && slot <= (hi ?? lo)!) {
          const port = Number(f[1]!.split('@')[0]!.split(':')[1]);
          const node = this.nodes.find((n) => n.port === port);
          if (node !== undefined) return node;
        }
      }
    }
    throw new Error(`no master for slot ${slot}`);
  }

  /** A replica of `master` whose link to it is up, by asking `master` (`INFO replication`); undefined if none. */
  async replicaOf(master: ServerProcess): Promise<ServerProcess | undefined> {
    const info = await cli(master.port, 'INFO', 'replication');
    for (const m of info.matchAll(/^slave\d+:ip=[^,]+,port=(\d+),state=online/gm)) {
      const node = this.nodes.find((n) => n.port === Number(m[1]) && n.pid !== undefined);
      if (node !== undefined) return node;
    }
    return undefined;
  }

  /** The node id of `node`. */
  async idOf(node: ServerProcess): Promise<string> {
    return (await cli(node.port, 'CLUSTER', 'MYID')).trim();
  }

  /** Kills every node by pid and removes the data directory. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** One master, one replica and three sentinels on loopback, started by a test. */
export class RedisSentinelProcess {
  readonly master: ServerProcess;
  readonly replica: ServerProcess;
  readonly sentinels: ServerProcess[];
  readonly name = 'tkmaster';
  readonly #dir: string;

  private constructor(
    master: ServerProcess,
    replica: ServerProcess,
    sentinels: ServerProcess[],
    dir: string,
  ) {
    this.master = master;
    this.replica = replica;
    this.sentinels = sentinels;
    this.#dir = dir;
  }

  /** `redis+sentinel://127.0.0.1:s1,.../tkmaster`. */
  get url(): string {
    return `redis+sentinel://${this.sentinels.map((s) => s.address).join(',')}/${this.name}`;
  }

  /** Starts the servers and the sentinels; resolves once the sentinels know the replica. */
  static async start(downAfter = 1000): Promise<RedisSentinelProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'tk-sentinel-'));
    const server = (port: number, extra: string[] = []) =>
      new ServerProcess(port, serverArgs(port, dir, extra));
    const mp = await freePort();
    const master = server(mp);
    const replica = server(await freePort(), ['--replicaof', '127.0.0.1', String(mp)]);
    const sentinels: ServerProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor tkmaster 127.0.0.1 ${mp} 2`,
          `sentinel down-after-milliseconds tkmaster ${downAfter}`,
          'sentinel failover-timeout tkmaster 5000',
          'sentinel parallel-syncs tkmaster 1',
          '',
        ].join('\n'),
      );
      sentinels.push(new ServerProcess(port, [conf, '--sentinel']));
    }
    const s = new RedisSentinelProcess(master, replica, sentinels, dir);
    try {
      await master.start();
      await replica.start();
      await until('replica in sync', async () =>
        /master_link_status:up/.test(await cli(replica.port, 'INFO', 'replication')),
      );
      await Promise.all(sentinels.map((x) => x.start()));
      await until('sentinels know the replica', async () => {
        for (const x of sentinels) {
          const out = await cli(x.port, 'SENTINEL', 'REPLICAS', 'tkmaster');
          if (!out.includes(String(replica.port))) return false;
        }
        return true;
      });
      return s;
    } catch (err) {
      await s.stop();
      throw err;
    }
  }

  /** The port of the master the sentinels name now. */
  async masterPort(): Promise<number> {
    const out = await cli(this.sentinels[0]!.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name);
    return Number(out.trim().split('\n')[1]);
  }

  /** Kills every process by pid and removes the data directory. */
  async stop(): Promise<void> {
    await Promise.all([this.master, this.replica, ...this.sentinels].map((n) => n.kill()));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
