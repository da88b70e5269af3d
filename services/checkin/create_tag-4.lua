-- Registers a tag (an NFC tag, a QR code or a landline) for a client, once per request, unless
-- its payload is another tag's in use: one code must prove one home.
--
-- KEYS[1]  hc:{T}:checkin:tag:<tag>                   the record: a serialized Tag
-- KEYS[2]  hc:{T}:checkin:client-tags:<client>        ZSET of the client's tag ids, by
--                                                     registration time (ms)
-- KEYS[3]  hc:{T}:checkin:tag-create:<tag>            fingerprint of the request that made it
-- KEYS[4]  hc:{T}:checkin:tag-payload:<kind>:<digest> the id of the tag in use with a payload
-- ARGV[1]  the serialized Tag
-- ARGV[2]  the tag id
-- ARGV[3]  the request's fingerprint
-- ARGV[4]  seconds the fingerprint is kept for retries
-- ARGV[5]  the registration time in ms
--
-- Returns {"created"}; {"duplicate", <stored Tag>} for a retry of the request that made it;
-- {"exists"} when another request made a tag with this id; {"taken"} when the payload is
-- another tag's in use.
local existing = redis.call('GET', KEYS[1])
if existing then
  if redis.call('GET', KEYS[3]) == ARGV[3] then
    return {'duplicate', existing}
  end
  return {'exists'}
end
local holder = redis.call('GET', KEYS[4])
if holder and holder ~= ARGV[2] then
  return {'taken'}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
redis.call('SET', KEYS[4], ARGV[2])
return {'created'}
