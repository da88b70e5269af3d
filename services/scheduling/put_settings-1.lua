-- Replaces the tenant's scheduling settings if nothing changed them since they were read.
--
-- KEYS[1]  hc:{T}:scheduling:settings    the record: a serialized SchedulingSettings
-- ARGV[1]  the serialized settings as read; "" when there were none
-- ARGV[2]  the new serialized settings
--
-- Returns {"updated"}; {"conflict"} when they changed since they were read.
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
return {'updated'}
