-- Renews or lets go of a lease (common/redis/lease.h), only for its holder: a holder whose
-- lease lapsed and was taken by another must not renew or delete the other's.
--
-- KEYS[1]  the lease's key: a STRING holding its holder's token, with a TTL
-- ARGV[1]  "renew" or "release"
-- ARGV[2]  the holder's token
-- ARGV[3]  for renew: the new time to live, in milliseconds
--
-- Returns {"renewed"} or {"released"}; {"not-held"} when the key holds another token or none.
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return {'not-held'}
end
if ARGV[1] == 'renew' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'renewed'}
end
redis.call('DEL', KEYS[1])
return {'released'}
