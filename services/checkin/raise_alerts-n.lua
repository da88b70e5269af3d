-- Raises a visit's alerts, each once (an alert id raised before, by this replica or another, is
-- left as it is), and ends the claim of the check that found them.
--
-- KEYS[1]  hc:{T}:checkin:visit-alerts:<visit>  HASH alert id -> serialized Alert
-- KEYS[2]  hc:{T}:checkin:alerts                ZSET alert id -> its due time (ms)
-- KEYS[3]  hc:{T}:checkin:alert-log             STREAM of AlertEvent ("event")
-- KEYS[4]  hc:{T}:checkin:claimed               ZSET of claimed checks
-- KEYS[5..] hc:{T}:checkin:alert:<alert>        the visit id of each alert, in ARGV's order
-- ARGV[1]  the claimed check "<visit>|<rule>", or "" when the alerts come from no check
-- ARGV[2]  the alert log's approximate length limit
-- ARGV[3]  the visit id
-- ARGV[4..] per alert, four values: its id, the serialized Alert, its due time (ms), the
--          serialized AlertEvent for the log
--
-- Returns {"raised", <the number of alerts raised>}.
local raised = 0
local alert = 0
for i = 4, #ARGV, 4 do
  alert = alert + 1
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('SET', KEYS[4 + alert], ARGV[3])
    redis.call('ZADD', KEYS[2], ARGV[i + 2], ARGV[i])
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'event', ARGV[i + 3])
    raised = raised + 1
  end
end
if ARGV[1] ~= '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return {'raised', raised}
