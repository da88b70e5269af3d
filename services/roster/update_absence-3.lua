-- Replaces an absence (ended or cancelled) if nothing changed it since it was read.
--
-- KEYS[1]  hc:{T}:roster:absence:<id>    the record: a serialized Absence
-- KEYS[2]  hc:{T}:roster:absence-ends    ZSET of active absence ids by end (ms; open: +inf)
-- KEYS[3]  hc:{T}:roster:changes         STREAM of CarerChange
-- ARGV[1]  the serialized Absence as it was read
-- ARGV[2]  the new serialized Absence
-- ARGV[3]  the absence id
-- ARGV[4]  its new end in ms since the epoch, or "" when it is no longer active
-- ARGV[5]  the serialized CarerChange for the stream
-- ARGV[6]  the stream's approximate maximum length
--
-- Returns {"updated"}; {"missing"}; {"conflict"} when it changed since it was read.
local current = redis.call('GET', KEYS[1])
if not current then
  return {'missing'}
end
if current ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[2], ARGV[3])
else
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
return {'updated'}
