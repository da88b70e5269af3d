// What the scheduling service's domain (Scheduling) needs of its records: the interface
// SchedulingStore implements over Redis, so that the domain's logic can be tested with records
// in memory. The semantics (optimistic concurrency, create-once) are documented in
// scheduling_store.h.
#ifndef HOMECARE_SERVICES_SCHEDULING_SCHEDULING_RECORDS_H_
#define HOMECARE_SERVICES_SCHEDULING_SCHEDULING_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/event_source.h"
#include "common/api/records.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::scheduling {

inline constexpr absl::string_view kSchedulingErrorDomain = "homecare.scheduling";

class SchedulingRecords {
 public:
  virtual ~SchedulingRecords() = default;

  // --- Clients ---

  // ALREADY_EXISTS when the id was made by another request.
  virtual absl::StatusOr<Created<v1::Client>> CreateClient(absl::string_view tenant_id,
                                                           const v1::Client& client,
                                                           const std::string& fingerprint) = 0;
  // NOT_FOUND when there is no such client in the tenant.
  virtual absl::StatusOr<Snapshot<v1::Client>> ReadClient(absl::string_view tenant_id,
                                                          absl::string_view client_id) = 0;
  // Writes `updated` if the client is still `read`: ABORTED when it changed.
  virtual absl::Status UpdateClient(absl::string_view tenant_id, const Snapshot<v1::Client>& read,
                                    const v1::Client& updated) = 0;
  // Client ids in order after `after` (exclusive), at most `limit`; the locality's when set.
  virtual absl::StatusOr<std::vector<std::string>> ListClientIds(absl::string_view tenant_id,
                                                                 absl::string_view locality_id,
                                                                 const std::string& after,
                                                                 int limit) = 0;
  // The clients of `ids` that exist, in the same order, in one round trip.
  virtual absl::StatusOr<std::vector<v1::Client>> ReadClients(
      absl::string_view tenant_id, const std::vector<std::string>& ids) = 0;

  // --- Care plans ---

  struct AddVersionOutcome {
    bool added = false;
    // When the request id was used before: what that request's record says.
    std::string previous_fingerprint;
    std::string previous_plan_id;
    int previous_version = 0;
  };
  // Adds `version` (version N of its plan, which must have N - 1 versions) for `request_id`.
  // NOT_FOUND when the client does not exist; ABORTED when another version was added meanwhile.
  virtual absl::StatusOr<AddVersionOutcome> AddCarePlanVersion(absl::string_view tenant_id,
                                                               const v1::CarePlan& version,
                                                               const std::string& request_id,
                                                               const std::string& fingerprint) = 0;
  // What an earlier CreateCarePlan request with `request_id` made (added is false); a default
  // outcome when there was none within kRetryWindow.
  virtual absl::StatusOr<AddVersionOutcome> ReadCarePlanRequest(absl::string_view tenant_id,
                                                                const std::string& request_id) = 0;
  // Every version of the plan, oldest first; NOT_FOUND when there is no such plan.
  virtual absl::StatusOr<std::vector<v1::CarePlan>> ReadCarePlan(
      absl::string_view tenant_id, absl::string_view care_plan_id) = 0;
  // The plan ids of each client, in one round trip.
  virtual absl::StatusOr<std::vector<std::vector<std::string>>> ReadPlanIdsOfClients(
      absl::string_view tenant_id, const std::vector<std::string>& client_ids) = 0;
  // Every version of each plan of `plan_ids` (oldest first), in one round trip.
  virtual absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> ReadCarePlans(
      absl::string_view tenant_id, const std::vector<std::string>& plan_ids) = 0;
  // Plan ids by review date, those reviewed before `review_before` (InfiniteFuture: all).
  virtual absl::StatusOr<ScoredIdPage> ListPlanIdsByReview(absl::string_view tenant_id,
                                                           absl::Time review_before,
                                                           const std::string& after, int limit) = 0;

  // --- Visits ---

  // A one-off visit. ALREADY_EXISTS when its id was made by another request.
  virtual absl::StatusOr<Created<v1::Visit>> CreateVisit(absl::string_view tenant_id,
                                                         const v1::Visit& visit,
                                                         const std::string& fingerprint) = 0;
  // Generated visits, each its own script call, pipelined; how many were created (the rest
  // existed already).
  virtual absl::StatusOr<int> CreateGeneratedVisits(absl::string_view tenant_id,
                                                    const std::vector<v1::Visit>& visits) = 0;
  // Replaces each read visit by its new record, each its own script call, pipelined; how many
  // were written (a visit that changed since it was read is left as it is).
  struct VisitReplacement {
    const Snapshot<v1::Visit>* read;
    v1::Visit updated;
  };
  virtual absl::StatusOr<int> ReplaceVisits(absl::string_view tenant_id,
                                            const std::vector<VisitReplacement>& replacements) = 0;

  // NOT_FOUND when there is no such visit in the tenant.
  virtual absl::StatusOr<Snapshot<v1::Visit>> ReadVisit(absl::string_view tenant_id,
                                                        absl::string_view visit_id) = 0;
  // Writes `updated` if the visit is still `read`: ABORTED when it changed.
  virtual absl::Status UpdateVisit(absl::string_view tenant_id, const Snapshot<v1::Visit>& read,
                                   const v1::Visit& updated) = 0;
  // Each client's visits planned to start in [from, before), in two round trips.
  virtual absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> ReadVisitsOfClients(
      absl::string_view tenant_id, const std::vector<std::string>& client_ids, absl::Time from,
      absl::Time before) = 0;
  // Visit ids by planned start in [from, before) after the cursor: the client's when
  // `client_id` is set, else the locality's when `locality_id` is set, else every visit.
  virtual absl::StatusOr<ScoredIdPage> ListVisitIds(absl::string_view tenant_id,
                                                    absl::string_view client_id,
                                                    absl::string_view locality_id, absl::Time from,
                                                    absl::Time before, const std::string& after,
                                                    int limit) = 0;
  // The visits of `ids` that exist, in the same order, in one round trip.
  virtual absl::StatusOr<std::vector<v1::Visit>> ReadVisits(
      absl::string_view tenant_id, const std::vector<std::string>& ids) = 0;

  // --- Changes ---

  // Every tenant's visit changes, appended by the same write as the change (WatchVisits).
  virtual EventSource& visit_changes() = 0;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SCHEDULING_RECORDS_H_
