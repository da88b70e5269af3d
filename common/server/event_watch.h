// The one way a service turns its per-tenant event logs (an EventSource) into a resumable gRPC
// server stream: WatchCarerChanges today; the visit, alert and board watches to come.
//
// What every watch does, which clients and outside testers rely on:
// - A tenant's token watches its own tenant; a system token for every tenant ("*") watches all
//   of them, including tenants that appear during the watch (seen within tenant_refresh, or
//   within the block time while it watches none).
// - Without a resume_token the watch starts from now on. The server sends the stream's initial
//   metadata once "now" is fixed, so a client that waits for it (WaitForInitialMetadata, or
//   the first response headers) knows that every later event will reach it.
// - Every event carries a resume_token (common/api/resume_token.h, one format for all
//   watches); a watch resumed with it delivers exactly the events after that one, in order.
// - INVALID_ARGUMENT naming resume_token for a token no watch made, and for another tenant's
//   (with no hint of whose); OUT_OF_RANGE when events after the token are no longer kept;
//   UNAVAILABLE when the log cannot be reached, at the start or mid-stream; RESOURCE_EXHAUSTED
//   past max_watches open on this server; UNAVAILABLE when the server is shutting down before
//   the watch began; OK when the server drains the stream on shutdown (resume on another
//   replica with the last token); DATA_LOSS for a stored event that does not parse.
//
// A watch reads with a blocking read, so each has a reader thread of its own, run by the
// service's BackgroundWork (owned and joined, never detached); a blocking read must not hold
// one of gRPC's two callback threads or a worker. Watchers are few (services' replicas and
// back-office screens), so a thread each is cheap.
#ifndef HOMECARE_COMMON_SERVER_EVENT_WATCH_H_
#define HOMECARE_COMMON_SERVER_EVENT_WATCH_H_

#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/event_source.h"
#include "common/auth/principal.h"
#include "common/server/background_work.h"
#include "common/server/grpc_status.h"
#include "common/server/stream_tracker.h"

namespace homecare {

struct WatchOptions {
  int max_watches = 64;  // the service host sets it from --max-watches
  // How long one read waits: also how soon a watch notices a cancel or a drain.
  absl::Duration block = absl::Seconds(1);
  // Events read per tenant at a time.
  int read_count = 100;
  // How often a watcher of every tenant looks for tenants that appeared since it started.
  absl::Duration tenant_refresh = absl::Seconds(5);
};

// Where one watch is in its tenants' logs: the starting positions, the reads, the token after
// each event. No gRPC.
class WatchCursor {
 public:
  // `source` must outlive the cursor.
  WatchCursor(Principal principal, EventSource* source, const WatchOptions& options)
      : principal_(std::move(principal)), source_(*source), options_(options) {}

  // Fixes where the watch starts, from `resume_token` or from now on, and opens the reader.
  absl::Status Begin(const std::string& resume_token);
  // The next events, waiting up to the block time; empty when none came. While idle() it
  // returns at once (a read of no logs cannot wait): the caller waits instead.
  absl::StatusOr<std::vector<StoredEvent>> Next();
  // A watcher of every tenant that has no tenant to read yet (a new installation).
  bool idle() const { return positions_.empty(); }
  // Records `event` as delivered, or passed over by the watch's filter: the watch resumes
  // after it either way.
  void Passed(const StoredEvent& event);
  // The resume token after every event passed so far.
  std::string Token() const;

 private:
  bool all_tenants() const { return principal_.acts_for_all_tenants(); }
  absl::Status AddNewTenants();

  const Principal principal_;
  EventSource& source_;
  const WatchOptions options_;
  StreamPositions positions_;
  std::unique_ptr<EventReader> reader_;
  absl::Time tenants_refreshed_;
};

// The watches of one service process.
class Watches {
 public:
  // Both must outlive every watch (the service host drains streams before it stops the
  // background work).
  Watches(StreamTracker* streams, BackgroundWork* background, WatchOptions options = {})
      : streams_(*streams), background_(*background), options_(options) {}

  // Which events a watcher asked for or may see (a date, a carer's own visits), and what of each
  // it may see: the filter may trim the event before it is sent. Empty: every event as kept.
  template <typename Event>
  using Filter = std::function<bool(Event&)>;

  // Starts a watch of `source` for an authorised `principal`; Event is the stream's message,
  // with a string field resume_token, kept in the log without it. Only events `keep` accepts
  // are sent, as it leaves them (the resume token still moves past the others). The reactor deletes
  // itself when the stream is done.
  template <typename Event>
  grpc::ServerWriteReactor<Event>* Start(const Principal& principal,
                                         const std::string& resume_token, EventSource* source,
                                         Filter<Event> keep = nullptr);

  // A stream that fails at once with `status` (for a caller refused before it starts).
  template <typename Event>
  static grpc::ServerWriteReactor<Event>* Refuse(const absl::Status& status);

 private:
  template <typename Event>
  class Watch;
  template <typename Event>
  class Refused;

  StreamTracker& streams_;
  BackgroundWork& background_;
  const WatchOptions options_;
};

// --- implementation ---

template <typename Event>
class Watches::Refused final : public grpc::ServerWriteReactor<Event> {
 public:
  explicit Refused(const absl::Status& status) { this->Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

template <typename Event>
class Watches::Watch final : public grpc::ServerWriteReactor<Event> {
 public:
  Watch(Principal principal, std::string resume_token, EventSource* source, Filter<Event> keep,
        Watches* watches)
      : resume_token_(std::move(resume_token)),
        cursor_(std::move(principal), source, watches->options_),
        keep_(std::move(keep)),
        watches_(*watches) {}

  void Begin() {
    tracker_id_ = watches_.streams_.Add([this] {
      draining_ = true;
      wake_.notify_all();
    });
    // The reader's last act is Finish, after which OnDone deletes this.
    if (tracker_id_ == 0 ||
        !watches_.background_.Launch([this](const BackgroundWork::Context& context) {
          this->Finish(ToGrpcStatus(Serve(context)));
        })) {
      this->Finish(ToGrpcStatus(absl::UnavailableError("server is shutting down")));
    }
  }

  void OnSendInitialMetadataDone(bool ok) override { Done(ok); }
  void OnWriteDone(bool ok) override { Done(ok); }
  void OnCancel() override {
    cancelled_ = true;
    wake_.notify_all();
  }
  void OnDone() override {
    if (tracker_id_ != 0) watches_.streams_.Remove(tracker_id_);
    delete this;
  }

 private:
  absl::Status Serve(const BackgroundWork::Context& context) {
    if (absl::Status begun = cursor_.Begin(resume_token_); !begun.ok()) return begun;
    // From here on nothing is missed: tell the client so.
    if (!Await([this] { this->StartSendInitialMetadata(); })) return absl::CancelledError();
    while (!cancelled_ && !draining_ && !context.stopping()) {
      absl::StatusOr<std::vector<StoredEvent>> events = cursor_.Next();
      if (!events.ok()) return events.status();
      if (cursor_.idle()) {
        // Nothing to block on: wait the block time here, where a cancel or a drain wakes it.
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_for(lock, absl::ToChronoNanoseconds(watches_.options_.block),
                       [this] { return cancelled_ || draining_; });
        continue;
      }
      for (const StoredEvent& stored : *events) {
        Event event;
        if (!event.ParseFromString(stored.payload)) {
          return absl::DataLossError("a stored event does not parse");
        }
        cursor_.Passed(stored);
        if (keep_ && !keep_(event)) continue;
        event.set_resume_token(cursor_.Token());
        if (!Await([this, &event] { this->StartWrite(&event); })) return absl::CancelledError();
      }
    }
    if (cancelled_) return absl::CancelledError();
    // Draining: end cleanly so that the client resumes against another replica.
    return absl::OkStatus();
  }

  // Starts one operation and waits until gRPC has done it; false when the stream is gone.
  template <typename Operation>
  bool Await(Operation start) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending_ = true;
    }
    // Not under the lock: gRPC may call back before `start` returns.
    start();
    std::unique_lock<std::mutex> lock(mutex_);
    // The callback always comes, with ok=false when the call was cancelled.
    wake_.wait(lock, [this] { return !pending_; });
    return !failed_ && !cancelled_;
  }

  void Done(bool ok) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending_ = false;
      failed_ = failed_ || !ok;
    }
    wake_.notify_all();
  }

  const std::string resume_token_;
  WatchCursor cursor_;
  const Filter<Event> keep_;
  Watches& watches_;
  StreamTracker::Id tracker_id_ = 0;

  std::atomic<bool> cancelled_{false};
  std::atomic<bool> draining_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool failed_ = false;
};

template <typename Event>
grpc::ServerWriteReactor<Event>* Watches::Start(const Principal& principal,
                                                const std::string& resume_token,
                                                EventSource* source, Filter<Event> keep) {
  if (streams_.open() >= options_.max_watches) {
    return Refuse<Event>(
        absl::ResourceExhaustedError("too many open watches on this server; retry later"));
  }
  auto* watch = new Watch<Event>(principal, resume_token, source, std::move(keep), this);
  watch->Begin();
  return watch;
}

template <typename Event>
grpc::ServerWriteReactor<Event>* Watches::Refuse(const absl::Status& status) {
  return new Refused<Event>(status);
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_EVENT_WATCH_H_
