-- Replaces a carer's record if nothing changed it, or the tenant profile, since it was read.
--
-- KEYS[1]  hc:{T}:roster:carer:<id>               the record: a serialized Carer
-- KEYS[2]  hc:{T}:roster:tenant                   the profile the carer was validated against
-- KEYS[3]  hc:{T}:roster:locality-carers:<old>    the locality index it was in
-- KEYS[4]  hc:{T}:roster:locality-carers:<new>    the locality index it is in now
-- KEYS[5]  hc:{T}:roster:carers-rev               counter bumped by every carer write
-- KEYS[6]  hc:{T}:roster:changes                  STREAM of CarerChange
-- ARGV[1]  the serialized Carer as it was read
-- ARGV[2]  the new serialized Carer
-- ARGV[3]  the carer id
-- ARGV[4]  the serialized tenant profile it was validated against
-- ARGV[5]  the serialized CarerChange for the stream
-- ARGV[6]  the stream's approximate maximum length
--
-- Returns {"updated"}; {"missing"} when there is no such carer; {"conflict"} when the record or
-- the profile changed since they were read (read again and retry).
local current = redis.call('GET', KEYS[1])
if not current then
  return {'missing'}
end
if current ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[4] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], 0, ARGV[3])
redis.call('INCR', KEYS[5])
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
return {'updated'}
