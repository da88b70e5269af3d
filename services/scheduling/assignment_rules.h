// The rules for putting carers on visits: every hard rule (the assignment is refused, each
// broken rule listed per carer) and soft rule (a warning, or a refusal when the tenant says so),
// the roster facts that take a carer off a visit they are on, and what a carer's day adds up to
// (visits and the travel between them). No gRPC, no Redis.
//
// A carer's day is the visit's local_date (the local date its window starts): "Tuesday's
// bedtime visit" is Tuesday's even when it starts after midnight. Times are the visit's planned
// start and duration; travel is EstimateTravel's, by the carer's travel mode.
#ifndef HOMECARE_SERVICES_SCHEDULING_ASSIGNMENT_RULES_H_
#define HOMECARE_SERVICES_SCHEDULING_ASSIGNMENT_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "homecare/roster/v1/roster.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::scheduling {

// A visit of local date D starts within a day of D's start (one-off windows are at most 24
// hours) and lasts at most 12 hours. So every visit that could overlap it once travel (under
// 12 hours) is counted, and every visit of D, is planned to start from the start of
// D - kDaysReadBefore to the start of D + kDaysReadAfter + 1; those are dated (window start)
// at most a day before their planned start, so a write checks the carer-day versions from
// D - kDaysCheckedBefore to D + kDaysCheckedAfter.
inline constexpr int kDaysReadBefore = 1;
inline constexpr int kDaysReadAfter = 2;
inline constexpr int kDaysCheckedBefore = kDaysReadBefore + 1;
inline constexpr int kDaysCheckedAfter = kDaysReadAfter;

// What the rules know of one carer asked for.
struct CarerToCheck {
  std::string carer_id;
  // From the roster, with availability and the absences around the visit; nullptr when the id
  // is not a carer of the tenant.
  const roster::v1::CarerDetails* details = nullptr;
  // The carer's visits read around the visit's day (see kDaysReadBefore); cancelled visits and
  // the visit itself are skipped.
  std::vector<v1::Visit> around;
  // Whether the carer has been on one of the client's visits that has started (continuity).
  bool has_visited_client = false;
};

// The visit being staffed and what the rules compare it with.
struct AssignmentContext {
  const v1::Visit& visit;
  const v1::Client& client;
  absl::TimeZone zone;
  absl::Time now;
  const v1::SchedulingSettings& settings;  // in force (EffectiveSettings)
};

// Hard rules of the visit itself: not cancelled (VISIT_CANCELLED) and its window not ended
// (VISIT_ENDED).
void CheckVisitOpen(const v1::Visit& visit, absl::Time now, PreconditionViolations& refused);

// Every rule for one carer on the visit. Hard rules go to `refused`, one violation per rule
// with the carer as its subject ("carers/<id>"): CARER_NOT_FOUND, CARER_INACTIVE,
// SKILL_MISSING (any required skill not held or lapsed on the visit's days), UNAVAILABLE
// (availability does not cover the visit in the tenant's zone), ABSENT, EXCLUDED_BY_CLIENT,
// GENDER_REQUIRED, OVERLAPS_ANOTHER_VISIT (another visit of the carer overlaps this one once
// the travel between them is counted), MAX_MINUTES_PER_DAY (the day's visits and the travel
// between them). Soft rules go to `warnings`: PREFERRED_GENDER, OTHER_LOCALITY,
// NOT_A_PREFERRED_CARER, NEW_TO_CLIENT.
void CheckCarer(const AssignmentContext& context, const CarerToCheck& carer,
                PreconditionViolations& refused, std::vector<v1::AssignmentWarning>& warnings);

struct AssignmentVerdict {
  PreconditionViolations refused;
  std::vector<v1::AssignmentWarning> warnings;
};

// Whether `adding` may join the carers already on the visit: the visit open, no more carers
// in all than carers_required (TOO_MANY_CARERS), and CheckCarer for each one added. When the
// tenant's settings refuse on soft rules and `override_preferences` is false, each warning
// refuses too (under its rule's name).
AssignmentVerdict AssessAssignment(const AssignmentContext& context,
                                   const std::vector<CarerToCheck>& adding,
                                   bool override_preferences);

// Why a carer on `visit` may no longer be on it by the roster's facts alone (deactivated, a
// required skill gone or lapsed, availability no longer covering it, an absence over it);
// nullopt while they still may. `details` nullptr: the carer is gone from the roster.
std::optional<v1::CarerRemovalReason> RosterRemovalReason(const v1::Visit& visit,
                                                          const roster::v1::CarerDetails* details,
                                                          absl::TimeZone zone);

// The instants a visit is planned for: [planned_start, planned_start + duration).
absl::Time PlannedStart(const v1::Visit& visit);
absl::Time PlannedEnd(const v1::Visit& visit);

// A carer's visits of one day in order of planned start, with the travel before each (from the
// previous visit; the first from home), by the carer's mode.
struct DayLeg {
  const v1::Visit* visit;
  int travel_minutes_before = 0;
  int travel_meters_before = 0;
  bool from_home = false;
};
struct CarerDay {
  std::vector<DayLeg> legs;
  int visit_minutes = 0;
  int travel_minutes = 0;       // between visits
  int home_travel_minutes = 0;  // home to the first and the last back home
  int working_minutes() const { return visit_minutes + travel_minutes; }
};
// `visits` are one day's, any order, none cancelled; they must outlive the result.
CarerDay PlanCarerDay(std::vector<const v1::Visit*> visits, const roster::v1::Carer& carer,
                      const v1::SchedulingSettings& settings);

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_ASSIGNMENT_RULES_H_
