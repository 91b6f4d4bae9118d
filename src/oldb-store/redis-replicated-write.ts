/**
 * Writes with durability `replicated`: the write script and `WAIT` in one
 * pipeline, so the master's reply counts the replicas that have this write.
 *
 * @module
 */
import { TimeoutError } from '../errors/tk-error.js';
import { changeOperation, commandError } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';
import type { StoreConnection } from './redis-store-connection.js';
import type { WriteReply } from './redis-write-batch.js';
import { scriptError } from './redis-write-errors.js';
import type { OldbCallOptions, OldbDurability, OldbQuality, OldbType } from './types.js';

/** What writes promise by default, and how `replicated` is confirmed. */
export interface DurabilitySettings {
  /** The default durability of a write. */
  readonly durability: OldbDurability;
  /** How many replicas must confirm a `replicated` write. */
  readonly replicas: number;
  /** How long to wait for them, in ms. */
  readonly replicationTimeout: number;
}

/** A write checked against its datapoint's type, ready to send: its value encoded. */
export interface CheckedWrite {
  /** The datapoint. */
  readonly path: string;
  /** Its declared type. */
  readonly type: OldbType;
  /** The value, encoded for the store. */
  readonly encoded: string;
  /** The time of the value, ms since the epoch. */
  readonly timestamp: number;
  /** The quality of the value. */
  readonly quality: OldbQuality;
}

/**
 * Sends one checked write `write` and `WAIT replicas timeout` right after it, in
 * one pipeline on the connection of the replicated writes (see
 * `redis-replicated-lane.ts`; on a cluster: to the master of the
 * datapoint's slot), so `WAIT` counts the replicas that have this write
 * and holds no other call.
 * Fewer than asked within the time: a TIMEOUT error saying the master
 * applied it and a failover may lose it.
 */
export async function sendReplicated(
  connection: StoreConnection,
  keys: RedisKeys,
  durability: DurabilitySettings,
  write: CheckedWrite,
  options: OldbCallOptions | undefined,
): Promise<WriteReply> {
  const { path, type, encoded, timestamp, quality } = write;
  const { replicas } = durability;
  const limit = options?.timeout ?? connection.timeout;
  const wait = Math.max(1, Math.min(durability.replicationTimeout, limit - 50));
  const op = changeOperation(`write ${path}`);
  const replies = await connection
    .run(op, options, (cmd) => {
      // on a connection of its own once it is ready: WAIT holds the connection that sends it
      const p = (connection.replicatedClient?.() ?? cmd).pipeline() as unknown as {
        oldbWriteMany(...a: (string | number)[]): unknown;
        oldbClusterWrite(...a: (string | number)[]): unknown;
        call(...a: (string | number)[]): unknown;
        exec(): Promise<[Error | null, unknown][] | null>;
      };
      if (keys.tagged) {
        p.oldbClusterWrite(
          keys.datapoint(path),
          keys.seqOf(path),
          keys.channel(path),
          type,
          encoded,
          String(timestamp),
          quality,
        );
      } else {
        p.oldbWriteMany(
          2,
          keys.seq,
          keys.datapoint(path),
          keys.channelPrefix,
          path,
          type,
          encoded,
          String(timestamp),
          quality,
        );
      }
      p.call('WAIT', replicas, wait);
      return p.exec();
    })
    .catch((err: unknown) => {
      throw scriptError(keys, path, err);
    });
  const [[writeErr, writeReply] = [null, null], [waitErr, confirmed] = [null, 0]] = replies ?? [];
  if (writeErr) throw scriptError(keys, path, commandError(connection.description, op, writeErr));
  const reply = (writeReply as WriteReply[])[0]!;
  if (typeof reply !== 'number') return reply; // refused by the script: nothing was written, nothing to wait for
  const n = waitErr ? 0 : Number(confirmed);
  if (n < replicas) {
    throw new TimeoutError(
      `OLDB write ${path} was applied by the master of ${connection.description} but ${n} of ${replicas} replica(s) confirmed it within ${wait} ms (durability 'replicated'): it may or may not have taken effect after a failover${waitErr ? ` (${waitErr.message})` : ''}`,
      { details: { path, replicas, confirmed: n, timeout: wait } },
    );
  }
  return reply;
}
