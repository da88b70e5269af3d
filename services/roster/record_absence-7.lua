-- Records an absence, once.
--
-- KEYS[1]  hc:{T}:roster:absence:<id>             the record: a serialized Absence
-- KEYS[2]  hc:{T}:roster:carer:<carer>            the carer, which must exist
-- KEYS[3]  hc:{T}:roster:carer-absences:<carer>   ZSET of the carer's absence ids by start (ms)
-- KEYS[4]  hc:{T}:roster:absences                 ZSET of every absence id by start (ms)
-- KEYS[5]  hc:{T}:roster:absence-ends             ZSET of active absence ids by end (ms; open:
--                                                 +inf), so eligibility reads only current ones
-- KEYS[6]  hc:{T}:roster:absence-create:<id>      fingerprint of the request that made it
-- KEYS[7]  hc:{T}:roster:changes                  STREAM of CarerChange
-- ARGV[1]  the serialized Absence
-- ARGV[2]  the absence id
-- ARGV[3]  the request's fingerprint
-- ARGV[4]  its start in ms since the epoch
-- ARGV[5]  its end in ms since the epoch, or "+inf"
-- ARGV[6]  the serialized CarerChange for the stream
-- ARGV[7]  the stream's approximate maximum length
-- ARGV[8]  seconds the fingerprint is kept for retries
--
-- Returns {"created"}; {"duplicate", <stored Absence>} for a retry of the request that made it;
-- {"exists"} when another request made an absence with this id; {"missing"} when there is no
-- such carer.
local existing = redis.call('GET', KEYS[1])
if existing then
  if redis.call('GET', KEYS[6]) == ARGV[3] then
    return {'duplicate', existing}
  end
  return {'exists'}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {'missing'}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[2])
redis.call('SET', KEYS[6], ARGV[3], 'EX', ARGV[8])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[7], '*', 'change', ARGV[6])
return {'created'}
