#include "common/redis/record.h"

#include "common/api/write.h"
#include "common/redis/common_lua.h"

namespace homecare {

const LuaScript& PutIfUnchangedScript() {
  static const auto* const kScript = new LuaScript(
      lua::kPutIfUnchangedLuaName, lua::kPutIfUnchangedLua, lua::kPutIfUnchangedLuaKeys);
  return *kScript;
}

absl::Status PutIfUnchanged(RedisClient& redis, const std::string& key, const std::string& read,
                            const std::string& updated, absl::string_view what,
                            absl::string_view error_domain) {
  absl::StatusOr<RedisReply> reply =
      RunTransition(redis, PutIfUnchangedScript(), {key}, {read, updated});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "updated") return absl::OkStatus();
  if (outcome == "conflict") return ConcurrentWriteError(what, error_domain);
  return UnexpectedOutcome(PutIfUnchangedScript(), outcome);
}

}  // namespace homecare
