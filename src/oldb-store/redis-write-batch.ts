/**
 * Coalescing of value writes for the Redis store: every write issued in one
 * tick (a producer updating its datapoints, a panel writing several values)
 * goes to the server in one call of {@link WRITE_MANY_SCRIPT}, instead of
 * one script call per write. Each write in the batch is still applied
 * atomically with its notification, in the order the writes were issued, and
 * gets its own reply; a write refused by the script (not declared, type
 * changed) does not affect the others.
 *
 * Why: the fixed costs of a command (client-side command object, encoding,
 * reply decoding, promise; server-side script invocation) are paid once per
 * batch, which is what lets the update path keep up with raw pub/sub.
 *
 * @module
 */
import type { Deadline, Deadlines } from './deadlines.js';
import type { OldbQuality, OldbType } from './types.js';

/** The part of the command connection a batch needs. */
export interface WriteBatchClient {
  /** Runs {@link WRITE_MANY_SCRIPT}: `numkeys, ...keys, ...args`. */
  oldbWriteMany(...args: (string | number)[]): Promise<(number | string)[]>;
  /** Runs `CLUSTER_WRITE_SCRIPT` (cluster layout): `hash, counter, channel, type, ...value/time/quality` (2 keys). */
  oldbClusterWrite(...args: (string | number)[]): Promise<(number | string)[]>;
}

/** The keys of the cluster layout a batcher needs: a datapoint's own counter and channel. */
export interface TaggedKeys {
  /** The key of the change counter of datapoint `path`. */
  seqOf(path: string): string;
  /** The channel of datapoint `path`. */
  channel(path: string): string;
}

/** The reply of one write of a batch: its change counter, or `NOTDECLARED`, or `TYPE <declared type>`. */
export type WriteReply = number | string;

interface Pending {
  readonly path: string;
  readonly type: OldbType;
  readonly encoded: string;
  readonly timestamp: string;
  readonly quality: OldbQuality;
  readonly resolve: (reply: WriteReply) => void;
  readonly reject: (err: unknown) => void;
  /** Whether the batcher keeps the write's time limit. */
  readonly timed: boolean;
  /** That time limit while it runs. */
  deadline: Deadline | undefined;
}

/** How a batcher that keeps time limits reports failures. */
export interface WriteBatchErrors {
  /** The error of a write sent without a reply within `timeout` ms. */
  timeout(path: string, timeout: number): Error;
  /** The error of a write whose script call failed. */
  failed(path: string, err: unknown): Error;
}

/** Default maximum number of writes per script call (bounds the time the server spends in one call). */
export const DEFAULT_MAX_BATCH = 64;

/** Collects the writes of one tick and sends them as one script call per connection. */
export class WriteBatcher {
  readonly #hashKey: (path: string) => string;
  readonly #seqKey: string;
  readonly #channelPrefix: string;
  readonly #maxBatch: number;
  readonly #deadlines: Deadlines | undefined;
  readonly #errors: WriteBatchErrors | undefined;
  readonly #tagged: TaggedKeys | undefined;
  #queue: Pending[] = [];
  #client: WriteBatchClient | undefined;
  #scheduled = false;
  /** Number of script calls sent, for statistics. */
  calls = 0;

  /**
   * @param hashKey the key of a datapoint's hash.
   * @param seqKey the key of the store-wide change counter.
   * @param channelPrefix the prefix of the datapoints' channels.
   * @param maxBatch maximum number of writes per script call.
   * @param limits where writes given a time limit keep it, and how their failures read.
   * @param tagged the keys of the cluster layout: then the writes of a tick are sent as one
   *   script call per datapoint (its keys share a slot), not one call for all.
   */
  constructor(
    hashKey: (path: string) => string,
    seqKey: string,
    channelPrefix: string,
    maxBatch = DEFAULT_MAX_BATCH,
    limits?: { readonly deadlines: Deadlines; readonly errors: WriteBatchErrors },
    tagged?: TaggedKeys,
  ) {
    this.#tagged = tagged;
    this.#hashKey = hashKey;
    this.#seqKey = seqKey;
    this.#channelPrefix = channelPrefix;
    this.#maxBatch = maxBatch;
    this.#deadlines = limits?.deadlines;
    this.#errors = limits?.errors;
  }

  /**
   * Queues a checked, encoded write on `client`; it is sent with the other
   * writes of this tick. Resolves with its reply; rejects with the error of
   * the script call (every write of that call then shares its fate). With a
   * `timeout` (ms; needs the `limits` of the constructor), the batcher keeps
   * the write's time limit itself, and its failures are the `limits` errors.
   */
  add(
    client: WriteBatchClient,
    path: string,
    type: OldbType,
    encoded: string,
    timestamp: number,
    quality: OldbQuality,
    timeout?: number,
  ): Promise<WriteReply> {
    return new Promise<WriteReply>((resolve, reject) => {
      // a new connection object (never within one tick in practice): send what was queued on the old one
      if (this.#client !== undefined && this.#client !== client) this.#flush();
      this.#client = client;
      const timed = timeout !== undefined && this.#deadlines !== undefined && this.#errors !== undefined;
      const w: Pending = {
        timed,
        path,
        type,
        encoded,
        timestamp: String(timestamp),
        quality,
        resolve,
        reject,
        deadline: undefined,
      };
      if (timed) {
        const errors = this.#errors!;
        w.deadline = this.#deadlines!.add(timeout!, () => {
          w.deadline = undefined;
          reject(errors.timeout(path, timeout));
        });
      }
      this.#queue.push(w);
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(this.#flush);
      }
    });
  }

  readonly #flush = (): void => {
    const queue = this.#queue;
    const client = this.#client;
    this.#queue = [];
    this.#client = undefined;
    this.#scheduled = false;
    if (client === undefined) return;
    if (this.#tagged !== undefined) {
      const byPath = new Map<string, Pending[]>();
      for (const w of queue) {
        const list = byPath.get(w.path);
        if (list === undefined) byPath.set(w.path, [w]);
        else list.push(w);
      }
      for (const part of byPath.values()) {
        for (let i = 0; i < part.length; i += this.#maxBatch) {
          this.#send(client, part.length <= this.#maxBatch ? part : part.slice(i, i + this.#maxBatch));
        }
      }
      return;
    }
    for (let i = 0; i < queue.length; i += this.#maxBatch) {
      this.#send(client, queue.length <= this.#maxBatch ? queue : queue.slice(i, i + this.#maxBatch));
    }
  };

  /** The arguments of a cluster-layout script call for `part`, writes of one datapoint all checked against one type. */
  #taggedArgs(tagged: TaggedKeys, part: Pending[]): (string | number)[] {
    const w0 = part[0]!;
    const args: (string | number)[] = [
      this.#hashKey(w0.path),
      tagged.seqOf(w0.path),
      tagged.channel(w0.path),
      w0.type,
    ];
    for (const w of part) args.push(w.encoded, w.timestamp, w.quality);
    return args;
  }

  #send(client: WriteBatchClient, part: Pending[]): void {
    const tagged = this.#tagged;
    if (tagged !== undefined && part.some((w) => w.type !== part[0]!.type)) {
      // writes checked against different cached types (a redeclaration within the tick): one call per type
      for (const w of part) this.#send(client, [w]);
      return;
    }
    this.calls++;
    let sent: Promise<(number | string)[]>;
    try {
      sent =
        tagged !== undefined
          ? client.oldbClusterWrite(...this.#taggedArgs(tagged, part))
          : client.oldbWriteMany(...this.#singleArgs(part));
    } catch (err) {
      for (const w of part) this.#fail(w, err);
      return;
    }
    this.#settle(part, sent);
  }

  /** The arguments of a single-server script call for `part`. */
  #singleArgs(part: Pending[]): (string | number)[] {
    const n = part.length;
    const args: (string | number)[] = new Array(3 + 6 * n);
    args[0] = 1 + n;
    args[1] = this.#seqKey;
    const a0 = 2 + n;
    args[a0] = this.#channelPrefix;
    for (let j = 0; j < n; j++) {
      const w = part[j]!;
      args[2 + j] = this.#hashKey(w.path);
      const a = a0 + 1 + 5 * j;
      args[a] = w.path;
      args[a + 1] = w.type;
      args[a + 2] = w.encoded;
      args[a + 3] = w.timestamp;
      args[a + 4] = w.quality;
    }
    return args;
  }

  /** Hands each write of `part` its reply, or the call's error. */
  #settle(part: Pending[], sent: Promise<(number | string)[]>): void {
    const n = part.length;
    sent.then(
      (replies) => {
        if (!Array.isArray(replies) || replies.length !== n) {
          const err = new Error(
            `unexpected reply to a batch of ${n} writes: ${JSON.stringify(replies).slice(0, 200)}`,
          );
          for (const w of part) this.#fail(w, err);
          return;
        }
        for (let j = 0; j < n; j++) {
          const w = part[j]!;
          w.deadline?.cancel();
          w.resolve(replies[j]!);
        }
      },
      (err: unknown) => {
        for (const w of part) this.#fail(w, err);
      },
    );
  }

  #fail(w: Pending, err: unknown): void {
    if (!w.timed) {
      w.reject(err);
    } else if (w.deadline !== undefined) {
      // (a timed write whose deadline is gone has failed with TIMEOUT already)
      w.deadline.cancel();
      w.reject(this.#errors!.failed(w.path, err));
    }
  }
}
