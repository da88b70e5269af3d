-- Replaces a record kept on its own (a tenant's settings or policy) if nothing changed it since
-- it was read.
--
-- KEYS[1]  the record's key: a serialized protobuf
-- ARGV[1]  the record as it was read; "" when there was none
-- ARGV[2]  the new record
--
-- Returns {"updated"}; {"conflict"} when it changed since it was read.
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
return {'updated'}
