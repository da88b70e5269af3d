// homecare-roster: the provider organisation (tenants, carers, availability, absences).
#include <memory>

#include "common/logging/log.h"
#include "common/server/service_host.h"
#include "services/roster/roster_service.h"
#include "services/roster/roster_store.h"

int main(int argc, char** argv) {
  using homecare::roster::RosterService;
  using homecare::roster::RosterStore;
  std::unique_ptr<RosterStore> store;
  return homecare::RunServiceMain(
      argc, argv,
      {.program = "homecare-roster",
       .service_name = "homecare.roster.v1.RosterService",
       .default_port = 50051,
       .default_metrics_port = 9151,
       .add_flags = nullptr,
       .make_service =
           [&store](homecare::ServiceDeps& deps) -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
         store = std::make_unique<RosterStore>(&deps.redis);
         if (absl::Status loaded = store->LoadScripts(); !loaded.ok()) {
           homecare::LogWarning("scripts not loaded at start-up (they load on first use): ",
                                loaded.message());
         }
         return std::make_unique<RosterService>(&deps.calls, &deps.watches, store.get(),
                                                &deps.clock);
       }});
}
