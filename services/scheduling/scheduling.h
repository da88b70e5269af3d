// What the scheduling service does, without gRPC: each operation validates with the rules, asks
// the tenant directory for the tenant's zone and localities, and reads and writes through the
// store (retrying a write that raced another). The service adapter authorises the caller, picks
// the tenant from the token and calls one of these.
#ifndef HOMECARE_SERVICES_SCHEDULING_SCHEDULING_H_
#define HOMECARE_SERVICES_SCHEDULING_SCHEDULING_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/time/time.h"
#include "homecare/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/scheduling_records.h"
#include "services/scheduling/tenant_directory.h"

namespace homecare::scheduling {

class Scheduling {
 public:
  // The longest range one GenerateVisits call covers: a quarter.
  static constexpr int kMaxGenerateDays = 92;

  // All must outlive this.
  Scheduling(SchedulingRecords* store, TenantDirectory* tenants, const Clock* clock)
      : store_(*store), tenants_(*tenants), clock_(*clock) {}

  // Every tenant's visit changes, for WatchVisits.
  EventSource& visit_changes() { return store_.visit_changes(); }

  absl::StatusOr<v1::Client> CreateClient(const std::string& tenant_id,
                                          const v1::CreateClientRequest& request);
  absl::StatusOr<v1::Client> GetClient(const std::string& tenant_id, const std::string& client_id);
  absl::StatusOr<v1::Client> UpdateClient(const std::string& tenant_id,
                                          const v1::UpdateClientRequest& request);
  absl::StatusOr<v1::ListClientsResponse> ListClients(const std::string& tenant_id,
                                                      const v1::ListClientsRequest& request);

  absl::StatusOr<v1::CreateCarePlanResponse> CreateCarePlan(
      const std::string& tenant_id, const v1::CreateCarePlanRequest& request);
  absl::StatusOr<v1::CarePlan> GetCarePlan(const std::string& tenant_id,
                                           const v1::GetCarePlanRequest& request);
  absl::StatusOr<v1::ListCarePlansResponse> ListCarePlans(const std::string& tenant_id,
                                                          const v1::ListCarePlansRequest& request);

  absl::StatusOr<v1::GenerateVisitsResponse> GenerateVisits(
      const std::string& tenant_id, const v1::GenerateVisitsRequest& request);
  absl::StatusOr<v1::Visit> CreateVisit(const std::string& tenant_id,
                                        const v1::CreateVisitRequest& request);
  absl::StatusOr<v1::Visit> GetVisit(const std::string& tenant_id, const std::string& visit_id);
  absl::StatusOr<v1::ListVisitsResponse> ListVisits(const std::string& tenant_id,
                                                    const v1::ListVisitsRequest& request);
  absl::StatusOr<v1::Visit> UpdateVisit(const std::string& tenant_id,
                                        const v1::UpdateVisitRequest& request);
  // `actor` is who records the cancellation (the token's subject).
  absl::StatusOr<v1::Visit> CancelVisit(const std::string& tenant_id, const std::string& actor,
                                        const v1::CancelVisitRequest& request);

 private:
  // INVALID_ARGUMENT naming each preferred or excluded carer of `client` that is not a carer of
  // the tenant. Only ids not already on `stored` are asked about: a carer the client already
  // names was checked when it was added (carers are deactivated, never deleted).
  absl::Status CheckCarersExist(const std::string& tenant_id, const v1::Client& client,
                                const v1::Client& stored);

  // Generates for one batch of clients, adding to `counts`; with `create_missing` false, only
  // the visits already made are reconciled (after a change of the client's suspensions).
  absl::Status GenerateForClients(const std::string& tenant_id, const TenantProfile& tenant,
                                  const std::vector<v1::Client>& clients, absl::CivilDay first,
                                  absl::CivilDay last, bool create_missing,
                                  v1::GenerateVisitsResponse& counts);

  // Reconciles the client's visits already made from today on with what is now due, making
  // none (after a change of suspensions or status).
  absl::Status ReconcileMadeVisits(const std::string& tenant_id, const TenantProfile& tenant,
                                   const v1::Client& client);

  SchedulingRecords& store_;
  TenantDirectory& tenants_;
  const Clock& clock_;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SCHEDULING_H_
