/**
 * The names of the Redis store's keys and channels, all under one prefix
 * (see docs/oldb.md for the layout): a hash per datapoint, a set of children
 * per path node, the store-wide change counter and a channel per datapoint.
 *
 * @module
 */

/** The keys and channels of one store, under its prefix. */
export class RedisKeys {
  /** Prefix of every key and channel. */
  readonly prefix: string;
  /** The key of the store-wide change counter. */
  readonly seq: string;
  /** Prefix of the datapoints' channels. */
  readonly channelPrefix: string;

  /** @param prefix prefix of every key and channel, e.g. `oldb:`. */
  constructor(prefix: string) {
    this.prefix = prefix;
    this.seq = `${prefix}seq`;
    this.channelPrefix = `${prefix}ch:`;
  }

  /** The key of the hash of datapoint `path`. */
  datapoint(path: string): string {
    return `${this.prefix}dp:${path}`;
  }

  /** The key of the set of children of path node `path`. */
  tree(path: string): string {
    return `${this.prefix}tree:${path}`;
  }

  /** The channel of datapoint `path`. */
  channel(path: string): string {
    return this.channelPrefix + path;
  }
}
