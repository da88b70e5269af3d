-- Keeps the check-in service's view of a visit, unless a view of the same or a later version of
-- the visit is kept already (the stream and GetVisit may bring the same visit twice).
--
-- KEYS[1]  hc:{T}:checkin:visit:<visit>   HASH "v" -> the scheduling version, "b" -> VisitView
-- ARGV[1]  the view's scheduling version
-- ARGV[2]  the serialized VisitView
--
-- Returns {"kept"}; {"older"} when the view kept is as new or newer.
local version = tonumber(redis.call('HGET', KEYS[1], 'v'))
if version and version >= tonumber(ARGV[1]) then
  return {'older'}
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'b', ARGV[2])
return {'kept'}
