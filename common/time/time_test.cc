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
