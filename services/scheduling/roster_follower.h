// The scheduling service following the roster's carer changes for every tenant
// (common/server/stream_follower.h), so that a carer recorded absent, deactivated, or losing a
// skill or availability is taken off the visits they can no longer do
// (Scheduling::FollowCarerChange), at once and on the visit stream. Handling a change re-reads
// the roster's facts and the visits and writes only what is still wrong, so a change handled
// twice, or by every replica, does nothing more than once.
#ifndef HOMECARE_SERVICES_SCHEDULING_ROSTER_FOLLOWER_H_
#define HOMECARE_SERVICES_SCHEDULING_ROSTER_FOLLOWER_H_

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/status.h"
#include "common/auth/jwt.h"
#include "common/redis/redis_client.h"
#include "common/server/background_work.h"
#include "common/server/stream_follower.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "services/scheduling/scheduling.h"

namespace homecare::scheduling {

class RosterFollower {
 public:
  // The name of the background task (health: "<service>/background/roster-follower").
  static constexpr char kTaskName[] = "roster-follower";
  // The position's name in the store.
  static constexpr char kPositionName[] = "roster";

  // All must outlive the follower.
  RosterFollower(std::shared_ptr<grpc::Channel> roster, const ServiceTokens* tokens,
                 RedisClient* redis, Scheduling* scheduling);

  absl::Status Run(const BackgroundWork::Context& context) { return follower_.Run(context); }

 private:
  absl::Status Handle(const roster::v1::CarerChange& change);

  std::unique_ptr<roster::v1::RosterService::Stub> stub_;
  Scheduling& scheduling_;
  StreamFollower<roster::v1::CarerChange> follower_;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_ROSTER_FOLLOWER_H_
