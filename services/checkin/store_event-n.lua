-- Stores one check-in or check-out event of a visit, once, with the visit's record rebuilt with
-- it, if nothing changed the record since it was read.
--
-- KEYS[1]  hc:{T}:checkin:event:<digest>            "<fingerprint>\n<visit>" of the event id
-- KEYS[2]  hc:{T}:checkin:events:<visit>            HASH event id -> serialized StoredEvent
-- KEYS[3]  hc:{T}:checkin:record:<visit>            the record: a serialized VisitRecord
-- KEYS[4]  hc:{T}:checkin:board-log                 STREAM of BoardChange ("change")
-- KEYS[5]  hc:{T}:checkin:records                   ZSET of every visit with a record, by date
-- KEYS[6]  hc:{T}:checkin:client-records:<client>   the client's, the same way
-- KEYS[7..] hc:{T}:checkin:carer-records:<carer>    each carer with a slot on it, the same way
-- ARGV[1]  the event id
-- ARGV[2]  "<fingerprint>\n<visit id>"
-- ARGV[3]  the serialized StoredEvent
-- ARGV[4]  the record as it was read; "" when there was none
-- ARGV[5]  the new record
-- ARGV[6]  the visit id
-- ARGV[7]  its score in the indexes: the service date as YYYYMMDD
-- ARGV[8]  the visit's board entry as it now is, a serialized BoardChange; "" for none
-- ARGV[9]  the board log's approximate length limit
--
-- Returns {"stored"}; {"seen", <"<fingerprint>\n<visit>">} when an event with this id is
-- stored already (nothing is written); {"conflict"} when the record changed since it was read.
local seen = redis.call('GET', KEYS[1])
if seen then
  return {'seen', seen}
end
if (redis.call('GET', KEYS[3]) or '') ~= ARGV[4] then
  return {'conflict'}
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('SET', KEYS[3], ARGV[5])
for i = 5, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[7], ARGV[6])
end
if ARGV[8] ~= '' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'change', ARGV[8])
end
return {'stored'}
