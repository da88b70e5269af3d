// The gRPC adapter of homecare.roster.v1.RosterService: authorise, pick the tenant from the
// token, call Roster (the domain operations), map the result. Nothing else lives here.
#ifndef HOMECARE_SERVICES_ROSTER_ROSTER_SERVICE_H_
#define HOMECARE_SERVICES_ROSTER_ROSTER_SERVICE_H_

#include "common/server/call_runner.h"
#include "common/server/event_watch.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "services/roster/roster.h"
#include "services/roster/roster_store.h"

namespace homecare::roster {

class RosterService final : public v1::RosterService::CallbackService {
 public:
  // All must outlive the service.
  RosterService(CallRunner* calls, Watches* watches, RosterStore* store, const Clock* clock)
      : calls_(*calls), watches_(*watches), roster_(store, clock) {}

  grpc::ServerUnaryReactor* CreateTenant(grpc::CallbackServerContext* context,
                                         const v1::CreateTenantRequest* request,
                                         v1::Tenant* response) override;
  grpc::ServerUnaryReactor* GetTenant(grpc::CallbackServerContext* context,
                                      const v1::GetTenantRequest* request,
                                      v1::Tenant* response) override;
  grpc::ServerUnaryReactor* UpdateTenant(grpc::CallbackServerContext* context,
                                         const v1::UpdateTenantRequest* request,
                                         v1::Tenant* response) override;
  grpc::ServerUnaryReactor* ListTenants(grpc::CallbackServerContext* context,
                                        const v1::ListTenantsRequest* request,
                                        v1::ListTenantsResponse* response) override;

  grpc::ServerUnaryReactor* CreateCarer(grpc::CallbackServerContext* context,
                                        const v1::CreateCarerRequest* request,
                                        v1::Carer* response) override;
  grpc::ServerUnaryReactor* GetCarer(grpc::CallbackServerContext* context,
                                     const v1::GetCarerRequest* request,
                                     v1::Carer* response) override;
  grpc::ServerUnaryReactor* UpdateCarer(grpc::CallbackServerContext* context,
                                        const v1::UpdateCarerRequest* request,
                                        v1::Carer* response) override;
  grpc::ServerUnaryReactor* ListCarers(grpc::CallbackServerContext* context,
                                       const v1::ListCarersRequest* request,
                                       v1::ListCarersResponse* response) override;
  grpc::ServerUnaryReactor* BatchGetCarers(grpc::CallbackServerContext* context,
                                           const v1::BatchGetCarersRequest* request,
                                           v1::BatchGetCarersResponse* response) override;

  grpc::ServerUnaryReactor* SetAvailability(grpc::CallbackServerContext* context,
                                            const v1::SetAvailabilityRequest* request,
                                            v1::Availability* response) override;
  grpc::ServerUnaryReactor* GetAvailability(grpc::CallbackServerContext* context,
                                            const v1::GetAvailabilityRequest* request,
                                            v1::Availability* response) override;
  grpc::ServerUnaryReactor* RecordAbsence(grpc::CallbackServerContext* context,
                                          const v1::RecordAbsenceRequest* request,
                                          v1::Absence* response) override;
  grpc::ServerUnaryReactor* EndAbsence(grpc::CallbackServerContext* context,
                                       const v1::EndAbsenceRequest* request,
                                       v1::Absence* response) override;
  grpc::ServerUnaryReactor* CancelAbsence(grpc::CallbackServerContext* context,
                                          const v1::CancelAbsenceRequest* request,
                                          v1::Absence* response) override;
  grpc::ServerUnaryReactor* ListAbsences(grpc::CallbackServerContext* context,
                                         const v1::ListAbsencesRequest* request,
                                         v1::ListAbsencesResponse* response) override;

  grpc::ServerUnaryReactor* ListEligibleCarers(grpc::CallbackServerContext* context,
                                               const v1::ListEligibleCarersRequest* request,
                                               v1::ListEligibleCarersResponse* response) override;

  grpc::ServerWriteReactor<v1::CarerChange>* WatchCarerChanges(
      grpc::CallbackServerContext* context, const v1::WatchCarerChangesRequest* request) override;

 private:
  CallRunner& calls_;
  Watches& watches_;
  Roster roster_;
};

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_ROSTER_SERVICE_H_
