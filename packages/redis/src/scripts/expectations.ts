/**
 * Lua: an append's or truncation's expectations, passed as ONE argument: `''` (none), `'<lastSeq>'`,
 * `'<lastSeq>:<messageCount>'` or `':<messageCount>'`. `expectation(arg, ls, mc)` (the thread's `ls` and `mc` as
 * stored) returns `{CF, ls}` when the expected lastSeq differs, else `{CC, mc}` when the expected count differs,
 * else nil — lastSeq first, as the contract orders them.
 */
export const EXPECTATIONS_LUA = `
local function expectation(arg, ls, mc)
  if arg == '' then return nil end
  local sep = string.find(arg, ':', 1, true)
  local els, emc
  if sep then
    els, emc = tonumber(string.sub(arg, 1, sep - 1)), tonumber(string.sub(arg, sep + 1))
  else
    els = tonumber(arg)
  end
  if els and els ~= tonumber(ls) then return {'CF', ls} end
  if emc and emc ~= tonumber(mc) then return {'CC', mc} end
  return nil
end
`;

/** The one-argument form of `expectedLastSeq` and `expectedMessageCount` that {@link EXPECTATIONS_LUA} reads. */
export function expectationArg(input: { expectedLastSeq?: number; expectedMessageCount?: number }): string {
  const count = input.expectedMessageCount === undefined ? '' : `:${input.expectedMessageCount}`;
  return `${input.expectedLastSeq ?? ''}${count}`;
}
