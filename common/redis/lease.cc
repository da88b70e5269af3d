#include "common/redis/lease.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/redis/common_lua.h"
#include "common/redis/record.h"

namespace homecare {
namespace {

const LuaScript& LeaseScript() {
  static const auto* const kScript =
      new LuaScript(lua::kLeaseLuaName, lua::kLeaseLua, lua::kLeaseLuaKeys);
  return *kScript;
}

std::string Milliseconds(absl::Duration ttl) {
  return absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(ttl)));
}

absl::StatusOr<bool> Holder(RedisClient& redis, const std::string& key,
                            const std::vector<std::string>& args, absl::string_view done) {
  absl::StatusOr<RedisReply> reply = RunTransition(redis, LeaseScript(), {key}, args);
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == done) return true;
  if (outcome == "not-held") return false;
  return UnexpectedOutcome(LeaseScript(), outcome);
}

}  // namespace

absl::StatusOr<bool> TakeLease(RedisClient& redis, const std::string& key, const std::string& token,
                               absl::Duration ttl) {
  absl::StatusOr<RedisReply> reply =
      redis.Command({"SET", key, token, "NX", "PX", Milliseconds(ttl)});
  if (!reply.ok()) return reply.status();
  return !reply->is_nil();
}

absl::StatusOr<bool> RenewLease(RedisClient& redis, const std::string& key,
                                const std::string& token, absl::Duration ttl) {
  return Holder(redis, key, {"renew", token, Milliseconds(ttl)}, "renewed");
}

absl::StatusOr<bool> ReleaseLease(RedisClient& redis, const std::string& key,
                                  const std::string& token) {
  return Holder(redis, key, {"release", token}, "released");
}

}  // namespace homecare
