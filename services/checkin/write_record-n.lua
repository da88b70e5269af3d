-- Replaces a visit's record, rebuilt after its view changed or a coordinator corrected it, if
-- nothing changed the record since it was read; appends the corrections to its audit trail.
--
-- KEYS[1]  hc:{T}:checkin:record:<visit>            the record: a serialized VisitRecord
-- KEYS[2]  hc:{T}:checkin:adjustments:<visit>       LIST of serialized AuditEntry, oldest first
-- KEYS[3]  hc:{T}:checkin:board-log                 STREAM of BoardChange ("change")
-- KEYS[4]  hc:{T}:checkin:records                   ZSET of every visit with a record, by date
-- KEYS[5]  hc:{T}:checkin:client-records:<client>   the client's, the same way
-- KEYS[6..] hc:{T}:checkin:carer-records:<carer>    each carer with a slot on it, the same way
-- ARGV[1]  the record as it was read; "" when there was none
-- ARGV[2]  the new record
-- ARGV[3]  the visit id
-- ARGV[4]  its score in the indexes: the service date as YYYYMMDD
-- ARGV[5]  the visit's board entry as it now is, a serialized BoardChange; "" for none
-- ARGV[6]  the board log's approximate length limit
-- ARGV[7..] serialized AuditEntry to append, in order
--
-- Returns {"written"}; {"conflict"} when the record changed since it was read.
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
for i = 7, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
end
for i = 4, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[4], ARGV[3])
end
if ARGV[5] ~= '' then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'change', ARGV[5])
end
return {'written'}
