#include "common/redis/event_log.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/cluster_slots.h"
#include "common/redis/record.h"

namespace homecare {
namespace {

// The events of an XREAD reply (nil when none came), by the tenant each stream key is of.
absl::Status AppendEvents(const RedisReply& reply,
                          const std::map<std::string, std::string>& tenant_of_key,
                          const RedisEventLog::Layout& layout, std::vector<StoredEvent>* events) {
  if (reply.is_error()) return ErrorReplyToStatus(reply);
  for (const RedisReply& stream : reply.elements) {
    if (stream.elements.size() != 2) return absl::InternalError("XREAD: unexpected reply");
    auto tenant = tenant_of_key.find(stream.elements[0].str);
    if (tenant == tenant_of_key.end()) return absl::InternalError("XREAD: a stream not asked for");
    for (const RedisReply& entry : stream.elements[1].elements) {
      if (entry.elements.size() != 2) return absl::InternalError("XREAD: unexpected entry");
      const std::vector<RedisReply>& fields = entry.elements[1].elements;
      if (fields.size() != 2 || fields[0].str != layout.field) {
        return CorruptRecord(absl::StrCat("event of ", layout.key(tenant->second)));
      }
      events->push_back({.tenant_id = tenant->second,
                         .position = entry.elements[0].str,
                         .payload = fields[1].str});
    }
  }
  return absl::OkStatus();
}

// XREAD [BLOCK ms] of each tenant's stream after its position.
std::vector<std::string> XreadCommand(const StreamPositions& positions, int count,
                                      std::optional<absl::Duration> block,
                                      const RedisEventLog::Layout& layout,
                                      std::map<std::string, std::string>* tenant_of_key) {
  std::vector<std::string> command = {"XREAD", "COUNT", absl::StrCat(count)};
  if (block.has_value()) {
    command.insert(command.end(), {"BLOCK", absl::StrCat(absl::ToInt64Milliseconds(*block))});
  }
  command.push_back("STREAMS");
  for (const auto& [tenant, position] : positions) {
    std::string key = layout.key(tenant);
    (*tenant_of_key)[key] = tenant;
    command.push_back(std::move(key));
  }
  for (const auto& [tenant, position] : positions) command.push_back(position);
  return command;
}

class RedisEventReader final : public EventReader {
 public:
  RedisEventReader(std::unique_ptr<RedisConnection> connection, const RedisEventLog::Layout& layout)
      : connection_(std::move(connection)), layout_(layout) {}

  absl::StatusOr<std::vector<StoredEvent>> Read(const StreamPositions& positions, int count,
                                                absl::Duration block) override {
    std::vector<StoredEvent> events;
    if (positions.empty()) return events;
    std::map<std::string, std::string> tenant_of_key;
    absl::StatusOr<RedisReply> reply =
        connection_->Command(XreadCommand(positions, count, block, layout_, &tenant_of_key));
    if (!reply.ok()) return reply.status();
    if (absl::Status read = AppendEvents(*reply, tenant_of_key, layout_, &events); !read.ok()) {
      return read;
    }
    return events;
  }

 private:
  std::unique_ptr<RedisConnection> connection_;
  const RedisEventLog::Layout& layout_;
};

// On a Redis Cluster each tenant's stream has a slot of its own, and one XREAD may not name keys
// of several slots. A watch of one tenant blocks on a connection to the node serving it; a
// watch of several (a system watch of every tenant) reads each stream without blocking and
// waits a little between rounds that find nothing.
class ClusterEventReader final : public EventReader {
 public:
  ClusterEventReader(RedisClient* redis, const RedisEventLog::Layout& layout)
      : redis_(*redis), layout_(layout) {}

  absl::StatusOr<std::vector<StoredEvent>> Read(const StreamPositions& positions, int count,
                                                absl::Duration block) override {
    std::vector<StoredEvent> events;
    if (positions.empty()) return events;
    if (positions.size() == 1) return ReadOne(positions, count, block);
    const absl::Time deadline = absl::Now() + block;
    while (true) {
      for (const auto& position : positions) {
        std::map<std::string, std::string> tenant_of_key;
        absl::StatusOr<RedisReply> reply =
            redis_.Command(XreadCommand({position}, count, std::nullopt, layout_, &tenant_of_key));
        if (!reply.ok()) return reply.status();
        if (absl::Status read = AppendEvents(*reply, tenant_of_key, layout_, &events); !read.ok()) {
          return read;
        }
      }
      const absl::Duration left = deadline - absl::Now();
      if (!events.empty() || left <= absl::ZeroDuration()) return events;
      absl::SleepFor(std::min(left, kPollInterval));
    }
  }

 private:
  static constexpr absl::Duration kPollInterval = absl::Milliseconds(50);

  absl::StatusOr<std::vector<StoredEvent>> ReadOne(const StreamPositions& positions, int count,
                                                   absl::Duration block) {
    std::vector<StoredEvent> events;
    const std::string key = layout_.key(positions.begin()->first);
    if (connection_ == nullptr || key != connection_key_) {
      absl::StatusOr<std::unique_ptr<RedisConnection>> opened =
          redis_.OpenDedicated(block + absl::Seconds(2), key);
      if (!opened.ok()) return opened.status();
      connection_ = *std::move(opened);
      connection_key_ = key;
    }
    std::map<std::string, std::string> tenant_of_key;
    absl::StatusOr<RedisReply> reply =
        connection_->Command(XreadCommand(positions, count, block, layout_, &tenant_of_key));
    if (!reply.ok()) {
      connection_.reset();
      return reply.status();
    }
    if (ParseRedirect(*reply).has_value()) {
      // The slot moved: the next read opens a connection to the node that serves it now (the
      // readiness check refreshes the slot map every half second).
      connection_.reset();
      return events;
    }
    if (absl::Status read = AppendEvents(*reply, tenant_of_key, layout_, &events); !read.ok()) {
      return read;
    }
    return events;
  }

  RedisClient& redis_;
  const RedisEventLog::Layout& layout_;
  std::unique_ptr<RedisConnection> connection_;
  std::string connection_key_;
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
  if (redis_.is_cluster()) return std::make_unique<ClusterEventReader>(&redis_, layout_);
  // The connection's timeout outlasts the block, so that an idle wait is not taken for a
  // stalled Redis.
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      redis_.OpenDedicated(block + absl::Seconds(2));
  if (!connection.ok()) return connection.status();
  return std::make_unique<RedisEventReader>(*std::move(connection), layout_);
}

}  // namespace homecare
