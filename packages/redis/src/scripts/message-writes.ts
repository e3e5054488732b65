import { PRELUDE } from './prelude.js';

/**
 * Edit one message. ARGV[6..13]: message id, has content (`1`/`0`), content JSON, has metadata, metadata JSON,
 * status JSON (`''`: unchanged), tokenCount (`''`: unchanged), expected status JSON (`''`: none).
 * Splits the stored message on its newlines (see `codec.ts`; a message stored before statuses existed gets the
 * status, tokenCount and summaryOf elements, as `null`), checks the expected status (a stored `null` is
 * `"completed"`), replaces elements, sets editedAt to the new updatedAt — all in this script, so of two racing
 * finishers expecting the same status exactly one writes. Returns `{OK, stored message, updatedAt}`, `{NF}`, `{NM}`
 * or `{CF, status JSON}`.
 */
export const EDIT = `${PRELUDE}
if not owned() then return {'NF'} end
local seq, stored = find(ARGV[6])
if not stored then return {'NM'} end
local parts, start = {}, 1
while true do
  local e = string.find(stored, '\\n', start, true)
  if not e then break end
  parts[#parts + 1] = string.sub(stored, start, e - 1)
  start = e + 1
end
parts[#parts + 1] = string.sub(stored, start)
if #parts == 6 then
  parts[6] = string.sub(parts[6], 1, -2)
  parts[7], parts[8], parts[9] = ',null', ',null', ',null]'
end
local status = string.sub(parts[7], 2)
if status == 'null' then status = '"completed"' end
if ARGV[13] ~= '' and ARGV[13] ~= status then return {'CF', status} end
local at = num(touch())
parts[3] = ',' .. at
if ARGV[7] == '1' then parts[4] = ',' .. ARGV[8] end
if ARGV[9] == '1' then parts[5] = ',' .. ARGV[10] end
if ARGV[11] ~= '' then parts[7] = ',' .. ARGV[11] end
if ARGV[12] ~= '' then parts[8] = ',' .. ARGV[12] end
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
