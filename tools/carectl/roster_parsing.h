// What a coordinator types on carectl's roster commands, turned into the API's messages:
// "female", "51.5,-0.12", "medication,hoist:2027-03-31", "mon 07:00-10:00,tue 22:00-07:00",
// "2026-11-23T08:00" (local time in the tenant's zone) or RFC 3339. Every error names what
// was wrong, so the command can print it.
#ifndef HOMECARE_TOOLS_CARECTL_ROSTER_PARSING_H_
#define HOMECARE_TOOLS_CARECTL_ROSTER_PARSING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "homecare/common/v1/types.pb.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::carectl {

absl::StatusOr<common::v1::Gender> ParseGender(absl::string_view text);
absl::StatusOr<roster::v1::TravelMode> ParseTravelMode(absl::string_view text);
absl::StatusOr<roster::v1::AbsenceKind> ParseAbsenceKind(absl::string_view text);
// "latitude,longitude" in degrees.
absl::StatusOr<common::v1::GeoPoint> ParseGeoPoint(absl::string_view text);
// "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text);
// "mon" to "sun".
absl::StatusOr<common::v1::DayOfWeek> ParseDayOfWeek(absl::string_view text);
// Comma-separated skills, each "name" or "name:YYYY-MM-DD" (its last valid day).
absl::StatusOr<std::vector<roster::v1::CarerSkill>> ParseSkills(absl::string_view text);
// "HH:MM-HH:MM"; an end before the start runs into the next day, 24:00 is midnight.
absl::StatusOr<common::v1::LocalTimeRange> ParseTimeRange(absl::string_view text);
// Comma-separated "<day> HH:MM-HH:MM" with day mon..sun.
absl::StatusOr<std::vector<roster::v1::WeeklyBlock>> ParseWeekly(absl::string_view text);

// Dated exceptions from three lists: `off` days ("YYYY-MM-DD,..."), `extra` and `remove`
// blocks ("YYYY-MM-DD HH:MM-HH:MM,..."), merged into one exception per date.
absl::StatusOr<std::vector<roster::v1::AvailabilityException>> ParseExceptions(
    absl::string_view off, absl::string_view extra, absl::string_view remove);

// An instant: RFC 3339 with a zone ("2026-11-23T08:00:00Z", "...+01:00"), or a local time
// "YYYY-MM-DDTHH:MM" (or with a space) in `zone`, the tenant's.
absl::StatusOr<absl::Time> ParseInstant(absl::string_view text, absl::TimeZone zone);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_ROSTER_PARSING_H_
