/**
 * Lua that edits a thread's metadata JSON without re-encoding it: Lua's cjson would lose number precision and
 * turn `[]` into `{}`, so values are kept as the exact text the client wrote. The stored metadata is always
 * `JSON.stringify` output (compact, no duplicate keys), and the client sends each key and value as
 * `JSON.stringify` text too, so a key's text identifies it and equal primitive values have equal text.
 * `members(md)` splits the object into `{keyText, valueText}` pairs in order; `joinMembers` rebuilds it.
 */
export const METADATA_LUA = `
local function endOfString(s, i)
  local j = i + 1
  while true do
    local c = string.find(s, '["\\\\]', j)
    if string.sub(s, c, c) == '"' then return c end
    j = c + 2
  end
end
local function endOfValue(s, i)
  local c = string.sub(s, i, i)
  if c == '"' then return endOfString(s, i) end
  if c == '{' or c == '[' then
    local depth, j = 0, i
    while true do
      local k = string.find(s, '[%[%]{}"]', j)
      local ch = string.sub(s, k, k)
      if ch == '"' then
        j = endOfString(s, k) + 1
      elseif ch == '{' or ch == '[' then
        depth = depth + 1
        j = k + 1
      else
        depth = depth - 1
        if depth == 0 then return k end
        j = k + 1
      end
    end
  end
  return string.find(s, '[,}]', i) - 1
end
local function members(md)
  local out, i = {}, 2
  if md == '{}' then return out end
  while i < #md do
    local ke = endOfString(md, i)
    local ve = endOfValue(md, ke + 2)
    out[#out + 1] = {string.sub(md, i, ke), string.sub(md, ke + 2, ve)}
    i = ve + 2
  end
  return out
end
local function joinMembers(list)
  local parts = {}
  for _, kv in ipairs(list) do
    if kv then parts[#parts + 1] = kv[1] .. ':' .. kv[2] end
  end
  return '{' .. table.concat(parts, ',') .. '}'
end
`;
