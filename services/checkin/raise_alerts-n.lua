-- Raises a visit's alerts, each once (an alert id raised before, by this replica or another, is
-- left as it is), ends the claim of the check that found them, and logs the visit's board entry
-- (a check moves it from not due to due, late, missed).
--
-- KEYS[1]  hc:{T}:checkin:visit-alerts:<visit>  HASH alert id -> serialized Alert
-- KEYS[2]  hc:{T}:checkin:alerts                ZSET alert id -> its due time (ms)
-- KEYS[3]  hc:{T}:checkin:alert-log             STREAM of AlertEvent ("event")
-- KEYS[4]  hc:{T}:checkin:claimed               ZSET of claimed checks
-- KEYS[5]  hc:{T}:checkin:board-log             STREAM of BoardChange ("change")
-- KEYS[6..] hc:{T}:checkin:alert:<alert>        the visit id of each alert, in ARGV's order
-- ARGV[1]  the claimed check "<visit>|<rule>", or "" when the alerts come from no check
-- ARGV[2]  the logs' approximate length limit
-- ARGV[3]  the visit id
-- ARGV[4]  the visit's board entry as it now is, a serialized BoardChange; "" for none
-- ARGV[5..] per alert, four values: its id, the serialized Alert, its due time (ms), the
--          serialized AlertEvent for the log
--
-- Returns {"raised", <the number of alerts raised>}.
local raised = 0
local alert = 0
for i = 5, #ARGV, 4 do
  alert = alert + 1
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('SET', KEYS[5 + alert], ARGV[3])
    redis.call('ZADD', KEYS[2], ARGV[i + 2], ARGV[i])
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'event', ARGV[i + 3])
    raised = raised + 1
  end
end
if ARGV[1] ~= '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
end
if ARGV[4] ~= '' then
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[2], '*', 'change', ARGV[4])
end
return {'raised', raised}
