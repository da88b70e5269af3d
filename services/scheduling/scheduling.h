// What the scheduling service does, without gRPC: each operation validates with the rules, asks
// the tenant directory for the tenant's zone and localities, and reads and writes through the
// store (retrying a write that raced another). The service adapter authorises the caller, picks
// the tenant from the token and calls one of these.
#ifndef HOMECARE_SERVICES_SCHEDULING_SCHEDULING_H_
#define HOMECARE_SERVICES_SCHEDULING_SCHEDULING_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/concurrency/worker_pool.h"
#include "common/time/time.h"
#include "homecare/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/scheduling_records.h"
#include "services/scheduling/tenant_directory.h"

namespace homecare::scheduling {

struct PlannedVisit;       // autoschedule_model.h
struct AutoScheduleInput;  // autoschedule_model.h

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
  // `only_carer` (a carer's own token) limits what is seen to the visits that carer is on:
  // another visit is NOT_FOUND, as if it did not exist; a list of another carer's visits is
  // PERMISSION_DENIED. Empty for the back office and services.
  absl::StatusOr<v1::Visit> GetVisit(const std::string& tenant_id, const std::string& visit_id,
                                     const std::string& only_carer = "");
  absl::StatusOr<v1::ListVisitsResponse> ListVisits(const std::string& tenant_id,
                                                    const v1::ListVisitsRequest& request,
                                                    const std::string& only_carer = "");
  absl::StatusOr<v1::Visit> UpdateVisit(const std::string& tenant_id,
                                        const v1::UpdateVisitRequest& request);
  // `actor` is who records the cancellation (the token's subject).
  absl::StatusOr<v1::Visit> CancelVisit(const std::string& tenant_id, const std::string& actor,
                                        const v1::CancelVisitRequest& request);

  // Assignments (assignments.cc): every hard rule checked against the roster's facts and the
  // carers' days, written only if none of those days changed meanwhile.
  // Who made an assignment: a coordinator's choices are kept by a later AutoSchedule; the
  // scheduler's (AutoSchedule, repairs) are listed in Visit.auto_scheduled_carer_ids, which a
  // coordinator's assigning the same carer again clears.
  enum class AssignedBy { kCoordinator, kScheduler };
  absl::StatusOr<v1::AssignCarersResponse> AssignCarers(const std::string& tenant_id,
                                                        const v1::AssignCarersRequest& request,
                                                        AssignedBy by = AssignedBy::kCoordinator);
  absl::StatusOr<v1::Visit> UnassignCarer(const std::string& tenant_id, const std::string& actor,
                                          const v1::UnassignCarerRequest& request);
  // A carer's rota; `only_carer` as for GetVisit.
  absl::StatusOr<v1::Rota> GetRota(const std::string& tenant_id, const v1::GetRotaRequest& request,
                                   const std::string& only_carer = "");

  absl::StatusOr<v1::SchedulingSettings> GetSettings(const std::string& tenant_id);
  absl::StatusOr<v1::SchedulingSettings> UpdateSettings(
      const std::string& tenant_id, const v1::UpdateSchedulingSettingsRequest& request);

  // After the roster reported a change of the carer: takes them off each of their visits not
  // yet started that the roster's facts no longer allow (absent, inactive, a skill gone,
  // availability gone), marked as needing a carer with the reason. Handling the same change
  // twice, or on several replicas at once, does no more than once. How many were taken off.
  absl::StatusOr<int> FollowCarerChange(const std::string& tenant_id, const std::string& carer_id);

  // Who is recorded as taking a carer off a visit when the roster's facts did, and when a later
  // AutoSchedule did.
  static constexpr char kRosterFollower[] = "roster-change";
  static constexpr char kScheduler[] = "auto-schedule";

  // The automatic scheduler (autoschedule.cc): the day's visits (of one locality, or all)
  // planned by the engine over the tenant's active carers, then, unless a dry run, each
  // assignment made as AssignCarers makes it (every hard rule checked again, atomically per
  // carer-day). A visit someone changed during the solve keeps that change and is reported
  // unassigned with why. One solve per tenant and date across replicas (ABORTED while another
  // runs); the same request_id answers with the first call's plan and writes nothing more.
  // Stopped (the call cancelled, the server draining) before applying: CANCELLED, nothing
  // written.
  static constexpr int kDefaultSolveSeconds = 30;
  static constexpr int kMaxSolveSeconds = 600;
  struct AutoScheduleRun {
    const std::atomic<bool>* stop = nullptr;
    // At once and every 0.4 s until the plan, from a thread of the call's or the engine's.
    std::function<void(const v1::AutoScheduleProgress&)> on_progress;
    // Names this solve's lease (the replica and the call), unique per call.
    std::string lease_token;
    // The engine's search threads.
    int threads = 1;
  };
  absl::StatusOr<v1::SchedulePlan> AutoSchedule(const std::string& tenant_id,
                                                const v1::AutoScheduleRequest& request,
                                                const AutoScheduleRun& run);

  // Repairs (autoschedule.cc): when FollowCarerChange takes a carer off visits of today or
  // tomorrow, the engine places only those visits (every other visit kept as it is) within
  // kRepairSeconds, on a thread of its own soon after, and the proposal is kept, applied at
  // once when the tenant's settings say so. Applying one makes each assignment as AssignCarers
  // does; a visit staffed or changed since is reported, not touched. `actor` is who applied it.
  static constexpr int kRepairSeconds = 1;
  absl::StatusOr<v1::ListReplanProposalsResponse> ListReplanProposals(
      const std::string& tenant_id, const v1::ListReplanProposalsRequest& request);
  absl::StatusOr<v1::ReplanProposal> ApplyReplanProposal(
      const std::string& tenant_id, const std::string& actor,
      const v1::ApplyReplanProposalRequest& request);

 private:
  // Each visit of `index` planned to start in [from, before), read `batch` at a time.
  absl::Status ForEachVisit(const std::string& tenant_id,
                            const SchedulingRecords::VisitIndex& index, absl::Time from,
                            absl::Time before, int batch,
                            const std::function<void(v1::Visit&)>& each);
  struct CarerFacts;
  // The roster's facts and the carer-days the assignment rules need for `carer_ids` on
  // `visit`, into `facts`.
  absl::Status LoadCarerFacts(const std::string& tenant_id, const TenantProfile& tenant,
                              const v1::Visit& visit, const std::vector<std::string>& carer_ids,
                              CarerFacts& facts);
  // The tenant's settings in force.
  absl::StatusOr<v1::SchedulingSettings> SettingsInForce(const std::string& tenant_id);
  // The hard rules for every carer already on a visit that an update moves or changes.
  absl::Status RecheckCarers(const std::string& tenant_id, const TenantProfile& tenant,
                             const v1::Visit& updated,
                             std::vector<SchedulingRecords::CarerDayVersion>& checked);

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

  // AutoSchedule once the lease is held: load, solve, apply, keep the request's record.
  absl::StatusOr<v1::SchedulePlan> SolveAndApply(const std::string& tenant_id,
                                                 const TenantProfile& tenant, absl::CivilDay date,
                                                 int seconds,
                                                 const v1::AutoScheduleRequest& request,
                                                 const std::string& fingerprint,
                                                 const AutoScheduleRun& run);
  // The day's visits (`to_plan` choosing which of the date's), their clients and history, the
  // carers' other visits around it and the tenant's active carers, into `input`; `settings`
  // must outlive it.
  absl::Status LoadDay(const std::string& tenant_id, const TenantProfile& tenant,
                       absl::CivilDay date, const v1::SchedulingSettings& settings,
                       const std::function<bool(const v1::Visit&)>& to_plan,
                       AutoScheduleInput& input);
  // The repair of `date` after `carer_id` was taken off `visit_ids` (see kRepairSeconds),
  // `since` when the change reached the service.
  absl::Status ProposeRepair(const std::string& tenant_id, const TenantProfile& tenant,
                             absl::CivilDay date, const std::string& carer_id,
                             const std::vector<std::string>& visit_ids,
                             std::chrono::steady_clock::time_point since);
  // Makes a proposal's assignments, recording what was made and what was refused.
  void ApplyProposal(const std::string& tenant_id, const std::string& actor,
                     v1::ReplanProposal& proposal);
  // The first step of applying a re-planned visit: `carer_ids`, each placed by the scheduler,
  // taken off the visit as read at `version`, so that no other visit's new carers are refused
  // for a time this visit is leaving. The visit's version after. ABORTED when it changed since
  // `version`.
  absl::StatusOr<int64_t> ReleaseScheduledCarers(const std::string& tenant_id,
                                                 const std::string& visit_id, int64_t version,
                                                 const std::vector<std::string>& carer_ids);
  // One planned visit made: its new planned start, then its carers (AssignCarers).
  absl::Status ApplyPlanned(const std::string& tenant_id, const PlannedVisit& planned,
                            const std::string& request_id);

  SchedulingRecords& store_;
  TenantDirectory& tenants_;
  const Clock& clock_;
  // Repairs run here, one at a time, not on the roster follower's thread: each loads a day and
  // solves for up to kRepairSeconds, and every tenant's next roster change would wait for it.
  // Last, so that it finishes what is queued while the rest is still here.
  WorkerPool repairs_{1};
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SCHEDULING_H_
