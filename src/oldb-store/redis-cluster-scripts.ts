/**
 * The Lua scripts of the Redis store's cluster layout (see docs/oldb.md).
 * Each script touches the keys of one datapoint only, which share a slot
 * through their hash tag: `KEYS[1]` is the datapoint hash
 * (`P dp:{<path>}`), `KEYS[2]` its own change counter (`P seq:{<path>}`),
 * and the notification goes to its sharded channel (`P ch:{<path>}`,
 * `SPUBLISH`, same slot). So a change and its notification are still atomic,
 * and changes of one datapoint are still ordered by its counter; nothing
 * orders changes of different datapoints.
 *
 * The tree sets of the parent nodes live in other slots: the store links and
 * unlinks them in separate, idempotent steps after the script (see
 * `redis-cluster-tree.ts`).
 *
 * Errors are replies starting with `OLDB_`, as in the single-server scripts.
 *
 * @module
 */
import { COMMON_HELPERS, DECLARE_REMOVE_HELPERS, metadataScript } from './redis-scripts.js';

/**
 * Writes a batch of values of one datapoint, each atomically with its
 * notification, in order. ARGV: channel, expected type, then three entries
 * per write: value JSON, timestamp, quality. Returns one entry per write:
 * its change counter, or (for every write alike) `NOTDECLARED`,
 * `TYPE <declared type>` or `NOTHASH`, having changed nothing. A counter
 * that is not an integer refuses the batch (`OLDB_SEQ`).
 */
export const CLUSTER_WRITE_SCRIPT = `${COMMON_HELPERS}
local n = (#ARGV - 2) / 3
local t = redis.pcall('HGET', KEYS[1], 'type')
local err
if type(t) == 'table' then err = 'NOTHASH' elseif not t then err = 'NOTDECLARED' elseif t ~= ARGV[2] then err = 'TYPE ' .. t end
local out = {}
if err then
  for j = 1, n do out[j] = err end
  return out
end
local s = incrby(KEYS[2], n)
if not s then return redis.error_reply('OLDB_SEQ') end
s = s - n
for j = 1, n do
  local a = j * 3
  s = s + 1
  redis.call('HSET', KEYS[1], 'v', ARGV[a], 't', ARGV[a + 1], 'q', ARGV[a + 2], 's', s)
  redis.call('SPUBLISH', ARGV[1], '{"k":"v","s":' .. s .. ',"t":' .. ARGV[a + 1] .. ',"q":"' .. ARGV[a + 2] .. '","v":' .. ARGV[a] .. '}')
  out[j] = s
end
return out
`;

/**
 * Declares a datapoint (its hash only; the tree is linked afterwards).
 * ARGV: channel, type, ifExists, value given ('1'/'0'), value JSON,
 * timestamp, quality, clash (empty, `ISNODE` or `ANCESTOR <path>`, found by
 * the client before; it refuses a new declaration only), then metadata
 * field/JSON pairs. Returns the hash as a flat list. Errors: `OLDB_TYPE
 * <declared>`, `OLDB_EXISTS`, `OLDB_ISNODE`, `OLDB_ANCESTOR <path>`,
 * `OLDB_NOTHASH`, `OLDB_SEQ`.
 */
export const CLUSTER_DECLARE_SCRIPT = `${DECLARE_REMOVE_HELPERS}
local h = KEYS[1]
local now, existing = declarecheck(h, ARGV[2], ARGV[3])
if now then return now end
if not existing and ARGV[8] ~= '' then return redis.error_reply('OLDB_' .. ARGV[8]) end
local s, note = declarewrite(h, KEYS[2], existing, ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7], 9)
if not s then return redis.error_reply('OLDB_SEQ') end
redis.call('SPUBLISH', ARGV[1], note)
return redis.call('HGETALL', h)
`;

/** Changes metadata fields: {@link metadataScript} with `SPUBLISH`. */
export const CLUSTER_METADATA_SCRIPT = metadataScript('SPUBLISH');

/**
 * Removes a datapoint's hash (its counter stays, so a re-declaration
 * continues it and watchers never see it go back). ARGV: channel. Returns
 * the change counter, or 0 when the datapoint did not exist. Errors: `OLDB_SEQ`.
 */
export const CLUSTER_REMOVE_SCRIPT = `${DECLARE_REMOVE_HELPERS}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local s, note = removehash(KEYS[1], KEYS[2])
if not s then return redis.error_reply('OLDB_SEQ') end
redis.call('SPUBLISH', ARGV[1], note)
return s
`;

/**
 * Takes a member out of a tree set and says how many are left, in one step.
 * KEYS[1]: the set; ARGV[1]: the member. Returns the members left, or -1
 * when the key is not a set (another client's; nothing is changed).
 */
export const CLUSTER_UNLINK_SCRIPT = `
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'none' and t ~= 'set' then return -1 end
redis.call('SREM', KEYS[1], ARGV[1])
return redis.call('SCARD', KEYS[1])
`;
