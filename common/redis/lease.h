// A lease: one holder at a time for some work across replicas (one solve per tenant and date),
// kept in Redis as a STRING holding the holder's token with a time to live, so that a holder
// that dies lets go when its lease lapses. Taken with SET NX PX; renewed and let go by
// lease-1.lua only by the token that holds it.
#ifndef HOMECARE_COMMON_REDIS_LEASE_H_
#define HOMECARE_COMMON_REDIS_LEASE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace homecare {

// Whether `token` now holds the lease at `key` for `ttl` (false: another holds it). A holder
// asking again is refused too: tokens are for one holding each.
absl::StatusOr<bool> TakeLease(RedisClient& redis, const std::string& key, const std::string& token,
                               absl::Duration ttl);
// Whether `token` still held the lease, now for `ttl` from now.
absl::StatusOr<bool> RenewLease(RedisClient& redis, const std::string& key,
                                const std::string& token, absl::Duration ttl);
// Whether `token` still held the lease, now let go.
absl::StatusOr<bool> ReleaseLease(RedisClient& redis, const std::string& key,
                                  const std::string& token);

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_LEASE_H_
