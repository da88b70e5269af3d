// What the scheduling service's domain (Scheduling) needs of its records: the interface
// SchedulingStore implements over Redis, so that the domain's logic can be tested with records
// in memory. The semantics (optimistic concurrency, create-once) are documented in
// scheduling_store.h.
#ifndef HOMECARE_SERVICES_SCHEDULING_SCHEDULING_RECORDS_H_
#define HOMECARE_SERVICES_SCHEDULING_SCHEDULING_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
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
  // NOT_FOUND when there is no such visit in the tenant.
  virtual absl::StatusOr<Snapshot<v1::Visit>> ReadVisit(absl::string_view tenant_id,
                                                        absl::string_view visit_id) = 0;

  // A carer-day as a write's rules read it: the write applies only if it is still at `version`
  // (0: nothing was ever written on that day).
  struct CarerDayVersion {
    std::string carer_id;
    absl::CivilDay day;
    int64_t version = 0;
  };
  // A request made with a request_id, as kept for retries (kRetryWindow).
  struct RequestRecord {
    std::string fingerprint;
    std::string response;  // the serialized response of the first call
  };
  // A write of a visit read before. The carers' indexes follow the change from the read
  // record's carer_ids to the updated one's, and every carer-day (local_date) of a carer on the
  // visit before or after gets a new version, so that whoever checked those days must check
  // again; the change of `kind` is appended in the same script.
  struct VisitWrite {
    const Snapshot<v1::Visit>* read;
    v1::Visit updated;
    v1::VisitChange::Kind kind = v1::VisitChange::KIND_UPDATED;
    // Carer-days the write's rules were checked against.
    std::vector<CarerDayVersion> checked = {};
    // For a request with a request_id: kept under it, unless it was kept already.
    std::string request_id = "";
    RequestRecord request = {};
  };
  struct WriteOutcome {
    bool written = false;
    // When the request_id was used before: its record, and nothing was written.
    std::optional<RequestRecord> earlier = std::nullopt;
  };
  // ABORTED (kConcurrentWriteReason) when the visit or a checked carer-day changed since it
  // was read; NOT_FOUND when the visit is gone.
  virtual absl::StatusOr<WriteOutcome> WriteVisit(absl::string_view tenant_id,
                                                  const VisitWrite& write) = 0;
  // Many writes, each its own script call, pipelined; how many were written (a visit that
  // changed since it was read is left as it is). No request records.
  virtual absl::StatusOr<int> WriteVisits(absl::string_view tenant_id,
                                          const std::vector<VisitWrite>& writes) = 0;
  // What an earlier request with `request_id` left; nullopt when none within kRetryWindow.
  virtual absl::StatusOr<std::optional<RequestRecord>> ReadRequest(
      absl::string_view tenant_id, const std::string& request_id) = 0;

  // Each client's visits planned to start in [from, before), in two round trips.
  virtual absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> ReadVisitsOfClients(
      absl::string_view tenant_id, const std::vector<std::string>& client_ids, absl::Time from,
      absl::Time before) = 0;
  // Which index ListVisitIds reads: the client's when set, else the carer's (every visit that
  // names the carer, any status), else the locality's, else every visit of the tenant.
  struct VisitIndex {
    std::string client_id = "";
    std::string carer_id = "";
    std::string locality_id = "";
  };
  // Visit ids by planned start in [from, before) after the cursor, from `index`.
  virtual absl::StatusOr<ScoredIdPage> ListVisitIds(absl::string_view tenant_id,
                                                    const VisitIndex& index, absl::Time from,
                                                    absl::Time before, const std::string& after,
                                                    int limit) = 0;
  // The visits of `ids` that exist, in the same order, in one round trip.
  virtual absl::StatusOr<std::vector<v1::Visit>> ReadVisits(
      absl::string_view tenant_id, const std::vector<std::string>& ids) = 0;

  // --- Carers' days ---

  // What the assignment rules read of one carer around a visit.
  struct CarerScheduleQuery {
    std::string carer_id;
    // The carer's visits planned to start in [from, before).
    absl::Time from;
    absl::Time before;
    // The carer-days whose versions a write will check, [first_day, last_day].
    absl::CivilDay first_day;
    absl::CivilDay last_day;
    // Whether the carer has been on a visit of this client planned to start before
    // `visited_before` (not cancelled).
    std::string client_id;
    absl::Time visited_before;
  };
  struct CarerSchedule {
    std::vector<v1::Visit> visits;          // any status
    std::vector<CarerDayVersion> versions;  // one per day, in order
    bool has_visited_client = false;
  };
  // Read in one consistent order: the versions first, so that anything written after them
  // fails the check of a write that used them.
  virtual absl::StatusOr<CarerSchedule> ReadCarerSchedule(absl::string_view tenant_id,
                                                          const CarerScheduleQuery& query) = 0;

  // --- Settings ---

  // The tenant's scheduling settings as stored; an empty snapshot when never set.
  virtual absl::StatusOr<Snapshot<v1::SchedulingSettings>> ReadSettings(
      absl::string_view tenant_id) = 0;
  // Writes `updated` if the settings are still `read`: ABORTED when they changed.
  virtual absl::Status WriteSettings(absl::string_view tenant_id,
                                     const Snapshot<v1::SchedulingSettings>& read,
                                     const v1::SchedulingSettings& updated) = 0;

  // --- The automatic scheduler ---

  // One solve per tenant and date across replicas: whether `token` now holds the date's lease
  // for `ttl` (false: another solve holds it).
  virtual absl::StatusOr<bool> TakeSolveLease(absl::string_view tenant_id, absl::CivilDay date,
                                              const std::string& token, absl::Duration ttl) = 0;
  // Lets go of it if `token` still holds it.
  virtual absl::Status ReleaseSolveLease(absl::string_view tenant_id, absl::CivilDay date,
                                         const std::string& token) = 0;
  // Keeps `record` under `request_id` for kRetryWindow (ReadRequest reads it) unless a record
  // is kept there already.
  virtual absl::Status KeepRequest(absl::string_view tenant_id, const std::string& request_id,
                                   const RequestRecord& record) = 0;

  // Repair proposals: kept (a new one or its new state), by id, and those of a date oldest
  // first.
  virtual absl::Status PutReplanProposal(absl::string_view tenant_id,
                                         const v1::ReplanProposal& proposal) = 0;
  virtual absl::StatusOr<v1::ReplanProposal> ReadReplanProposal(absl::string_view tenant_id,
                                                                const std::string& proposal_id) = 0;
  virtual absl::StatusOr<std::vector<v1::ReplanProposal>> ReadReplanProposals(
      absl::string_view tenant_id, absl::CivilDay date) = 0;

  // --- Changes ---

  // Every tenant's visit changes, appended by the same write as the change (WatchVisits).
  virtual EventSource& visit_changes() = 0;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SCHEDULING_RECORDS_H_
