// What the roster service does, without gRPC: each operation validates with the rules, reads
// and writes through the store (retrying a write that raced another), and builds the change
// that watchers receive. The service adapter authorises the caller, picks the tenant from the
// token and calls one of these.
#ifndef HOMECARE_SERVICES_ROSTER_ROSTER_H_
#define HOMECARE_SERVICES_ROSTER_ROSTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.pb.h"
#include "services/roster/roster_records.h"

namespace homecare::roster {

class Roster {
 public:
  // Both must outlive the roster.
  Roster(RosterRecords* store, const Clock* clock) : store_(*store), clock_(*clock) {}

  // Tenants. `tenant_id` is the one the caller may read or change (see TenantToRead).
  absl::StatusOr<v1::Tenant> CreateTenant(const v1::CreateTenantRequest& request);
  absl::StatusOr<v1::Tenant> GetTenant(const std::string& tenant_id);
  absl::StatusOr<v1::Tenant> UpdateTenant(const std::string& tenant_id,
                                          const v1::UpdateTenantRequest& request);
  absl::StatusOr<v1::ListTenantsResponse> ListTenants(const v1::ListTenantsRequest& request);

  // Carers of `tenant_id`.
  absl::StatusOr<v1::Carer> CreateCarer(const std::string& tenant_id,
                                        const v1::CreateCarerRequest& request);
  absl::StatusOr<v1::Carer> GetCarer(const std::string& tenant_id, const std::string& carer_id);
  absl::StatusOr<v1::Carer> UpdateCarer(const std::string& tenant_id,
                                        const v1::UpdateCarerRequest& request);
  absl::StatusOr<v1::ListCarersResponse> ListCarers(const std::string& tenant_id,
                                                    const v1::ListCarersRequest& request);
  // Carers by id with their availability and absences when asked; ids not in the tenant are
  // listed as missing, not an error.
  absl::StatusOr<v1::BatchGetCarersResponse> BatchGetCarers(
      const std::string& tenant_id, const v1::BatchGetCarersRequest& request);

  // Availability and absences.
  absl::StatusOr<v1::Availability> SetAvailability(const std::string& tenant_id,
                                                   const v1::SetAvailabilityRequest& request);
  absl::StatusOr<v1::Availability> GetAvailability(const std::string& tenant_id,
                                                   const std::string& carer_id);
  absl::StatusOr<v1::Absence> RecordAbsence(const std::string& tenant_id,
                                            const v1::RecordAbsenceRequest& request);
  absl::StatusOr<v1::Absence> EndAbsence(const std::string& tenant_id,
                                         const v1::EndAbsenceRequest& request);
  absl::StatusOr<v1::Absence> CancelAbsence(const std::string& tenant_id,
                                            const v1::CancelAbsenceRequest& request);
  absl::StatusOr<v1::ListAbsencesResponse> ListAbsences(const std::string& tenant_id,
                                                        const v1::ListAbsencesRequest& request);

  // The carer changes of every tenant, for WatchCarerChanges.
  EventSource& changes() { return store_.changes(); }

  // Who may take a visit.
  absl::StatusOr<v1::ListEligibleCarersResponse> ListEligibleCarers(
      const std::string& tenant_id, const v1::ListEligibleCarersRequest& request);

 private:
  v1::CarerChange NewChange(const std::string& tenant_id, const std::string& carer_id,
                            v1::CarerChange::Kind kind) const;

  RosterRecords& store_;
  const Clock& clock_;
};

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_ROSTER_H_
