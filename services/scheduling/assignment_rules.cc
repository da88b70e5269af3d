#include "services/scheduling/assignment_rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/time/time.h"
#include "services/roster/availability_rules.h"
#include "services/scheduling/travel.h"

namespace homecare::scheduling {
namespace {

std::string CarerSubject(const std::string& carer_id) { return absl::StrCat("carers/", carer_id); }

std::string LocalText(absl::Time time, absl::TimeZone zone) {
  return absl::FormatTime("%a %Y-%m-%d %H:%M", time, zone);
}

std::string DateText(const common::v1::Date& date) {
  absl::StatusOr<absl::CivilDay> day = DateFromProto(date, "date");
  return day.ok() ? absl::FormatCivilTime(*day) : "an unknown date";
}

std::string GenderName(common::v1::Gender gender) {
  switch (gender) {
    case common::v1::GENDER_FEMALE:
      return "female";
    case common::v1::GENDER_MALE:
      return "male";
    case common::v1::GENDER_NON_BINARY:
      return "non-binary";
    case common::v1::GENDER_UNDISCLOSED:
      return "undisclosed";
    default:
      return "unspecified";
  }
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The required skills the carer lacks on the visit's days, in words; empty when none.
std::vector<std::string> MissingSkills(const v1::Visit& visit, const roster::v1::Carer& carer,
                                       absl::TimeZone zone) {
  const absl::CivilDay first = LocalDay(PlannedStart(visit), zone);
  const absl::CivilDay last = LocalDay(PlannedEnd(visit) - absl::Nanoseconds(1), zone);
  std::vector<std::string> missing;
  for (const std::string& skill : visit.required_skills()) {
    if (roster::HoldsSkill(carer, skill, first, last)) continue;
    const auto held =
        std::find_if(carer.skills().begin(), carer.skills().end(),
                     [&](const roster::v1::CarerSkill& s) { return s.skill() == skill; });
    missing.push_back(
        held == carer.skills().end()
            ? skill
            : absl::StrCat(skill, " (lapsed: last day ", DateText(held->expires_on()), ")"));
  }
  return missing;
}

bool Absent(const v1::Visit& visit, const roster::v1::CarerDetails& details) {
  return std::any_of(details.absences().begin(), details.absences().end(),
                     [&](const roster::v1::Absence& absence) {
                       return roster::AbsenceOverlaps(absence, PlannedStart(visit),
                                                      PlannedEnd(visit));
                     });
}

bool Available(const v1::Visit& visit, const roster::v1::CarerDetails& details,
               absl::TimeZone zone) {
  return details.has_availability() &&
         roster::CoversWindow(details.availability(), zone, PlannedStart(visit), PlannedEnd(visit));
}

bool Counts(const v1::Visit& other, const v1::Visit& visit) {
  return other.status() != v1::VISIT_STATUS_CANCELLED && other.visit_id() != visit.visit_id();
}

bool SameDate(const common::v1::Date& a, const common::v1::Date& b) {
  return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
}

// The first of the carer's visits that overlaps `visit` once travel is counted, with what it
// would take; nullopt when none does.
std::optional<std::string> FirstClash(const AssignmentContext& context, const CarerToCheck& carer) {
  const v1::Visit& visit = context.visit;
  const roster::v1::TravelMode mode = carer.details->carer().travel_mode();
  const v1::TravelSettings& speeds = context.settings.travel();
  std::vector<const v1::Visit*> others;
  for (const v1::Visit& other : carer.around) {
    if (Counts(other, visit)) others.push_back(&other);
  }
  std::sort(others.begin(), others.end(), [](const v1::Visit* a, const v1::Visit* b) {
    return PlannedStart(*a) < PlannedStart(*b);
  });
  for (const v1::Visit* other : others) {
    const Travel travel = EstimateTravel(other->location(), visit.location(), mode, speeds);
    const absl::Duration gap = absl::Minutes(travel.minutes);
    const bool fits_after = PlannedEnd(*other) + gap <= PlannedStart(visit);
    const bool fits_before = PlannedEnd(visit) + gap <= PlannedStart(*other);
    if (fits_after || fits_before) continue;
    const bool overlaps_outright =
        PlannedStart(*other) < PlannedEnd(visit) && PlannedStart(visit) < PlannedEnd(*other);
    return absl::StrCat(
        "visit ", other->visit_id(), " (", LocalText(PlannedStart(*other), context.zone), ", ",
        other->duration_minutes(), " min) ",
        overlaps_outright ? "overlaps this visit"
                          : absl::StrCat("leaves too little time for the ", travel.minutes,
                                         " min of travel between them"));
  }
  return std::nullopt;
}

void Warn(std::vector<v1::AssignmentWarning>& warnings, const std::string& carer_id,
          const char* rule, std::string description) {
  v1::AssignmentWarning& warning = warnings.emplace_back();
  warning.set_carer_id(carer_id);
  warning.set_rule(rule);
  warning.set_description(std::move(description));
}

}  // namespace

absl::Time PlannedStart(const v1::Visit& visit) { return StoredTime(visit.planned_start()); }

absl::Time PlannedEnd(const v1::Visit& visit) {
  return PlannedStart(visit) + absl::Minutes(visit.duration_minutes());
}

void CheckVisitOpen(const v1::Visit& visit, absl::Time now, PreconditionViolations& refused) {
  const std::string subject = absl::StrCat("visits/", visit.visit_id());
  if (visit.status() == v1::VISIT_STATUS_CANCELLED) {
    refused.Add("VISIT_CANCELLED", subject, "the visit is cancelled");
  } else if (StoredTime(visit.window_end()) <= now) {
    refused.Add("VISIT_ENDED", subject, "the visit's window has ended");
  }
}

void CheckCarer(const AssignmentContext& context, const CarerToCheck& carer,
                PreconditionViolations& refused, std::vector<v1::AssignmentWarning>& warnings) {
  const std::string subject = CarerSubject(carer.carer_id);
  if (carer.details == nullptr) {
    refused.Add("CARER_NOT_FOUND", subject, "not a carer of this provider");
    return;
  }
  const v1::Visit& visit = context.visit;
  const v1::Client& client = context.client;
  const roster::v1::Carer& record = carer.details->carer();
  const std::string& name = record.display_name();
  if (!record.active()) refused.Add("CARER_INACTIVE", subject, absl::StrCat(name, " is inactive"));
  if (std::vector<std::string> missing = MissingSkills(visit, record, context.zone);
      !missing.empty()) {
    refused.Add("SKILL_MISSING", subject,
                absl::StrCat(name, " lacks ", absl::StrJoin(missing, ", "), " on the visit's day"));
  }
  if (!Available(visit, *carer.details, context.zone)) {
    refused.Add("UNAVAILABLE", subject,
                absl::StrCat(name, " is not available for all of ",
                             LocalText(PlannedStart(visit), context.zone), " to ",
                             absl::FormatTime("%H:%M", PlannedEnd(visit), context.zone)));
  }
  if (Absent(visit, *carer.details)) {
    refused.Add("ABSENT", subject, absl::StrCat(name, " is absent then"));
  }
  if (Contains(client.excluded_carer_ids(), carer.carer_id)) {
    refused.Add("EXCLUDED_BY_CLIENT", subject,
                absl::StrCat(client.display_name(), " has asked not to have ", name));
  }
  const bool gender_wish = client.preferred_carer_gender() != common::v1::GENDER_UNSPECIFIED &&
                           record.gender() != client.preferred_carer_gender();
  if (gender_wish && client.carer_gender_required()) {
    refused.Add("GENDER_REQUIRED", subject,
                absl::StrCat(client.display_name(), " requires a ",
                             GenderName(client.preferred_carer_gender()), " carer"));
  }
  if (std::optional<std::string> clash = FirstClash(context, carer)) {
    refused.Add("OVERLAPS_ANOTHER_VISIT", subject, absl::StrCat(name, "'s ", *clash));
  }
  if (record.max_minutes_per_day() > 0) {
    std::vector<const v1::Visit*> day = {&visit};
    for (const v1::Visit& other : carer.around) {
      if (Counts(other, visit) && SameDate(other.local_date(), visit.local_date())) {
        day.push_back(&other);
      }
    }
    const CarerDay planned = PlanCarerDay(std::move(day), record, context.settings);
    if (planned.working_minutes() > record.max_minutes_per_day()) {
      refused.Add("MAX_MINUTES_PER_DAY", subject,
                  absl::StrCat(name, " would work ", planned.working_minutes(), " minutes on ",
                               DateText(visit.local_date()), " (", planned.visit_minutes,
                               " visiting, ", planned.travel_minutes, " travelling); at most ",
                               record.max_minutes_per_day()));
    }
  }

  if (gender_wish && !client.carer_gender_required()) {
    Warn(warnings, carer.carer_id, "PREFERRED_GENDER",
         absl::StrCat(client.display_name(), " prefers a ",
                      GenderName(client.preferred_carer_gender()), " carer"));
  }
  if (record.locality_id() != client.locality_id()) {
    Warn(warnings, carer.carer_id, "OTHER_LOCALITY",
         absl::StrCat(name, " works in ", record.locality_id(), ", the client lives in ",
                      client.locality_id()));
  }
  if (!client.preferred_carer_ids().empty() &&
      !Contains(client.preferred_carer_ids(), carer.carer_id)) {
    Warn(warnings, carer.carer_id, "NOT_A_PREFERRED_CARER",
         absl::StrCat(name, " is not one of ", client.display_name(), "'s preferred carers"));
  }
  if (!carer.has_visited_client) {
    Warn(warnings, carer.carer_id, "NEW_TO_CLIENT",
         absl::StrCat(name, " has not visited ", client.display_name(), " before"));
  }
}

AssignmentVerdict AssessAssignment(const AssignmentContext& context,
                                   const std::vector<CarerToCheck>& adding,
                                   bool override_preferences) {
  AssignmentVerdict verdict;
  const v1::Visit& visit = context.visit;
  CheckVisitOpen(visit, context.now, verdict.refused);
  const int carers = visit.carer_ids_size() + static_cast<int>(adding.size());
  if (carers > visit.carers_required()) {
    verdict.refused.Add("TOO_MANY_CARERS", absl::StrCat("visits/", visit.visit_id()),
                        absl::StrCat("the visit needs ", visit.carers_required(),
                                     " carer(s) and would have ", carers));
  }
  for (const CarerToCheck& carer : adding) {
    CheckCarer(context, carer, verdict.refused, verdict.warnings);
  }
  if (context.settings.refuse_on_preferences() && !override_preferences) {
    for (const v1::AssignmentWarning& warning : verdict.warnings) {
      verdict.refused.Add(warning.rule(), CarerSubject(warning.carer_id()),
                          absl::StrCat(warning.description(),
                                       " (this provider refuses on preferences; set "
                                       "override_preferences to assign anyway)"));
    }
  }
  return verdict;
}

std::optional<v1::CarerRemovalReason> RosterRemovalReason(const v1::Visit& visit,
                                                          const roster::v1::CarerDetails* details,
                                                          absl::TimeZone zone) {
  if (details == nullptr || !details->carer().active()) {
    return v1::CARER_REMOVAL_REASON_CARER_INACTIVE;
  }
  if (Absent(visit, *details)) return v1::CARER_REMOVAL_REASON_CARER_ABSENT;
  if (!MissingSkills(visit, details->carer(), zone).empty()) {
    return v1::CARER_REMOVAL_REASON_SKILL_LAPSED;
  }
  if (!Available(visit, *details, zone)) return v1::CARER_REMOVAL_REASON_CARER_UNAVAILABLE;
  return std::nullopt;
}

CarerDay PlanCarerDay(std::vector<const v1::Visit*> visits, const roster::v1::Carer& carer,
                      const v1::SchedulingSettings& settings) {
  std::sort(visits.begin(), visits.end(), [](const v1::Visit* a, const v1::Visit* b) {
    return PlannedStart(*a) != PlannedStart(*b) ? PlannedStart(*a) < PlannedStart(*b)
                                                : a->visit_id() < b->visit_id();
  });
  CarerDay day;
  const common::v1::GeoPoint* at = &carer.home();
  for (const v1::Visit* visit : visits) {
    const Travel travel =
        EstimateTravel(*at, visit->location(), carer.travel_mode(), settings.travel());
    DayLeg& leg = day.legs.emplace_back();
    leg.visit = visit;
    leg.travel_minutes_before = travel.minutes;
    leg.travel_meters_before = travel.meters;
    leg.from_home = day.legs.size() == 1;
    (leg.from_home ? day.home_travel_minutes : day.travel_minutes) += travel.minutes;
    day.visit_minutes += visit->duration_minutes();
    at = &visit->location();
  }
  if (!visits.empty()) {
    day.home_travel_minutes +=
        EstimateTravel(*at, carer.home(), carer.travel_mode(), settings.travel()).minutes;
  }
  return day;
}

}  // namespace homecare::scheduling
