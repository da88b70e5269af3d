-- Creates a carer, once, against the tenant profile it was validated with.
--
-- KEYS[1]  hc:{T}:roster:carer:<id>               the record: a serialized Carer
-- KEYS[2]  hc:{T}:roster:tenant                   the profile the carer was validated against
-- KEYS[3]  hc:{T}:roster:carers                   ZSET of every carer id (score 0, by id)
-- KEYS[4]  hc:{T}:roster:locality-carers:<loc>    ZSET of the locality's carer ids
-- KEYS[5]  hc:{T}:roster:carer-create:<id>        fingerprint of the request that made it
-- KEYS[6]  hc:{T}:roster:carers-rev               counter bumped by every carer write
-- KEYS[7]  hc:{T}:roster:changes                  STREAM of CarerChange
-- ARGV[1]  the serialized Carer
-- ARGV[2]  the carer id
-- ARGV[3]  the request's fingerprint
-- ARGV[4]  the serialized tenant profile it was validated against
-- ARGV[5]  the serialized CarerChange for the stream
-- ARGV[6]  the stream's approximate maximum length
-- ARGV[7]  seconds the fingerprint is kept for retries
--
-- Returns {"created"}; {"duplicate", <stored Carer>} for a retry of the request that made it;
-- {"exists"} when another request made a carer with this id; {"conflict"} when the profile
-- changed since it was read (validate again and retry).
local existing = redis.call('GET', KEYS[1])
if existing then
  if redis.call('GET', KEYS[5]) == ARGV[3] then
    return {'duplicate', existing}
  end
  return {'exists'}
end
if redis.call('GET', KEYS[2]) ~= ARGV[4] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[3], 0, ARGV[2])
redis.call('ZADD', KEYS[4], 0, ARGV[2])
redis.call('SET', KEYS[5], ARGV[3], 'EX', ARGV[7])
redis.call('INCR', KEYS[6])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
return {'created'}
