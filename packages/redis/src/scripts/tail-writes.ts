import { EXPECTATIONS_LUA } from './expectations.js';
import { PRELUDE } from './prelude.js';

/**
 * An append with `replaceAfterSeq` (regenerate, edit-and-resend), atomically. ARGV[6]: expectedLastSeq (`''` for
 * none; or `expectationArg`'s form with expectedMessageCount); ARGV[7]: the cut; then pairs (message id, message body) as for APPEND.
 * - A replay (the messages after the cut are exactly this batch's ids, in order: every id maps to a seq after the
 *   cut, increasing, and as many as there are messages after the cut) writes nothing and returns them.
 * - Then `expectedLastSeq` (`{CF, lastSeq}`), `expectedMessageCount` (`{CC, messageCount}`) and the cut (`{BAD, lastSeq}` when beyond `lastSeq`).
 * - Then the tail is removed (messages and id entries), and the batch appended as APPEND does against what remains:
 *   new messages get seqs after `lastSeq`. `mc` = old − removed + added; `ss` unset when beyond the cut, set to the
 *   last new summary. Returns `{OK, written, updatedAt, firstSeq, stored-or-'' in input order}` or `{NF}`.
 */
export const REPLACE = `${PRELUDE}${EXPECTATIONS_LUA}
local h = redis.call('HMGET', t, 'o', 'u', 'ls', 'mc', 'ss', 'up')
if h[1] ~= org or h[2] ~= user then return {'NF'} end
local ls, cut, n = tonumber(h[3]), tonumber(ARGV[7]), (#ARGV - 7) / 2
local function stored(seq) return redis.call('ZRANGE', m, seq, seq, 'BYSCORE')[1] end
local tail = redis.call('ZCOUNT', m, '(' .. ARGV[7], '(inf')
if tail == n then
  local prev, out = cut, {}
  for k = 1, n do
    local seq = redis.call('HGET', ix, ARGV[6 + 2 * k])
    if not seq or tonumber(seq) <= prev then out = nil break end
    prev = tonumber(seq)
    out[k] = stored(seq)
  end
  if out then return {'OK', 0, '', '', out} end
end
local conflict = expectation(ARGV[6], h[3], h[4])
if conflict then return conflict end
if cut > ls then return {'BAD', h[3]} end
local removed = removeAfter(ARGV[7])
local at = num(math.max(now, tonumber(h[6])))
local first = num(ls + 1)
local z, fresh, out, ss = {}, 0, {}, false
for k = 1, n do
  local mid, s = ARGV[6 + 2 * k], num(ls + 1)
  if redis.call('HSETNX', ix, mid, s) == 1 then
    ls = ls + 1
    fresh = fresh + 1
    z[#z + 1] = s
    z[#z + 1] = '[' .. s .. '\\n,' .. at .. '\\n,null\\n,' .. ARGV[7 + 2 * k]
    if string.sub(ARGV[7 + 2 * k], -5) ~= 'null]' then ss = s end
    out[k] = ''
  else
    out[k] = stored(redis.call('HGET', ix, mid))
  end
end
if fresh + removed == 0 then return {'OK', 0, '', '', out} end
if fresh > 0 then redis.call('ZADD', m, unpack(z)) end
redis.call('HSET', t, 'ls', num(ls), 'up', at, 'mc', num(tonumber(h[4]) - removed + fresh))
if ss then
  redis.call('HSET', t, 'ss', ss)
elseif h[5] and tonumber(h[5]) > cut then
  redis.call('HDEL', t, 'ss')
end
settle(tonumber(at))
return {'OK', 1, at, first, out}
`;

/**
 * Remove every message with seq > ARGV[7]; ARGV[6]: the expectations (`expectationArg`; `''` for none). `lastSeq` is kept; `ss` is
 * unset when beyond the cut; `updatedAt` moves only when something was removed. The receipt makes a resent call
 * report the first execution's count. Returns `{OK, removed, updatedAt | false}`, `{NF}`, `{CF, lastSeq}` or
 * `{BAD, lastSeq}`.
 */
export const TRUNCATE = `${PRELUDE}${EXPECTATIONS_LUA}
local done = redis.call('GET', receipt)
if done then
  local sep = string.find(done, ':', 1, true)
  return {'OK', tonumber(string.sub(done, 1, sep - 1)), string.sub(done, sep + 1)}
end
local h = redis.call('HMGET', t, 'o', 'u', 'ls', 'mc', 'ss')
if h[1] ~= org or h[2] ~= user then return {'NF'} end
local ls, cut = tonumber(h[3]), tonumber(ARGV[7])
local conflict = expectation(ARGV[6], h[3], h[4])
if conflict then return conflict end
if cut > ls then return {'BAD', h[3]} end
if h[5] and tonumber(h[5]) > cut then redis.call('HDEL', t, 'ss') end
local removed = removeAfter(ARGV[7])
if removed == 0 then return {'OK', 0, false} end
redis.call('HSET', t, 'mc', num(tonumber(h[4]) - removed))
local at = touch()
settle(at)
remember(removed .. ':' .. num(at))
return {'OK', removed, num(at)}
`;
