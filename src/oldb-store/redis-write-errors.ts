/**
 * What the refusals of the store's write scripts become: a key the script
 * would change holds another kind of Redis value (written by another
 * client), so nothing was written.
 *
 * @module
 */
import { replyArg, replyCode } from './redis-client.js';
import { notAHash } from './redis-hash-reads.js';
import type { RedisKeys } from './redis-keys.js';
import { StoredDataError } from './stored-data.js';

/**
 * The error of a script (of datapoint `path`, keys `keys`) that refused to change anything because a key it
 * would change holds another kind of Redis value (written by another
 * client); any other error as it is.
 */
export function scriptError(keys: RedisKeys, path: string, err: unknown): Error {
  const nothing = '; nothing was written';
  switch (replyCode(err)) {
    case 'OLDB_NOTHASH':
      return notAHash(path, keys.datapoint(path), nothing);
    case 'OLDB_NOTSET':
      return StoredDataError.wrongKey(
        path,
        keys.tree(replyArg(err)),
        'a set (the children of a node)',
        nothing,
      );
    case 'OLDB_SEQ':
      return StoredDataError.wrongKey(path, keys.seqOf(path), 'the change counter (an integer)', nothing);
    default:
      return err as Error;
  }
}
