#include "services/scheduling/roster_follower.h"

#include <string>

#include "common/auth/principal.h"
#include "common/logging/log.h"
#include "common/redis/follow_position.h"

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

RosterFollower::RosterFollower(std::shared_ptr<grpc::Channel> roster, const ServiceTokens* tokens,
                               RedisClient* redis, Scheduling* scheduling)
    : stub_(roster::v1::RosterService::NewStub(std::move(roster))),
      scheduling_(*scheduling),
      follower_(
          {.what = "the roster's carer changes",
           .token = [tokens] { return tokens->ForTenant(std::string(kAllTenants)); },
           .open =
               [this](grpc::ClientContext* call, const std::string& resume_token) {
                 roster::v1::WatchCarerChangesRequest request;
                 request.set_resume_token(resume_token);
                 return std::unique_ptr<grpc::ClientReaderInterface<roster::v1::CarerChange>>(
                     stub_->WatchCarerChanges(call, request));
               },
           .read_position =
               [redis] { return ReadFollowPosition(*redis, "scheduling", kPositionName); },
           .save_position =
               [redis](const std::string& token) {
                 return SaveFollowPosition(*redis, "scheduling", kPositionName, token);
               },
           .handle = [this](const roster::v1::CarerChange& change) { return Handle(change); }}) {}

absl::Status RosterFollower::Handle(const roster::v1::CarerChange& change) {
  if (!MayTakeOff(change.kind())) return absl::OkStatus();
  absl::StatusOr<int> taken_off =
      scheduling_.FollowCarerChange(change.tenant_id(), change.carer_id());
  if (absl::IsNotFound(taken_off.status())) {
    // The tenant is no longer the roster's: nothing of it is left to follow, and the change
    // must not hold up every other tenant's.
    LogWarning("carer change of ", change.tenant_id(), " skipped: ", taken_off.status().message());
    return absl::OkStatus();
  }
  if (!taken_off.ok()) return taken_off.status();
  if (*taken_off > 0) {
    LogInfo("carer ", change.carer_id(), " of ", change.tenant_id(), " taken off ", *taken_off,
            " visit(s) after a roster change");
  }
  return absl::OkStatus();
}

}  // namespace homecare::scheduling
