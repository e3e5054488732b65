import { METADATA_LUA } from './metadata-lua.js';
import { EXPECTATIONS_LUA } from './expectations.js';
import { PRELUDE } from './prelude.js';

/**
 * Create a thread (and, for a fork, its copied messages) atomically.
 * ARGV[6..12]: name, metadata JSON, parent JSON (`''` for none), lastSeq, a nonce unique to this call, the owner
 * mark (stored in the message set at score `+inf`, see `keys.ts`), summarySeq (`''` for none); then triples (seq,
 * message id, stored message) of the copies.
 * The nonce makes a resent create (after a lost reply) succeed instead of seeing its own thread as a conflict.
 * Returns `{OK, row}` or `{CF}` when the id is used.
 */
export const CREATE = `${PRELUDE}
if redis.call('EXISTS', t) == 1 then
  if redis.call('HGET', t, 'k') == ARGV[10] then return {'OK', row()} end
  return {'CF'}
end
redis.call('DEL', m, ix)
local f = {'o', org, 'u', user, 'n', ARGV[6], 'md', ARGV[7], 'c', ARGV[4], 'up', ARGV[4], 'ls', ARGV[9], 'k', ARGV[10],
  'mc', num((#ARGV - 12) / 3)}
if ARGV[8] ~= '' then f[#f + 1] = 'p'; f[#f + 1] = ARGV[8] end
if ARGV[12] ~= '' then f[#f + 1] = 'ss'; f[#f + 1] = ARGV[12] end
redis.call('HSET', t, unpack(f))
redis.call('ZADD', m, 'inf', ARGV[11])
local z, h = {}, {}
for k = 13, #ARGV, 3 do
  z[#z + 1] = ARGV[k]; z[#z + 1] = ARGV[k + 2]
  h[#h + 1] = ARGV[k + 1]; h[#h + 1] = ARGV[k]
  if #z >= 1000 then
    redis.call('ZADD', m, unpack(z)); redis.call('HSET', ix, unpack(h)); z, h = {}, {}
  end
end
if #z > 0 then redis.call('ZADD', m, unpack(z)); redis.call('HSET', ix, unpack(h)) end
settle(now)
return {'OK', row()}
`;

/**
 * Append a batch. ARGV[6]: the expectations (`expectationArg`: expectedLastSeq and/or expectedMessageCount, `''` for
 * none); then pairs (message id, message body: see
 * `codec.ts`). Messages whose id is in the thread are returned as stored; when all are, nothing is written and
 * expectedLastSeq is not checked. New messages get consecutive seqs from `firstSeq` in input order and are
 * returned as `''` (the client has them). A new message with `summaryOf` (its body does not end in `null]`) sets
 * the thread's `ss` (summarySeq). Returns `{OK, written (0|1), updatedAt, firstSeq, stored-or-'' in input order}`,
 * `{NF}`, `{CF, lastSeq}` or `{CC, messageCount}`.
 *
 * The hot path, kept to the fewest server calls (no shared prelude): one HMGET of the thread, one HSETNX per
 * message (claims the id → seq entry, or finds the id already stored: one call for the idempotency check and the
 * id map), one ZADD of the messages, one HSET of the thread fields, and the index/TTL updates. A batch is checked
 * for a conflict (`expectedLastSeq` differs and an id is new) before anything is written.
 */
export const APPEND = `${EXPECTATIONS_LUA}
local t, m, ix = KEYS[1], KEYS[2], KEYS[3]
local h = redis.call('HMGET', t, 'o', 'u', 'ls', 'up', 'mc')
if h[1] ~= ARGV[1] or h[2] ~= ARGV[2] then return {'NF'} end
local ls, n = tonumber(h[3]), (#ARGV - 6) / 2
local function stored(mid)
  local seq = redis.call('HGET', ix, mid)
  return redis.call('ZRANGE', m, seq, seq, 'BYSCORE')[1]
end
local out = {}
local conflict = expectation(ARGV[6], h[3], h[5])
if conflict then
  for k = 1, n do
    if redis.call('HEXISTS', ix, ARGV[5 + 2 * k]) == 0 then return conflict end
  end
  for k = 1, n do out[k] = stored(ARGV[5 + 2 * k]) end
  return {'OK', 0, '', '', out}
end
local at = string.format('%.0f', math.max(tonumber(ARGV[4]), tonumber(h[4])))
local first = string.format('%.0f', ls + 1)
local z, fresh, ss = {}, 0, false
for k = 1, n do
  local mid, s = ARGV[5 + 2 * k], string.format('%.0f', ls + 1)
  if redis.call('HSETNX', ix, mid, s) == 1 then
    ls = ls + 1
    fresh = fresh + 1
    z[#z + 1] = s
    z[#z + 1] = '[' .. s .. '\\n,' .. at .. '\\n,null\\n,' .. ARGV[6 + 2 * k]
    if string.sub(ARGV[6 + 2 * k], -5) ~= 'null]' then ss = s end
    out[k] = ''
  else
    out[k] = stored(mid)
  end
end
if fresh == 0 then return {'OK', 0, '', '', out} end
redis.call('ZADD', m, unpack(z))
redis.call('HSET', t, 'ls', string.format('%.0f', ls), 'up', at, 'mc', string.format('%.0f', tonumber(h[5]) + fresh))
if ss then redis.call('HSET', t, 'ss', ss) end
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  redis.call('PEXPIRE', t, ttl)
  redis.call('PEXPIRE', m, ttl)
  redis.call('PEXPIRE', ix, ttl)
end
for k = 5, #KEYS do
  redis.call('ZADD', KEYS[k], 'GT', at, ARGV[3])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[k], ttl) end
end
return {'OK', 1, at, first, out}
`;

/**
 * Rename, replace the metadata, or patch it, atomically. ARGV[6..9]: has name (`1`/`0`), name, has metadata,
 * metadata JSON; ARGV[10]: the most bytes metadata may take; ARGV[11]: E, then E pairs (key JSON, expected value
 * JSON, `null` meaning absent or null); then R, then R key JSONs to remove; then pairs (key JSON, value JSON) to
 * set. The expectation is checked and the patch applied on the stored text (see `metadata-lua.ts`) in this one
 * script, so concurrent patches of different keys all survive. Returns `{OK, row}`, `{NF}`, `{CF}` or `{BIG}`
 * (nothing written).
 */
export const UPDATE = `${PRELUDE}${METADATA_LUA}
if not owned() then return {'NF'} end
local a = 11
local expected = tonumber(ARGV[a])
local md = redis.call('HGET', t, 'md')
local list, at = nil, {}
if expected > 0 or #ARGV > a + 2 * expected + 1 then
  list = members(md)
  for k, kv in ipairs(list) do at[kv[1]] = k end
end
for k = 1, expected do
  local key, want = ARGV[a + 2 * k - 1], ARGV[a + 2 * k]
  local have = at[key] and list[at[key]][2]
  if want == 'null' then
    if have and have ~= 'null' then return {'CF'} end
  elseif have ~= want then
    return {'CF'}
  end
end
a = a + 2 * expected + 1
local removes = tonumber(ARGV[a])
local patched = false
for k = 1, removes do
  local i = at[ARGV[a + k]]
  if i then list[i] = false; at[ARGV[a + k]] = nil end
  patched = true
end
for k = a + removes + 1, #ARGV, 2 do
  local i = at[ARGV[k]]
  if i then list[i][2] = ARGV[k + 1] else list[#list + 1] = {ARGV[k], ARGV[k + 1]}; at[ARGV[k]] = #list end
  patched = true
end
local newMd = nil
if patched then
  newMd = joinMembers(list)
  if #newMd > tonumber(ARGV[10]) then return {'BIG'} end
elseif ARGV[8] == '1' then
  newMd = ARGV[9]
end
if ARGV[6] == '1' then redis.call('HSET', t, 'n', ARGV[7]) end
if newMd then redis.call('HSET', t, 'md', newMd) end
settle(touch())
return {'OK', row()}
`;

/** Delete the thread's keys (and inline index entries). Returns `{OK, updatedAt}` or `{NF}`. */
export const DELETE_THREAD = `${PRELUDE}
local done = redis.call('GET', receipt)
if done then return {'OK', done} end
if not owned() then return {'NF'} end
local up = redis.call('HGET', t, 'up')
redis.call('DEL', t, m, ix)
for k = 5, #KEYS do redis.call('ZREM', KEYS[k], id) end
remember(up)
return {'OK', up}
`;

/**
 * Remove every message (not the owner mark at `+inf`), keep the thread and lastSeq. Returns `{OK, removed,
 * updatedAt}` or `{NF}`.
 */
export const CLEAR = `${PRELUDE}
local done = redis.call('GET', receipt)
if done then
  local sep = string.find(done, ':', 1, true)
  return {'OK', tonumber(string.sub(done, 1, sep - 1)), string.sub(done, sep + 1)}
end
if not owned() then return {'NF'} end
local c = redis.call('ZREMRANGEBYSCORE', m, '-inf', '(inf')
redis.call('DEL', ix)
redis.call('HSET', t, 'mc', '0')
redis.call('HDEL', t, 'ss')
local at = touch()
settle(at)
remember(c .. ':' .. num(at))
return {'OK', c, num(at)}
`;
