-- Retires a tag if nothing changed it since it was read; its payload is free again.
--
-- KEYS[1]  hc:{T}:checkin:tag:<tag>                   the record: a serialized Tag
-- KEYS[2]  hc:{T}:checkin:tag-payload:<kind>:<digest> the id of the tag in use with its payload
-- ARGV[1]  the Tag as it was read
-- ARGV[2]  the retired Tag
-- ARGV[3]  the tag id
--
-- Returns {"retired"}; {"conflict"} when the tag changed since it was read.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
return {'retired'}
