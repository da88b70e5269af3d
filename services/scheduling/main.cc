// homecare-scheduling: clients, care plans, visits, assignments and rotas.
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/client/channel.h"
#include "common/logging/log.h"
#include "common/server/service_host.h"
#include "services/scheduling/roster_directory.h"
#include "services/scheduling/roster_follower.h"
#include "services/scheduling/scheduling_service.h"
#include "services/scheduling/scheduling_store.h"

// The most AutoSchedule solves one server may run at once (--max-solves), and the most search
// threads one solve may use (--solve-threads).
constexpr int kMostSolves = 16;
constexpr int kMostSolveThreads = 16;

int main(int argc, char** argv) {
  using homecare::scheduling::RosterDirectory;
  using homecare::scheduling::RosterFollower;
  using homecare::scheduling::SchedulingService;
  using homecare::scheduling::SchedulingStore;
  std::string roster_address = "127.0.0.1:50051";
  RosterDirectory::Options roster_options;
  std::unique_ptr<SchedulingStore> store;
  std::unique_ptr<RosterDirectory> directory;
  std::unique_ptr<RosterFollower> follower;
  int max_solves = 1;
  int solve_threads = 1;
  return homecare::RunServiceMain(
      argc, argv,
      {.program = "homecare-scheduling",
       .service_name = "homecare.scheduling.v1.SchedulingService",
       .default_port = 50052,
       .default_metrics_port = 9152,
       .add_flags =
           [&](homecare::FlagSet& flags) {
             flags.AddString("roster", &roster_address,
                             "The roster service: host:port or unix:/path");
             flags.AddDuration("roster-timeout", &roster_options.timeout,
                               "Deadline of each call to the roster service");
             flags.AddDuration("roster-cache-ttl", &roster_options.cache_ttl,
                               "How long a tenant's profile (time zone, localities) is reused; "
                               "0s asks the roster every time");
             flags.AddInt("max-solves", &max_solves,
                          "AutoSchedule solves this server runs at once, each on a thread of "
                          "its own (1 to 16); past it RESOURCE_EXHAUSTED");
             flags.AddInt("solve-threads", &solve_threads,
                          "Search threads of each AutoSchedule solve (1 to 16): each searches "
                          "on its own and they share the best plan, so more cores plan better "
                          "in the same time limit");
           },
       .make_service =
           [&](homecare::ServiceDeps& deps) -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
         // Each solve keeps its threads busy for up to its time limit.
         if (max_solves < 1 || max_solves > kMostSolves) {
           return absl::InvalidArgumentError(
               absl::StrCat("--max-solves must be from 1 to ", kMostSolves));
         }
         if (solve_threads < 1 || solve_threads > kMostSolveThreads) {
           return absl::InvalidArgumentError(
               absl::StrCat("--solve-threads must be from 1 to ", kMostSolveThreads));
         }
         store = std::make_unique<SchedulingStore>(&deps.redis);
         if (absl::Status loaded = store->LoadScripts(); !loaded.ok()) {
           homecare::LogWarning("scripts not loaded at start-up (they load on first use): ",
                                loaded.message());
         }
         std::shared_ptr<grpc::Channel> roster = homecare::MakeChannel(roster_address);
         directory = std::make_unique<RosterDirectory>(roster, &deps.tokens, &deps.system_clock,
                                                       roster_options);
         auto service = std::make_unique<SchedulingService>(
             &deps.calls, &deps.watches, &deps.streams, store.get(), directory.get(), &deps.clock,
             max_solves, solve_threads);
         follower = std::make_unique<RosterFollower>(roster, &deps.tokens, &deps.redis,
                                                     &service->scheduling());
         deps.background.Run(RosterFollower::kTaskName,
                             [&](const homecare::BackgroundWork::Context& context) {
                               return follower->Run(context);
                             });
         return service;
       }});
}
