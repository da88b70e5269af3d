// Where a service is in another service's watch that it follows (common/server/
// stream_follower.h): the resume token saved after the last change handled, in one key outside
// every tenant, "hc:<service>:follow:<name>" (a watch of every tenant has one token).
#ifndef HOMECARE_COMMON_REDIS_FOLLOW_POSITION_H_
#define HOMECARE_COMMON_REDIS_FOLLOW_POSITION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_client.h"

namespace homecare {

// "" when none was saved.
absl::StatusOr<std::string> ReadFollowPosition(RedisClient& redis, absl::string_view service,
                                               absl::string_view name);
absl::Status SaveFollowPosition(RedisClient& redis, absl::string_view service,
                                absl::string_view name, const std::string& resume_token);

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_FOLLOW_POSITION_H_
