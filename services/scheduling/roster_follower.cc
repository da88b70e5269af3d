#include "services/scheduling/roster_follower.h"

#include <atomic>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/api/resume_token.h"
#include "common/auth/principal.h"
#include "common/logging/log.h"
#include "common/server/grpc_status.h"

namespace homecare::scheduling {
namespace {

// What can take a carer off visits: not a new carer, and not an absence ended or cancelled
// (which only frees time).
bool MayTakeOff(roster::v1::CarerChange::Kind kind) {
  switch (kind) {
    case roster::v1::CarerChange::KIND_CARER_UPDATED:
    case roster::v1::CarerChange::KIND_AVAILABILITY_SET:
    case roster::v1::CarerChange::KIND_ABSENCE_RECORDED:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::Status RosterFollower::Run(const BackgroundWork::Context& context) {
  absl::StatusOr<std::string> position = store_.ReadFollowPosition(kPositionName);
  if (!position.ok()) return position.status();
  roster::v1::WatchCarerChangesRequest request;
  // An empty position map reads every tenant's kept changes from the oldest.
  request.set_resume_token(position->empty() ? EncodeResumeToken({}) : *position);

  grpc::ClientContext call;
  call.AddMetadata("authorization",
                   absl::StrCat("Bearer ", tokens_.ForTenant(std::string(kAllTenants))));
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
  std::unique_ptr<grpc::ClientReader<roster::v1::CarerChange>> stream =
      stub_->WatchCarerChanges(&call, request);
  absl::Status handled = absl::OkStatus();
  roster::v1::CarerChange change;
  while (handled.ok() && stream->Read(&change)) {
    if (MayTakeOff(change.kind())) {
      absl::StatusOr<int> taken_off =
          scheduling_.FollowCarerChange(change.tenant_id(), change.carer_id());
      if (absl::IsNotFound(taken_off.status())) {
        // The tenant is no longer the roster's: nothing of it is left to follow, and the
        // change must not hold up every other tenant's.
        LogWarning("carer change of ", change.tenant_id(),
                   " skipped: ", taken_off.status().message());
        taken_off = 0;
      }
      if (!taken_off.ok()) {
        handled = taken_off.status();
        break;
      }
      if (*taken_off > 0) {
        LogInfo("carer ", change.carer_id(), " of ", change.tenant_id(), " taken off ", *taken_off,
                " visit(s) after a roster change");
      }
    }
    handled = store_.SaveFollowPosition(kPositionName, change.resume_token());
  }
  if (!handled.ok()) call.TryCancel();
  const grpc::Status ended = stream->Finish();
  finished = true;
  canceller.join();
  if (context.stopping()) return absl::OkStatus();
  if (!handled.ok()) return handled;
  if (ended.error_code() == grpc::StatusCode::OUT_OF_RANGE) {
    // The roster no longer keeps the changes after the saved position: what happened in the
    // gap cannot be read; start again from the oldest change it keeps.
    LogWarning("the roster no longer keeps the carer changes after the saved position: ",
               ended.error_message(), "; following from its oldest change");
    if (absl::Status reset = store_.SaveFollowPosition(kPositionName, ""); !reset.ok())
      return reset;
  }
  // Drained (OK) or failed: either way the task runs again and resumes.
  return absl::UnavailableError(
      absl::StrCat("the roster's carer watch ended: ", FromGrpcStatus(ended).ToString()));
}

}  // namespace homecare::scheduling
