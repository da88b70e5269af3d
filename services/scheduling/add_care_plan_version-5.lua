-- Adds a version to a care plan (version 1 makes the plan), once per request.
--
-- KEYS[1]  hc:{T}:scheduling:plan:<plan>               HASH version number -> serialized CarePlan
-- KEYS[2]  hc:{T}:scheduling:plan-request:<request>    what the request made (see ARGV[3])
-- KEYS[3]  hc:{T}:scheduling:client-plans:<client>     ZSET of the client's plan ids
-- KEYS[4]  hc:{T}:scheduling:plan-reviews              ZSET of every plan id, score its review
--                                                      date (ms; far future when none)
-- KEYS[5]  hc:{T}:scheduling:client:<client>           the client, which must exist
-- ARGV[1]  the serialized CarePlan version
-- ARGV[2]  its version number
-- ARGV[3]  "<fingerprint>\n<plan id>\n<version>": the request and what it made
-- ARGV[4]  seconds the request record is kept for retries
-- ARGV[5]  the plan id
-- ARGV[6]  the review score
--
-- Returns {"created"}; {"requested", <request record>} when the request id was used before
-- (the caller compares fingerprints: a retry, or another request under the same id);
-- {"no-client"} when the client does not exist; {"conflict"} when the plan does not have
-- exactly ARGV[2] - 1 versions (another version was added since it was read).
local requested = redis.call('GET', KEYS[2])
if requested then
  return {'requested', requested}
end
if redis.call('EXISTS', KEYS[5]) == 0 then
  return {'no-client'}
end
if redis.call('HLEN', KEYS[1]) ~= tonumber(ARGV[2]) - 1 then
  return {'conflict'}
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
redis.call('ZADD', KEYS[3], 0, ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5])
return {'created'}
