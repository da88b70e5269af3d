#include "common/time/time.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace homecare {

absl::StatusOr<absl::TimeZone> LoadTimeZone(absl::string_view name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time zone \"", name,
        "\" did not load (not an IANA name, or the tz database is missing: install tzdata)"));
  }
  return zone;
}

absl::Time LocalToInstant(absl::CivilSecond local, absl::TimeZone zone) {
  // For a skipped time `pre` applies the offset in force before the change, which lands after
  // the transition; for a repeated time it is the earlier of the two instants.
  return zone.At(local).pre;
}

absl::CivilDay LocalDay(absl::Time instant, absl::TimeZone zone) {
  return absl::ToCivilDay(instant, zone);
}

absl::StatusOr<absl::CivilDay> DateFromProto(const common::v1::Date& date,
                                             absl::string_view field) {
  if (date.year() < kFirstYear || date.year() > kLastYear) {
    return InvalidArgumentError(
        absl::StrCat(field, ".year"),
        absl::StrCat("must be between ", kFirstYear, " and ", kLastYear,
                     " (the times of a visit on the date must fit in a timestamp)"));
  }
  absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalises out-of-range fields (31 April becomes 1 May); a mismatch means the date
  // does not exist.
  if (date.month() < 1 || date.month() > 12 || day.month() != date.month() ||
      day.day() != date.day()) {
    return InvalidArgumentError(field, absl::StrCat("is not a calendar date: ", date.year(), "-",
                                                    date.month(), "-", date.day()));
  }
  return day;
}

common::v1::Date DateToProto(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

common::v1::DayOfWeek DayOfWeekOf(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return common::v1::DAY_OF_WEEK_MONDAY;
    case absl::Weekday::tuesday:
      return common::v1::DAY_OF_WEEK_TUESDAY;
    case absl::Weekday::wednesday:
      return common::v1::DAY_OF_WEEK_WEDNESDAY;
    case absl::Weekday::thursday:
      return common::v1::DAY_OF_WEEK_THURSDAY;
    case absl::Weekday::friday:
      return common::v1::DAY_OF_WEEK_FRIDAY;
    case absl::Weekday::saturday:
      return common::v1::DAY_OF_WEEK_SATURDAY;
    case absl::Weekday::sunday:
      return common::v1::DAY_OF_WEEK_SUNDAY;
  }
  return common::v1::DAY_OF_WEEK_UNSPECIFIED;
}

absl::StatusOr<int> MinutesFromTimeOfDay(const common::v1::TimeOfDay& time,
                                         absl::string_view field) {
  if (time.hours() < 0 || time.hours() > 24 || time.minutes() < 0 || time.minutes() > 59 ||
      (time.hours() == 24 && time.minutes() != 0)) {
    return InvalidArgumentError(field, "must be a time from 00:00 to 24:00");
  }
  return time.hours() * 60 + time.minutes();
}

common::v1::TimeOfDay TimeOfDayFromMinutes(int minutes) {
  common::v1::TimeOfDay time;
  time.set_hours(minutes / 60);
  time.set_minutes(minutes % 60);
  return time;
}

absl::Time LocalRange::StartOn(absl::CivilDay day, absl::TimeZone zone) const {
  return LocalToInstant(absl::CivilSecond(day) + start * 60, zone);
}

absl::Time LocalRange::EndOn(absl::CivilDay day, absl::TimeZone zone) const {
  absl::CivilSecond local_start = absl::CivilSecond(day) + start * 60;
  if (zone.At(local_start).kind == absl::TimeZone::TimeInfo::SKIPPED) {
    // Read wholly in the offset before the change, as the start was: 01:30-02:30 on the night
    // the clocks go forward is 02:30-03:30 BST, not the empty 02:30-02:30.
    return StartOn(day, zone) + absl::Minutes(length());
  }
  const absl::CivilDay end_day = end <= start ? day + 1 : day;
  return LocalToInstant(absl::CivilSecond(end_day) + end * 60, zone);
}

absl::StatusOr<LocalRange> LocalRangeFromProto(const common::v1::LocalTimeRange& range,
                                               absl::string_view field) {
  const std::string prefix(field);
  absl::StatusOr<int> start = MinutesFromTimeOfDay(range.start(), prefix + ".start");
  absl::StatusOr<int> end = MinutesFromTimeOfDay(range.end(), prefix + ".end");
  FieldViolations violations;
  violations.AddFrom(start.status());
  violations.AddFrom(end.status());
  if (!violations.empty()) return violations.ToStatus();
  if (*start == 24 * 60) {
    return InvalidArgumentError(prefix + ".start", "24:00 is only an end (until midnight)");
  }
  if (*start == *end) {
    return InvalidArgumentError(field, "start and end are equal: the range is empty");
  }
  return LocalRange{*start, *end};
}

absl::StatusOr<absl::Time> TimeFromProto(const google::protobuf::Timestamp& timestamp,
                                         absl::string_view field) {
  // The range of google.protobuf.Timestamp: 0001-01-01 to 9999-12-31.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  if (timestamp.seconds() < kMinSeconds || timestamp.seconds() > kMaxSeconds ||
      timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return InvalidArgumentError(field, "is not a valid timestamp");
  }
  return StoredTime(timestamp);
}

absl::Time StoredTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp TimeToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return timestamp;
}

}  // namespace homecare
