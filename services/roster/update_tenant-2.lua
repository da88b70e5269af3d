-- Replaces a tenant's profile if neither it nor any carer changed since they were read (the
-- carers were checked against the new profile).
--
-- KEYS[1]  hc:{T}:roster:tenant        the profile: a serialized Tenant
-- KEYS[2]  hc:{T}:roster:carers-rev    counter bumped by every carer write
-- ARGV[1]  the serialized Tenant as it was read
-- ARGV[2]  the new serialized Tenant
-- ARGV[3]  the value of KEYS[2] when the carers were read ("" when never written)
--
-- Returns {"updated"}; {"missing"} when there is no such tenant; {"conflict"} when the profile or
-- a carer changed since they were read (read again and retry).
local current = redis.call('GET', KEYS[1])
if not current then
  return {'missing'}
end
if current ~= ARGV[1] or (redis.call('GET', KEYS[2]) or '') ~= ARGV[3] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
return {'updated'}
