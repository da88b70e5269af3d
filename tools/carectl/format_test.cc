#include "tools/carectl/format.h"

#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::carectl {
namespace {

using ::testing::HasSubstr;

TEST(FormatTest, MoneyInPounds) {
  EXPECT_EQ(FormatPence(1260), "£12.60");
  EXPECT_EQ(FormatPence(5), "£0.05");
  EXPECT_EQ(FormatPence(0), "£0.00");
  EXPECT_EQ(FormatPence(-305), "-£3.05");
  EXPECT_EQ(FormatPence(123456789), "£1234567.89");
}

TEST(FormatTest, DatesDaysAndTimesOfDay) {
  EXPECT_EQ(FormatDate(DateToProto(absl::CivilDay(2026, 12, 4))), "2026-12-04");
  EXPECT_EQ(FormatDate(common::v1::Date()), "");
  EXPECT_EQ(FormatDay(common::v1::DAY_OF_WEEK_MONDAY), "Mon");
  EXPECT_EQ(FormatDay(common::v1::DAY_OF_WEEK_SUNDAY), "Sun");
  EXPECT_EQ(FormatDay(common::v1::DAY_OF_WEEK_UNSPECIFIED), "?");
  using common::v1::DayOfWeek;
  EXPECT_EQ(FormatDays({DayOfWeek::DAY_OF_WEEK_SATURDAY, DayOfWeek::DAY_OF_WEEK_SUNDAY}),
            "weekends");
  EXPECT_EQ(FormatDays({DayOfWeek::DAY_OF_WEEK_FRIDAY, DayOfWeek::DAY_OF_WEEK_MONDAY}), "Mon, Fri");
  common::v1::LocalTimeRange night;
  *night.mutable_start() = TimeOfDayFromMinutes(22 * 60);
  *night.mutable_end() = TimeOfDayFromMinutes(7 * 60 + 5);
  EXPECT_EQ(FormatTimeRange(night), "22:00-07:05");
  EXPECT_EQ(FormatMinutes(45), "45m");
  EXPECT_EQ(FormatMinutes(75), "1h15m");
  EXPECT_EQ(FormatMinutes(1800), "30h");
}

TEST(FormatTest, LocalTimesInTheTenantsZoneAcrossTheClockChange) {
  absl::TimeZone london = *LoadTimeZone("Europe/London");
  // 06:30 UTC is 07:30 in London in July (BST) and 06:30 in December (GMT).
  google::protobuf::Timestamp july =
      TimeToProto(absl::FromCivil(absl::CivilSecond(2026, 7, 1, 6, 30, 0), absl::UTCTimeZone()));
  google::protobuf::Timestamp december =
      TimeToProto(absl::FromCivil(absl::CivilSecond(2026, 12, 1, 6, 30, 0), absl::UTCTimeZone()));
  EXPECT_EQ(FormatLocalTime(july, london), "Wed 2026-07-01 07:30");
  EXPECT_EQ(FormatLocalTimeWithZone(july, london), "Wed 2026-07-01 07:30 BST");
  EXPECT_EQ(FormatLocalTimeWithZone(december, london), "Tue 2026-12-01 06:30 GMT");
  EXPECT_EQ(FormatLocalTime(google::protobuf::Timestamp(), london), "");
}

TEST(FormatTest, EnumsWithoutTheirPrefixAsFlagsTakeThem) {
  EXPECT_EQ(EnumName(scheduling::v1::VISIT_STATUS_NEEDS_CARER), "needs-carer");
  EXPECT_EQ(EnumName(roster::v1::TRAVEL_MODE_PUBLIC_TRANSPORT), "public-transport");
  EXPECT_EQ(EnumName(common::v1::GENDER_NON_BINARY), "non-binary");
  EXPECT_EQ(EnumName(scheduling::v1::CANCELLATION_REASON_CANCELLED_BY_FAMILY),
            "cancelled-by-family");
  // A nested enum's prefix is its own name.
  EXPECT_EQ(EnumName(roster::v1::CarerChange::KIND_ABSENCE_ENDED), "absence-ended");
  EXPECT_EQ(EnumName(common::v1::GENDER_UNSPECIFIED), "not set");
  EXPECT_EQ(EnumName(static_cast<common::v1::Gender>(42)), "unknown (42)");
}

TEST(FormatTest, TablesAlignByCharactersNotBytes) {
  Table table({"NAME", "PAY", "ID"});
  table.AddRow({"Zoë Brontë", "£12.60", "car_1"});
  table.AddRow({"Al", "£9.00", "car_22"});
  EXPECT_EQ(table.Render(),
            "NAME        PAY     ID\n"
            "Zoë Brontë  £12.60  car_1\n"
            "Al          £9.00   car_22\n");
}

TEST(FormatTest, TablesLeaveOutColumnsWithNothingInThem) {
  Table table({"", "START", ""});
  table.AddRow({"", "07:30", ""});
  table.AddRow({"", "21:00", "time-critical"});
  EXPECT_EQ(table.Render(), "START\n07:30\n21:00  time-critical\n");
}

TEST(FormatTest, DetailsAlignValuesAndSkipEmptyOnes) {
  Details details;
  details.Add("carer", "Ann Lee (car_1)");
  details.Add("note", "");
  details.Add("weekly", "Mon 07:00-10:00\nTue 16:00-20:00");
  EXPECT_EQ(details.Render(),
            "carer:  Ann Lee (car_1)\n"
            "weekly: Mon 07:00-10:00\n"
            "        Tue 16:00-20:00\n");
  EXPECT_EQ(NameAndId("", "car_1"), "car_1");
  EXPECT_EQ(NameAndId("Ann", "car_1"), "Ann (car_1)");
}

}  // namespace
}  // namespace homecare::carectl
