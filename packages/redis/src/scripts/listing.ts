/**
 * Scripts on one listing index (a sorted set: score `updatedAt`, member the hex-encoded thread id; `KEYS[1]`).
 * Equal scores are ordered by member bytes; hex keeps the byte order of the UTF-8 id, which is Unicode code point
 * order, so a reverse range is exactly `updatedAt` desc, `id` desc.
 */

/**
 * Up to ARGV[1] entries `[id, score, …]` newest first, strictly after the position (ARGV[2] score, ARGV[3] id)
 * when ARGV[2] is not `''`. The position is found by rank in O(log n): the cursor's entry is put at the cursor's
 * score for the duration of the script (atomic, so nobody sees it) and restored before returning.
 */
export const INDEX_PAGE = `
local key, lim = KEYS[1], tonumber(ARGV[1])
if ARGV[2] == '' then
  return redis.call('ZRANGE', key, '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, lim, 'WITHSCORES')
end
local cid = ARGV[3]
local was = redis.call('ZSCORE', key, cid)
redis.call('ZADD', key, ARGV[2], cid)
local r = redis.call('ZREVRANK', key, cid)
local out = redis.call('ZRANGE', key, r + 1, r + lim, 'REV', 'WITHSCORES')
if was then redis.call('ZADD', key, was, cid) else redis.call('ZREM', key, cid) end
return out
`;

/**
 * Write an entry. ARGV: id, score, TTL ms (`0`: none), mode: `NX` (add only when absent: before a create) or `GT`
 * (add, or raise the score: after a write). Returns 1 when the entry was added.
 */
export const INDEX_PUT = `
local added = redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2], ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return added
`;

/**
 * Compare-and-set an entry: when its score is still ARGV[2] (what the reader saw), set it to ARGV[3], or remove it
 * when ARGV[3] is `''`. A concurrent writer's newer score is never overwritten. Returns 1 when changed.
 */
export const INDEX_FIX = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not s or tonumber(s) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1
`;

/** Remove an entry if its score is at most ARGV[2] (after a delete: a newer thread with the id keeps its entry). */
export const INDEX_DROP = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) return 1 end
return 0
`;

/**
 * Standalone only (inline index writes, where every key is on one server): one verified page in one round trip.
 * ARGV: entries wanted (limit + 1), cursor score and member (`''`: first page), key prefix, orgId, userId (`''`
 * for an organisation listing). Walks the index newest first from the position; an entry whose thread (read by
 * building its key from the member) is missing or not the owner's is removed, one whose score is not the thread's
 * `updatedAt` is corrected, and the walk restarts (at most 5 times). Returns one string per thread: the member and
 * the thread row's fields joined by NUL (`codec.ts`, `decodePackedThread`): 21 reply elements for a page of 20
 * instead of 231, which the client's reply decoder measurably felt.
 * It reads thread keys that are not in KEYS, which only a standalone server allows: never used on a cluster.
 */
export const LIST_VERIFIED = `
local key, want = KEYS[1], tonumber(ARGV[1])
local cs, cm, prefix, org, user = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local out = {}
for round = 1, 5 do
  local start, was = 0, false
  if cs ~= '' then
    was = redis.call('ZSCORE', key, cm)
    redis.call('ZADD', key, cs, cm)
    start = redis.call('ZREVRANK', key, cm) + 1
  end
  local repaired, r = false, start
  out = {}
  while #out < want and not repaired do
    local batch = redis.call('ZREVRANGE', key, r, r + want - #out - 1, 'WITHSCORES')
    if #batch == 0 then break end
    for k = 1, #batch, 2 do
      local member, score = batch[k], batch[k + 1]
      local row = redis.call('HMGET', prefix .. 't:{' .. member .. '}', 'o', 'u', 'n', 'md', 'c', 'up', 'ls', 'p', 'mc', 'ss')
      if row[1] ~= org or (user ~= '' and row[2] ~= user) then
        redis.call('ZREM', key, member)
        repaired = true
      elseif tonumber(row[6]) ~= tonumber(score) then
        redis.call('ZADD', key, row[6], member)
        repaired = true
      else
        local f = {member}
        for i = 1, 10 do f[i + 1] = row[i] or '' end
        out[#out + 1] = table.concat(f, '\0')
      end
    end
    r = r + #batch / 2
  end
  if cs ~= '' then
    if was then redis.call('ZADD', key, was, cm) else redis.call('ZREM', key, cm) end
  end
  if not repaired then break end
end
return out
`;
