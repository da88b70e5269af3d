#include "tools/carectl/roster_parsing.h"

#include "common/testing/status_matchers.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carectl {
namespace {

using ::homecare::testing::StatusIs;

TEST(RosterParsingTest, EnumsByName) {
  EXPECT_EQ(*ParseGender("Female"), common::v1::GENDER_FEMALE);
  EXPECT_EQ(*ParseTravelMode("public-transport"), roster::v1::TRAVEL_MODE_PUBLIC_TRANSPORT);
  EXPECT_EQ(*ParseAbsenceKind("sickness"), roster::v1::ABSENCE_KIND_SICKNESS);
  EXPECT_THAT(ParseGender("f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("female")));
}

TEST(RosterParsingTest, PointsDatesAndSkills) {
  common::v1::GeoPoint point = *ParseGeoPoint("51.5,-0.12");
  EXPECT_DOUBLE_EQ(point.latitude(), 51.5);
  EXPECT_DOUBLE_EQ(point.longitude(), -0.12);
  EXPECT_FALSE(ParseGeoPoint("51.5").ok());
  EXPECT_EQ(*ParseDay("2027-03-31"), absl::CivilDay(2027, 3, 31));
  EXPECT_FALSE(ParseDay("31/03/2027").ok());
  std::vector<roster::v1::CarerSkill> skills = *ParseSkills("medication, hoist:2027-03-31");
  ASSERT_EQ(skills.size(), 2u);
  EXPECT_EQ(skills[0].skill(), "medication");
  EXPECT_FALSE(skills[0].has_expires_on());
  EXPECT_EQ(skills[1].skill(), "hoist");
  EXPECT_EQ(skills[1].expires_on().month(), 3);
  EXPECT_FALSE(ParseSkills("hoist:soon").ok());
  EXPECT_TRUE(ParseSkills("")->empty());
}

TEST(RosterParsingTest, WeeklyBlocksAndRanges) {
  std::vector<roster::v1::WeeklyBlock> blocks =
      *ParseWeekly("mon 07:00-10:00, mon 16:00-20:00,sun 22:00-07:00");
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[2].day(), common::v1::DAY_OF_WEEK_SUNDAY);
  EXPECT_EQ(blocks[2].time().start().hours(), 22);
  EXPECT_EQ(blocks[2].time().end().hours(), 7);
  EXPECT_EQ(ParseTimeRange("20:00-24:00")->end().hours(), 24);
  EXPECT_FALSE(ParseWeekly("monday 07:00-10:00").ok());
  EXPECT_FALSE(ParseTimeRange("07:00").ok());
  EXPECT_FALSE(ParseTimeRange("07:60-08:00").ok());
}

TEST(RosterParsingTest, ExceptionsMergePerDate) {
  std::vector<roster::v1::AvailabilityException> exceptions = *ParseExceptions(
      "2026-12-25", "2026-12-27 10:00-14:00,2026-12-25 18:00-20:00", "2026-12-24 16:00-20:00");
  ASSERT_EQ(exceptions.size(), 3u);
  EXPECT_EQ(exceptions[0].date().day(), 24);
  EXPECT_EQ(exceptions[0].remove_size(), 1);
  EXPECT_TRUE(exceptions[1].unavailable_all_day());
  EXPECT_EQ(exceptions[1].add_size(), 1);
  EXPECT_EQ(exceptions[2].add_size(), 1);
  EXPECT_FALSE(ParseExceptions("", "2026-12-27", "").ok());
}

TEST(RosterParsingTest, InstantsInRfc3339OrTheTenantsLocalTime) {
  absl::TimeZone london = *LoadTimeZone("Europe/London");
  EXPECT_EQ(*ParseInstant("2026-07-01T08:00:00Z", london), absl::FromUnixSeconds(1782892800));
  // 08:00 in London in July is 07:00 UTC.
  EXPECT_EQ(*ParseInstant("2026-07-01T08:00", london), absl::FromUnixSeconds(1782889200));
  EXPECT_EQ(*ParseInstant("2026-07-01 08:00", london), absl::FromUnixSeconds(1782889200));
  EXPECT_FALSE(ParseInstant("tomorrow", london).ok());
}

}  // namespace
}  // namespace homecare::carectl
