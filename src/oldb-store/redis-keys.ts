/**
 * The names of the Redis store's keys and channels, all under one prefix
 * (see docs/oldb.md for the layouts).
 *
 * - The single-server layout: a hash per datapoint, a set of children per
 *   path node, the store-wide change counter and a channel per datapoint.
 * - The cluster layout: the same hash, set and channel, each with its path
 *   in a hash tag (`oldb:dp:{/root/a/b}`), so that a datapoint's hash, its
 *   own change counter (`oldb:seq:{/root/a/b}`) and its channel share one
 *   slot; there is no store-wide key.
 *
 * @module
 */

/** The keys and channels of one store, under its prefix. */
export class RedisKeys {
  /** Prefix of every key and channel. */
  readonly prefix: string;
  /** Whether this is the cluster layout (hash tags, a change counter per datapoint). */
  readonly tagged: boolean;
  /** The key of the store-wide change counter (single-server layout only). */
  readonly seq: string;
  /** Prefix of the datapoints' channels. */
  readonly channelPrefix: string;
  readonly #open: string;
  readonly #close: string;

  /**
   * @param prefix prefix of every key and channel, e.g. `oldb:`.
   * @param tagged the cluster layout.
   */
  constructor(prefix: string, tagged = false) {
    this.prefix = prefix;
    this.tagged = tagged;
    this.seq = `${prefix}seq`;
    this.channelPrefix = `${prefix}ch:`;
    this.#open = tagged ? '{' : '';
    this.#close = tagged ? '}' : '';
  }

  /** The key of the hash of datapoint `path`. */
  datapoint(path: string): string {
    return `${this.prefix}dp:${this.#open}${path}${this.#close}`;
  }

  /** The key of the change counter of datapoint `path`: its own in the cluster layout, else the store-wide one. */
  seqOf(path: string): string {
    return this.tagged ? `${this.prefix}seq:{${path}}` : this.seq;
  }

  /** The key of the set of children of path node `path`. */
  tree(path: string): string {
    return `${this.prefix}tree:${this.#open}${path}${this.#close}`;
  }

  /** The channel of datapoint `path`. */
  channel(path: string): string {
    return this.channelPrefix + this.#open + path + this.#close;
  }

  /** The datapoint path of channel `channel`, or undefined when it is not one of this store's. */
  pathOfChannel(channel: string): string | undefined {
    if (!channel.startsWith(this.channelPrefix)) return undefined;
    if (!this.tagged) return channel.slice(this.channelPrefix.length);
    if (channel[this.channelPrefix.length] !== '{' || !channel.endsWith('}')) return undefined;
    return channel.slice(this.channelPrefix.length + 1, -1);
  }
}
