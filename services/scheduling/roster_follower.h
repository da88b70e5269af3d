// Follows the roster's carer changes for every tenant (WatchCarerChanges with a system token
// for "*"), so that a carer recorded absent, deactivated, or losing a skill or availability is
// taken off the visits they can no longer do (Scheduling::FollowCarerChange), at once and on
// the visit stream.
//
// The resume position lives in Redis (SchedulingStore::SaveFollowPosition), saved after each
// change is handled, so that a restart misses nothing; a change handled twice (a restart
// before the save, or every replica following the same stream) does nothing the second time,
// because handling re-reads the roster's facts and the visits and writes only what is still
// wrong. With no saved position it starts from the oldest change the roster keeps.
#ifndef HOMECARE_SERVICES_SCHEDULING_ROSTER_FOLLOWER_H_
#define HOMECARE_SERVICES_SCHEDULING_ROSTER_FOLLOWER_H_

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/status.h"
#include "common/auth/jwt.h"
#include "common/server/background_work.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_store.h"

namespace homecare::scheduling {

class RosterFollower {
 public:
  // The name of the background task (health: "<service>/background/roster-follower").
  static constexpr char kTaskName[] = "roster-follower";
  // The position's name in the store.
  static constexpr char kPositionName[] = "roster";

  // All must outlive the follower.
  RosterFollower(std::shared_ptr<grpc::Channel> roster, const ServiceTokens* tokens,
                 SchedulingStore* store, Scheduling* scheduling)
      : stub_(roster::v1::RosterService::NewStub(std::move(roster))),
        tokens_(*tokens),
        store_(*store),
        scheduling_(*scheduling) {}

  // One run of the background task: watches from the saved position and handles each change
  // until the watch ends, the handling fails (the task runs again from the saved position
  // after a backoff), or the work is stopped (OK).
  absl::Status Run(const BackgroundWork::Context& context);

 private:
  std::unique_ptr<roster::v1::RosterService::Stub> stub_;
  const ServiceTokens& tokens_;
  SchedulingStore& store_;
  Scheduling& scheduling_;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_ROSTER_FOLLOWER_H_
