import { PRELUDE } from './prelude.js';

/** The thread row if this scope owns it: `{OK, row}` or `{NF}`. */
export const GET_THREAD = `${PRELUDE}
if not owned() then return {'NF'} end
return {'OK', row()}
`;

/**
 * A page of messages. ARGV[6..8]: limit, before seq (`''`), after seq (`''`).
 * With after: the limit oldest with after < seq < before, ascending; otherwise the limit newest with seq < before,
 * descending (never the owner mark at `+inf`). Returns `{OK, stored messages, 1|0 (a message older than the
 * page's oldest exists)}` or `{NF}`. (The newest page without a cursor needs no script: see `message-ops.ts`.)
 */
export const PAGE = `${PRELUDE}
if not owned() then return {'NF'} end
local hi = '(+inf'
if ARGV[7] ~= '' then hi = '(' .. ARGV[7] end
local vals, oldest
if ARGV[8] ~= '' then
  vals = redis.call('ZRANGE', m, '(' .. ARGV[8], hi, 'BYSCORE', 'LIMIT', 0, ARGV[6])
  oldest = vals[1]
else
  vals = redis.call('ZRANGE', m, hi, '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[6])
  oldest = vals[#vals]
end
local older = 0
if oldest then
  local s = string.sub(oldest, 2, string.find(oldest, '\\n', 1, true) - 1)
  if redis.call('ZCOUNT', m, '-inf', '(' .. s) > 0 then older = 1 end
end
return {'OK', vals, older}
`;

/** One message by id. ARGV[6]: message id. Returns `{OK, stored message | false}` or `{NF}`. */
export const GET_MESSAGE = `${PRELUDE}
if not owned() then return {'NF'} end
local _, stored = find(ARGV[6])
return {'OK', stored or false}
`;

/**
 * The source of a fork. ARGV[6]: atSeq (`''`: lastSeq). Returns `{OK, row, stored messages with seq <= atSeq}`,
 * `{NF}` or `{BAD, lastSeq}`.
 */
export const FORK_SOURCE = `${PRELUDE}
if not owned() then return {'NF'} end
local ls = tonumber(redis.call('HGET', t, 'ls'))
local at = ls
if ARGV[6] ~= '' then at = tonumber(ARGV[6]) end
if at > ls then return {'BAD', num(ls)} end
return {'OK', row(), redis.call('ZRANGE', m, '-inf', num(at), 'BYSCORE')}
`;
