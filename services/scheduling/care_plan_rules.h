// The rules for care plans: what a valid plan version is, how it compares with its weekly budget,
// how versions follow each other, and which version is in force on a date. No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_SCHEDULING_CARE_PLAN_RULES_H_
#define HOMECARE_SERVICES_SCHEDULING_CARE_PLAN_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare {
class FieldViolations;
}

namespace homecare::scheduling {

inline constexpr int kMaxVisitMinutes = 12 * 60;
inline constexpr int kMaxWindowMinutes = 12 * 60;

// The parts a pattern and a one-off visit share, each naming its field under `prefix`: a
// duration of 1 to kMaxVisitMinutes, 1 or 2 carers, valid unique skills, tasks with unique ids
// and descriptions.
void CheckVisitContent(FieldViolations& violations, const std::string& prefix, int duration_minutes,
                       int carers_required,
                       const google::protobuf::RepeatedPtrField<std::string>& skills,
                       const google::protobuf::RepeatedPtrField<v1::Task>& tasks);

// Gives tasks without an id "t1", "t2"... (skipping ids already taken), so that a carer can
// record each one as done or refused.
void GiveTaskIds(google::protobuf::RepeatedPtrField<v1::Task>& tasks);

// Every rule `plan` breaks, each naming its field under "care_plan.": a client, an effective
// date, a review date not before it, a weekly budget, outcomes with descriptions, and patterns
// with unique ids, days, a start window that is not empty and at most kMaxWindowMinutes long
// (it may run past midnight), and valid visit content. Going over the budget is not a rule
// broken: see BudgetWarnings.
absl::Status ValidateCarePlan(const v1::CarePlan& plan);

// Minutes of care a week the patterns plan: each visit's duration times its carers (a
// double-up is two carers' time, as councils commission it).
int PlannedWeeklyMinutes(const v1::CarePlan& plan);

// Warnings for rules the plan bends without being refused: patterns over the weekly budget (the
// budget is flexible, so the coordinator is told, not stopped).
std::vector<std::string> BudgetWarnings(const v1::CarePlan& plan);

// The version CreateCarePlan stores: `requested` with its ids, version and create_time set and
// task and outcome ids given.
v1::CarePlan NewCarePlanVersion(const v1::CarePlan& requested, const std::string& care_plan_id,
                                int version, absl::Time now);

// A new version follows `latest`: the same client, in force from the latest version's date or
// later (a version cannot slip under one already made; the version in force on a date is the
// one with the latest effective date on or before it, the newer on a tie).
absl::Status CheckNextVersion(const v1::CarePlan& latest, const v1::CarePlan& next);

// What identifies a CreateCarePlan request for idempotency.
std::string CreateCarePlanFingerprint(const v1::CreateCarePlanRequest& request);

// The version of one plan in force on `day`, or nullptr when none is yet. `versions` are every
// version of that plan, in any order.
const v1::CarePlan* VersionInForce(const std::vector<v1::CarePlan>& versions, absl::CivilDay day);

// Whether the plan's review date has passed by `today` (a plan with no review date never is).
bool ReviewOverdue(const v1::CarePlan& plan, absl::CivilDay today);

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_CARE_PLAN_RULES_H_
