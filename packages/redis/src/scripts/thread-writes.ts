import { PRELUDE } from './prelude.js';

/**
 * Create a thread (and, for a fork, its copied messages) atomically.
 * ARGV[6..10]: name, metadata JSON, parent JSON (`''` for none), lastSeq, a nonce unique to this call;
 * then triples (seq, message id, stored message) of the copies.
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
  'mc', num((#ARGV - 10) / 3)}
if ARGV[8] ~= '' then f[#f + 1] = 'p'; f[#f + 1] = ARGV[8] end
redis.call('HSET', t, unpack(f))
local z, h = {}, {}
for k = 11, #ARGV, 3 do
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
 * Append a batch. ARGV[6]: expectedLastSeq (`''` for none); then pairs (message id, message body: see
 * `codec.ts`). Messages whose id is in the thread are returned as stored; when all are, nothing is written and
 * expectedLastSeq is not checked. New messages get consecutive seqs from `firstSeq` in input order and are
 * returned as `''` (the client has them). Returns `{OK, written (0|1), updatedAt, firstSeq, stored-or-'' in input
 * order}`, `{NF}` or `{CF, lastSeq}`.
 */
export const APPEND = `${PRELUDE}
local h = redis.call('HMGET', t, 'o', 'u', 'ls', 'up', 'mc')
if h[1] ~= org or h[2] ~= user then return {'NF'} end
local n = (#ARGV - 6) / 2
local out, fresh = {}, 0
for k = 1, n do
  local _, stored = find(ARGV[5 + 2 * k])
  if stored then out[k] = stored else out[k] = ''; fresh = fresh + 1 end
end
if fresh == 0 then return {'OK', 0, '', '', out} end
local ls = tonumber(h[3])
if ARGV[6] ~= '' and tonumber(ARGV[6]) ~= ls then return {'CF', h[3]} end
local at = num(math.max(now, tonumber(h[4])))
local first = num(ls + 1)
local z, x = {}, {}
for k = 1, n do
  if out[k] == '' then
    ls = ls + 1
    local s = num(ls)
    z[#z + 1] = s; z[#z + 1] = '[' .. s .. '\\n,' .. at .. '\\n,null\\n,' .. ARGV[6 + 2 * k]
    x[#x + 1] = ARGV[5 + 2 * k]; x[#x + 1] = s
  end
end
redis.call('ZADD', m, unpack(z))
redis.call('HSET', ix, unpack(x))
redis.call('HSET', t, 'ls', num(ls), 'up', at, 'mc', num(tonumber(h[5]) + fresh))
settle(tonumber(at))
return {'OK', 1, at, first, out}
`;

/**
 * Replace name and/or metadata. ARGV[6..9]: has name (`1`/`0`), name, has metadata, metadata JSON.
 * Returns `{OK, row}` or `{NF}`.
 */
export const UPDATE = `${PRELUDE}
if not owned() then return {'NF'} end
if ARGV[6] == '1' then redis.call('HSET', t, 'n', ARGV[7]) end
if ARGV[8] == '1' then redis.call('HSET', t, 'md', ARGV[9]) end
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

/** Remove every message, keep the thread and lastSeq. Returns `{OK, removed, updatedAt}` or `{NF}`. */
export const CLEAR = `${PRELUDE}
local done = redis.call('GET', receipt)
if done then
  local sep = string.find(done, ':', 1, true)
  return {'OK', tonumber(string.sub(done, 1, sep - 1)), string.sub(done, sep + 1)}
end
if not owned() then return {'NF'} end
local c = redis.call('ZCARD', m)
redis.call('DEL', m, ix)
redis.call('HSET', t, 'mc', '0')
local at = touch()
settle(at)
remember(c .. ':' .. num(at))
return {'OK', c, num(at)}
`;
