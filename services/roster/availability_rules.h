// When a carer can work and whether they can take a visit: weekly patterns in local time with
// dated exceptions, absences and skills that lapse. No gRPC, no Redis: the service validates with
// these and the eligibility query runs them over the records the store loads.
#ifndef HOMECARE_SERVICES_ROSTER_AVAILABILITY_RULES_H_
#define HOMECARE_SERVICES_ROSTER_AVAILABILITY_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "homecare/common/v1/types.pb.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

inline constexpr int kMaxWeeklyBlocks = 100;
inline constexpr int kMaxAvailabilityExceptions = 400;

// Every rule an Availability breaks, each naming its field ("availability.weekly[2].time.end"):
// a valid carer id; known days; valid times (24:00 only as an end); no empty block; no two
// blocks of one day overlapping; valid, unique exception dates; valid exception ranges; at most
// kMaxWeeklyBlocks blocks and kMaxAvailabilityExceptions exceptions. Output-only fields
// (update_time, version) are ignored.
absl::Status ValidateAvailability(const v1::Availability& availability);

// A half-open span of instants [start, end).
struct Interval {
  absl::Time start;
  absl::Time end;

  friend bool operator==(const Interval& a, const Interval& b) {
    return a.start == b.start && a.end == b.end;
  }
};

// The instants in [from, to) at which the carer is available, sorted and merged (touching or
// overlapping intervals become one, so a block to 24:00 and the next day's block from 00:00
// join up). On local date D: each weekly block of D's weekday unless D's exception is
// unavailable_all_day, minus the exception's `remove` ranges, plus its `add` ranges. A range on
// D from s to e (e <= s: e on D+1) is [D s, D(+1) e) in `zone`, so local times hold across the
// clock changes. `availability` must be valid.
std::vector<Interval> AvailableIntervals(const v1::Availability& availability, absl::TimeZone zone,
                                         absl::Time from, absl::Time to);

// Whether the carer is available for the whole of [start, end).
bool CoversWindow(const v1::Availability& availability, absl::TimeZone zone, absl::Time start,
                  absl::Time end);

// Every rule a new absence breaks (carer id, kind, start, end after start, note length).
absl::Status ValidateNewAbsence(const v1::Absence& absence);

// Whether an ACTIVE absence overlaps [start, end). An absence without end_time lasts from its
// start for ever; a cancelled one overlaps nothing.
bool AbsenceOverlaps(const v1::Absence& absence, absl::Time start, absl::Time end);

// Whether the carer holds `skill` and it counts on every day of [first_day, last_day]: a skill
// without expires_on never lapses; expires_on is the last day it counts.
bool HoldsSkill(const v1::Carer& carer, const std::string& skill, absl::CivilDay first_day,
                absl::CivilDay last_day);

// What a visit asks of a carer.
struct EligibilityQuery {
  absl::Time window_start;
  absl::Time window_end;
  absl::TimeZone zone;                                         // the tenant's
  std::string locality_id = "";                                // empty: any
  std::vector<std::string> skills = {};                        // all required
  common::v1::Gender gender = common::v1::GENDER_UNSPECIFIED;  // unspecified: any
};

// Why a carer cannot take a visit; empty when they can.
enum class Ineligibility {
  kNone,
  kInactive,
  kOtherLocality,
  kGender,
  kSkill,
  kUnavailable,
  kAbsent,
};

// Checks in the order of the enum and returns the first reason that applies. `availability` may
// be null (never set: available at no time); `absences` are the carer's, in any state.
Ineligibility CheckEligibility(const v1::Carer& carer, const v1::Availability* availability,
                               absl::Span<const v1::Absence> absences,
                               const EligibilityQuery& query);

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_AVAILABILITY_RULES_H_
