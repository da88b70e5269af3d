-- Replaces a visit's record if nothing changed it since it was read, and keeps its carers'
-- indexes in step: one-off changes, cancellations, assignments, unassignments, and re-planning
-- or withdrawal by GenerateVisits. Every carer-day a write was checked against must still be at
-- the version the check read (a carer's day is the unit of consistency for assignments), and
-- every carer-day of a carer on the visit, before or after, gets a new version.
--
-- KEYS[1]  hc:{T}:scheduling:visit:<id>                the record: a serialized Visit
-- KEYS[2]  hc:{T}:scheduling:visits                    ZSET of every visit id by planned start (ms)
-- KEYS[3]  hc:{T}:scheduling:client-visits:<client>    ZSET of the client's visits
-- KEYS[4]  hc:{T}:scheduling:locality-visits:<old>     the locality index it was in
-- KEYS[5]  hc:{T}:scheduling:locality-visits:<new>     the locality index it is in now
-- KEYS[6]  hc:{T}:scheduling:visit-changes             STREAM of VisitChange (WatchVisits)
-- KEYS[7]  hc:{T}:scheduling:visit-request:<digest>    the request's record (see ARGV[7])
-- then, for each carer i = 0 .. ARGV[9] - 1 (a carer on the visit before or after):
-- KEYS[8 + 3i]   hc:{T}:scheduling:carer-visits:<carer>        ZSET of the carer's visit ids by
--                                                              planned start (ms), any status
-- KEYS[9 + 3i]   hc:{T}:scheduling:carer-days:<carer>          HASH local date -> version
-- KEYS[10 + 3i]  hc:{T}:scheduling:client-carer:<client>:<carer>  ZSET of the client's visits
--                                                              the carer is on, not cancelled
-- ARGV[1]  the serialized Visit as it was read
-- ARGV[2]  the new serialized Visit
-- ARGV[3]  the visit id
-- ARGV[4]  its planned start in ms
-- ARGV[5]  the serialized VisitChange to append
-- ARGV[6]  about how many entries the change stream keeps
-- ARGV[7]  "<fingerprint>\n<response>" to keep under KEYS[7] for a request made with a
--          request_id; "" for none
-- ARGV[8]  seconds the request's record is kept for retries
-- ARGV[9]  the number of carers
-- then, for each carer i, five arguments from ARGV[10 + 5i]:
--   the carer id; the local date of the visit when the carer was on it before ("" if not); the
--   local date now when the carer is on it after ("" if not); "1" when the carer is on it after
--   and it is not cancelled, else "0"; the carer-days checked, "<date>=<version>;..." ("" for
--   none; a date never written is version 0)
--
-- Returns {"updated"}; {"missing"} when there is no such visit; {"requested", <record>} when
-- KEYS[7] holds a record already (a retry: nothing is written); {"conflict"} when the visit
-- changed since it was read; {"busy", <carer id>} when a checked carer-day changed (read again
-- and retry).
local current = redis.call('GET', KEYS[1])
if not current then
  return {'missing'}
end
if ARGV[7] ~= '' then
  local earlier = redis.call('GET', KEYS[7])
  if earlier then
    return {'requested', earlier}
  end
end
if current ~= ARGV[1] then
  return {'conflict'}
end
local carers = tonumber(ARGV[9])
for i = 0, carers - 1 do
  local days = KEYS[9 + 3 * i]
  for day, version in string.gmatch(ARGV[14 + 5 * i], '([^=;]+)=(%d+)') do
    if (redis.call('HGET', days, day) or '0') ~= version then
      return {'busy', ARGV[10 + 5 * i]}
    end
  end
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
redis.call('ZREM', KEYS[4], ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
for i = 0, carers - 1 do
  local visits, days, with_client = KEYS[8 + 3 * i], KEYS[9 + 3 * i], KEYS[10 + 3 * i]
  local before, after = ARGV[11 + 5 * i], ARGV[12 + 5 * i]
  if before ~= '' then
    redis.call('HINCRBY', days, before, 1)
  end
  if after ~= '' then
    redis.call('ZADD', visits, ARGV[4], ARGV[3])
    if after ~= before then
      redis.call('HINCRBY', days, after, 1)
    end
  else
    redis.call('ZREM', visits, ARGV[3])
  end
  if ARGV[13 + 5 * i] == '1' then
    redis.call('ZADD', with_client, ARGV[4], ARGV[3])
  else
    redis.call('ZREM', with_client, ARGV[3])
  end
end
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
if ARGV[7] ~= '' then
  redis.call('SET', KEYS[7], ARGV[7], 'EX', ARGV[8])
end
return {'updated'}
