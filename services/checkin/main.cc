// homecare-checkin: carers' evidence of delivery, online and offline.
#include <memory>

#include "common/api/resume_token.h"
#include "common/client/channel.h"
#include "common/logging/log.h"
#include "common/redis/follow_position.h"
#include "common/server/service_host.h"
#include "common/server/stream_follower.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "services/checkin/checkin_service.h"
#include "services/checkin/checkin_store.h"
#include "services/checkin/scheduling_visits.h"

int main(int argc, char** argv) {
  using homecare::StreamFollower;
  using homecare::checkin::CheckInService;
  using homecare::checkin::CheckInStore;
  using homecare::checkin::SchedulingVisits;
  namespace sv1 = homecare::scheduling::v1;
  std::string scheduling_address = "127.0.0.1:50052";
  absl::Duration scheduling_timeout = absl::Seconds(2);
  absl::Duration alert_interval = absl::Seconds(1);
  std::unique_ptr<CheckInStore> store;
  std::unique_ptr<SchedulingVisits> visits;
  std::unique_ptr<sv1::SchedulingService::Stub> stream_stub;
  std::unique_ptr<StreamFollower<sv1::VisitChange>> follower;
  return homecare::RunServiceMain(
      argc, argv,
      {.program = "homecare-checkin",
       .service_name = "homecare.checkin.v1.CheckInService",
       .default_port = 50053,
       .default_metrics_port = 9153,
       // A check-in is two Redis round trips with an fsync between them: 8 workers keep too
       // few in flight (4,350 CheckIn/s at 64 calls in flight; 32 workers: 6,600).
       .default_workers = 32,
       .add_flags =
           [&](homecare::FlagSet& flags) {
             flags.AddString("scheduling", &scheduling_address,
                             "The scheduling service: host:port or unix:/path");
             flags.AddDuration("scheduling-timeout", &scheduling_timeout,
                               "Deadline of each call to the scheduling service");
             flags.AddDuration("alert-interval", &alert_interval,
                               "How often the alert engine looks for checks that came due");
           },
       .make_service =
           [&](homecare::ServiceDeps& deps) -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
         store = std::make_unique<CheckInStore>(&deps.redis);
         if (absl::Status loaded = store->LoadScripts(); !loaded.ok()) {
           homecare::LogWarning("scripts not loaded at start-up (they load on first use): ",
                                loaded.message());
         }
         std::shared_ptr<grpc::Channel> scheduling = homecare::MakeChannel(scheduling_address);
         visits = std::make_unique<SchedulingVisits>(scheduling, &deps.tokens, scheduling_timeout);
         auto service = std::make_unique<CheckInService>(&deps.calls, &deps.watches, store.get(),
                                                         visits.get(), &deps.clock);
         // The visits and their carers, from scheduling's stream: what a carer checks in
         // against while scheduling cannot be reached.
         stream_stub = sv1::SchedulingService::NewStub(scheduling);
         homecare::RedisClient* redis = &deps.redis;
         const homecare::ServiceTokens* tokens = &deps.tokens;
         homecare::checkin::CheckIns* checkins = &service->checkins();
         follower = std::make_unique<StreamFollower<sv1::VisitChange>>(
             StreamFollower<sv1::VisitChange>::Spec{
                 .what = "the scheduling service's visit stream",
                 .token = [tokens] { return tokens->ForTenant("*"); },
                 .open =
                     [&stream_stub](grpc::ClientContext* call, const std::string& resume_token) {
                       sv1::WatchVisitsRequest request;
                       request.set_resume_token(resume_token);
                       return std::unique_ptr<grpc::ClientReaderInterface<sv1::VisitChange>>(
                           stream_stub->WatchVisits(call, request));
                     },
                 .read_position = [redis]() -> absl::StatusOr<std::string> {
                   absl::StatusOr<std::string> saved =
                       homecare::ReadFollowPosition(*redis, "checkin", "scheduling");
                   if (!saved.ok() || !saved->empty()) return saved;
                   // Never followed yet: from the start of what scheduling keeps of every
                   // tenant, so that visits made before this service first ran are known
                   // (the board shows them, their checks are set), not only those changed
                   // from now on.
                   return homecare::EncodeResumeToken({});
                 },
                 .save_position =
                     [redis](const std::string& token) {
                       return homecare::SaveFollowPosition(*redis, "checkin", "scheduling", token);
                     },
                 .handle =
                     [checkins](const sv1::VisitChange& change) {
                       return checkins->FollowVisitChange(change);
                     }});
         deps.background.Run("visit-follower",
                             [&](const homecare::BackgroundWork::Context& context) {
                               return follower->Run(context);
                             });
         // Late, missed and overdue visits: every replica runs the checks that came due; each
         // check is claimed by one, so each alert is raised once.
         deps.background.Every("alert-engine", alert_interval, [checkins]() -> absl::Status {
           absl::StatusOr<std::vector<std::string>> tenants = checkins->AlertTenants();
           if (!tenants.ok()) return tenants.status();
           constexpr int kBatch = 200;
           for (const std::string& tenant : *tenants) {
             absl::StatusOr<int> ran;
             do {
               ran = checkins->RunDueChecks(tenant, kBatch);
               if (!ran.ok()) return ran.status();
             } while (*ran == kBatch);
           }
           return absl::OkStatus();
         });
         return service;
       }});
}
