/**
 * The Lua scripts of the Redis second tier. Every key of a tier shares the hash tag `{<prefix>}`,
 * so each script runs on one node, cluster or not (its keys are in one slot; tag versions named
 * by an entry are reached by name, in the same slot).
 *
 * Versions are `<incarnation>:<counter>`; the incarnation is a random token the client passes in
 * (`fresh`), given to a version key when it is created. A key that was lost (evicted, FLUSHALL, a
 * restart without persistence, a failover that lost writes) comes back with a new incarnation, so
 * no entry or running fill recorded under the old one can ever match it again. A tag's version
 * also records the tag clock (`{p}:c`, bumped by every tag invalidation) at its last bump,
 * `<inc>:<n>@<clock inc>:<clock n>`: a fill can then tell whether a tag it only learned from the
 * loaded value was invalidated since its lookup. Nothing compares wall clocks.
 *
 * Keys: `{p}:g` the tier's version (flush), `{p}:c` the tag clock, `{p}:k:<key>` a key's version,
 * `{p}:t:<tag>` a tag's version, `{p}:e:<key>` an entry (a string: a header with the versions it
 * was stored under, then the data; see l2-entry.ts), `{p}:l:<key>` a load lease.
 */

const HELPERS = `
local fresh, vttl = ARGV[1], ARGV[2]
local function ver(k, ttl)
  local v = redis.call('GET', k)
  if not v then
    v = fresh .. ':0'
    if ttl then redis.call('SET', k, v, 'PX', ttl) else redis.call('SET', k, v) end
  end
  return v
end
local function bumped(v)
  if not v then return fresh .. ':1' end
  local inc, n = string.match(v, '^([^:@]*):(%d+)')
  if not inc then return fresh .. ':1' end
  return inc .. ':' .. string.format('%d', tonumber(n) + 1)
end
local function tagver(k, c)
  local v = redis.call('GET', k)
  if not v then
    v = fresh .. ':0@' .. c
    redis.call('SET', k, v, 'PX', vttl)
  end
  return v
end
local function lp(s) return #s .. ':' .. s end
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function store(e, ttl, data, g, k, names, vers)
  ttl = tonumber(ttl)
  local h = {'H1', lp(string.format('%d', now() + ttl)), lp(g), lp(k), lp(tostring(#names))}
  for i = 1, #names do
    h[#h + 1] = lp(names[i])
    h[#h + 1] = lp(vers[i])
  end
  h[#h + 1] = data
  redis.call('SET', e, table.concat(h), 'PX', ttl)
end
`;

/**
 * The lookup when the MGET in l2-tier.ts could not settle it (an entry with tags the caller did
 * not declare, a missing version, a lease to take). KEYS: entry, g, c, k, lease, declared tag
 * versions. ARGV: fresh, vttl, tag key prefix, lease token ('' for none), lease ttl. A current
 * entry: `{1, entry, server ms}`. Otherwise (a stale entry is deleted) `{0, leased, server ms, g,
 * c, k, tag version...}`, creating the versions that are missing.
 */
export const LOOKUP = `${HELPERS}
local e = redis.pcall('GET', KEYS[1])
if type(e) == 'table' then e = nil end -- not a string (an older layout): replaced below
if e then
  local pos, ok = 3, string.sub(e, 1, 2) == 'H1'
  local function field()
    local colon = string.find(e, ':', pos, true)
    local len = colon and tonumber(string.sub(e, pos, colon - 1))
    if not len then ok = false return nil end
    pos = colon + len + 1
    return string.sub(e, colon + 1, colon + len)
  end
  if ok then
    field()
    ok = ok and field() == redis.call('GET', KEYS[2])
    ok = ok and field() == redis.call('GET', KEYS[4])
    local n = ok and tonumber(field()) or 0
    for i = 1, n do
      if not ok then break end
      local name = field()
      ok = ok and field() == redis.call('GET', ARGV[3] .. name)
    end
  end
  if ok then return {1, e, now()} end
  redis.call('DEL', KEYS[1])
end
local c = ver(KEYS[3])
local out = {0, 0, now(), ver(KEYS[2]), c, ver(KEYS[4], vttl)}
for i = 6, #KEYS do out[#out + 1] = tagver(KEYS[i], c) end
if ARGV[4] ~= '' and redis.call('SET', KEYS[5], ARGV[4], 'NX', 'PX', ARGV[5]) then out[2] = 1 end
return out`;

/** KEYS: any key of the tier (routes the call to its node). The Redis server's time in ms. */
export const NOW = `${HELPERS}
return now()`;

/**
 * KEYS: entry, g, c, k, lease, declared tag versions (nd), result tag versions. ARGV: fresh, vttl,
 * entry ttl, data, lease token ('' for none), nd, g0, c0, k0, declared versions (nd), tag names
 * (declared, then result). Stores only if g, k and every declared tag still have the versions the
 * lookup read, no result tag was bumped since the lookup (by the tag clock), and the lease (when
 * one was taken) is still this load's. Returns 1 stored, 0 stale, -1 lease lapsed.
 */
export const FILL = `${HELPERS}
local nd = tonumber(ARGV[6])
if redis.call('GET', KEYS[2]) ~= ARGV[7] or redis.call('GET', KEYS[4]) ~= ARGV[9] then return 0 end
if ARGV[5] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[5] then return -1 end
local vers = {}
for i = 1, nd do
  local v = redis.call('GET', KEYS[5 + i])
  if v ~= ARGV[9 + i] then return 0 end
  vers[i] = v
end
if #KEYS > 5 + nd then
  local c0 = ARGV[8]
  local cinc0, cn0 = string.match(c0, '^([^:]*):(%d+)$')
  local c = redis.call('GET', KEYS[3])
  if not c then return 0 end
  local cinc = string.match(c, '^([^:]*):')
  if cinc ~= cinc0 then return 0 end
  for i = 6 + nd, #KEYS do
    local v = redis.call('GET', KEYS[i])
    if not v then
      -- Lost: whether it was bumped since the lookup is unknowable once the clock moved.
      if c ~= c0 then return 0 end
      v = tagver(KEYS[i], c)
    else
      local binc, bn = string.match(v, '@([^:]*):(%d+)$')
      if binc == cinc0 and tonumber(bn) > tonumber(cn0) then return 0 end
    end
    vers[#vers + 1] = v
  end
end
local names = {}
for i = 10 + nd, #ARGV do names[#names + 1] = ARGV[i] end
store(KEYS[1], ARGV[3], ARGV[4], ARGV[7], ARGV[9], names, vers)
for i = 4, #KEYS do if i ~= 5 then redis.call('PEXPIRE', KEYS[i], vttl) end end
if ARGV[5] ~= '' then redis.call('DEL', KEYS[5]) end
return 1`;

/**
 * A put. KEYS: entry, g, c, k, tag versions. ARGV: fresh, vttl, entry ttl, data, tag names.
 * Bumps the key's version (fills of it still running anywhere go stale), then stores the entry
 * under the current versions.
 */
export const WRITE = `${HELPERS}
local k = bumped(redis.call('GET', KEYS[4]))
redis.call('SET', KEYS[4], k, 'PX', vttl)
local c = ver(KEYS[3])
local vers, names = {}, {}
for i = 5, #KEYS do
  vers[#vers + 1] = tagver(KEYS[i], c)
  redis.call('PEXPIRE', KEYS[i], vttl)
  names[#names + 1] = ARGV[i]
end
store(KEYS[1], ARGV[3], ARGV[4], ver(KEYS[2]), k, names, vers)
return 1`;

/** KEYS: key versions, then the entries to drop. ARGV: fresh, vttl. Bumps each key's version. */
export const BUMP_KEYS = `${HELPERS}
local n = #KEYS / 2
for i = 1, n do
  redis.call('SET', KEYS[i], bumped(redis.call('GET', KEYS[i])), 'PX', vttl)
  redis.call('DEL', KEYS[n + i])
end
return n`;

/** KEYS: c, tag versions. ARGV: fresh, vttl. Bumps the tag clock once, and each tag recording it. */
export const BUMP_TAGS = `${HELPERS}
local c = bumped(redis.call('GET', KEYS[1]))
redis.call('SET', KEYS[1], c)
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], bumped(redis.call('GET', KEYS[i])) .. '@' .. c, 'PX', vttl)
end
return #KEYS - 1`;

/** KEYS: g. ARGV: fresh. Bumps the tier's version: every entry and running fill goes stale. */
export const FLUSH = `${HELPERS}
redis.call('SET', KEYS[1], bumped(redis.call('GET', KEYS[1])))
return 1`;

/**
 * KEYS: a stream's applied positions (a sorted set: member an instance, score the position it
 * applied through). ARGV: member, position, vttl. Raises the member's position, never lowers it,
 * and keeps the 64 highest: instances that stopped fall behind and out (a starting instance only
 * needs one position past its own).
 */
export const APPLIED = `
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -65)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** KEYS: lease. ARGV: token. Deletes the lease if it is still this token's. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;
