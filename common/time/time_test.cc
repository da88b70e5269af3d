#include "common/time/time.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::HasSubstr;

absl::TimeZone London() {
  auto zone = LoadTimeZone("Europe/London");
  EXPECT_TRUE(zone.ok()) << zone.status();
  return *zone;
}

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

TEST(LoadTimeZoneTest, UnknownZoneIsAnErrorNotUtc) {
  auto zone = LoadTimeZone("Mars/Olympus_Mons");
  EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(zone.status().message(), HasSubstr("Mars/Olympus_Mons"));
  EXPECT_FALSE(LoadTimeZone("").ok());
  EXPECT_TRUE(LoadTimeZone("UTC").ok());
}

// 2026's clock changes in the UK: 29 March (01:00 GMT -> 02:00 BST), 25 October (02:00 BST ->
// 01:00 GMT).
TEST(LocalToInstantTest, EightOClockStaysEightAcrossTheClockChanges) {
  absl::TimeZone london = London();
  EXPECT_EQ(LocalToInstant(absl::CivilSecond(2026, 3, 28, 8, 0, 0), london),
            Utc(2026, 3, 28, 8, 0));  // GMT
  EXPECT_EQ(LocalToInstant(absl::CivilSecond(2026, 3, 29, 8, 0, 0), london),
            Utc(2026, 3, 29, 7, 0));  // BST
  EXPECT_EQ(LocalToInstant(absl::CivilSecond(2026, 10, 24, 8, 0, 0), london),
            Utc(2026, 10, 24, 7, 0));  // BST
  EXPECT_EQ(LocalToInstant(absl::CivilSecond(2026, 10, 25, 8, 0, 0), london),
            Utc(2026, 10, 25, 8, 0));  // GMT
}

TEST(LocalToInstantTest, SkippedTimeMovesForwardRepeatedTimeTakesTheFirst) {
  absl::TimeZone london = London();
  // 01:30 does not exist on 29 March 2026: it becomes 02:30 BST = 01:30 UTC.
  EXPECT_EQ(LocalToInstant(absl::CivilSecond(2026, 3, 29, 1, 30, 0), london),
            Utc(2026, 3, 29, 1, 30));
  // 01:30 happens twice on 25 October 2026: first at 01:30 BST = 00:30 UTC.
  EXPECT_EQ(LocalToInstant(absl::CivilSecond(2026, 10, 25, 1, 30, 0), london),
            Utc(2026, 10, 25, 0, 30));
}

TEST(LocalDayTest, MidnightInSummerIsTheNextLocalDay) {
  absl::TimeZone london = London();
  EXPECT_EQ(LocalDay(Utc(2026, 6, 30, 23, 30), london), absl::CivilDay(2026, 7, 1));
  EXPECT_EQ(LocalDay(Utc(2026, 12, 31, 23, 30), london), absl::CivilDay(2026, 12, 31));
}

TEST(DateFromProtoTest, ValidatesCalendarDates) {
  common::v1::Date date;
  date.set_year(2028);
  date.set_month(2);
  date.set_day(29);
  auto leap = DateFromProto(date, "date");
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(*leap, absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(DateToProto(*leap).day(), 29);

  date.set_year(2027);
  auto not_leap = DateFromProto(date, "start_date");
  EXPECT_EQ(not_leap.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_leap.status().message(), HasSubstr("start_date"));

  date.set_month(13);
  EXPECT_FALSE(DateFromProto(date, "d").ok());
  date.set_month(0);
  EXPECT_FALSE(DateFromProto(date, "d").ok());
  EXPECT_FALSE(DateFromProto(common::v1::Date(), "d").ok());
}

// A plan dated in the last year the API accepts still makes visits whose every instant is a
// valid Timestamp, in the zones farthest from UTC; a year later is refused, naming the field.
TEST(DateFromProtoTest, EveryDateAcceptedMakesRepresentableVisits) {
  common::v1::Date date = DateToProto(absl::CivilDay(kLastYear, 12, 31));
  absl::StatusOr<absl::CivilDay> last = DateFromProto(date, "care_plan.effective_date");
  ASSERT_TRUE(last.ok()) << last.status();
  LocalRange night{.start = 23 * 60 + 59, .end = 24 * 60};         // ends at 24:00
  LocalRange past_midnight{.start = 23 * 60, .end = 23 * 60 - 1};  // into the next day
  for (const char* name : {"Etc/GMT+12", "Pacific/Kiritimati", "Europe/London"}) {
    absl::TimeZone zone = *LoadTimeZone(name);
    for (const LocalRange& range : {night, past_midnight}) {
      google::protobuf::Timestamp end = TimeToProto(range.EndOn(*last, zone));
      EXPECT_TRUE(TimeFromProto(end, "window_end").ok()) << name;
    }
  }
  date.set_year(kLastYear + 1);
  date.set_month(12);
  date.set_day(25);
  absl::StatusOr<absl::CivilDay> too_late = DateFromProto(date, "care_plan.effective_date");
  EXPECT_EQ(too_late.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_late.status().message(), HasSubstr("care_plan.effective_date.year"));
  date.set_year(kFirstYear - 1);
  EXPECT_FALSE(DateFromProto(date, "d").ok());
}

TEST(TimeOfDayTest, RangeAndMidnightEnd) {
  common::v1::TimeOfDay time;
  time.set_hours(7);
  time.set_minutes(30);
  EXPECT_EQ(*MinutesFromTimeOfDay(time, "t"), 450);
  time.set_hours(24);
  time.set_minutes(0);
  EXPECT_EQ(*MinutesFromTimeOfDay(time, "t"), 1440);
  time.set_minutes(1);
  EXPECT_FALSE(MinutesFromTimeOfDay(time, "t").ok());
  time.set_hours(-1);
  EXPECT_FALSE(MinutesFromTimeOfDay(time, "t").ok());
  EXPECT_EQ(TimeOfDayFromMinutes(450).hours(), 7);
  EXPECT_EQ(TimeOfDayFromMinutes(450).minutes(), 30);
}

TEST(TimestampTest, RoundTripsAndValidates) {
  absl::Time t = Utc(2026, 11, 22, 9, 15) + absl::Nanoseconds(123);
  auto back = TimeFromProto(TimeToProto(t), "ts");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, t);
  google::protobuf::Timestamp bad;
  bad.set_nanos(-1);
  EXPECT_FALSE(TimeFromProto(bad, "ts").ok());
  bad.set_nanos(0);
  bad.set_seconds(253402300800);
  EXPECT_FALSE(TimeFromProto(bad, "ts").ok());
}

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(Utc(2026, 1, 1, 0, 0));
  clock.Advance(absl::Minutes(61));
  EXPECT_EQ(clock.Now(), Utc(2026, 1, 1, 1, 1));
}

}  // namespace
}  // namespace homecare

namespace homecare {
namespace {

common::v1::LocalTimeRange RangeOf(int start_minutes, int end_minutes) {
  common::v1::LocalTimeRange range;
  *range.mutable_start() = TimeOfDayFromMinutes(start_minutes);
  *range.mutable_end() = TimeOfDayFromMinutes(end_minutes);
  return range;
}

// The night the clocks go forward (29 March 2026, 01:00 GMT -> 02:00 BST), a range that starts
// in the missing hour keeps its length; one that only ends in it follows the clock.
TEST(LocalRangeTest, ARangeStartingInTheSkippedHourKeepsItsLength) {
  const absl::TimeZone london = *LoadTimeZone("Europe/London");
  const absl::CivilDay spring(2026, 3, 29);
  auto minutes = [&](int start, int end) {
    LocalRange range = *LocalRangeFromProto(RangeOf(start, end), "w");
    return absl::ToInt64Minutes(range.EndOn(spring, london) - range.StartOn(spring, london));
  };
  LocalRange window = *LocalRangeFromProto(RangeOf(90, 150), "w");     // 01:30-02:30
  EXPECT_EQ(window.StartOn(spring, london), Utc(2026, 3, 29, 1, 30));  // 02:30 BST
  EXPECT_EQ(window.EndOn(spring, london), Utc(2026, 3, 29, 2, 30));    // 03:30 BST
  EXPECT_EQ(minutes(90, 150), 60);
  EXPECT_EQ(minutes(70, 110), 40);   // 01:10-01:50: both ends in the gap
  EXPECT_EQ(minutes(90, 240), 150);  // 01:30-04:00: 02:30-05:00 BST
  EXPECT_EQ(minutes(30, 90), 60);    // 00:30-01:30: 00:30 GMT to 02:30 BST
  EXPECT_EQ(minutes(30, 180), 90);   // 00:30-03:00 spans the change: the clock loses an hour
  EXPECT_EQ(minutes(22 * 60, 7 * 60), 9 * 60);  // the night of the 29th to the 30th is ordinary
  LocalRange night = *LocalRangeFromProto(RangeOf(22 * 60, 7 * 60), "w");
  EXPECT_EQ(night.EndOn(spring - 1, london) - night.StartOn(spring - 1, london), absl::Hours(8));
  // Every range on that day lasts at least a minute: none collapses.
  for (int start = 0; start < 24 * 60; start += 10) {
    for (int end = 10; end <= 24 * 60; end += 10) {
      if (start == end) continue;
      EXPECT_GT(minutes(start, end), 0) << start << "-" << end;
    }
  }
}

TEST(LocalRangeTest, RangesAcrossMidnightAndClockChanges) {
  const absl::TimeZone london = *LoadTimeZone("Europe/London");
  absl::StatusOr<LocalRange> night = LocalRangeFromProto(RangeOf(23 * 60 + 30, 30), "w");
  ASSERT_TRUE(night.ok());
  EXPECT_EQ(night->length(), 60);
  auto utc = [](int d, int h, int m) {
    return absl::FromCivil(absl::CivilMinute(2026, 10, d, h, m), absl::UTCTimeZone());
  };
  // 23:30 to 00:30 the night the clocks go back (at 02:00 BST): both ends are still BST.
  EXPECT_EQ(night->StartOn(absl::CivilDay(2026, 10, 24), london), utc(24, 22, 30));
  EXPECT_EQ(night->EndOn(absl::CivilDay(2026, 10, 24), london), utc(24, 23, 30));
  // 01:00 to 02:30 across the change: 01:00 BST to 02:30 GMT, 150 real minutes.
  absl::StatusOr<LocalRange> across = LocalRangeFromProto(RangeOf(60, 150), "w");
  ASSERT_TRUE(across.ok());
  EXPECT_EQ(across->StartOn(absl::CivilDay(2026, 10, 25), london), utc(25, 0, 0));
  EXPECT_EQ(across->EndOn(absl::CivilDay(2026, 10, 25), london), utc(25, 2, 30));
  // 01:30 to 02:30 in the repeated hour: every moment whose clock reads within it.
  absl::StatusOr<LocalRange> repeated = LocalRangeFromProto(RangeOf(90, 150), "w");
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(repeated->EndOn(absl::CivilDay(2026, 10, 25), london) -
                repeated->StartOn(absl::CivilDay(2026, 10, 25), london),
            absl::Minutes(120));
  absl::StatusOr<LocalRange> until_midnight = LocalRangeFromProto(RangeOf(22 * 60, 24 * 60), "w");
  ASSERT_TRUE(until_midnight.ok());
  EXPECT_EQ(until_midnight->length(), 120);

  EXPECT_EQ(ViolatedFields(LocalRangeFromProto(RangeOf(24 * 60, 60), "w").status()),
            std::vector<std::string>{"w.start"});
  EXPECT_EQ(ViolatedFields(LocalRangeFromProto(RangeOf(480, 480), "w").status()),
            std::vector<std::string>{"w"});
  common::v1::LocalTimeRange bad = RangeOf(0, 60);
  bad.mutable_start()->set_hours(25);
  bad.mutable_end()->set_minutes(61);
  EXPECT_EQ(ViolatedFields(LocalRangeFromProto(bad, "w").status()),
            (std::vector<std::string>{"w.start", "w.end"}));
}

}  // namespace
}  // namespace homecare
