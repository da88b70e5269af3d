#include "services/roster/change_watch.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "common/logging/log.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "services/roster/change_feed.h"

namespace homecare::roster {
namespace {

// How long one XREAD waits: also how soon a watch notices a cancel or a drain.
constexpr absl::Duration kBlock = absl::Seconds(1);
// Entries read per tenant at a time.
constexpr int kReadCount = 100;
// How often a watcher of every tenant looks for tenants created since it started.
constexpr absl::Duration kTenantRefresh = absl::Seconds(5);

class FailedWatch final : public grpc::ServerWriteReactor<v1::CarerChange> {
 public:
  explicit FailedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

class ChangeWatch final : public grpc::ServerWriteReactor<v1::CarerChange> {
 public:
  ChangeWatch(Principal principal, std::string resume_token, RosterStore* store, RedisClient* redis,
              StreamTracker* streams)
      : principal_(std::move(principal)),
        resume_token_(std::move(resume_token)),
        store_(*store),
        redis_(*redis),
        streams_(*streams) {}

  void Begin() {
    tracker_id_ = streams_.Add([this] {
      draining_ = true;
      wake_.notify_all();
    });
    if (tracker_id_ == 0) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down"));
      return;
    }
    // Detached: the thread's last act is Finish, after which OnDone deletes this.
    std::thread([this] { Run(); }).detach();
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_ = false;
      write_failed_ = !ok;
    }
    wake_.notify_all();
  }

  void OnCancel() override {
    cancelled_ = true;
    wake_.notify_all();
  }

  void OnDone() override {
    if (tracker_id_ != 0) streams_.Remove(tracker_id_);
    delete this;
  }

 private:
  bool all_tenants() const { return principal_.acts_for_all_tenants(); }
  bool stopping() const { return cancelled_ || draining_; }

  void Run() {
    grpc::Status status = Watch();
    Finish(status);
  }

  grpc::Status Watch() {
    absl::StatusOr<StreamPositions> positions = StartingPositions();
    if (!positions.ok()) return ToGrpcStatus(positions.status());
    absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
        redis_.OpenDedicated(kBlock + absl::Seconds(2));
    if (!connection.ok()) return ToGrpcStatus(connection.status());
    absl::Time refreshed = absl::Now();
    while (!stopping()) {
      if (all_tenants() && absl::Now() - refreshed > kTenantRefresh) {
        if (absl::Status added = AddNewTenants(*positions); !added.ok()) {
          return ToGrpcStatus(added);
        }
        refreshed = absl::Now();
      }
      absl::StatusOr<std::vector<RosterStore::ChangeEntry>> entries =
          RosterStore::ReadChanges(**connection, *positions, kReadCount, kBlock);
      if (!entries.ok()) return ToGrpcStatus(entries.status());
      for (RosterStore::ChangeEntry& entry : *entries) {
        (*positions)[entry.tenant_id] = entry.entry_id;
        entry.change.set_resume_token(EncodeResumeToken(*positions));
        if (!Write(entry.change)) return grpc::Status::CANCELLED;
      }
    }
    if (cancelled_) return grpc::Status::CANCELLED;
    // Draining: end cleanly so that the client resumes against another replica.
    return grpc::Status::OK;
  }

  // Where the watch starts: from the token, or from each tenant's newest entry.
  absl::StatusOr<StreamPositions> StartingPositions() {
    StreamPositions positions;
    if (!resume_token_.empty()) {
      absl::StatusOr<StreamPositions> decoded = DecodeResumeToken(resume_token_);
      if (!decoded.ok()) return decoded.status();
      for (const auto& [tenant, position] : *decoded) {
        if (!all_tenants() && tenant != principal_.tenant) {
          // Another tenant's token: refused like a malformed one, with no hint of whose.
          return InvalidArgumentError("resume_token", "is not a resume token of this tenant");
        }
        if (absl::Status kept = store_.CheckChangesRetained(tenant, position); !kept.ok()) {
          return kept;
        }
      }
      positions = *std::move(decoded);
    }
    std::vector<std::string> tenants = {principal_.tenant};
    if (all_tenants()) {
      absl::StatusOr<std::vector<std::string>> ids = store_.ListTenantIds();
      if (!ids.ok()) return ids.status();
      tenants = *std::move(ids);
    }
    for (const std::string& tenant : tenants) {
      if (positions.contains(tenant)) continue;
      if (!resume_token_.empty() && all_tenants()) {
        // Not in the token: the tenant had no changes when it was made, or did not exist.
        positions[tenant] = kStreamStart;
        continue;
      }
      absl::StatusOr<std::string> latest = store_.LatestChangeId(tenant);
      if (!latest.ok()) return latest.status();
      positions[tenant] = *std::move(latest);
    }
    return positions;
  }

  // Tenants created since the watch began have only changes the watcher has not seen.
  absl::Status AddNewTenants(StreamPositions& positions) {
    absl::StatusOr<std::vector<std::string>> ids = store_.ListTenantIds();
    if (!ids.ok()) return ids.status();
    for (const std::string& tenant : *ids) positions.try_emplace(tenant, kStreamStart);
    return absl::OkStatus();
  }

  // Writes one change and waits until gRPC has taken it; false when the stream is gone.
  bool Write(const v1::CarerChange& change) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_ = true;
    }
    // Not under the lock: gRPC may run OnWriteDone before StartWrite returns.
    StartWrite(&change);
    std::unique_lock<std::mutex> lock(mutex_);
    // OnWriteDone always comes, with ok=false when the call was cancelled.
    wake_.wait(lock, [this] { return !writing_; });
    return !write_failed_ && !cancelled_;
  }

  const Principal principal_;
  const std::string resume_token_;
  RosterStore& store_;
  RedisClient& redis_;
  StreamTracker& streams_;
  StreamTracker::Id tracker_id_ = 0;

  std::atomic<bool> cancelled_{false};
  std::atomic<bool> draining_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool writing_ = false;
  bool write_failed_ = false;
};

}  // namespace

grpc::ServerWriteReactor<v1::CarerChange>* StartChangeWatch(
    const Principal& principal, const v1::WatchCarerChangesRequest& request, RosterStore* store,
    RedisClient* redis, StreamTracker* streams) {
  if (streams->open() >= kMaxWatches) {
    return FailedChangeWatch(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                          "too many open watches on this server; retry later"));
  }
  auto* watch = new ChangeWatch(principal, request.resume_token(), store, redis, streams);
  watch->Begin();
  return watch;
}

grpc::ServerWriteReactor<v1::CarerChange>* FailedChangeWatch(const grpc::Status& status) {
  return new FailedWatch(status);
}

}  // namespace homecare::roster
