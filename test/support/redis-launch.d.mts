/** Types of redis-launch.mjs (plain JavaScript, shared by the tests and the benchmarks). */
import type { ChildProcess } from 'node:child_process';

/** The redis-server binary. */
export const REDIS_SERVER_BIN: string;
/** The redis-cli binary. */
export const REDIS_CLI_BIN: string;
/** A free TCP port on 127.0.0.1 below the ephemeral range, whose port + 10000 (a cluster bus port) is free too. */
export function freePort(): Promise<number>;
/** The arguments of a redis-server on 127.0.0.1:`port` keeping nothing on disk (its files in `dir`), then `extra`. */
export function serverArgs(port: number, dir: string, extra?: readonly string[]): string[];
/** The arguments that make a redis-server on `port` a cluster node with `nodeTimeout` ms of node timeout. */
export function clusterNodeArgs(port: number, nodeTimeout: number): string[];
/** Spawns redis-server with `args`; `ready` resolves once it accepts connections. */
export function spawnServer(
  args: readonly string[],
  onOutput?: (text: string) => void,
): { child: ChildProcess; ready: Promise<void> };
/** Runs redis-cli against 127.0.0.1:`port` with `args`; resolves its standard output. */
export function cli(port: number, ...args: string[]): Promise<string>;
/** Makes the running cluster nodes at `addresses` one cluster with `replicas` replicas per master. */
export function createCluster(addresses: readonly string[], replicas: number): Promise<void>;
/** Whether the node on `port` says the cluster is ok and every slot is served. */
export function clusterOk(port: number): Promise<boolean>;
