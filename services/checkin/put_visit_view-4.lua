-- Keeps the check-in service's view of a visit, unless a view of the same or a later version of
-- the visit is kept already (the stream and GetVisit may bring the same visit twice); files it
-- under its local date for the board, and logs its board entry.
--
-- KEYS[1]  hc:{T}:checkin:visit:<visit>           HASH "v" -> the scheduling version, "b" -> VisitView
-- KEYS[2]  hc:{T}:checkin:day-visits:<YYYYMMDD>   ZSET visit id -> planned start (ms): its day
-- KEYS[3]  hc:{T}:checkin:day-visits:<YYYYMMDD>   the day it was filed under before (may be KEYS[2])
-- KEYS[4]  hc:{T}:checkin:board-log               STREAM of BoardChange ("change")
-- ARGV[1]  the view's scheduling version
-- ARGV[2]  the serialized VisitView
-- ARGV[3]  the visit id
-- ARGV[4]  its planned start (ms)
-- ARGV[5]  the serialized BoardChange to log; "" for none
-- ARGV[6]  the board log's approximate length limit
--
-- Returns {"kept"}; {"older"} when the view kept is as new or newer.
local version = tonumber(redis.call('HGET', KEYS[1], 'v'))
if version and version >= tonumber(ARGV[1]) then
  return {'older'}
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'b', ARGV[2])
if KEYS[3] ~= KEYS[2] then
  redis.call('ZREM', KEYS[3], ARGV[3])
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
if ARGV[5] ~= '' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
end
return {'kept'}
