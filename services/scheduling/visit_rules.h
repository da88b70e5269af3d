// The rules for visits: which visits the plans make due on each date (the recurrence), how a
// repeated generation reconciles them with the visits already made, one-off and urgent visits,
// one-off changes, cancellations, and ListVisits' filters. No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_SCHEDULING_VISIT_RULES_H_
#define HOMECARE_SERVICES_SCHEDULING_VISIT_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::scheduling {

// The id of the visit a plan's pattern makes on a local date: the same inputs always give the
// same id, so a repeated or retried generation names the visits it made before.
std::string GeneratedVisitId(const std::string& tenant_id, const std::string& care_plan_id,
                             const std::string& pattern_id, absl::CivilDay day);

// What the plans make due for one client over [first, last] (local dates in `zone`).
struct DueVisits {
  std::vector<v1::Visit> visits;
  // Days on which the client has a plan in force but no visits are due (suspended, care ended).
  int days_suspended = 0;
};
// `plans` holds every version of each of the client's plans (one inner vector per plan). Each
// visit comes from the version in force on its date: the pattern's start window on that date in
// local time (08:00 stays 08:00 across the clock changes; a window past midnight ends the next
// day), planned to start at the window's start, needing a carer.
DueVisits VisitsDue(const std::string& tenant_id, const v1::Client& client,
                    const std::vector<std::vector<v1::CarePlan>>& plans, absl::CivilDay first,
                    absl::CivilDay last, absl::TimeZone zone, absl::Time now);

// The `cancelled_by` of visits withdrawn because they are no longer due: they come back when due
// again, unlike visits a person cancelled.
inline constexpr absl::string_view kReconciliationActor = "plan-reconciliation";

// How the visits already made for a client over a range change to match what is due.
struct VisitReconciliation {
  std::vector<v1::Visit> to_create;  // due and not made yet
  // Future visits made from an older plan version, or withdrawn and now due again.
  std::vector<v1::Visit> to_replan;
  std::vector<v1::Visit> to_withdraw;  // future visits no longer due, cancelled
  int already_present = 0;
};
// `existing` are the client's visits whose local date is in [first, last]. Nothing that has
// started (planned start at or before `now`) changes, nor one-off visits, nor visits a person
// cancelled; a visit made from the version still in force is left as it is, with any one-off
// change.
VisitReconciliation ReconcileVisits(const DueVisits& due, const std::vector<v1::Visit>& existing,
                                    const v1::Client& client, absl::Time now);

// A one-off visit as CreateVisit stores it (for a hospital discharge: urgent), for `client`,
// validated: window_start and window_end set, the window at most a day, planned_start (default
// the window's start) within it, the visit content as a pattern's. INVALID_ARGUMENT names the
// fields; FAILED_PRECONDITION when the client's care has ended.
absl::StatusOr<v1::Visit> NewOneOffVisit(const v1::Visit& requested, const v1::Client& client,
                                         const std::string& visit_id, absl::TimeZone zone,
                                         absl::Time now);

// What identifies a CreateVisit request for idempotency.
std::string CreateVisitFingerprint(const v1::CreateVisitRequest& request);

// The update_mask paths UpdateVisit accepts: one-off changes of time, duration and content.
const std::vector<std::string>& VisitUpdatePaths();

// `stored` with the `paths` of `changes` copied in, validated (planned_start within the window,
// the content as a pattern's); FAILED_PRECONDITION for a cancelled visit or one that has ended.
absl::StatusOr<v1::Visit> ApplyVisitUpdate(const v1::Visit& stored, const v1::Visit& changes,
                                           const std::vector<std::string>& paths,
                                           absl::TimeZone zone, absl::Time now);

// `stored` cancelled: a reason and who asked are required; the notice is the minutes from the
// request (default now) to the planned start, 0 when asked after it. `actor` is who recorded it.
// A visit already cancelled for the same reason is returned unchanged (a retry);
// FAILED_PRECONDITION for another reason, or once the visit's planned end has passed.
absl::StatusOr<v1::Visit> CancelledVisit(const v1::Visit& stored,
                                         const v1::Cancellation& cancellation,
                                         const std::string& actor, absl::Time now);

// Whether a cancellation leaves `stored` as it is (a retry of the same cancellation).
bool AlreadyCancelledSo(const v1::Visit& stored, const v1::Cancellation& cancellation);

// NEEDS_CARER or SCHEDULED from the carers assigned, unless cancelled.
v1::VisitStatus PlanningStatus(const v1::Visit& visit);

// The instant a local day starts in `zone`.
absl::Time DayStart(absl::CivilDay day, absl::TimeZone zone);
// A stored visit's local date (validated when stored).
absl::CivilDay LocalDate(const v1::Visit& visit);

// What WatchVisits says of a write of `kind` that turned `before` (nullptr: a new visit) into
// `after`, with the carers on it before. Dated by the record's update time.
v1::VisitChange VisitChangeOf(const std::string& tenant_id, const v1::Visit* before,
                              const v1::Visit& after, v1::VisitChange::Kind kind);

// ListVisits' filters besides the time range, as one value so the page token can be bound to
// them.
struct VisitFilter {
  std::string client_id = "";
  std::string locality_id = "";
  v1::VisitStatus status = v1::VISIT_STATUS_UNSPECIFIED;
  std::string carer_id = "";
  bool urgent_only = false;

  std::string QueryKey() const;
  bool Matches(const v1::Visit& visit) const;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_VISIT_RULES_H_
