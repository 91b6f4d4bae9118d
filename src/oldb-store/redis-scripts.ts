/**
 * The Lua scripts of the Redis store. Each change of a datapoint and its
 * notification run in one script, so Redis applies them atomically: no
 * reader sees a value without its timestamp and quality, and no committed
 * change goes unpublished. See docs/oldb.md for the key layout.
 *
 * Shared conventions of the single-datapoint scripts: `KEYS[1]` is the
 * datapoint hash, `KEYS[2]` the store-wide change counter; errors are
 * replies starting with `OLDB_`. Value writes are batched (one script call
 * for all the writes issued in one tick, see {@link WRITE_MANY_SCRIPT}).
 * Notifications are JSON assembled from stored JSON fragments.
 *
 * Other clients can write the same keys. Redis does not undo a script that
 * fails half-way, so every script checks the kinds of the keys it will
 * change (and takes the counter with `pcall`) before it changes anything:
 * a datapoint key that is not a hash (`OLDB_NOTHASH`), a tree key that is
 * not a set (`OLDB_NOTSET <node>`) or a counter that is not an integer
 * (`OLDB_SEQ`) refuses the change whole.
 *
 * @module
 */

/**
 * Lua helpers of both layouts (the cluster's scripts use them too): the kind
 * of a key; a change counter advanced (nil when the key does not hold an
 * integer; any other refusal, such as READONLY on a node that became a
 * replica, is the script's error as the server gave it, so nothing is taken
 * for a bad counter that is not one); the JSON object of the `m.*` fields
 * of a hash.
 */
export const COMMON_HELPERS = `
local function kind(k) return redis.call('TYPE', k).ok end
local function incrby(k, n)
  local s = redis.pcall('INCRBY', k, n)
  if type(s) == 'table' then
    local e = s.err
    if string.find(e, 'WRONGTYPE', 1, true) or string.find(e, 'not an integer', 1, true) or string.find(e, 'overflow', 1, true) then
      return nil
    end
    error(s)
  end
  return s
end
local function metajson(h)
  local all = redis.call('HGETALL', h)
  local parts = {}
  for i = 1, #all, 2 do
    local f = all[i]
    if string.sub(f, 1, 2) == 'm.' then parts[#parts + 1] = '"' .. string.sub(f, 3) .. '":' .. all[i + 1] end
  end
  return '{' .. table.concat(parts, ',') .. '}'
end
`;

/**
 * Lua helpers of the declare and remove scripts of both layouts (the
 * cluster's scripts use them too; the layouts differ in the clash checks,
 * the tree and how they publish):
 * - `declarecheck(h, typ, ifexists)`: what a declaration finds in hash `h`:
 *   a reply to return at once (an error, or the hash as it is when it
 *   exists and `ifexists` is `keep`), else nil and the declared type (nil
 *   for a new datapoint);
 * - `declarewrite(h, seqk, existing, typ, given, v, t, q, mfirst)`: writes
 *   the declaration into `h`: counter `seqk` advanced, metadata replaced by
 *   the field/JSON pairs of ARGV from `mfirst` on, the value written when
 *   given (`given` is '1'), for a new datapoint, and over a stored one that
 *   lacks a field (another client's); returns the counter (nil when it is
 *   not an integer: nothing was written) and the notification;
 * - `removehash(h, seqk)`: deletes `h` with counter `seqk` advanced; returns
 *   the counter (nil when it is not an integer: nothing was deleted) and
 *   the notification.
 */
export const DECLARE_REMOVE_HELPERS = `${COMMON_HELPERS}
local function declarecheck(h, typ, ifexists)
  local hk = kind(h)
  if hk ~= 'none' and hk ~= 'hash' then return redis.error_reply('OLDB_NOTHASH') end
  local existing = redis.call('HGET', h, 'type')
  if existing then
    if existing ~= typ then return redis.error_reply('OLDB_TYPE ' .. existing) end
    if ifexists == 'error' then return redis.error_reply('OLDB_EXISTS') end
    if ifexists == 'keep' then return redis.call('HGETALL', h) end
  end
  return nil, existing
end
local function declarewrite(h, seqk, existing, typ, given, v, t, q, mfirst)
  local s = incrby(seqk, 1)
  if not s then return nil end
  local fields = redis.call('HKEYS', h)
  for _, f in ipairs(fields) do
    if string.sub(f, 1, 2) == 'm.' then redis.call('HDEL', h, f) end
  end
  redis.call('HSET', h, 'type', typ, 's', s)
  if (not existing) or given == '1' or redis.call('HEXISTS', h, 'v') == 0 or redis.call('HEXISTS', h, 't') == 0
    or redis.call('HEXISTS', h, 'q') == 0 then
    redis.call('HSET', h, 'v', v, 't', t, 'q', q)
  end
  for i = mfirst, #ARGV, 2 do redis.call('HSET', h, 'm.' .. ARGV[i], ARGV[i + 1]) end
  local cur = redis.call('HMGET', h, 'v', 't', 'q')
  return s, '{"k":"d","s":' .. s .. ',"type":"' .. typ .. '","t":' .. cur[2] .. ',"q":"' .. cur[3] .. '","v":' .. cur[1] .. ',"m":' .. metajson(h) .. '}'
end
local function removehash(h, seqk)
  local s = incrby(seqk, 1)
  if not s then return nil end
  redis.call('DEL', h)
  return s, '{"k":"x","s":' .. s .. '}'
end
`;

/** Lua helpers of the single-server layout: parent and last segment of a path, the kinds of the tree keys of a path. */
const HELPERS = `${DECLARE_REMOVE_HELPERS}
local function parent(p) local q = string.match(p, '^(.*)/[^/]+$'); if q == nil or q == '' then return '/' end; return q end
local function last(p) return string.match(p, '[^/]+$') end
local function treesok(prefix, path)
  local node = path
  while node ~= '/' do
    node = parent(node)
    local t = kind(prefix .. 'tree:' .. node)
    if t ~= 'none' and t ~= 'set' then return node end
  end
  return nil
end
`;

/**
 * Writes the values of a batch of writes, each one atomically with its
 * notification (the whole batch runs as one script). `KEYS[1]` is the
 * change counter, `KEYS[1 + i]` the hash of the i-th write. ARGV: the channel
 * prefix, then five entries per write: path, expected type, value JSON,
 * timestamp, quality. Returns one entry per write: its change counter, or
 * `NOTDECLARED`, or `TYPE <declared type>`, or `NOTHASH` (its key holds
 * another kind of value) (that write changed nothing; the others are
 * unaffected). The types are checked first, then the counter is advanced
 * once for the writes that pass (INCRBY), so each write costs the server
 * one HGET, one HSET and one PUBLISH. A counter that is not an integer
 * refuses the whole batch (`OLDB_SEQ`) before anything is written.
 */
export const WRITE_MANY_SCRIPT = `${COMMON_HELPERS}
local n = #KEYS - 1
local out = {}
local good = 0
for j = 1, n do
  local t = redis.pcall('HGET', KEYS[j + 1], 'type')
  if type(t) == 'table' then
    out[j] = 'NOTHASH'
  elseif not t then
    out[j] = 'NOTDECLARED'
  elseif t ~= ARGV[j * 5 - 2] then
    out[j] = 'TYPE ' .. t
  else
    out[j] = false
    good = good + 1
  end
end
if good == 0 then return out end
local s = incrby(KEYS[1], good)
if not s then return redis.error_reply('OLDB_SEQ') end
s = s - good
local chan = ARGV[1]
for j = 1, n do
  if out[j] == false then
    local a = j * 5 - 3
    s = s + 1
    redis.call('HSET', KEYS[j + 1], 'v', ARGV[a + 2], 't', ARGV[a + 3], 'q', ARGV[a + 4], 's', s)
    redis.call('PUBLISH', chan .. ARGV[a], '{"k":"v","s":' .. s .. ',"t":' .. ARGV[a + 3] .. ',"q":"' .. ARGV[a + 4] .. '","v":' .. ARGV[a + 2] .. '}')
    out[j] = s
  end
end
return out
`;

/**
 * Declares a datapoint. KEYS[3]: the tree set of its own path (it must not be a node).
 * ARGV: prefix, path, channel, type, ifExists, value given ('1'/'0'), value JSON,
 * timestamp, quality, then metadata field/JSON pairs. Returns the hash as a flat list.
 * Errors: `OLDB_TYPE <declared>`, `OLDB_EXISTS`, `OLDB_ISNODE`, `OLDB_ANCESTOR <path>`,
 * `OLDB_NOTHASH`, `OLDB_NOTSET <node>`, `OLDB_SEQ`.
 */
export const DECLARE_SCRIPT = `${HELPERS}
local h = KEYS[1]
local prefix, path = ARGV[1], ARGV[2]
local now, existing = declarecheck(h, ARGV[4], ARGV[5])
if now then return now end
if not existing then
  if redis.call('EXISTS', KEYS[3]) == 1 then return redis.error_reply('OLDB_ISNODE') end
  local node = ''
  local segs = {}
  for seg in string.gmatch(path, '[^/]+') do segs[#segs + 1] = seg end
  for i = 1, #segs - 1 do
    node = node .. '/' .. segs[i]
    if redis.call('EXISTS', prefix .. 'dp:' .. node) == 1 then return redis.error_reply('OLDB_ANCESTOR ' .. node) end
  end
  local bad = treesok(prefix, path)
  if bad then return redis.error_reply('OLDB_NOTSET ' .. bad) end
end
local s, note = declarewrite(h, KEYS[2], existing, ARGV[4], ARGV[6], ARGV[7], ARGV[8], ARGV[9], 10)
if not s then return redis.error_reply('OLDB_SEQ') end
if not existing then
  local node, member = path, 'd:' .. last(path)
  while true do
    local p = parent(node)
    local added = redis.call('SADD', prefix .. 'tree:' .. p, member)
    if added == 0 or p == '/' then break end
    node, member = p, 'n:' .. last(p)
  end
end
redis.call('PUBLISH', ARGV[3], note)
return redis.call('HGETALL', h)
`;

/**
 * Changes metadata fields, published with `publish` (`PUBLISH` on one
 * server, `SPUBLISH` on a cluster). KEYS: the datapoint hash, its change
 * counter. ARGV: channel, then field/JSON pairs (empty JSON removes the
 * field). Returns the whole metadata as a JSON object. Errors:
 * `OLDB_NOTDECLARED`, `OLDB_NOTHASH`, `OLDB_SEQ`.
 */
export function metadataScript(publish: 'PUBLISH' | 'SPUBLISH'): string {
  return `${COMMON_HELPERS}
local h = KEYS[1]
local hk = kind(h)
if hk == 'none' then return redis.error_reply('OLDB_NOTDECLARED') end
if hk ~= 'hash' then return redis.error_reply('OLDB_NOTHASH') end
local s = incrby(KEYS[2], 1)
if not s then return redis.error_reply('OLDB_SEQ') end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', h, 'm.' .. ARGV[i]) else redis.call('HSET', h, 'm.' .. ARGV[i], ARGV[i + 1]) end
end
redis.call('HSET', h, 's', s)
local m = metajson(h)
redis.call('${publish}', ARGV[1], '{"k":"m","s":' .. s .. ',"m":' .. m .. '}')
return m
`;
}

/** Changes metadata fields and publishes the whole metadata (`metadataScript` of the single-server layout). */
export const METADATA_SCRIPT = metadataScript('PUBLISH');

/**
 * Removes a datapoint and prunes path nodes left empty. ARGV: prefix, path, channel.
 * Returns the change counter, or 0 when the datapoint did not exist.
 * Errors: `OLDB_NOTSET <node>`, `OLDB_SEQ`.
 */
export const REMOVE_SCRIPT = `${HELPERS}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local prefix, path = ARGV[1], ARGV[2]
local bad = treesok(prefix, path)
if bad then return redis.error_reply('OLDB_NOTSET ' .. bad) end
local s, note = removehash(KEYS[1], KEYS[2])
if not s then return redis.error_reply('OLDB_SEQ') end
local node, member = path, 'd:' .. last(path)
while true do
  local p = parent(node)
  local key = prefix .. 'tree:' .. p
  redis.call('SREM', key, member)
  if redis.call('SCARD', key) > 0 or p == '/' then break end
  node, member = p, 'n:' .. last(p)
end
redis.call('PUBLISH', ARGV[3], note)
return s
`;
