// When a visit is late, missed, overdue or short, and what settles an alert once raised; and a
// visit's place on the live board. The rules of DESIGN.md ("Check-in rules") with the tenant's
// thresholds (policy_rules.h) per visit priority. No gRPC, no Redis.
//
// Alerts are decided from what the record says happened by each threshold (estimated event
// times, corrections included), not from when the check is made: the same visit and events give
// the same alerts whichever replica checks them and however late, so that an alert is raised
// once, and an offline check-in that arrives after its alert settles it when its estimated time
// was before the threshold.
#ifndef HOMECARE_SERVICES_CHECKIN_ALERT_RULES_H_
#define HOMECARE_SERVICES_CHECKIN_ALERT_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"

namespace homecare::checkin {

// The moments the alert engine looks at a visit.
enum class DueRule {
  kStart,    // the planned start: the board's NOT_DUE becomes DUE; no alert
  kLate,     // planned start + late_after: LATE, and a double-up's CARER_MISSING
  kMissed,   // the later of planned start + missed_after and the window's end: MISSED
  kOverdue,  // planned end + overdue_check_out_after: OVERDUE_CHECK_OUT
};
// "start", "late", "missed", "overdue": how a rule is named in the engine's keys.
absl::string_view DueRuleName(DueRule rule);
std::optional<DueRule> DueRuleNamed(absl::string_view name);

struct DueCheck {
  DueRule rule;
  absl::Time at;
};
// The checks of a visit under `policy` (in force, EffectivePolicy), in time order; none for a
// cancelled visit.
std::vector<DueCheck> DueChecks(const v1::VisitView& view, const v1::CheckInPolicy& policy);

// The alerts `rule` raises at its threshold `due` for the visit as recorded (`record` may be
// empty: nothing recorded): LATE and MISSED when nobody had checked in by then; CARER_MISSING
// when a double-up had some of its carers in by then but not all; OVERDUE_CHECK_OUT for the
// carers in but not out by then. Each alert's id is made from the visit, the kind and the carers
// it is about, so that it is the same whoever raises it, and a visit given to other carers can
// alert again about them. State OPEN, raised at `now`.
std::vector<v1::Alert> AlertsDue(DueRule rule, absl::Time due, const v1::VisitView& view,
                                 const v1::VisitRecord& record, absl::Time now);

// SHORT_VISIT for a record that is SHORT (out after less than the policy's share of the planned
// length); nullopt otherwise.
std::optional<v1::Alert> ShortVisitAlert(const v1::VisitView& view, const v1::VisitRecord& record,
                                         absl::Time now);

// What settles an alert that is open or acknowledged, from the visit as it now is: the visit
// cancelled; its carers changed (the alert was about carers no longer on it); evidence showing
// the alert should not have been raised (a check-in, or check-out, estimated at or before the
// threshold; a record no longer short). nullopt: the alert stands.
struct Settlement {
  v1::AlertResolution resolution = v1::ALERT_RESOLUTION_UNSPECIFIED;
  std::string evidence_event_id;  // EVIDENCE_ARRIVED
};
std::optional<Settlement> SettlementOf(const v1::Alert& alert, const v1::VisitView& view,
                                       const v1::VisitRecord& record);

// The alert resolved by the service (resolved_by "system") at `now`.
v1::Alert Settled(const v1::Alert& alert, const Settlement& settlement, absl::Time now);

// The visit's entry on the live board at `now`: not due, due, late, in progress, completed,
// missed or cancelled, from the record and the thresholds; with the kinds of its open alerts.
v1::BoardEntry BoardEntryOf(const v1::VisitView& view, const v1::VisitRecord& record,
                            const v1::CheckInPolicy& policy, const std::vector<v1::Alert>& alerts,
                            absl::Time now);

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_ALERT_RULES_H_
