// What a coordinator types on carectl's scheduling commands, turned into the API's messages:
// enums as lower-case words with dashes ("needs-carer"), lengths ("45m", "1h15m"), contacts,
// outcomes, tasks and visit patterns. Every error names what was wrong, so the command can
// print it. Lists whose items hold commas and blanks are ';'-separated, because carectl's flags
// take one value each (a repeated flag keeps only its last value).
#ifndef HOMECARE_TOOLS_CARECTL_SCHEDULING_PARSING_H_
#define HOMECARE_TOOLS_CARECTL_SCHEDULING_PARSING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "homecare/common/v1/types.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::carectl {

absl::StatusOr<scheduling::v1::ClientStatus> ParseClientStatus(absl::string_view text);
absl::StatusOr<scheduling::v1::SuspensionReason> ParseSuspensionReason(absl::string_view text);
absl::StatusOr<scheduling::v1::VisitStatus> ParseVisitStatus(absl::string_view text);
// The reasons a coordinator records; care-plan-changed is GenerateVisits' own.
absl::StatusOr<scheduling::v1::CancellationReason> ParseCancellationReason(absl::string_view text);
// "needs-carer", "scheduled"...; "unspecified" for values without a name here.
std::string VisitStatusName(scheduling::v1::VisitStatus status);

// A length in whole minutes, more than none: "45m", "1h15m", "2h". `what` names it in errors.
absl::StatusOr<int> ParseDurationMinutes(absl::string_view what, absl::string_view text);
// "1", or "2" for a double-up.
absl::StatusOr<int> ParseCarersRequired(absl::string_view text);

// ';'-separated contacts, each "name|relationship|phone", with "|unpaid" after an unpaid
// family carer's: "Ann Lee|daughter|07700 900123|unpaid; Dr Shah|GP|020 7946 0000".
absl::StatusOr<std::vector<scheduling::v1::Contact>> ParseContacts(absl::string_view text);
// ';'-separated outcomes, given the ids o1, o2... in order.
std::vector<scheduling::v1::Outcome> ParseOutcomes(absl::string_view text);
// '|'-separated tasks, each "description" or "id:description" (an id has no blanks); the
// others get the id t<position>: "Breakfast|meds:Medication" is t1 and meds.
absl::StatusOr<std::vector<scheduling::v1::Task>> ParseTasks(absl::string_view text);
// Comma-separated mon..sun, daily, weekdays or weekends, in week order without repeats.
absl::StatusOr<std::vector<common::v1::DayOfWeek>> ParseDays(absl::string_view text);

// A recurring visit on one line:
//   <id> <days> <HH:MM-HH:MM> <length> [carers=1|2] [skills=a,b] [tasks="A|B"] [critical]
// e.g. `morning weekdays 07:30-08:30 30m carers=2 skills=hoist tasks="Breakfast|Medication"`.
// The id stays the same across plan versions, the times are the window the visit starts in
// (23:30-00:30 runs past midnight), and the options come in any order.
absl::StatusOr<scheduling::v1::VisitPattern> ParsePattern(absl::string_view text);
// ';'-separated patterns; their ids must differ.
absl::StatusOr<std::vector<scheduling::v1::VisitPattern>> ParsePatterns(absl::string_view text);

// The instants a local day starts and ends (the next one starts) in `zone`: 23 or 25 hours
// apart on the days the clocks change.
std::pair<absl::Time, absl::Time> LocalDayBounds(absl::CivilDay day, absl::TimeZone zone);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_SCHEDULING_PARSING_H_
