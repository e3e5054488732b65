import { PRELUDE } from './prelude.js';

/**
 * Erase or prune one thread (and, inline, its listing entries). ARGV[6]: a cut-off in epoch ms (`''`: none): with
 * one, the thread is deleted only while its `updatedAt` is before it (a thread written to since it was chosen is
 * kept). ARGV[7]: the scope's owner mark, or (an organisation's erase or prune) its prefix `#O.`; ARGV[8]: `exact` or
 * `prefix`. A half-gone thread — its hash missing (expired with `ttlSeconds`, whose keys expire one by one) but its
 * message set still there with an owner mark of the scope — has its remaining keys deleted: `{GONE, mark}`. The
 * receipt makes a resent call report the first execution's result. Returns `{OK, updatedAt, messageCount}`,
 * `{KEEP, updatedAt}` (active since the cut-off: nothing written), `{GONE, mark}` or `{NF}` (gone, or not this
 * scope's: the caller drops the listing entry).
 */
export const ERASE_THREAD = `${PRELUDE}
local done = redis.call('GET', receipt)
if done then
  local sep = string.find(done, ':', 1, true)
  return {'OK', string.sub(done, 1, sep - 1), string.sub(done, sep + 1)}
end
if not owned() then
  if redis.call('EXISTS', t) == 0 then
    local mark = redis.call('ZRANGE', m, '+inf', '+inf', 'BYSCORE')[1]
    if mark and (mark == ARGV[7] or (ARGV[8] == 'prefix' and string.sub(mark, 1, #ARGV[7]) == ARGV[7])) then
      redis.call('DEL', m, ix)
      return {'GONE', mark}
    end
  end
  return {'NF'}
end
local h = redis.call('HMGET', t, 'up', 'mc')
if ARGV[6] ~= '' and tonumber(h[1]) >= tonumber(ARGV[6]) then return {'KEEP', h[1]} end
redis.call('DEL', t, m, ix)
for k = 5, #KEYS do redis.call('ZREM', KEYS[k], id) end
remember(h[1] .. ':' .. h[2])
return {'OK', h[1], h[2]}
`;

/**
 * Give the thread to another user of its organisation. ARGV[6..8]: the new user id, the new owner mark, the old
 * owner mark. Inline, KEYS[5] and KEYS[6] are the new user's and the organisation's listings (the entry is moved to
 * the new `updatedAt`) and KEYS[7] the old user's (the entry is removed), all in this script. Returns `{OK, row}`,
 * `{SAME, row}` (already that user's: nothing written) or `{NF}`.
 */
export const TRANSFER_THREAD = `${PRELUDE}
if not owned() then return {'NF'} end
if ARGV[6] == user then return {'SAME', row()} end
redis.call('HSET', t, 'u', ARGV[6])
redis.call('ZREM', m, ARGV[8])
redis.call('ZADD', m, 'inf', ARGV[7])
local at = num(touch())
if ttl > 0 then
  redis.call('PEXPIRE', t, ttl)
  redis.call('PEXPIRE', m, ttl)
  redis.call('PEXPIRE', ix, ttl)
end
for k = 5, math.min(6, #KEYS) do
  redis.call('ZADD', KEYS[k], 'GT', at, id)
  if ttl > 0 then redis.call('PEXPIRE', KEYS[k], ttl) end
end
if #KEYS >= 7 then redis.call('ZREM', KEYS[7], id) end
return {'OK', row()}
`;

/**
 * Store an exported thread as it was, with no messages. ARGV[6..14]: name, metadata JSON, createdAt, updatedAt,
 * lastSeq, parent JSON (`''`: none), summarySeq (`''`: none), the owner mark, a nonce unique to this call (a resent
 * import finds its own thread and succeeds). Inline listing entries get the thread's `updatedAt`. Returns `{OK}` or
 * `{CF}` when the id is used.
 */
export const IMPORT_THREAD = `${PRELUDE}
if redis.call('EXISTS', t) == 1 then
  if redis.call('HGET', t, 'k') == ARGV[14] then return {'OK'} end
  return {'CF'}
end
redis.call('DEL', m, ix)
local f = {'o', org, 'u', user, 'n', ARGV[6], 'md', ARGV[7], 'c', ARGV[8], 'up', ARGV[9], 'ls', ARGV[10], 'mc', '0',
  'k', ARGV[14]}
if ARGV[11] ~= '' then f[#f + 1] = 'p'; f[#f + 1] = ARGV[11] end
if ARGV[12] ~= '' then f[#f + 1] = 'ss'; f[#f + 1] = ARGV[12] end
redis.call('HSET', t, unpack(f))
redis.call('ZADD', m, 'inf', ARGV[13])
settle(tonumber(ARGV[9]))
return {'OK'}
`;

/**
 * Store exported messages as they were. ARGV[6..]: triples (seq, message id, stored message). Every message is
 * checked before anything is written: a seq beyond `lastSeq` gives `{BAD, index, lastSeq}`, a seq held by another
 * id `{CF, index}`. Ids the thread holds are skipped; `mc` grows by what was written; `up`, `ls` and `ss` stay.
 * Returns `{OK, written}` or `{NF}`.
 */
export const IMPORT_MESSAGES = `${PRELUDE}
if not owned() then return {'NF'} end
local ls = redis.call('HGET', t, 'ls')
local fresh = {}
for a = 6, #ARGV, 3 do
  local i = (a - 6) / 3
  if tonumber(ARGV[a]) > tonumber(ls) then return {'BAD', i, ls} end
  local held = redis.call('ZRANGE', m, ARGV[a], ARGV[a], 'BYSCORE')[1]
  if held and idOf(held) ~= ARGV[a + 1] then return {'CF', i} end
  if redis.call('HEXISTS', ix, ARGV[a + 1]) == 0 then fresh[#fresh + 1] = a end
end
if #fresh == 0 then return {'OK', 0} end
local z, h = {}, {}
for _, a in ipairs(fresh) do
  z[#z + 1] = ARGV[a]; z[#z + 1] = ARGV[a + 2]
  h[#h + 1] = ARGV[a + 1]; h[#h + 1] = ARGV[a]
end
redis.call('ZADD', m, unpack(z))
redis.call('HSET', ix, unpack(h))
redis.call('HINCRBY', t, 'mc', #fresh)
if ttl > 0 then
  redis.call('PEXPIRE', t, ttl)
  redis.call('PEXPIRE', m, ttl)
  redis.call('PEXPIRE', ix, ttl)
end
return {'OK', #fresh}
`;
