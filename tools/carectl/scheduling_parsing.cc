#include "tools/carectl/scheduling_parsing.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/time/time.h"
#include "tools/carectl/parsing_common.h"
#include "tools/carectl/roster_parsing.h"

namespace homecare::carectl {
namespace {

namespace sv1 = scheduling::v1;

constexpr absl::string_view kDaysExpected =
    "mon, tue, wed, thu, fri, sat, sun, daily, weekdays or weekends";
constexpr absl::string_view kPatternExpected =
    "<id> <days> <HH:MM-HH:MM> <length> [carers=1|2] [skills=a,b] [tasks=\"A|B\"] [critical]";
constexpr absl::string_view kOptionsExpected = "carers=1|2, skills=a,b, tasks=\"A|B\" or critical";

const std::map<std::string, sv1::VisitStatus>& VisitStatusNames() {
  static const auto* const kNames =
      new std::map<std::string, sv1::VisitStatus>{{"needs-carer", sv1::VISIT_STATUS_NEEDS_CARER},
                                                  {"scheduled", sv1::VISIT_STATUS_SCHEDULED},
                                                  {"cancelled", sv1::VISIT_STATUS_CANCELLED}};
  return *kNames;
}

// Pattern and task ids become parts of visit ids, so they keep to characters that need no
// quoting anywhere.
bool IsSimpleId(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

// Splits at each `separator` (or blank, for ' ') outside double quotes, keeping the quotes and
// dropping empty pieces.
absl::StatusOr<std::vector<std::string>> SplitOutsideQuotes(absl::string_view text,
                                                            char separator) {
  std::vector<std::string> pieces(1);
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    bool splits = separator == ' ' ? absl::ascii_isspace(c) : c == separator;
    if (splits && !quoted) {
      pieces.emplace_back();
    } else {
      pieces.back().push_back(c);
    }
  }
  if (quoted) return absl::InvalidArgumentError("a '\"' is not closed");
  std::vector<std::string> result;
  for (std::string& piece : pieces) {
    absl::string_view stripped = absl::StripAsciiWhitespace(piece);
    if (!stripped.empty()) result.emplace_back(stripped);
  }
  return result;
}

}  // namespace

absl::StatusOr<sv1::ClientStatus> ParseClientStatus(absl::string_view text) {
  return Lookup<sv1::ClientStatus>("client status", text,
                                   {{"active", sv1::CLIENT_STATUS_ACTIVE},
                                    {"suspended", sv1::CLIENT_STATUS_SUSPENDED},
                                    {"ended", sv1::CLIENT_STATUS_ENDED}});
}

absl::StatusOr<sv1::SuspensionReason> ParseSuspensionReason(absl::string_view text) {
  return Lookup<sv1::SuspensionReason>("suspension reason", text,
                                       {{"hospital", sv1::SUSPENSION_REASON_HOSPITAL},
                                        {"respite", sv1::SUSPENSION_REASON_RESPITE},
                                        {"holiday", sv1::SUSPENSION_REASON_HOLIDAY},
                                        {"other", sv1::SUSPENSION_REASON_OTHER}});
}

absl::StatusOr<sv1::VisitStatus> ParseVisitStatus(absl::string_view text) {
  return Lookup("visit status", text, VisitStatusNames());
}

absl::StatusOr<sv1::CancellationReason> ParseCancellationReason(absl::string_view text) {
  return Lookup<sv1::CancellationReason>(
      "cancellation reason", text,
      {{"client-in-hospital", sv1::CANCELLATION_REASON_CLIENT_IN_HOSPITAL},
       {"cancelled-by-client", sv1::CANCELLATION_REASON_CANCELLED_BY_CLIENT},
       {"cancelled-by-family", sv1::CANCELLATION_REASON_CANCELLED_BY_FAMILY},
       {"cancelled-by-provider", sv1::CANCELLATION_REASON_CANCELLED_BY_PROVIDER},
       {"client-died", sv1::CANCELLATION_REASON_CLIENT_DIED},
       {"other", sv1::CANCELLATION_REASON_OTHER}});
}

std::string VisitStatusName(sv1::VisitStatus status) {
  return NameOf(status, VisitStatusNames(), "unspecified");
}

absl::StatusOr<int> ParseDurationMinutes(absl::string_view what, absl::string_view text) {
  absl::Duration duration;
  if (!absl::ParseDuration(std::string(absl::StripAsciiWhitespace(text)), &duration) ||
      duration <= absl::ZeroDuration() || duration > absl::Hours(24) ||
      duration % absl::Minutes(1) != absl::ZeroDuration()) {
    return BadValue(what, text, "whole minutes up to 24h, like 45m, 1h15m or 2h");
  }
  return static_cast<int>(absl::ToInt64Minutes(duration));
}

absl::StatusOr<int> ParseCarersRequired(absl::string_view text) {
  absl::string_view stripped = absl::StripAsciiWhitespace(text);
  if (stripped == "1") return 1;
  if (stripped == "2") return 2;
  return BadValue("carers", text, "1, or 2 for a double-up");
}

absl::StatusOr<std::vector<sv1::Contact>> ParseContacts(absl::string_view text) {
  std::vector<sv1::Contact> contacts;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    std::vector<absl::string_view> fields = absl::StrSplit(item, '|');
    for (absl::string_view& field : fields) field = absl::StripAsciiWhitespace(field);
    if ((fields.size() != 3 && fields.size() != 4) || fields[0].empty() ||
        (fields.size() == 4 && absl::AsciiStrToLower(fields[3]) != "unpaid")) {
      return BadValue("contact", item, "name|relationship|phone, then |unpaid for an unpaid carer");
    }
    sv1::Contact& contact = contacts.emplace_back();
    contact.set_name(std::string(fields[0]));
    contact.set_relationship(std::string(fields[1]));
    contact.set_phone(std::string(fields[2]));
    contact.set_is_unpaid_carer(fields.size() == 4);
  }
  return contacts;
}

std::vector<sv1::Outcome> ParseOutcomes(absl::string_view text) {
  std::vector<sv1::Outcome> outcomes;
  for (absl::string_view item : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    sv1::Outcome& outcome = outcomes.emplace_back();
    outcome.set_outcome_id(absl::StrCat("o", outcomes.size()));
    outcome.set_description(std::string(absl::StripAsciiWhitespace(item)));
  }
  return outcomes;
}

absl::StatusOr<std::vector<sv1::Task>> ParseTasks(absl::string_view text) {
  std::vector<sv1::Task> tasks;
  std::set<std::string> ids;
  for (absl::string_view item : absl::StrSplit(text, '|', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    sv1::Task& task = tasks.emplace_back();
    if (absl::StrContains(item, ':') && IsSimpleId(parts.first)) {
      task.set_task_id(std::string(parts.first));
      task.set_description(std::string(absl::StripAsciiWhitespace(parts.second)));
    } else {
      task.set_task_id(absl::StrCat("t", tasks.size()));
      task.set_description(std::string(item));
    }
    if (task.description().empty()) return BadValue("task", item, "a description after the id");
    if (!ids.insert(task.task_id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("task id \"", task.task_id(), "\" is given twice"));
    }
  }
  return tasks;
}

absl::StatusOr<std::vector<common::v1::DayOfWeek>> ParseDays(absl::string_view text) {
  std::set<common::v1::DayOfWeek> days;
  auto add_range = [&](int first, int last) {
    for (int day = first; day <= last; ++day) days.insert(static_cast<common::v1::DayOfWeek>(day));
  };
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(item));
    if (name == "daily") {
      add_range(common::v1::DAY_OF_WEEK_MONDAY, common::v1::DAY_OF_WEEK_SUNDAY);
    } else if (name == "weekdays") {
      add_range(common::v1::DAY_OF_WEEK_MONDAY, common::v1::DAY_OF_WEEK_FRIDAY);
    } else if (name == "weekends") {
      add_range(common::v1::DAY_OF_WEEK_SATURDAY, common::v1::DAY_OF_WEEK_SUNDAY);
    } else if (absl::StatusOr<common::v1::DayOfWeek> day = ParseDayOfWeek(name); day.ok()) {
      days.insert(*day);
    } else {
      return BadValue("day", item, kDaysExpected);
    }
  }
  if (days.empty()) return BadValue("days", text, kDaysExpected);
  return std::vector<common::v1::DayOfWeek>(days.begin(), days.end());
}

absl::StatusOr<sv1::VisitPattern> ParsePattern(absl::string_view text) {
  // Every error quotes the whole pattern: a plan has several and the message must say which.
  auto fail = [text](absl::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat("pattern \"", absl::StripAsciiWhitespace(text), "\": ", message));
  };
  absl::StatusOr<std::vector<std::string>> tokens = SplitOutsideQuotes(text, ' ');
  if (!tokens.ok()) return fail(tokens.status().message());
  if (tokens->empty()) return fail(absl::StrCat("expected ", kPatternExpected));
  const std::string& id = (*tokens)[0];
  if (ParseDays(id).ok()) {
    return fail("starts with its days; put the pattern's id (e.g. morning) first");
  }
  if (!IsSimpleId(id)) {
    return fail(absl::StrCat("id \"", id, "\" is not valid; expected letters, digits, - and _"));
  }
  if (tokens->size() < 4) return fail(absl::StrCat("expected ", kPatternExpected));

  sv1::VisitPattern pattern;
  pattern.set_pattern_id(id);
  absl::StatusOr<std::vector<common::v1::DayOfWeek>> days = ParseDays((*tokens)[1]);
  if (!days.ok()) return fail(days.status().message());
  for (common::v1::DayOfWeek day : *days) pattern.add_days(day);
  absl::StatusOr<common::v1::LocalTimeRange> window = ParseTimeRange((*tokens)[2]);
  if (!window.ok()) return fail(window.status().message());
  *pattern.mutable_start_window() = *window;
  absl::StatusOr<int> minutes = ParseDurationMinutes("length", (*tokens)[3]);
  if (!minutes.ok()) return fail(minutes.status().message());
  pattern.set_duration_minutes(*minutes);
  pattern.set_carers_required(1);

  std::set<std::string> seen;
  for (size_t i = 4; i < tokens->size(); ++i) {
    const std::string& option = (*tokens)[i];
    std::pair<std::string, std::string> parts = absl::StrSplit(option, absl::MaxSplits('=', 1));
    auto& [key, value] = parts;
    if (!seen.insert(key).second) return fail(absl::StrCat(key, " is given twice"));
    if (option == "critical") {
      pattern.set_time_critical(true);
      continue;
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "carers") {
      absl::StatusOr<int> carers = ParseCarersRequired(value);
      if (!carers.ok()) return fail(carers.status().message());
      pattern.set_carers_required(*carers);
    } else if (key == "skills" && !value.empty()) {
      for (absl::string_view skill : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
        pattern.add_required_skills(std::string(absl::StripAsciiWhitespace(skill)));
      }
    } else if (key == "tasks" && !value.empty()) {
      absl::StatusOr<std::vector<sv1::Task>> tasks = ParseTasks(value);
      if (!tasks.ok()) return fail(tasks.status().message());
      for (sv1::Task& task : *tasks) *pattern.add_tasks() = std::move(task);
    } else {
      return fail(
          absl::StrCat("option \"", option, "\" is not valid; expected ", kOptionsExpected));
    }
  }
  return pattern;
}

absl::StatusOr<std::vector<sv1::VisitPattern>> ParsePatterns(absl::string_view text) {
  absl::StatusOr<std::vector<std::string>> items = SplitOutsideQuotes(text, ';');
  if (!items.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("patterns: ", items.status().message()));
  }
  std::vector<sv1::VisitPattern> patterns;
  std::set<std::string> ids;
  for (const std::string& item : *items) {
    absl::StatusOr<sv1::VisitPattern> pattern = ParsePattern(item);
    if (!pattern.ok()) return pattern.status();
    if (!ids.insert(pattern->pattern_id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("pattern id \"", pattern->pattern_id(), "\" is given twice"));
    }
    patterns.push_back(*std::move(pattern));
  }
  return patterns;
}

std::pair<absl::Time, absl::Time> LocalDayBounds(absl::CivilDay day, absl::TimeZone zone) {
  return {LocalToInstant(day, zone), LocalToInstant(day + 1, zone)};
}

}  // namespace homecare::carectl
