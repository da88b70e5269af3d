#include "tools/carectl/error_text.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/config/flags.h"
#include "common/status/errors.h"

namespace homecare::carectl {
namespace {

// Fields whose flag has another name, with the flags to try in order: a command has only one
// of them ("end_time" is --to on `absence list` and --at on `absence end`).
const std::map<std::string, std::vector<std::string>>& Aliases() {
  static const auto* const kAliases = new std::map<std::string, std::vector<std::string>>{
      {"display_name", {"name"}},
      {"hourly_rate_pence", {"rate"}},
      {"contracted_minutes_per_week", {"contracted"}},
      {"max_minutes_per_day", {"max-day"}},
      {"travel_mode", {"travel"}},
      {"preferred_carer_gender", {"gender"}},
      {"carer_gender_required", {"gender-required"}},
      {"preferred_carer_ids", {"preferred"}},
      {"excluded_carer_ids", {"excluded"}},
      {"address_line", {"address"}},
      {"weekly_budget_minutes", {"budget"}},
      {"effective_date", {"effective"}},
      {"review_date", {"review"}},
      {"duration_minutes", {"duration", "for"}},
      {"carers_required", {"carers"}},
      {"required_skills", {"skills"}},
      {"time_critical", {"critical"}},
      {"start_date", {"from", "date"}},
      {"end_date", {"to", "date"}},
      {"carer_ids", {"carers"}},
      {"road_distance_factor", {"road-factor"}},
      {"driving_speed_kmh", {"driving-kmh"}},
      {"walking_speed_kmh", {"walking-kmh"}},
      {"cycling_speed_kmh", {"cycling-kmh"}},
      {"public_transport_speed_kmh", {"public-transport-kmh"}},
      {"start_time", {"from"}},
      {"end_time", {"to", "at"}},
      {"window_start", {"window-start", "at"}},
      {"window_end", {"window-end", "for"}},
      {"request_time", {"requested-at"}},
      {"requested_by", {"requested-by"}},
      {"carer_id", {"carer", "id"}},
      {"client_id", {"client", "id"}},
      {"care_plan_id", {"plan", "id"}},
      {"visit_id", {"id"}},
      {"absence_id", {"id"}},
      {"tag_id", {"id"}},
      {"alert_id", {"id"}},
      {"tenant_id", {"id"}},
      {"minimum_hourly_pay_pence", {"minimum-hourly-pay-pence"}},
      {"sub_contractors", {"sub-contractors"}},
      {"suspensions", {"from"}},
      {"expected_latest_version", {"expected-latest-version"}},
      {"geofence_meters", {"geofence"}},
      {"max_clock_skew", {"max-clock-skew"}},
      {"tag_payload", {"tag"}},
      {"caller_number", {"caller"}},
      {"accuracy_meters", {"accuracy"}},
      {"device_time", {"at"}},
      {"sent_time", {"now"}},
      {"task_outcomes", {"tasks"}},
      {"visit_outcome", {"outcome"}},
      {"check_in_time", {"check-in"}},
      {"check_out_time", {"check-out"}},
  };
  return *kAliases;
}

// The flag that sets the field part `name` ("locality_id"), or empty.
std::string FlagForPart(absl::string_view name, const std::vector<std::string>& flags) {
  std::vector<std::string> candidates;
  if (auto alias = Aliases().find(std::string(name)); alias != Aliases().end()) {
    candidates = alias->second;
  }
  candidates.push_back(absl::StrReplaceAll(name, {{"_", "-"}}));
  absl::string_view stem = name;
  if (absl::ConsumeSuffix(&stem, "_id"))
    candidates.push_back(absl::StrReplaceAll(stem, {{"_", "-"}}));
  for (const std::string& candidate : candidates) {
    if (std::find(flags.begin(), flags.end(), candidate) != flags.end()) return candidate;
  }
  return "";
}

// Field names inside a rule ("must be after start_time") as the flags that set them.
std::string FlagsInText(absl::string_view text, const std::vector<std::string>& flags) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size() && (absl::ascii_islower(text[end]) || text[end] == '_')) ++end;
    if (end == i) {
      out.push_back(text[i++]);
      continue;
    }
    absl::string_view word = text.substr(i, end - i);
    // Plain words have no '_'; a path ("availability.weekly[1]") is left whole.
    bool in_path = (i > 0 && text[i - 1] == '.') || (end < text.size() && text[end] == '[');
    std::string flag = absl::StrContains(word, '_') && !in_path ? FlagForPart(word, flags) : "";
    absl::StrAppend(&out, flag.empty() ? word : absl::StrCat("--", flag));
    i = end;
  }
  return out;
}

// A hint for codes whose message does not say what to do.
std::string HintFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnauthenticated:
      return "check --token or HOMECARE_TOKEN; `carectl token` mints development tokens";
    case absl::StatusCode::kPermissionDenied:
      return "the token's role may not do this";
    case absl::StatusCode::kUnavailable:
      return "is the service running at that address (see --roster, --scheduling)?";
    case absl::StatusCode::kDeadlineExceeded:
      return "no answer within --timeout";
    case absl::StatusCode::kAborted:
      return "it changed since it was read: read it again, or leave out --expected-version";
    default:
      return "";
  }
}

}  // namespace

std::string FlagForField(absl::string_view field, const std::vector<std::string>& flags) {
  std::vector<absl::string_view> parts = absl::StrSplit(field, '.');
  // `parts[i]` as the flag that sets it, with the item and the rest of the path; or empty.
  auto flag_of = [&](size_t i) -> std::string {
    absl::string_view name = parts[i];
    std::string item;
    if (size_t bracket = name.find('['); bracket != absl::string_view::npos) {
      int index = 0;
      if (absl::SimpleAtoi(absl::StripSuffix(name.substr(bracket + 1), "]"), &index)) {
        item = absl::StrCat(" item ", index + 1);
      }
      name = name.substr(0, bracket);
    }
    std::string flag = FlagForPart(name, flags);
    if (flag.empty()) return "";
    std::string rest = absl::StrJoin(parts.begin() + i + 1, parts.end(), ".");
    return absl::StrCat("--", flag, item, rest.empty() ? "" : absl::StrCat(" (", rest, ")"));
  };
  // A list's flag sets every field of its items: "task_outcomes[3].note" is --tasks even when
  // the command has a --note of its own.
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!absl::StrContains(parts[i], '[')) continue;
    if (std::string flag = flag_of(i); !flag.empty()) return flag;
  }
  for (size_t i = parts.size(); i-- > 0;) {
    if (std::string flag = flag_of(i); !flag.empty()) return flag;
  }
  return "";
}

std::string FormatError(const absl::Status& status, const std::vector<std::string>& flags) {
  if (status.ok()) return "";
  std::vector<std::string> lines;
  for (const auto& violation : FieldViolationsOf(status)) {
    std::string flag = FlagForField(violation.field(), flags);
    lines.push_back(absl::StrCat(flag.empty() ? violation.field() : flag, ": ",
                                 FlagsInText(violation.description(), flags)));
  }
  auto preconditions = PreconditionViolationsOf(status);
  std::string heading;
  if (!preconditions.empty()) {
    // The message is "<summary>: <each violation>"; the violations follow one a line instead.
    size_t cut = status.message().find(absl::StrCat(": ", preconditions.front().type()));
    heading =
        std::string(cut == absl::string_view::npos ? "refused" : status.message().substr(0, cut));
    for (const auto& violation : preconditions) {
      lines.push_back(
          absl::StrCat(FlagsInText(violation.description(), flags), " (", violation.type(),
                       violation.subject().empty() ? "" : ", " + violation.subject(), ")"));
    }
  }
  std::string text;
  if (lines.empty()) {
    text = absl::StrCat("error: ", FlagsInText(status.message(), flags));
  } else if (lines.size() == 1 && heading.empty()) {
    text = absl::StrCat("error: ", lines.front());
  } else {
    if (heading.empty()) heading = absl::StrCat(lines.size(), " problems with the request");
    text = absl::StrCat("error: ", heading, ":\n  ", absl::StrJoin(lines, "\n  "));
  }
  if (std::string hint = HintFor(status.code()); !hint.empty()) {
    absl::StrAppend(&text, "\n(", hint, ")");
  }
  return text;
}

std::string UnknownCommandMessage(const std::vector<std::string>& args,
                                  const std::vector<std::vector<std::string>>& commands) {
  // How many of the arguments are command words: up to two, stopping at the first flag.
  size_t typed_words = 0;
  while (typed_words < 2 && typed_words < args.size() &&
         !absl::StartsWith(args[typed_words], "-")) {
    ++typed_words;
  }
  if (typed_words == 0) return "no command given; see `carectl help`";
  for (size_t words = typed_words; words >= 1; --words) {
    std::string typed = absl::StrJoin(args.begin(), args.begin() + words, " ");
    std::vector<std::string> phrases;
    for (const auto& command : commands) {
      if (command.size() == words) phrases.push_back(absl::StrJoin(command, " "));
    }
    std::string nearest = NearestName(typed, phrases);
    // Over two words the shared ones would excuse a second word that is nothing like any.
    std::vector<std::string> typed_parts = absl::StrSplit(typed, ' ');
    std::vector<std::string> nearest_parts = absl::StrSplit(nearest, ' ');
    for (size_t i = 0; i < typed_parts.size() && !nearest.empty(); ++i) {
      if (NearestName(typed_parts[i], {nearest_parts[i]}).empty()) nearest.clear();
    }
    if (!nearest.empty()) {
      return absl::StrCat("unknown command \"", typed, "\"; did you mean \"", nearest, "\"?");
    }
  }
  // A known first word ("visit") with a subcommand missing or far from any.
  std::vector<std::string> subcommands;
  for (const auto& command : commands) {
    if (command.size() == 2 && command[0] == args[0]) subcommands.push_back(command[1]);
  }
  std::string typed = absl::StrJoin(args.begin(), args.begin() + typed_words, " ");
  if (!subcommands.empty()) {
    return absl::StrCat(typed_words == 1 ? "" : absl::StrCat("unknown command \"", typed, "\"; "),
                        "\"", args[0], "\" takes ", absl::StrJoin(subcommands, ", "));
  }
  return absl::StrCat("unknown command \"", typed, "\"; see `carectl help`");
}

}  // namespace homecare::carectl
