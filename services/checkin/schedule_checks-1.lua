-- Sets when the alert engine looks at one visit: each of its checks at its time, and the checks
-- it no longer has removed (a cancelled visit has none).
--
-- KEYS[1]  hc:{T}:checkin:checks    ZSET "<visit>|<rule>" -> when it is due (ms)
-- ARGV[1..] pairs: "<visit>|<rule>", then its time in ms, or "" to remove it
--
-- Returns {"scheduled", <the number of checks set>}.
local set = 0
for i = 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('ZREM', KEYS[1], ARGV[i])
  else
    redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
    set = set + 1
  end
end
return {'scheduled', set}
