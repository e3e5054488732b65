/**
 * The Lua shared by every thread script (prepended to each). Calling convention:
 * - `KEYS[1..4]`: the thread's hash, message sorted set, id hash and this call's receipt key (one hash tag: one
 *   slot); `KEYS[5..]`: listing indexes to update in the same script ("inline" index writes, standalone only).
 * - A receipt (`<thread key>:r:<call nonce>`, kept 60 s) records what a delete or clear did, so that the same
 *   command resent by ioredis after a reconnect reports the first execution's result instead of "nothing there".
 * - `ARGV[1..5]`: orgId, userId, encoded threadId (the listing member), now (epoch ms, the client's clock), TTL in
 *   ms (`0`: none);
 *   `ARGV[6..]`: the script's own arguments.
 * - Every script returns a table whose first element is a status: `OK`, `NF` (no such thread for this scope),
 *   `NM` (no such message), `CF` (conflict), `BAD` (fork or cut point beyond `lastSeq`) or `BIG` (patched
 *   metadata over the limit).
 *
 * `updatedAt` is `max(now, previous updatedAt)`, so it never goes backwards even when clocks differ.
 */
export const PRELUDE = `
local t, m, ix, receipt = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local org, user, id, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[5])
local now = tonumber(ARGV[4])
local function num(x) return string.format('%.0f', x) end
local function owned()
  local o = redis.call('HMGET', t, 'o', 'u')
  return o[1] == org and o[2] == user
end
local function row()
  return redis.call('HMGET', t, 'o', 'u', 'n', 'md', 'c', 'up', 'ls', 'p', 'mc', 'ss')
end
local function touch()
  local at = math.max(now, tonumber(redis.call('HGET', t, 'up')))
  redis.call('HSET', t, 'up', num(at))
  return at
end
local function settle(at)
  if ttl > 0 then
    redis.call('PEXPIRE', t, ttl)
    redis.call('PEXPIRE', m, ttl)
    redis.call('PEXPIRE', ix, ttl)
  end
  for k = 5, #KEYS do
    redis.call('ZADD', KEYS[k], 'GT', num(at), id)
    if ttl > 0 then redis.call('PEXPIRE', KEYS[k], ttl) end
  end
end
local function remember(result)
  redis.call('SET', receipt, result, 'PX', 60000)
end
-- The id of a stored message (see codec.ts): the JSON string right after its fifth newline.
local function idOf(v)
  local p = 0
  for _ = 1, 5 do p = string.find(v, '\\n', p + 1, true) end
  local s = p + 2
  local e = s + 1
  while true do
    e = string.find(v, '["\\\\]', e)
    if string.sub(v, e, e) == '"' then break end
    e = e + 2
  end
  return cjson.decode(string.sub(v, s, e))
end
-- Remove every message with seq > cut (a string) and its id entry; returns how many.
local function removeAfter(cut)
  local gone = redis.call('ZRANGE', m, '(' .. cut, '(inf', 'BYSCORE')
  if #gone == 0 then return 0 end
  local ids = {}
  for k = 1, #gone do
    ids[#ids + 1] = idOf(gone[k])
    if #ids >= 1000 then redis.call('HDEL', ix, unpack(ids)); ids = {} end
  end
  if #ids > 0 then redis.call('HDEL', ix, unpack(ids)) end
  redis.call('ZREMRANGEBYSCORE', m, '(' .. cut, '(inf')
  return #gone
end
local function find(mid)
  local seq = redis.call('HGET', ix, mid)
  if not seq then return nil, nil end
  return seq, redis.call('ZRANGE', m, seq, seq, 'BYSCORE')[1]
end
`;
