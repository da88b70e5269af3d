-- Creates a tenant's profile, once.
--
-- KEYS[1]  hc:{T}:roster:tenant         the profile: a serialized homecare.roster.v1.Tenant
-- KEYS[2]  hc:{T}:roster:tenant-create  fingerprint of the CreateTenant request that made it
-- ARGV[1]  the serialized Tenant to store
-- ARGV[2]  this request's fingerprint (SHA-256 of request_id and payload)
--
-- Returns {"created"} when stored; {"duplicate", <stored Tenant>} when this same request made it
-- before (a retry gets the first result); {"exists"} when a different request did.
local existing = redis.call('GET', KEYS[1])
if existing then
  if redis.call('GET', KEYS[2]) == ARGV[2] then
    return {'duplicate', existing}
  end
  return {'exists'}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return {'created'}
