// Tenant time zones and civil time. Tenants keep civil dates and local times ("08:00 on Monday");
// this turns them into instants correctly across the clock changes, and back.
#ifndef HOMECARE_COMMON_TIME_TIME_H_
#define HOMECARE_COMMON_TIME_TIME_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "homecare/common/v1/types.pb.h"

namespace homecare {

// The default for a tenant that names none.
inline constexpr absl::string_view kDefaultTimeZone = "Europe/London";

// Loads an IANA zone from the system's tz database. A zone that does not load is an error,
// never a silent UTC: visits at the wrong hour are worse than a refusal to start.
absl::StatusOr<absl::TimeZone> LoadTimeZone(absl::string_view name);

// The instant a local civil time happens in `zone`. A time skipped by a clock change (01:30 on
// the last Sunday of March in London) moves forward by the gap (to 02:30 BST); a time that
// happens twice (01:30 on the last Sunday of October) is its first occurrence (BST).
absl::Time LocalToInstant(absl::CivilSecond local, absl::TimeZone zone);

// The local date of an instant in `zone`.
absl::CivilDay LocalDay(absl::Time instant, absl::TimeZone zone);

// The years a civil date of the API may fall in. The last is 9998, not 9999, so that every
// instant a date leads to (a visit window running past midnight into the next day, in any zone
// up to 14 hours from UTC) fits in a google.protobuf.Timestamp, whose range ends at
// 9999-12-31T23:59:59Z; a date of 9999 would make a visit that cannot be stored or updated.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 9998;

// Conversions with the API's messages. The *FromProto functions validate: INVALID_ARGUMENT
// names `field`.
absl::StatusOr<absl::CivilDay> DateFromProto(const common::v1::Date& date, absl::string_view field);
common::v1::Date DateToProto(absl::CivilDay day);
// The API's day of the week of a civil date.
common::v1::DayOfWeek DayOfWeekOf(absl::CivilDay day);
// Minutes after midnight, 0 to 1440 (24:00 is allowed as the end of a range).
absl::StatusOr<int> MinutesFromTimeOfDay(const common::v1::TimeOfDay& time,
                                         absl::string_view field);
common::v1::TimeOfDay TimeOfDayFromMinutes(int minutes);
// A range of local time as minutes after midnight; an end at or before the start runs into the
// next day (a night shift 22:00-07:00, a visit window 23:30-00:30).
struct LocalRange {
  int start = 0;  // 0 to 1439
  int end = 0;    // 0 to 1440

  // Minutes the range lasts, 1 to 1440.
  int length() const { return end > start ? end - start : end + 24 * 60 - start; }
  // The instants the range starts and ends on local `day` in `zone`: 08:00 stays 08:00 local on
  // both sides of a clock change. On the nights the clocks change, each end is read as
  // LocalToInstant reads a local time (a skipped time in the offset before the change, a
  // repeated time as its first occurrence), except that a range whose start is skipped is read
  // wholly in the offset before the change, so that it keeps its length instead of shrinking to
  // nothing: in London 01:30-02:30 on the last Sunday of March is 02:30-03:30 BST (60 minutes);
  // 00:30-01:30 that night is 00:30 GMT to 02:30 BST (60 minutes); 01:30-02:30 on the last
  // Sunday of October runs from 01:30 BST to 02:30 GMT (120 minutes: every moment whose clock
  // reads within it). A range that spans the change without starting in it follows the clock: a
  // night 22:00-07:00 is an hour shorter in March and an hour longer in October.
  absl::Time StartOn(absl::CivilDay day, absl::TimeZone zone) const;
  absl::Time EndOn(absl::CivilDay day, absl::TimeZone zone) const;
};
// INVALID_ARGUMENT naming `field`.start / `field`.end (24:00 only as an end), or `field` for an
// empty range (start equal to end).
absl::StatusOr<LocalRange> LocalRangeFromProto(const common::v1::LocalTimeRange& range,
                                               absl::string_view field);

absl::StatusOr<absl::Time> TimeFromProto(const google::protobuf::Timestamp& timestamp,
                                         absl::string_view field);
google::protobuf::Timestamp TimeToProto(absl::Time time);
// A timestamp that was validated when it was stored or built (a record's, a view's): read
// without checking again.
absl::Time StoredTime(const google::protobuf::Timestamp& timestamp);

// The source of "now", injected so that timing rules are tested without sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}
  absl::Time Now() const override { return now_; }
  void Set(absl::Time now) { now_ = now; }
  void Advance(absl::Duration by) { now_ += by; }

 private:
  absl::Time now_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_TIME_TIME_H_
