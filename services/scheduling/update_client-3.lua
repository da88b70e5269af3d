-- Replaces a client's record if nothing changed it since it was read.
--
-- KEYS[1]  hc:{T}:scheduling:client:<id>               the record: a serialized Client
-- KEYS[2]  hc:{T}:scheduling:locality-clients:<old>    the locality index it was in
-- KEYS[3]  hc:{T}:scheduling:locality-clients:<new>    the locality index it is in now
-- ARGV[1]  the serialized Client as it was read
-- ARGV[2]  the new serialized Client
-- ARGV[3]  the client id
--
-- Returns {"updated"}; {"missing"} when there is no such client; {"conflict"} when the record
-- changed since it was read (read again and retry).
local current = redis.call('GET', KEYS[1])
if not current then
  return {'missing'}
end
if current ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
return {'updated'}
