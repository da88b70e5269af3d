#include "tools/carectl/roster_parsing.h"

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/time/time.h"
#include "tools/carectl/parsing_common.h"

namespace homecare::carectl {
namespace {

absl::StatusOr<int> ParseMinutesOfDay(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(text, ':');
  int hours = 0;
  int minutes = 0;
  if (!absl::SimpleAtoi(parts.first, &hours) || !absl::SimpleAtoi(parts.second, &minutes) ||
      hours < 0 || hours > 24 || minutes < 0 || minutes > 59 || (hours == 24 && minutes != 0)) {
    return BadValue("time", text, "HH:MM");
  }
  return hours * 60 + minutes;
}

// "YYYY-MM-DD HH:MM-HH:MM".
absl::StatusOr<std::pair<absl::CivilDay, common::v1::LocalTimeRange>> ParseDatedRange(
    absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(text), absl::MaxSplits(' ', 1));
  absl::StatusOr<absl::CivilDay> day = ParseDay(parts.first);
  if (!day.ok()) return day.status();
  absl::StatusOr<common::v1::LocalTimeRange> range = ParseTimeRange(parts.second);
  if (!range.ok()) return range.status();
  return std::make_pair(*day, *range);
}

}  // namespace

absl::StatusOr<common::v1::Gender> ParseGender(absl::string_view text) {
  return Lookup<common::v1::Gender>("gender", text,
                                    {{"female", common::v1::GENDER_FEMALE},
                                     {"male", common::v1::GENDER_MALE},
                                     {"non-binary", common::v1::GENDER_NON_BINARY},
                                     {"undisclosed", common::v1::GENDER_UNDISCLOSED}});
}

absl::StatusOr<roster::v1::TravelMode> ParseTravelMode(absl::string_view text) {
  return Lookup<roster::v1::TravelMode>(
      "travel mode", text,
      {{"drives", roster::v1::TRAVEL_MODE_DRIVES},
       {"walks", roster::v1::TRAVEL_MODE_WALKS},
       {"public-transport", roster::v1::TRAVEL_MODE_PUBLIC_TRANSPORT},
       {"cycles", roster::v1::TRAVEL_MODE_CYCLES}});
}

absl::StatusOr<roster::v1::AbsenceKind> ParseAbsenceKind(absl::string_view text) {
  return Lookup<roster::v1::AbsenceKind>("absence kind", text,
                                         {{"sickness", roster::v1::ABSENCE_KIND_SICKNESS},
                                          {"annual-leave", roster::v1::ABSENCE_KIND_ANNUAL_LEAVE},
                                          {"training", roster::v1::ABSENCE_KIND_TRAINING},
                                          {"other", roster::v1::ABSENCE_KIND_OTHER}});
}

absl::StatusOr<common::v1::GeoPoint> ParseGeoPoint(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  double latitude = 0;
  double longitude = 0;
  if (parts.size() != 2 || !absl::SimpleAtod(parts[0], &latitude) ||
      !absl::SimpleAtod(parts[1], &longitude)) {
    return BadValue("location", text, "latitude,longitude in degrees");
  }
  common::v1::GeoPoint point;
  point.set_latitude(latitude);
  point.set_longitude(longitude);
  return point;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(absl::StripAsciiWhitespace(text), &day)) {
    return BadValue("date", text, "YYYY-MM-DD");
  }
  return day;
}

absl::StatusOr<std::vector<roster::v1::CarerSkill>> ParseSkills(absl::string_view text) {
  std::vector<roster::v1::CarerSkill> skills;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(absl::StripAsciiWhitespace(item), absl::MaxSplits(':', 1));
    roster::v1::CarerSkill& skill = skills.emplace_back();
    skill.set_skill(std::string(parts.first));
    if (!parts.second.empty()) {
      absl::StatusOr<absl::CivilDay> expires = ParseDay(parts.second);
      if (!expires.ok()) return expires.status();
      *skill.mutable_expires_on() = DateToProto(*expires);
    }
  }
  return skills;
}

absl::StatusOr<common::v1::LocalTimeRange> ParseTimeRange(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(absl::StripAsciiWhitespace(text), '-');
  if (parts.size() != 2) return BadValue("time range", text, "HH:MM-HH:MM");
  absl::StatusOr<int> start = ParseMinutesOfDay(parts[0]);
  if (!start.ok()) return start.status();
  absl::StatusOr<int> end = ParseMinutesOfDay(parts[1]);
  if (!end.ok()) return end.status();
  common::v1::LocalTimeRange range;
  *range.mutable_start() = TimeOfDayFromMinutes(*start);
  *range.mutable_end() = TimeOfDayFromMinutes(*end);
  return range;
}

absl::StatusOr<common::v1::DayOfWeek> ParseDayOfWeek(absl::string_view text) {
  static const auto* const kDays = new std::map<std::string, common::v1::DayOfWeek>{
      {"mon", common::v1::DAY_OF_WEEK_MONDAY},    {"tue", common::v1::DAY_OF_WEEK_TUESDAY},
      {"wed", common::v1::DAY_OF_WEEK_WEDNESDAY}, {"thu", common::v1::DAY_OF_WEEK_THURSDAY},
      {"fri", common::v1::DAY_OF_WEEK_FRIDAY},    {"sat", common::v1::DAY_OF_WEEK_SATURDAY},
      {"sun", common::v1::DAY_OF_WEEK_SUNDAY}};
  return Lookup("day", text, *kDays);
}

absl::StatusOr<std::vector<roster::v1::WeeklyBlock>> ParseWeekly(absl::string_view text) {
  std::vector<roster::v1::WeeklyBlock> blocks;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(absl::StripAsciiWhitespace(item), absl::MaxSplits(' ', 1));
    absl::StatusOr<common::v1::DayOfWeek> day = ParseDayOfWeek(parts.first);
    if (!day.ok()) return day.status();
    absl::StatusOr<common::v1::LocalTimeRange> range = ParseTimeRange(parts.second);
    if (!range.ok()) return range.status();
    roster::v1::WeeklyBlock& block = blocks.emplace_back();
    block.set_day(*day);
    *block.mutable_time() = *range;
  }
  return blocks;
}

absl::StatusOr<std::vector<roster::v1::AvailabilityException>> ParseExceptions(
    absl::string_view off, absl::string_view extra, absl::string_view remove) {
  std::map<absl::CivilDay, roster::v1::AvailabilityException> by_day;
  auto exception_of = [&](absl::CivilDay day) -> roster::v1::AvailabilityException& {
    roster::v1::AvailabilityException& exception = by_day[day];
    *exception.mutable_date() = DateToProto(day);
    return exception;
  };
  for (absl::string_view item : absl::StrSplit(off, ',', absl::SkipWhitespace())) {
    absl::StatusOr<absl::CivilDay> day = ParseDay(item);
    if (!day.ok()) return day.status();
    exception_of(*day).set_unavailable_all_day(true);
  }
  for (auto [list, add] : {std::pair{extra, true}, std::pair{remove, false}}) {
    for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
      auto dated = ParseDatedRange(item);
      if (!dated.ok()) return dated.status();
      roster::v1::AvailabilityException& exception = exception_of(dated->first);
      *(add ? exception.add_add() : exception.add_remove()) = dated->second;
    }
  }
  std::vector<roster::v1::AvailabilityException> exceptions;
  for (auto& [day, exception] : by_day) exceptions.push_back(std::move(exception));
  return exceptions;
}

absl::StatusOr<absl::Time> ParseInstant(absl::string_view text, absl::TimeZone zone) {
  std::string input(absl::StripAsciiWhitespace(text));
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, input, &time, &error)) return time;
  std::replace(input.begin(), input.end(), ' ', 'T');
  absl::CivilMinute local;
  if (absl::ParseCivilTime(input, &local)) return LocalToInstant(local, zone);
  return BadValue("time", text, "YYYY-MM-DDTHH:MM (tenant's local time) or RFC 3339");
}

}  // namespace homecare::carectl
