/**
 * The throttle's writes, each one Lua script so that the counters and the list of entries move together.
 * Every key shares the {QUEUE_PREFIX} hash tag.
 */

/**
 * Admits a login attempt or not. KEYS: account, pair, source counters, the index. ARGV: window (s), the
 * account/pair limit, the source limit, the account, pair and source entry ids.
 * A source at its limit for the account, or over all accounts, is not admitted and nothing is counted.
 * Otherwise the attempt is counted at once, as a failure until it succeeds (then it is forgiven): so
 * attempts sent in parallel cannot slip past the limit before their failures are known. Each counter's
 * window starts at its first count. Returns { admitted (1 or 0), pair, pair's ms left, source, source's ms
 * left, account }: the counts before this attempt.
 */
export const ADMIT = `
local window, max, sourceMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local function count(key) return tonumber(redis.call('GET', key) or '0') end
local account, pair, source = count(KEYS[1]), count(KEYS[2]), count(KEYS[3])
if pair >= max or source >= sourceMax then
  return { 0, pair, redis.call('PTTL', KEYS[2]), source, redis.call('PTTL', KEYS[3]), account }
end
local now = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local function bump(key, limit, id)
  local counted = redis.call('INCR', key)
  redis.call('EXPIRE', key, window, 'NX')
  if counted >= limit then
    redis.call('ZADD', KEYS[4], redis.call('PEXPIRETIME', key), id)
    redis.call('EXPIRE', KEYS[4], window)
  end
end
bump(KEYS[1], max, ARGV[4])
bump(KEYS[2], max, ARGV[5])
bump(KEYS[3], sourceMax, ARGV[6])
return { 1, pair, redis.call('PTTL', KEYS[2]), source, redis.call('PTTL', KEYS[3]), account }
`;

/**
 * Forgets a source's failures on an account (it logged in, this attempt included, or an admin cleared them): they are taken
 * off the account's and the source's counts too, and entries that fall below their limit leave the index.
 * KEYS: pair, account, source counters, the index. ARGV: the account/pair limit, the source limit, the
 * pair, account and source entry ids. Returns the failures forgotten.
 */
export const FORGIVE_PAIR = `
local failures = tonumber(redis.call('GETDEL', KEYS[1]) or '0')
redis.call('ZREM', KEYS[4], ARGV[3])
local function lower(key, limit, id)
  local left = tonumber(redis.call('GET', key) or '0')
  if left <= failures then
    redis.call('DEL', key)
    left = 0
  else
    left = redis.call('DECRBY', key, failures)
  end
  if left < limit then redis.call('ZREM', KEYS[4], id) end
end
if failures > 0 then
  lower(KEYS[2], tonumber(ARGV[1]), ARGV[4])
  lower(KEYS[3], tonumber(ARGV[2]), ARGV[5])
end
return failures
`;
