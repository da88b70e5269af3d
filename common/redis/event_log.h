// A per-tenant event log kept as a Redis Stream, read as an EventSource: one stream per tenant
// (its key in the tenant's hash tag), one entry per event with a single field holding the
// serialized event. The scripts that change records append the entries themselves (XADD with
// MAXLEN ~), so that a change is never without its event nor the reverse; this class only reads.
#ifndef HOMECARE_COMMON_REDIS_EVENT_LOG_H_
#define HOMECARE_COMMON_REDIS_EVENT_LOG_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/api/event_source.h"
#include "common/redis/redis_client.h"

namespace homecare {

class RedisEventLog final : public EventSource {
 public:
  struct Layout {
    // The stream key of a tenant, e.g. "hc:{T}:roster:changes".
    std::function<std::string(absl::string_view tenant_id)> key;
    // The entry field that holds the event, e.g. "change".
    std::string field;
    // Every tenant with a stream (for a watcher of every tenant).
    std::function<absl::StatusOr<std::vector<std::string>>()> tenant_ids;
    // What a watcher whose token is too old should do, for the OUT_OF_RANGE message: "read the
    // carers again and watch from now on".
    std::string when_lost;
  };

  // `redis` must outlive the log.
  RedisEventLog(RedisClient* redis, Layout layout) : redis_(*redis), layout_(std::move(layout)) {}

  absl::StatusOr<std::vector<std::string>> TenantIds() override { return layout_.tenant_ids(); }
  absl::StatusOr<std::string> Latest(absl::string_view tenant_id) override;
  absl::Status CheckRetained(absl::string_view tenant_id, absl::string_view after) override;
  absl::StatusOr<std::unique_ptr<EventReader>> OpenReader(absl::Duration block) override;

 private:
  RedisClient& redis_;
  const Layout layout_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_EVENT_LOG_H_
