-- Creates a visit unless one with its id exists: generated visits (whose ids follow from plan,
-- pattern and date) and one-off visits (whose ids follow from the request id).
--
-- KEYS[1]  hc:{T}:scheduling:visit:<id>                the record: a serialized Visit
-- KEYS[2]  hc:{T}:scheduling:visits                    ZSET of every visit id by planned start (ms)
-- KEYS[3]  hc:{T}:scheduling:client-visits:<client>    ZSET of the client's visits, the same way
-- KEYS[4]  hc:{T}:scheduling:locality-visits:<loc>     ZSET of the locality's visits, the same way
-- KEYS[5]  hc:{T}:scheduling:visit-create:<id>         fingerprint of the CreateVisit request
-- KEYS[6]  hc:{T}:scheduling:visit-changes             STREAM of VisitChange (WatchVisits)
-- ARGV[1]  the serialized Visit
-- ARGV[2]  the visit id
-- ARGV[3]  its planned start in ms
-- ARGV[4]  the CreateVisit request's fingerprint; "" for a generated visit
-- ARGV[5]  seconds the fingerprint is kept for retries
-- ARGV[6]  the serialized VisitChange (KIND_CREATED) to append
-- ARGV[7]  about how many entries the change stream keeps
--
-- Returns {"created"}; {"present"} when a generated visit exists already; for a one-off visit
-- that exists, {"duplicate", <stored Visit>} for a retry of the request that made it, or
-- {"exists"}.
local existing = redis.call('GET', KEYS[1])
if existing then
  if ARGV[4] == '' then
    return {'present'}
  end
  if redis.call('GET', KEYS[5]) == ARGV[4] then
    return {'duplicate', existing}
  end
  return {'exists'}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[5], ARGV[4], 'EX', ARGV[5])
end
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[7], '*', 'change', ARGV[6])
return {'created'}
