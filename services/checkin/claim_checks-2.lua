-- Claims the checks due by now for one replica of the alert engine: those whose time has come,
-- and those another replica claimed and did not finish before its lease ran out (it died). A
-- claimed check is out of KEYS[1] and in KEYS[2] until its lease ends or it is finished.
--
-- KEYS[1]  hc:{T}:checkin:checks    ZSET "<visit>|<rule>" -> when it is due (ms)
-- KEYS[2]  hc:{T}:checkin:claimed   ZSET "<visit>|<rule>" -> when its claim lapses (ms)
-- ARGV[1]  now (ms)
-- ARGV[2]  when this claim lapses (ms)
-- ARGV[3]  the most checks to claim
--
-- Returns {"claimed", <"<visit>|<rule>">...}, lapsed claims first.
local limit = tonumber(ARGV[3])
local claimed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, limit)
local due = {}
if #claimed < limit then
  due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit - #claimed)
end
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  table.insert(claimed, member)
end
for _, member in ipairs(claimed) do
  redis.call('ZADD', KEYS[2], ARGV[2], member)
end
table.insert(claimed, 1, 'claimed')
return claimed
