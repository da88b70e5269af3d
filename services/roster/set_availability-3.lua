-- Replaces a carer's availability if nothing changed it since it was read.
--
-- KEYS[1]  hc:{T}:roster:availability:<carer>   a serialized Availability
-- KEYS[2]  hc:{T}:roster:carer:<carer>          the carer, which must exist
-- KEYS[3]  hc:{T}:roster:changes                STREAM of CarerChange
-- ARGV[1]  the serialized Availability as it was read ("" when there was none)
-- ARGV[2]  the new serialized Availability
-- ARGV[3]  the serialized CarerChange for the stream
-- ARGV[4]  the stream's approximate maximum length
--
-- Returns {"set"}; {"missing"} when there is no such carer; {"conflict"} when the availability
-- changed since it was read (read again and retry).
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {'missing'}
end
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'change', ARGV[3])
return {'set'}
