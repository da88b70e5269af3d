#include "common/redis/event_log.h"

#include <cstdint>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/record.h"

namespace homecare {
namespace {

class RedisEventReader final : public EventReader {
 public:
  RedisEventReader(std::unique_ptr<RedisConnection> connection, const RedisEventLog::Layout& layout)
      : connection_(std::move(connection)), layout_(layout) {}

  absl::StatusOr<std::vector<StoredEvent>> Read(const StreamPositions& positions, int count,
                                                absl::Duration block) override {
    std::vector<StoredEvent> events;
    if (positions.empty()) return events;
    std::vector<std::string> command = {"XREAD",
                                        "COUNT",
                                        absl::StrCat(count),
                                        "BLOCK",
                                        absl::StrCat(absl::ToInt64Milliseconds(block)),
                                        "STREAMS"};
    std::map<std::string, std::string> tenant_of_key;
    for (const auto& [tenant, position] : positions) {
      std::string key = layout_.key(tenant);
      tenant_of_key[key] = tenant;
      command.push_back(std::move(key));
    }
    for (const auto& [tenant, position] : positions) command.push_back(position);
    absl::StatusOr<RedisReply> reply = connection_->Command(command);
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) return ErrorReplyToStatus(*reply);
    for (const RedisReply& stream : reply->elements) {
      if (stream.elements.size() != 2) return absl::InternalError("XREAD: unexpected reply");
      const std::string& tenant = tenant_of_key[stream.elements[0].str];
      for (const RedisReply& entry : stream.elements[1].elements) {
        if (entry.elements.size() != 2) return absl::InternalError("XREAD: unexpected entry");
        const std::vector<RedisReply>& fields = entry.elements[1].elements;
        if (fields.size() != 2 || fields[0].str != layout_.field) {
          return CorruptRecord(absl::StrCat("event of ", layout_.key(tenant)));
        }
        events.push_back(
            {.tenant_id = tenant, .position = entry.elements[0].str, .payload = fields[1].str});
      }
    }
    return events;
  }

 private:
  std::unique_ptr<RedisConnection> connection_;
  const RedisEventLog::Layout& layout_;
};

}  // namespace

absl::StatusOr<std::string> RedisEventLog::Latest(absl::string_view tenant_id) {
  absl::StatusOr<RedisReply> reply =
      redis_.Command({"XREVRANGE", layout_.key(tenant_id), "+", "-", "COUNT", "1"});
  if (!reply.ok()) return reply.status();
  if (reply->elements.empty() || reply->elements[0].elements.empty()) return kStreamStart;
  return reply->elements[0].elements[0].str;
}

absl::Status RedisEventLog::CheckRetained(absl::string_view tenant_id, absl::string_view after) {
  const std::string key = layout_.key(tenant_id);
  absl::StatusOr<RedisReply> reply = redis_.Command({"EXISTS", key});
  if (!reply.ok()) return reply.status();
  if (reply->integer == 0) return absl::OkStatus();
  reply = redis_.Command({"XINFO", "STREAM", key});
  if (!reply.ok()) return reply.status();
  std::map<std::string, std::string> info;
  const std::vector<RedisReply>& fields = reply->elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const RedisReply& value = fields[i + 1];
    info[fields[i].str] =
        value.type == RedisReply::Type::kInteger ? absl::StrCat(value.integer) : value.str;
  }
  int64_t length = 0;
  int64_t added = 0;
  if (!absl::SimpleAtoi(info["length"], &length) ||
      !absl::SimpleAtoi(info["entries-added"], &added)) {
    return absl::InternalError("XINFO STREAM: no length or entries-added");
  }
  // Trimming drops the oldest entries. None dropped: nothing can be missing. Otherwise the
  // watcher misses events when its position is before the oldest entry kept (or before the
  // last one ever added, when none is kept); a position exactly at the cut is refused too,
  // which costs that watcher a re-read, never a lost event.
  if (added == length) return absl::OkStatus();
  const std::string& oldest_kept =
      length == 0 ? info["last-generated-id"] : info["recorded-first-entry-id"];
  if (StreamIdBefore(after, oldest_kept) || StreamIdBefore(after, info["max-deleted-entry-id"])) {
    return absl::OutOfRangeError(
        absl::StrCat("events after this resume token are no longer kept: ", layout_.when_lost));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<EventReader>> RedisEventLog::OpenReader(absl::Duration block) {
  // The connection's timeout outlasts the block, so that an idle wait is not taken for a
  // stalled Redis.
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      redis_.OpenDedicated(block + absl::Seconds(2));
  if (!connection.ok()) return connection.status();
  return std::make_unique<RedisEventReader>(*std::move(connection), layout_);
}

}  // namespace homecare
