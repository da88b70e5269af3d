-- Creates a client, once.
--
-- KEYS[1]  hc:{T}:scheduling:client:<id>               the record: a serialized Client
-- KEYS[2]  hc:{T}:scheduling:clients                   ZSET of every client id (score 0, by id)
-- KEYS[3]  hc:{T}:scheduling:locality-clients:<loc>    ZSET of the locality's client ids
-- KEYS[4]  hc:{T}:scheduling:client-create:<id>        fingerprint of the request that made it
-- ARGV[1]  the serialized Client
-- ARGV[2]  the client id
-- ARGV[3]  the request's fingerprint
-- ARGV[4]  seconds the fingerprint is kept for retries
--
-- Returns {"created"}; {"duplicate", <stored Client>} for a retry of the request that made it;
-- {"exists"} when another request made a client with this id.
local existing = redis.call('GET', KEYS[1])
if existing then
  if redis.call('GET', KEYS[4]) == ARGV[3] then
    return {'duplicate', existing}
  end
  return {'exists'}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[2])
redis.call('SET', KEYS[4], ARGV[3], 'EX', ARGV[4])
return {'created'}
