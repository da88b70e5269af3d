// The one way a service follows another service's watch for every tenant (the scheduling
// service the roster's carer changes, the check-in service the visit stream), as a background
// task: the watch opened with a system token for "*" from the resume position kept in Redis,
// each event handled, the position saved after it.
//
// A restart resumes from the saved position, so nothing is missed; an event handled again (a
// restart before the save, or every replica following the same stream) must do no harm, which
// is the handler's part: it re-reads what it changes and writes only what is still to do. With
// no saved position the watch starts from the oldest event the other service keeps (an empty
// position map: common/api/resume_token.h). A position no longer kept (OUT_OF_RANGE) is dropped
// and the watch starts again from the oldest event kept.
#ifndef HOMECARE_COMMON_SERVER_STREAM_FOLLOWER_H_
#define HOMECARE_COMMON_SERVER_STREAM_FOLLOWER_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/resume_token.h"
#include "common/logging/log.h"
#include "common/server/background_work.h"
#include "common/server/grpc_status.h"

namespace homecare {

template <typename Event>
class StreamFollower {
 public:
  struct Spec {
    // What is followed, for logs: "the roster's carer changes".
    std::string what;
    // The bearer token of the watch: a system token for every tenant.
    std::function<std::string()> token;
    // Starts the watch on `call` (the token already on it) from `resume_token`.
    std::function<std::unique_ptr<grpc::ClientReaderInterface<Event>>(
        grpc::ClientContext* call, const std::string& resume_token)>
        open;
    // The saved position ("" when none) and saving a new one.
    std::function<absl::StatusOr<std::string>()> read_position;
    std::function<absl::Status(const std::string& resume_token)> save_position;
    // Handles one event; an error ends the run, and the event is handled again by the next.
    std::function<absl::Status(const Event&)> handle;
  };

  explicit StreamFollower(Spec spec) : spec_(std::move(spec)) {}

  // One run of the background task: follows until the watch ends, handling fails, or the work
  // is stopped (OK). Anything but a stop is an error, so that the task runs again after a
  // backoff and resumes from the saved position.
  absl::Status Run(const BackgroundWork::Context& context) {
    absl::StatusOr<std::string> position = spec_.read_position();
    if (!position.ok()) return position.status();
    grpc::ClientContext call;
    call.AddMetadata("authorization", absl::StrCat("Bearer ", spec_.token()));
    // A blocking read cannot see a stop: cancel the call from beside it.
    std::atomic<bool> finished{false};
    std::thread canceller([&] {
      while (!finished) {
        if (context.WaitForStop(absl::Milliseconds(200))) {
          call.TryCancel();
          return;
        }
      }
    });
    std::unique_ptr<grpc::ClientReaderInterface<Event>> stream =
        spec_.open(&call, position->empty() ? EncodeResumeToken({}) : *position);
    absl::Status handled = absl::OkStatus();
    Event event;
    while (handled.ok() && stream->Read(&event)) {
      handled = spec_.handle(event);
      if (handled.ok()) handled = spec_.save_position(event.resume_token());
    }
    if (!handled.ok()) call.TryCancel();
    const grpc::Status ended = stream->Finish();
    finished = true;
    canceller.join();
    if (context.stopping()) return absl::OkStatus();
    if (!handled.ok()) return handled;
    if (ended.error_code() == grpc::StatusCode::OUT_OF_RANGE) {
      LogWarning(spec_.what, ": the events after the saved position are no longer kept (",
                 ended.error_message(), "); following from the oldest one kept");
      if (absl::Status reset = spec_.save_position(""); !reset.ok()) return reset;
    }
    // Drained (OK) or failed: either way the task runs again and resumes.
    return absl::UnavailableError(
        absl::StrCat(spec_.what, ": the watch ended: ", FromGrpcStatus(ended).ToString()));
  }

 private:
  const Spec spec_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_STREAM_FOLLOWER_H_
