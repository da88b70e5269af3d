#include "common/redis/follow_position.h"

#include "absl/strings/str_cat.h"

namespace homecare {
namespace {

std::string FollowKey(absl::string_view service, absl::string_view name) {
  return absl::StrCat("hc:", service, ":follow:", name);
}

}  // namespace

absl::StatusOr<std::string> ReadFollowPosition(RedisClient& redis, absl::string_view service,
                                               absl::string_view name) {
  absl::StatusOr<RedisReply> reply = redis.Command({"GET", FollowKey(service, name)});
  if (!reply.ok()) return reply.status();
  return reply->is_nil() ? std::string() : reply->str;
}

absl::Status SaveFollowPosition(RedisClient& redis, absl::string_view service,
                                absl::string_view name, const std::string& resume_token) {
  return redis.Command({"SET", FollowKey(service, name), resume_token}).status();
}

}  // namespace homecare
