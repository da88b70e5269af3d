-- Replaces a visit's record if nothing changed it since it was read: one-off changes,
-- cancellations, and re-planning or withdrawal by GenerateVisits.
--
-- KEYS[1]  hc:{T}:scheduling:visit:<id>                the record: a serialized Visit
-- KEYS[2]  hc:{T}:scheduling:visits                    ZSET of every visit id by planned start (ms)
-- KEYS[3]  hc:{T}:scheduling:client-visits:<client>    ZSET of the client's visits
-- KEYS[4]  hc:{T}:scheduling:locality-visits:<old>     the locality index it was in
-- KEYS[5]  hc:{T}:scheduling:locality-visits:<new>     the locality index it is in now
-- KEYS[6]  hc:{T}:scheduling:visit-changes             STREAM of VisitChange (WatchVisits)
-- ARGV[1]  the serialized Visit as it was read
-- ARGV[2]  the new serialized Visit
-- ARGV[3]  the visit id
-- ARGV[4]  its planned start in ms
-- ARGV[5]  the serialized VisitChange to append
-- ARGV[6]  about how many entries the change stream keeps
--
-- Returns {"updated"}; {"missing"} when there is no such visit; {"conflict"} when the record
-- changed since it was read (read again and retry).
local current = redis.call('GET', KEYS[1])
if not current then
  return {'missing'}
end
if current ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
redis.call('ZREM', KEYS[4], ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
return {'updated'}
