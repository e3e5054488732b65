import { PRELUDE } from './prelude.js';

/**
 * Edit one message. ARGV[6..10]: message id, has content (`1`/`0`), content JSON, has metadata, metadata JSON.
 * Splits the stored message on its newlines (see `codec.ts`), replaces elements, sets editedAt to the new updatedAt.
 * Returns `{OK, stored message, updatedAt}`, `{NF}` or `{NM}`.
 */
export const EDIT = `${PRELUDE}
if not owned() then return {'NF'} end
local seq, stored = find(ARGV[6])
if not stored then return {'NM'} end
local parts, start = {}, 1
for k = 1, 5 do
  local e = string.find(stored, '\\n', start, true)
  parts[k] = string.sub(stored, start, e - 1)
  start = e + 1
end
parts[6] = string.sub(stored, start)
local at = num(touch())
parts[3] = ',' .. at
if ARGV[7] == '1' then parts[4] = ',' .. ARGV[8] end
if ARGV[9] == '1' then parts[5] = ',' .. ARGV[10] end
local v = table.concat(parts, '\\n')
redis.call('ZREMRANGEBYSCORE', m, seq, seq)
redis.call('ZADD', m, seq, v)
settle(tonumber(at))
return {'OK', v, at}
`;

/** Delete one message (its seq stays a gap). ARGV[6]: message id. Returns `{OK, 1|0, updatedAt}` or `{NF}`. */
export const DELETE_MESSAGE = `${PRELUDE}
local done = redis.call('GET', receipt)
if done then return {'OK', 1, done} end
if not owned() then return {'NF'} end
local seq = redis.call('HGET', ix, ARGV[6])
if not seq then return {'OK', 0, false} end
redis.call('ZREMRANGEBYSCORE', m, seq, seq)
redis.call('HDEL', ix, ARGV[6])
redis.call('HINCRBY', t, 'mc', -1)
local at = touch()
settle(at)
remember(num(at))
return {'OK', 1, num(at)}
`;
