// A service's per-tenant event logs as a watch reads them (carer changes, visits, alerts): the
// interface the shared watch (common/server/event_watch.h) reads through, so that the watch
// knows nothing of where events are kept. Redis Streams implement it (common/redis/event_log.h);
// a test can put events in memory.
//
// No gRPC, no Redis.
#ifndef HOMECARE_COMMON_API_EVENT_SOURCE_H_
#define HOMECARE_COMMON_API_EVENT_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/resume_token.h"

namespace homecare {

// One event as kept: the message a watch sends, serialized, without its resume_token.
struct StoredEvent {
  std::string tenant_id;
  std::string position;  // "<ms>-<seq>", increasing within a tenant's log
  std::string payload;
};

// Reads one watcher's events. Not thread-safe: one per watch.
class EventReader {
 public:
  virtual ~EventReader() = default;
  // Waits up to `block` for events after `positions` (tenant -> last delivered), at most
  // `count` per tenant, in log order within each tenant. Empty when none came in time.
  // UNAVAILABLE when the log cannot be reached; the reader is then unusable.
  virtual absl::StatusOr<std::vector<StoredEvent>> Read(const StreamPositions& positions, int count,
                                                        absl::Duration block) = 0;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Every tenant that may have events, for a watcher of every tenant.
  virtual absl::StatusOr<std::vector<std::string>> TenantIds() = 0;
  // The position of the tenant's newest event; kStreamStart when it has none.
  virtual absl::StatusOr<std::string> Latest(absl::string_view tenant_id) = 0;
  // OUT_OF_RANGE when events after `after` are no longer kept (a watcher resuming there would
  // miss some), with what the watcher should do instead.
  virtual absl::Status CheckRetained(absl::string_view tenant_id, absl::string_view after) = 0;
  // A reader of the watcher's own, able to wait `block` (blocking reads must not hold a shared
  // connection).
  virtual absl::StatusOr<std::unique_ptr<EventReader>> OpenReader(absl::Duration block) = 0;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_API_EVENT_SOURCE_H_
