// The gRPC adapter of homecare.roster.v1.RosterService: authorise, validate, call the rules and
// the store, map the result. Nothing else lives here.
#ifndef HOMECARE_SERVICES_ROSTER_ROSTER_SERVICE_H_
#define HOMECARE_SERVICES_ROSTER_ROSTER_SERVICE_H_

#include "common/server/call_runner.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "services/roster/roster_store.h"

namespace homecare::roster {

class RosterService final : public v1::RosterService::CallbackService {
 public:
  // All must outlive the service.
  RosterService(CallRunner* calls, RosterStore* store, const Clock* clock)
      : calls_(*calls), store_(*store), clock_(*clock) {}

  grpc::ServerUnaryReactor* CreateTenant(grpc::CallbackServerContext* context,
                                         const v1::CreateTenantRequest* request,
                                         v1::Tenant* response) override;
  grpc::ServerUnaryReactor* GetTenant(grpc::CallbackServerContext* context,
                                      const v1::GetTenantRequest* request,
                                      v1::Tenant* response) override;

 private:
  CallRunner& calls_;
  RosterStore& store_;
  const Clock& clock_;
};

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_ROSTER_SERVICE_H_
