/**
 * Reading datapoint hashes (`HGETALL`) in bulk, on one server or a Redis
 * Cluster: one explicit pipeline per server, undecoded replies, a key of
 * another kind than a hash as its own `DATA` error.
 *
 * On a cluster the keys are grouped by the nodes that serve their slots, as
 * the client's slot map says (`cluster.slots`: a master, then its
 * replicas), and each group is one pipeline to its master. ioredis 6.1 takes
 * a cluster pipeline whose keys are in several slots as long as every slot
 * is served by the same nodes (its "slots allocation group"); it sends the
 * pipeline to the master of its first key. A command whose slot moved
 * meanwhile (the server answers `MOVED` or `ASK`) leaves the pipeline and is
 * resent by ioredis on its own to where the slot is now, so it is answered
 * like a single read. A pipeline ioredis refuses because the slot map
 * changed between grouping and sending is sent again as single commands.
 *
 * @module
 */
import type { CommandClient } from './redis-client.js';
import { keySlot } from './redis-slot.js';
import { StoredDataError } from './stored-data.js';

/** A hash as read, or the `DATA` error of a key that holds another kind of value. */
export type HashReply = Record<string, string> | StoredDataError;

/** The slot map of a cluster client: the nodes (`host:port`, master first) serving each slot, as ioredis keeps it. */
export interface SlotMap {
  /** The nodes of each slot (0-16383); undefined for a slot of no known node. */
  readonly slots: readonly (readonly string[] | undefined)[];
}

/** The slot map of `client` when it is a cluster client; undefined for a client of one server. */
export function slotMapOf(client: CommandClient): SlotMap | undefined {
  const c = client as unknown as { isCluster?: boolean; slots?: SlotMap['slots'] };
  return c.isCluster === true && Array.isArray(c.slots) ? (c as SlotMap) : undefined;
}

/**
 * The indexes of `keys` grouped by the nodes serving their slots in `map`,
 * in the order of their first key: each group can be one pipeline. A key
 * whose slot no known node serves is a group of its own (ioredis sends it
 * where it can and follows the redirection).
 */
export function groupByNodes(map: SlotMap, keys: readonly string[]): number[][] {
  const groups: number[][] = [];
  // the same nodes array serves a whole range of slots: name it once per array
  const names = new Map<readonly string[], string>();
  const byName = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const nodes = map.slots[keySlot(keys[i]!)];
    if (nodes === undefined || nodes.length === 0) {
      groups.push([i]);
      continue;
    }
    let name = names.get(nodes);
    if (name === undefined) {
      name = nodes.join(';');
      names.set(nodes, name);
    }
    let group = byName.get(name);
    if (group === undefined) {
      group = [];
      byName.set(name, group);
      groups.push(group);
    }
    group.push(i);
  }
  return groups;
}

/** Whether `err` is Redis refusing a command on a key of another kind (`WRONGTYPE`). */
export function isWrongKind(err: unknown): boolean {
  return err instanceof Error && /^WRONGTYPE\b/.test(err.message);
}

/** The error of a datapoint whose key holds another kind of Redis value than a hash. */
export function notAHash(path: string, key: string, what = ''): StoredDataError {
  return StoredDataError.wrongKey(path, key, 'a hash (a datapoint)', what);
}

/** `HGETALL key` (the hash of datapoint `path`) on `client`, as its own command. */
export function hgetallOn(client: CommandClient, key: string, path: string): Promise<HashReply> {
  return client.hgetall(key).catch((err: unknown) => {
    if (isWrongKind(err)) return notAHash(path, key);
    throw err;
  });
}

/** The `HGETALL`s of `keys` (of datapoints `paths`) on `client`, each its own command. */
export function hashesOn(
  client: CommandClient,
  keys: readonly string[],
  paths: readonly string[],
): Promise<HashReply[]> {
  return Promise.all(keys.map((key, i) => hgetallOn(client, key, paths[i]!)));
}

/** ioredis refusing a cluster pipeline whose keys are not all served by the same nodes (the slot map changed). */
function crossNodes(err: unknown): boolean {
  return err instanceof Error && /should belong to the same slot/.test(err.message);
}

/**
 * The `HGETALL`s of `keys` (of datapoints `paths`) on `client` as one
 * explicit pipeline: one write to the socket for all of them, also on a
 * connection that does not pipeline by itself (a subscriber connection),
 * and no promise per command beyond ioredis's own. On a cluster client the
 * keys must be served by the same nodes (see {@link groupByNodes}); if the
 * slot map changed so that they are not, they are sent as single commands.
 * Any failure other than a key of another kind rejects the whole pipeline.
 */
export async function pipelineHashes(
  client: CommandClient,
  keys: readonly string[],
  paths: readonly string[],
): Promise<HashReply[]> {
  const p = client.pipeline();
  for (const key of keys) p.hgetall(key);
  let replies: [Error | null, unknown][];
  try {
    replies = (await p.exec()) ?? [];
  } catch (err) {
    if (crossNodes(err)) return hashesOn(client, keys, paths);
    throw err;
  }
  const out: HashReply[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const reply = replies[i];
    if (reply === undefined) throw new Error(`no reply to HGETALL ${keys[i]}`);
    const [err, value] = reply;
    if (err !== null) {
      if (isWrongKind(err)) out[i] = notAHash(paths[i]!, keys[i]!);
      else throw err;
    } else out[i] = value as Record<string, string>;
  }
  return out;
}

/**
 * The `HGETALL`s of `keys` (of datapoints `paths`) on `client`: one
 * pipeline on one server; on a cluster one pipeline per group of nodes
 * (see {@link groupByNodes}), all sent at once, each on `route(its first
 * key)` when that names another connection (a replica standing in for a
 * lost master). Rejects when any fails.
 */
export async function hashesByNode(
  client: CommandClient,
  keys: readonly string[],
  paths: readonly string[],
  route?: (key: string) => CommandClient | undefined,
): Promise<HashReply[]> {
  const map = slotMapOf(client);
  if (map === undefined) return pipelineHashes(client, keys, paths);
  const groups = groupByNodes(map, keys);
  if (groups.length === 1) return pipelineHashes(route?.(keys[0]!) ?? client, keys, paths);
  const replies = await Promise.all(
    groups.map((g) =>
      pipelineHashes(
        route?.(keys[g[0]!]!) ?? client,
        g.map((i) => keys[i]!),
        g.map((i) => paths[i]!),
      ),
    ),
  );
  const out: HashReply[] = new Array(keys.length);
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k]!;
    const r = replies[k]!;
    for (let j = 0; j < g.length; j++) out[g[j]!] = r[j]!;
  }
  return out;
}
