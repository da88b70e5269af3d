#include "services/roster/availability_rules.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"

namespace homecare::roster {
namespace {

constexpr size_t kMaxNoteLength = 2000;

// Validates a range; nullopt (with violations added) when it is not one.
std::optional<LocalRange> CheckRange(FieldViolations& violations,
                                     const common::v1::LocalTimeRange& range,
                                     const std::string& field) {
  absl::StatusOr<LocalRange> valid = LocalRangeFromProto(range, field);
  if (!valid.ok()) {
    violations.AddFrom(valid.status());
    return std::nullopt;
  }
  return *valid;
}

// Minutes after the start of the week (Monday 00:00) that a weekly block covers, as up to two
// spans within [0, 2 weeks): a block running past midnight on Sunday reaches into Monday.
std::pair<int, int> WeekSpan(common::v1::DayOfWeek day, LocalRange range) {
  const int day_start = (static_cast<int>(day) - 1) * 24 * 60;
  const int start = day_start + range.start;
  const int end = day_start + (range.end <= range.start ? range.end + 24 * 60 : range.end);
  return {start, end};
}

bool Overlap(std::pair<int, int> a, std::pair<int, int> b) {
  return a.first < b.second && b.first < a.second;
}

// The instants of a local range on `day` in `zone`.
Interval ToInterval(absl::CivilDay day, LocalRange range, absl::TimeZone zone) {
  return Interval{range.StartOn(day, zone), range.EndOn(day, zone)};
}

// A stored range (availability is validated before it is stored; anything invalid that slips
// through is skipped rather than guessed at). Plain arithmetic, not MinutesFromTimeOfDay: this
// runs for every block of every carer an eligibility query looks at.
std::optional<LocalRange> StoredRange(const common::v1::LocalTimeRange& range) {
  const int start = range.start().hours() * 60 + range.start().minutes();
  const int end = range.end().hours() * 60 + range.end().minutes();
  if (start < 0 || start >= 24 * 60 || end < 0 || end > 24 * 60 || start == end) {
    return std::nullopt;
  }
  return LocalRange{start, end};
}

std::vector<LocalRange> Ranges(
    const google::protobuf::RepeatedPtrField<common::v1::LocalTimeRange>& ranges) {
  std::vector<LocalRange> result;
  for (const auto& range : ranges) {
    if (std::optional<LocalRange> valid = StoredRange(range)) result.push_back(*valid);
  }
  return result;
}

// Removes `cut` from every interval of `intervals`.
std::vector<Interval> Subtract(const std::vector<Interval>& intervals, const Interval& cut) {
  std::vector<Interval> result;
  for (const Interval& interval : intervals) {
    if (cut.end <= interval.start || interval.end <= cut.start) {
      result.push_back(interval);
      continue;
    }
    if (interval.start < cut.start) result.push_back({interval.start, cut.start});
    if (cut.end < interval.end) result.push_back({cut.end, interval.end});
  }
  return result;
}

std::vector<Interval> SortAndMerge(std::vector<Interval> intervals) {
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> merged;
  for (const Interval& interval : intervals) {
    if (interval.end <= interval.start) continue;
    if (!merged.empty() && interval.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, interval.end);
    } else {
      merged.push_back(interval);
    }
  }
  return merged;
}

}  // namespace

absl::Status ValidateAvailability(const v1::Availability& availability) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("availability.carer_id", availability.carer_id()));
  if (availability.weekly_size() > kMaxWeeklyBlocks) {
    violations.Add("availability.weekly", absl::StrCat("at most ", kMaxWeeklyBlocks, " blocks"));
  }
  std::vector<std::pair<std::pair<int, int>, int>> spans;  // span in the week, block index
  for (int i = 0; i < availability.weekly_size(); ++i) {
    const v1::WeeklyBlock& block = availability.weekly(i);
    const std::string field = absl::StrCat("availability.weekly[", i, "]");
    const bool known_day = block.day() != common::v1::DAY_OF_WEEK_UNSPECIFIED &&
                           common::v1::DayOfWeek_IsValid(block.day());
    if (!known_day) violations.Add(field + ".day", "must be a day of the week");
    std::optional<LocalRange> range = CheckRange(violations, block.time(), field + ".time");
    if (!known_day || !range) continue;
    std::pair<int, int> span = WeekSpan(block.day(), *range);
    // A Sunday night block reaching into Monday also meets Monday's blocks of the next week.
    std::pair<int, int> wrapped = {span.first - 7 * 24 * 60, span.second - 7 * 24 * 60};
    for (const auto& [other, j] : spans) {
      std::pair<int, int> other_wrapped = {other.first - 7 * 24 * 60, other.second - 7 * 24 * 60};
      if (Overlap(span, other) || Overlap(wrapped, other) || Overlap(span, other_wrapped)) {
        violations.Add(field, absl::StrCat("overlaps availability.weekly[", j, "]"));
        break;
      }
    }
    spans.push_back({span, i});
  }
  if (availability.exceptions_size() > kMaxAvailabilityExceptions) {
    violations.Add("availability.exceptions",
                   absl::StrCat("at most ", kMaxAvailabilityExceptions, " exceptions"));
  }
  std::map<absl::CivilDay, int> dates;
  for (int i = 0; i < availability.exceptions_size(); ++i) {
    const v1::AvailabilityException& exception = availability.exceptions(i);
    const std::string field = absl::StrCat("availability.exceptions[", i, "]");
    absl::StatusOr<absl::CivilDay> date = DateFromProto(exception.date(), field + ".date");
    violations.AddFrom(date.status());
    if (date.ok()) {
      auto [seen, inserted] = dates.emplace(*date, i);
      if (!inserted) {
        violations.Add(field + ".date",
                       absl::StrCat("duplicates availability.exceptions[", seen->second, "]"));
      }
    }
    for (int k = 0; k < exception.add_size(); ++k) {
      CheckRange(violations, exception.add(k), absl::StrCat(field, ".add[", k, "]"));
    }
    for (int k = 0; k < exception.remove_size(); ++k) {
      CheckRange(violations, exception.remove(k), absl::StrCat(field, ".remove[", k, "]"));
    }
  }
  return violations.ToStatus();
}

std::vector<Interval> AvailableIntervals(const v1::Availability& availability, absl::TimeZone zone,
                                         absl::Time from, absl::Time to) {
  if (to <= from) return {};
  std::map<absl::CivilDay, const v1::AvailabilityException*> exceptions;
  for (const v1::AvailabilityException& exception : availability.exceptions()) {
    absl::StatusOr<absl::CivilDay> date = DateFromProto(exception.date(), "date");
    if (date.ok()) exceptions[*date] = &exception;
  }
  std::vector<Interval> intervals;
  // The day before `from` too: its block may run past midnight into the window.
  const absl::CivilDay last = LocalDay(to, zone);
  for (absl::CivilDay day = LocalDay(from, zone) - 1; day <= last; ++day) {
    auto found = exceptions.find(day);
    const v1::AvailabilityException* exception =
        found == exceptions.end() ? nullptr : found->second;
    std::vector<Interval> of_day;
    if (exception == nullptr || !exception->unavailable_all_day()) {
      const common::v1::DayOfWeek weekday = DayOfWeekOf(day);
      for (const v1::WeeklyBlock& block : availability.weekly()) {
        if (block.day() != weekday) continue;
        if (std::optional<LocalRange> range = StoredRange(block.time())) {
          of_day.push_back(ToInterval(day, *range, zone));
        }
      }
    }
    if (exception != nullptr) {
      for (LocalRange range : Ranges(exception->remove())) {
        of_day = Subtract(of_day, ToInterval(day, range, zone));
      }
      for (LocalRange range : Ranges(exception->add())) {
        of_day.push_back(ToInterval(day, range, zone));
      }
    }
    intervals.insert(intervals.end(), of_day.begin(), of_day.end());
  }
  std::vector<Interval> clipped;
  for (Interval interval : SortAndMerge(std::move(intervals))) {
    interval.start = std::max(interval.start, from);
    interval.end = std::min(interval.end, to);
    if (interval.start < interval.end) clipped.push_back(interval);
  }
  return clipped;
}

bool CoversWindow(const v1::Availability& availability, absl::TimeZone zone, absl::Time start,
                  absl::Time end) {
  if (end <= start) return false;
  std::vector<Interval> intervals = AvailableIntervals(availability, zone, start, end);
  return intervals.size() == 1 && intervals[0].start == start && intervals[0].end == end;
}

absl::Status ValidateNewAbsence(const v1::Absence& absence) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("absence.carer_id", absence.carer_id()));
  if (absence.kind() == v1::ABSENCE_KIND_UNSPECIFIED || !v1::AbsenceKind_IsValid(absence.kind())) {
    violations.Add("absence.kind",
                   "must be ABSENCE_KIND_SICKNESS, _ANNUAL_LEAVE, _TRAINING or _OTHER");
  }
  std::optional<absl::Time> start;
  if (!absence.has_start_time()) {
    violations.Add("absence.start_time", "must be set");
  } else {
    absl::StatusOr<absl::Time> parsed = TimeFromProto(absence.start_time(), "absence.start_time");
    violations.AddFrom(parsed.status());
    if (parsed.ok()) start = *parsed;
  }
  if (absence.has_end_time()) {
    absl::StatusOr<absl::Time> end = TimeFromProto(absence.end_time(), "absence.end_time");
    violations.AddFrom(end.status());
    if (end.ok() && start && *end <= *start) {
      violations.Add("absence.end_time", "must be after start_time (leave it unset if unknown)");
    }
  }
  CheckText(violations, "absence.note", absence.note(),
            {kMaxNoteLength, /*required=*/false, TextLines::kMultiple});
  return violations.ToStatus();
}

bool AbsenceOverlaps(const v1::Absence& absence, absl::Time start, absl::Time end) {
  if (absence.state() != v1::ABSENCE_STATE_ACTIVE) return false;
  absl::StatusOr<absl::Time> from = TimeFromProto(absence.start_time(), "start_time");
  // A record whose start cannot be read might be anyone off sick: better to leave the carer out
  // than to send them.
  if (!from.ok()) return true;
  absl::Time to = absl::InfiniteFuture();
  if (absence.has_end_time()) {
    absl::StatusOr<absl::Time> parsed = TimeFromProto(absence.end_time(), "end_time");
    if (parsed.ok()) to = *parsed;
  }
  return *from < end && start < to;
}

bool HoldsSkill(const v1::Carer& carer, const std::string& skill, absl::CivilDay first_day,
                absl::CivilDay last_day) {
  for (const v1::CarerSkill& held : carer.skills()) {
    if (held.skill() != skill) continue;
    if (!held.has_expires_on()) return true;
    absl::StatusOr<absl::CivilDay> expires = DateFromProto(held.expires_on(), "expires_on");
    // A skill counts on its expiry day; it must hold on every day the visit touches, so the last
    // one decides.
    return expires.ok() && *expires >= std::max(first_day, last_day);
  }
  return false;
}

Ineligibility CheckEligibility(const v1::Carer& carer, const v1::Availability* availability,
                               absl::Span<const v1::Absence> absences,
                               const EligibilityQuery& query) {
  if (!carer.active()) return Ineligibility::kInactive;
  if (!query.locality_id.empty() && carer.locality_id() != query.locality_id) {
    return Ineligibility::kOtherLocality;
  }
  if (query.gender != common::v1::GENDER_UNSPECIFIED && carer.gender() != query.gender) {
    return Ineligibility::kGender;
  }
  const absl::CivilDay first_day = LocalDay(query.window_start, query.zone);
  const absl::CivilDay last_day = LocalDay(query.window_end - absl::Nanoseconds(1), query.zone);
  for (const std::string& skill : query.skills) {
    if (!HoldsSkill(carer, skill, first_day, last_day)) return Ineligibility::kSkill;
  }
  if (availability == nullptr ||
      !CoversWindow(*availability, query.zone, query.window_start, query.window_end)) {
    return Ineligibility::kUnavailable;
  }
  for (const v1::Absence& absence : absences) {
    if (absence.carer_id() == carer.carer_id() &&
        AbsenceOverlaps(absence, query.window_start, query.window_end)) {
      return Ineligibility::kAbsent;
    }
  }
  return Ineligibility::kNone;
}

}  // namespace homecare::roster
