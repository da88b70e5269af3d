// Records as stores keep them: serialized protobuf in a STRING key, read together with their
// bytes so that a conditional write (a Lua script comparing bytes) can check that nothing
// changed them since.
#ifndef HOMECARE_COMMON_REDIS_RECORD_H_
#define HOMECARE_COMMON_REDIS_RECORD_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/records.h"
#include "common/redis/lua_script.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_reply.h"

namespace homecare {

// The snapshot of a GET reply: empty for nil.
template <typename Record>
absl::StatusOr<Snapshot<Record>> SnapshotOf(const RedisReply& reply, absl::string_view what) {
  Snapshot<Record> snapshot;
  if (reply.is_nil()) return snapshot;
  snapshot.bytes = reply.str;
  if (!snapshot.record.ParseFromString(snapshot.bytes)) return CorruptRecord(what);
  return snapshot;
}

// Runs a script of one transition, whose reply is {outcome, ...} (BullMQ style): INTERNAL when
// the reply has no outcome.
inline absl::StatusOr<RedisReply> RunTransition(RedisClient& redis, const LuaScript& script,
                                                const std::vector<std::string>& keys,
                                                const std::vector<std::string>& args) {
  absl::StatusOr<RedisReply> reply = redis.RunScript(script, keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->elements.empty() || !reply->elements[0].is_string()) {
    return absl::InternalError(absl::StrCat(script.name(), ": reply without an outcome"));
  }
  return reply;
}

// INTERNAL: a script answered an outcome its caller does not know (a bug).
inline absl::Status UnexpectedOutcome(const LuaScript& script, absl::string_view outcome) {
  return absl::InternalError(absl::StrCat(script.name(), ": unexpected reply ", outcome));
}

// Replaces the record at `key` (a settings or policy record kept on its own, with no index) by
// `updated` if it is still `read`: ABORTED (kConcurrentWriteReason, naming `what`) when it
// changed. put_if_unchanged.lua.
absl::Status PutIfUnchanged(RedisClient& redis, const std::string& key, const std::string& read,
                            const std::string& updated, absl::string_view what,
                            absl::string_view error_domain);
// The script PutIfUnchanged runs, for a store's LoadScripts.
const LuaScript& PutIfUnchangedScript();

// How a create-once script's reply reads. Every create_*.lua answers {"created"} when it wrote
// `written`, {"duplicate", <stored record>} for a retry of the same request (the same
// fingerprint), {"exists"} when the id belongs to another request, or one of `refusals`.
struct CreateOnceReplies {
  absl::string_view what;  // "carer", for a stored record that does not parse
  absl::Status exists;     // the ALREADY_EXISTS to answer for {"exists"}
  // Other outcomes of the script and the error each means, e.g. {"conflict", Conflict(...)}.
  std::vector<std::pair<std::string, absl::Status>> refusals = {};
};

template <typename Record>
absl::StatusOr<Created<Record>> ParseCreateOnce(const LuaScript& script, const RedisReply& reply,
                                                const Record& written,
                                                const CreateOnceReplies& replies) {
  const std::string& outcome = reply.elements.empty() ? std::string() : reply.elements[0].str;
  Created<Record> created;
  if (outcome == "created") {
    created.record = written;
    return created;
  }
  if (outcome == "duplicate") {
    if (reply.elements.size() < 2 || !created.record.ParseFromString(reply.elements[1].str)) {
      return CorruptRecord(replies.what);
    }
    created.duplicate = true;
    return created;
  }
  if (outcome == "exists") return replies.exists;
  for (const auto& [refused, status] : replies.refusals) {
    if (outcome == refused) return status;
  }
  return UnexpectedOutcome(script, outcome);
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_RECORD_H_
