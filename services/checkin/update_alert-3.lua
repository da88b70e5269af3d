-- Replaces an alert (acknowledged, resolved) if nothing changed it since it was read, and logs
-- it as it now is, with its visit's board entry.
--
-- KEYS[1]  hc:{T}:checkin:visit-alerts:<visit>  HASH alert id -> serialized Alert
-- KEYS[2]  hc:{T}:checkin:alert-log             STREAM of AlertEvent ("event")
-- KEYS[3]  hc:{T}:checkin:board-log             STREAM of BoardChange ("change")
-- ARGV[1]  the alert id
-- ARGV[2]  the alert as it was read
-- ARGV[3]  the alert as it now is
-- ARGV[4]  the serialized AlertEvent for the log
-- ARGV[5]  the logs' approximate length limit
-- ARGV[6]  the visit's board entry as it now is, a serialized BoardChange; "" for none
--
-- Returns {"written"}; {"conflict"} when the alert changed since it was read.
if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then
  return {'conflict'}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'event', ARGV[4])
if ARGV[6] ~= '' then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'change', ARGV[6])
end
return {'written'}
