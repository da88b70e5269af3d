// The gRPC adapter of homecare.scheduling.v1.SchedulingService: authorise, pick the tenant from
// the token, call Scheduling (the domain operations), map the result. Nothing else lives here.
// AutoSchedule streams from a solve run on a solve thread of its own (never on gRPC's threads nor
// the call workers), at most max_solves at once on this server (RESOURCE_EXHAUSTED past it).
#ifndef HOMECARE_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
#define HOMECARE_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_

#include <atomic>

#include "common/concurrency/in_flight_limiter.h"
#include "common/concurrency/worker_pool.h"
#include "common/server/call_runner.h"
#include "common/server/event_watch.h"
#include "common/server/stream_tracker.h"
#include "common/time/time.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/scheduling_store.h"
#include "services/scheduling/tenant_directory.h"

namespace homecare::scheduling {

class SchedulingService final : public v1::SchedulingService::CallbackService {
 public:
  // All must outlive the service.
  SchedulingService(CallRunner* calls, Watches* watches, StreamTracker* streams,
                    SchedulingStore* store, TenantDirectory* tenants, const Clock* clock,
                    int max_solves = 1, int threads_per_solve = 1)
      : calls_(*calls),
        watches_(*watches),
        streams_(*streams),
        scheduling_(store, tenants, clock),
        solves_(max_solves),
        solve_threads_per_solve_(threads_per_solve),
        solve_threads_(max_solves) {}

  grpc::ServerUnaryReactor* CreateClient(grpc::CallbackServerContext* context,
                                         const v1::CreateClientRequest* request,
                                         v1::Client* response) override;
  grpc::ServerUnaryReactor* GetClient(grpc::CallbackServerContext* context,
                                      const v1::GetClientRequest* request,
                                      v1::Client* response) override;
  grpc::ServerUnaryReactor* UpdateClient(grpc::CallbackServerContext* context,
                                         const v1::UpdateClientRequest* request,
                                         v1::Client* response) override;
  grpc::ServerUnaryReactor* ListClients(grpc::CallbackServerContext* context,
                                        const v1::ListClientsRequest* request,
                                        v1::ListClientsResponse* response) override;
  grpc::ServerUnaryReactor* CreateCarePlan(grpc::CallbackServerContext* context,
                                           const v1::CreateCarePlanRequest* request,
                                           v1::CreateCarePlanResponse* response) override;
  grpc::ServerUnaryReactor* GetCarePlan(grpc::CallbackServerContext* context,
                                        const v1::GetCarePlanRequest* request,
                                        v1::CarePlan* response) override;
  grpc::ServerUnaryReactor* ListCarePlans(grpc::CallbackServerContext* context,
                                          const v1::ListCarePlansRequest* request,
                                          v1::ListCarePlansResponse* response) override;
  grpc::ServerUnaryReactor* GenerateVisits(grpc::CallbackServerContext* context,
                                           const v1::GenerateVisitsRequest* request,
                                           v1::GenerateVisitsResponse* response) override;
  grpc::ServerUnaryReactor* CreateVisit(grpc::CallbackServerContext* context,
                                        const v1::CreateVisitRequest* request,
                                        v1::Visit* response) override;
  grpc::ServerUnaryReactor* GetVisit(grpc::CallbackServerContext* context,
                                     const v1::GetVisitRequest* request,
                                     v1::Visit* response) override;
  grpc::ServerUnaryReactor* ListVisits(grpc::CallbackServerContext* context,
                                       const v1::ListVisitsRequest* request,
                                       v1::ListVisitsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateVisit(grpc::CallbackServerContext* context,
                                        const v1::UpdateVisitRequest* request,
                                        v1::Visit* response) override;
  grpc::ServerUnaryReactor* CancelVisit(grpc::CallbackServerContext* context,
                                        const v1::CancelVisitRequest* request,
                                        v1::Visit* response) override;

  grpc::ServerUnaryReactor* AssignCarers(grpc::CallbackServerContext* context,
                                         const v1::AssignCarersRequest* request,
                                         v1::AssignCarersResponse* response) override;
  grpc::ServerUnaryReactor* UnassignCarer(grpc::CallbackServerContext* context,
                                          const v1::UnassignCarerRequest* request,
                                          v1::Visit* response) override;
  grpc::ServerUnaryReactor* GetRota(grpc::CallbackServerContext* context,
                                    const v1::GetRotaRequest* request, v1::Rota* response) override;
  grpc::ServerUnaryReactor* GetSchedulingSettings(grpc::CallbackServerContext* context,
                                                  const v1::GetSchedulingSettingsRequest* request,
                                                  v1::SchedulingSettings* response) override;
  grpc::ServerUnaryReactor* UpdateSchedulingSettings(
      grpc::CallbackServerContext* context, const v1::UpdateSchedulingSettingsRequest* request,
      v1::SchedulingSettings* response) override;

  grpc::ServerWriteReactor<v1::VisitChange>* WatchVisits(
      grpc::CallbackServerContext* context, const v1::WatchVisitsRequest* request) override;
  grpc::ServerWriteReactor<v1::AutoScheduleUpdate>* AutoSchedule(
      grpc::CallbackServerContext* context, const v1::AutoScheduleRequest* request) override;
  grpc::ServerUnaryReactor* ListReplanProposals(grpc::CallbackServerContext* context,
                                                const v1::ListReplanProposalsRequest* request,
                                                v1::ListReplanProposalsResponse* response) override;
  grpc::ServerUnaryReactor* ApplyReplanProposal(grpc::CallbackServerContext* context,
                                                const v1::ApplyReplanProposalRequest* request,
                                                v1::ReplanProposal* response) override;

  // The domain operations, for the service's background work (following the roster).
  Scheduling& scheduling() { return scheduling_; }

 private:
  class AutoScheduleCall;

  CallRunner& calls_;
  Watches& watches_;
  StreamTracker& streams_;
  Scheduling scheduling_;
  InFlightLimiter solves_;             // AutoSchedule solves at once
  const int solve_threads_per_solve_;  // the engine's search threads in each
  // Where they run: not the call workers, which a solve would hold for up to its time limit.
  // Last, so that a solve still running at shutdown finishes while the rest is here.
  WorkerPool solve_threads_;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
