/**
 * The throttle's writes, each one Lua script so that the counters and the list of entries move together.
 * Every key shares the {QUEUE_PREFIX} hash tag.
 */

/**
 * A failed login. KEYS: account, pair, source counters, the index, the user record. ARGV: window (s),
 * the account/pair limit, the source limit, the account, pair and source entry ids, the user id or ''.
 * Each counter's window starts at its first failure. Returns the three counts.
 */
export const RECORD_FAILURE = `
local window = tonumber(ARGV[1])
local function bump(key)
  local count = redis.call('INCR', key)
  redis.call('EXPIRE', key, window, 'NX')
  return count
end
local account, pair, source = bump(KEYS[1]), bump(KEYS[2]), bump(KEYS[3])
if ARGV[7] ~= '' then redis.call('SET', KEYS[5], ARGV[7], 'EX', window) end
local now = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local function list(key, count, limit, id)
  if count >= limit then
    redis.call('ZADD', KEYS[4], redis.call('PEXPIRETIME', key), id)
    redis.call('EXPIRE', KEYS[4], window)
  end
end
list(KEYS[1], account, tonumber(ARGV[2]), ARGV[4])
list(KEYS[2], pair, tonumber(ARGV[2]), ARGV[5])
list(KEYS[3], source, tonumber(ARGV[3]), ARGV[6])
return { account, pair, source }
`;

/**
 * Forgets a source's failures on an account (it then logged in, or an admin cleared them): they are taken
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
