#include "services/roster/availability_rules.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::roster {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = new absl::TimeZone(*LoadTimeZone("Europe/London"));
  return *zone;
}

// A local time in London.
absl::Time At(int y, int m, int d, int hh, int mm = 0) {
  return LocalToInstant(absl::CivilSecond(y, m, d, hh, mm), London());
}

common::v1::LocalTimeRange Range(int start_hour, int start_minute, int end_hour, int end_minute) {
  common::v1::LocalTimeRange range;
  range.mutable_start()->set_hours(start_hour);
  range.mutable_start()->set_minutes(start_minute);
  range.mutable_end()->set_hours(end_hour);
  range.mutable_end()->set_minutes(end_minute);
  return range;
}

void AddBlock(v1::Availability& availability, common::v1::DayOfWeek day,
              common::v1::LocalTimeRange range) {
  v1::WeeklyBlock& block = *availability.add_weekly();
  block.set_day(day);
  *block.mutable_time() = range;
}

v1::AvailabilityException& AddException(v1::Availability& availability, absl::CivilDay day) {
  v1::AvailabilityException& exception = *availability.add_exceptions();
  *exception.mutable_date() = DateToProto(day);
  return exception;
}

v1::Availability Empty() {
  v1::Availability availability;
  availability.set_carer_id("car_1");
  return availability;
}

// Split shifts every weekday: 07:00-10:00 and 16:00-20:00.
v1::Availability SplitShifts() {
  v1::Availability availability = Empty();
  for (int day = 1; day <= 5; ++day) {
    AddBlock(availability, static_cast<common::v1::DayOfWeek>(day), Range(7, 0, 10, 0));
    AddBlock(availability, static_cast<common::v1::DayOfWeek>(day), Range(16, 0, 20, 0));
  }
  return availability;
}

// ---- Coverage

TEST(CoversWindowTest, SplitShiftsCoverTheirBlocksAndNotTheGap) {
  const v1::Availability availability = SplitShifts();
  // Tuesday 17 November 2026.
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 17, 8), At(2026, 11, 17, 8, 30)));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 17, 7), At(2026, 11, 17, 10)));
  EXPECT_FALSE(
      CoversWindow(availability, London(), At(2026, 11, 17, 12), At(2026, 11, 17, 12, 30)));
  // Half in a block, half in the gap.
  EXPECT_FALSE(
      CoversWindow(availability, London(), At(2026, 11, 17, 9, 45), At(2026, 11, 17, 10, 15)));
  // Saturday: no blocks.
  EXPECT_FALSE(CoversWindow(availability, London(), At(2026, 11, 21, 8), At(2026, 11, 21, 8, 30)));
}

TEST(CoversWindowTest, ABlockRunsPastMidnightIntoTheNextDay) {
  v1::Availability availability = Empty();
  AddBlock(availability, common::v1::DAY_OF_WEEK_MONDAY, Range(22, 0, 7, 0));
  // Monday 16 November 2026, 22:00, to Tuesday 07:00.
  EXPECT_TRUE(
      CoversWindow(availability, London(), At(2026, 11, 16, 23, 30), At(2026, 11, 17, 0, 30)));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 17, 6), At(2026, 11, 17, 7)));
  EXPECT_FALSE(
      CoversWindow(availability, London(), At(2026, 11, 17, 6, 30), At(2026, 11, 17, 7, 30)));
  // Not on Tuesday night.
  EXPECT_FALSE(
      CoversWindow(availability, London(), At(2026, 11, 17, 23), At(2026, 11, 17, 23, 30)));
}

TEST(CoversWindowTest, BlocksMeetingAtMidnightJoinUp) {
  v1::Availability availability = Empty();
  AddBlock(availability, common::v1::DAY_OF_WEEK_MONDAY, Range(20, 0, 24, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_TUESDAY, Range(0, 0, 8, 0));
  EXPECT_TRUE(
      CoversWindow(availability, London(), At(2026, 11, 16, 23, 30), At(2026, 11, 17, 0, 30)));
  EXPECT_THAT(AvailableIntervals(availability, London(), At(2026, 11, 16, 0), At(2026, 11, 18, 0)),
              ElementsAre(Interval{At(2026, 11, 16, 20), At(2026, 11, 17, 8)}));
}

TEST(CoversWindowTest, LocalTimesHoldAcrossTheSpringClockChange) {
  v1::Availability availability = Empty();
  AddBlock(availability, common::v1::DAY_OF_WEEK_SATURDAY, Range(8, 0, 12, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_SUNDAY, Range(8, 0, 12, 0));
  // Clocks go forward at 01:00 GMT on Sunday 29 March 2026: 08:00 is 08:00 GMT on the Saturday
  // and 07:00 GMT (08:00 BST) on the Sunday.
  EXPECT_EQ(At(2026, 3, 28, 8),
            absl::FromCivil(absl::CivilSecond(2026, 3, 28, 8), absl::UTCTimeZone()));
  EXPECT_EQ(At(2026, 3, 29, 8),
            absl::FromCivil(absl::CivilSecond(2026, 3, 29, 7), absl::UTCTimeZone()));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 3, 28, 8), At(2026, 3, 28, 12)));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 3, 29, 8), At(2026, 3, 29, 12)));
  EXPECT_FALSE(
      CoversWindow(availability, London(), At(2026, 3, 29, 7, 30), At(2026, 3, 29, 8, 30)));
}

TEST(CoversWindowTest, NightBlocksAreAnHourShorterOrLongerOnTheChangeNights) {
  v1::Availability availability = Empty();
  AddBlock(availability, common::v1::DAY_OF_WEEK_SATURDAY, Range(22, 0, 7, 0));
  std::vector<Interval> spring =
      AvailableIntervals(availability, London(), At(2026, 3, 28, 12), At(2026, 3, 29, 12));
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(spring[0].end - spring[0].start, absl::Hours(8));
  std::vector<Interval> autumn =
      AvailableIntervals(availability, London(), At(2026, 10, 24, 12), At(2026, 10, 25, 12));
  ASSERT_EQ(autumn.size(), 1u);
  EXPECT_EQ(autumn[0].end - autumn[0].start, absl::Hours(10));
  // 07:00 local on Sunday 25 October 2026 is 07:00 GMT.
  EXPECT_EQ(autumn[0].end,
            absl::FromCivil(absl::CivilSecond(2026, 10, 25, 7), absl::UTCTimeZone()));
}

absl::Time Utc(int y, int m, int d, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm), absl::UTCTimeZone());
}

TEST(CoversWindowTest, EdgesInTheChangeHourFollowLocalToInstant) {
  // 01:30 on 29 March 2026 does not happen in London: it is read as 02:30 BST (01:30 UTC), so
  // a 00:30-01:30 block keeps its hour.
  v1::Availability spring = Empty();
  AddBlock(spring, common::v1::DAY_OF_WEEK_SUNDAY, Range(0, 30, 1, 30));
  EXPECT_THAT(AvailableIntervals(spring, London(), At(2026, 3, 29, 0), At(2026, 3, 30, 0)),
              ElementsAre(Interval{Utc(2026, 3, 29, 0, 30), Utc(2026, 3, 29, 1, 30)}));
  // 01:00 on 25 October 2026 happens twice; the first (BST) is meant, so 01:00-02:00 lasts two
  // hours.
  v1::Availability autumn = Empty();
  AddBlock(autumn, common::v1::DAY_OF_WEEK_SUNDAY, Range(1, 0, 2, 0));
  EXPECT_THAT(AvailableIntervals(autumn, London(), At(2026, 10, 25, 0), At(2026, 10, 26, 0)),
              ElementsAre(Interval{Utc(2026, 10, 25, 0), Utc(2026, 10, 25, 2)}));
}

TEST(CoversWindowTest, AnEmptyOrBackwardWindowIsNotCovered) {
  EXPECT_FALSE(CoversWindow(SplitShifts(), London(), At(2026, 11, 17, 8), At(2026, 11, 17, 8)));
  EXPECT_FALSE(CoversWindow(SplitShifts(), London(), At(2026, 11, 17, 9), At(2026, 11, 17, 8)));
  EXPECT_THAT(AvailableIntervals(Empty(), London(), At(2026, 11, 16, 0), At(2026, 11, 23, 0)),
              IsEmpty());
}

// ---- Exceptions

TEST(ExceptionsTest, UnavailableAllDayDropsTheWeeklyBlocks) {
  v1::Availability availability = SplitShifts();
  AddException(availability, absl::CivilDay(2026, 12, 25)).set_unavailable_all_day(true);
  EXPECT_FALSE(CoversWindow(availability, London(), At(2026, 12, 25, 8), At(2026, 12, 25, 9)));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 12, 24, 8), At(2026, 12, 24, 9)));
}

TEST(ExceptionsTest, RemoveTrimsPartOfABlock) {
  v1::Availability availability = SplitShifts();
  *AddException(availability, absl::CivilDay(2026, 11, 17)).add_remove() = Range(8, 0, 9, 0);
  EXPECT_THAT(AvailableIntervals(availability, London(), At(2026, 11, 17, 0), At(2026, 11, 17, 12)),
              ElementsAre(Interval{At(2026, 11, 17, 7), At(2026, 11, 17, 8)},
                          Interval{At(2026, 11, 17, 9), At(2026, 11, 17, 10)}));
  EXPECT_FALSE(CoversWindow(availability, London(), At(2026, 11, 17, 8), At(2026, 11, 17, 8, 30)));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 17, 9), At(2026, 11, 17, 9, 30)));
}

TEST(ExceptionsTest, AddWorksOnADayOffAndAfterARemove) {
  v1::Availability availability = SplitShifts();
  *AddException(availability, absl::CivilDay(2026, 11, 21)).add_add() = Range(10, 0, 14, 0);
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 21, 11), At(2026, 11, 21, 12)));
  v1::AvailabilityException& swap = AddException(availability, absl::CivilDay(2026, 11, 18));
  *swap.add_remove() = Range(7, 0, 10, 0);
  *swap.add_add() = Range(11, 0, 13, 0);
  EXPECT_FALSE(CoversWindow(availability, London(), At(2026, 11, 18, 8), At(2026, 11, 18, 9)));
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 18, 11), At(2026, 11, 18, 13)));
  // Added next to a weekly block, it joins up with it.
  v1::AvailabilityException& longer = AddException(availability, absl::CivilDay(2026, 11, 19));
  *longer.add_add() = Range(10, 0, 12, 0);
  EXPECT_TRUE(CoversWindow(availability, London(), At(2026, 11, 19, 9), At(2026, 11, 19, 11)));
}

// ---- Validation

TEST(ValidateAvailabilityTest, AcceptsSplitShiftsNightsAndExceptions) {
  v1::Availability availability = SplitShifts();
  AddBlock(availability, common::v1::DAY_OF_WEEK_SATURDAY, Range(22, 0, 7, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_SUNDAY, Range(20, 0, 24, 0));
  AddException(availability, absl::CivilDay(2026, 12, 25)).set_unavailable_all_day(true);
  EXPECT_THAT(ValidateAvailability(availability), IsOk());
}

TEST(ValidateAvailabilityTest, NamesEveryBrokenFieldAtOnce) {
  v1::Availability availability;
  availability.set_carer_id("car 1");
  AddBlock(availability, common::v1::DAY_OF_WEEK_UNSPECIFIED, Range(7, 0, 10, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_MONDAY, Range(25, 0, 10, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_MONDAY, Range(9, 0, 9, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_MONDAY, Range(24, 0, 10, 0));
  AddBlock(availability, common::v1::DAY_OF_WEEK_TUESDAY, Range(7, 60, 10, 0));
  AddException(availability, absl::CivilDay(2026, 12, 25));
  AddException(availability, absl::CivilDay(2026, 12, 25));
  *AddException(availability, absl::CivilDay(2026, 12, 26)).add_add() = Range(3, 0, 3, 0);
  EXPECT_THAT(ValidateAvailability(availability), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ViolatedFields(ValidateAvailability(availability)),
      UnorderedElementsAre("availability.carer_id", "availability.weekly[0].day",
                           "availability.weekly[1].time.start", "availability.weekly[2].time",
                           "availability.weekly[3].time.start", "availability.weekly[4].time.start",
                           "availability.exceptions[1].date", "availability.exceptions[2].add[0]"));
}

TEST(ValidateAvailabilityTest, RefusesOverlappingBlocksIncludingAcrossMidnight) {
  v1::Availability same_day = Empty();
  AddBlock(same_day, common::v1::DAY_OF_WEEK_MONDAY, Range(7, 0, 10, 0));
  AddBlock(same_day, common::v1::DAY_OF_WEEK_MONDAY, Range(9, 0, 12, 0));
  EXPECT_THAT(ViolatedFields(ValidateAvailability(same_day)),
              ElementsAre("availability.weekly[1]"));

  v1::Availability night = Empty();
  AddBlock(night, common::v1::DAY_OF_WEEK_MONDAY, Range(22, 0, 7, 0));
  AddBlock(night, common::v1::DAY_OF_WEEK_TUESDAY, Range(6, 0, 9, 0));
  EXPECT_THAT(ViolatedFields(ValidateAvailability(night)), ElementsAre("availability.weekly[1]"));

  v1::Availability sunday_night = Empty();
  AddBlock(sunday_night, common::v1::DAY_OF_WEEK_MONDAY, Range(6, 0, 9, 0));
  AddBlock(sunday_night, common::v1::DAY_OF_WEEK_SUNDAY, Range(22, 0, 7, 0));
  EXPECT_THAT(ViolatedFields(ValidateAvailability(sunday_night)),
              ElementsAre("availability.weekly[1]"));

  v1::Availability touching = Empty();
  AddBlock(touching, common::v1::DAY_OF_WEEK_MONDAY, Range(7, 0, 10, 0));
  AddBlock(touching, common::v1::DAY_OF_WEEK_MONDAY, Range(10, 0, 12, 0));
  EXPECT_THAT(ValidateAvailability(touching), IsOk());
}

TEST(ValidateAvailabilityTest, LimitsTheNumberOfBlocksAndExceptions) {
  v1::Availability availability = Empty();
  for (int i = 0; i < kMaxWeeklyBlocks; ++i) {
    AddBlock(availability, common::v1::DAY_OF_WEEK_MONDAY,
             Range(i / 6, (i % 6) * 10, i / 6, (i % 6) * 10 + 5));
  }
  for (int i = 0; i < kMaxAvailabilityExceptions; ++i) {
    AddException(availability, absl::CivilDay(2026, 1, 1) + i);
  }
  EXPECT_THAT(ValidateAvailability(availability), IsOk());
  AddBlock(availability, common::v1::DAY_OF_WEEK_TUESDAY, Range(8, 0, 9, 0));
  AddException(availability, absl::CivilDay(2028, 1, 1));
  EXPECT_THAT(ViolatedFields(ValidateAvailability(availability)),
              ElementsAre("availability.weekly", "availability.exceptions"));
}

// ---- Absences

v1::Absence Absence(absl::Time start, std::optional<absl::Time> end) {
  v1::Absence absence;
  absence.set_carer_id("car_1");
  absence.set_kind(v1::ABSENCE_KIND_SICKNESS);
  absence.set_state(v1::ABSENCE_STATE_ACTIVE);
  *absence.mutable_start_time() = TimeToProto(start);
  if (end) *absence.mutable_end_time() = TimeToProto(*end);
  return absence;
}

TEST(AbsenceOverlapsTest, HalfOpenRangesOpenEndedAndCancelled) {
  const absl::Time nine = At(2026, 11, 17, 9);
  const absl::Time ten = At(2026, 11, 17, 10);
  v1::Absence morning = Absence(nine, ten);
  EXPECT_TRUE(AbsenceOverlaps(morning, At(2026, 11, 17, 9, 30), At(2026, 11, 17, 11)));
  EXPECT_FALSE(AbsenceOverlaps(morning, ten, At(2026, 11, 17, 11)));  // ends as the visit starts
  EXPECT_FALSE(AbsenceOverlaps(morning, At(2026, 11, 17, 8), nine));  // starts as it ends
  v1::Absence off_sick = Absence(nine, std::nullopt);
  EXPECT_TRUE(AbsenceOverlaps(off_sick, At(2027, 6, 1, 8), At(2027, 6, 1, 9)));
  EXPECT_FALSE(AbsenceOverlaps(off_sick, At(2026, 11, 17, 8), nine));
  v1::Absence unreadable = off_sick;
  unreadable.mutable_start_time()->set_seconds(-1'000'000'000'000);
  EXPECT_TRUE(AbsenceOverlaps(unreadable, At(2027, 6, 1, 8), At(2027, 6, 1, 9)));
  off_sick.set_state(v1::ABSENCE_STATE_CANCELLED);
  EXPECT_FALSE(AbsenceOverlaps(off_sick, At(2027, 6, 1, 8), At(2027, 6, 1, 9)));
}

TEST(ValidateNewAbsenceTest, NamesEachRule) {
  EXPECT_THAT(ValidateNewAbsence(Absence(At(2026, 11, 17, 9), std::nullopt)), IsOk());
  v1::Absence bad = Absence(At(2026, 11, 17, 9), At(2026, 11, 17, 9));
  bad.set_carer_id("");
  bad.set_kind(v1::ABSENCE_KIND_UNSPECIFIED);
  bad.set_note(std::string(2001, 'x'));
  EXPECT_THAT(
      ViolatedFields(ValidateNewAbsence(bad)),
      UnorderedElementsAre("absence.carer_id", "absence.kind", "absence.end_time", "absence.note"));
  v1::Absence no_start;
  no_start.set_carer_id("car_1");
  no_start.set_kind(v1::ABSENCE_KIND_TRAINING);
  EXPECT_THAT(ViolatedFields(ValidateNewAbsence(no_start)), ElementsAre("absence.start_time"));
}

// ---- Skills and eligibility

v1::Carer Carer() {
  v1::Carer carer;
  carer.set_carer_id("car_1");
  carer.set_active(true);
  carer.set_gender(common::v1::GENDER_FEMALE);
  carer.set_locality_id("north");
  carer.add_skills()->set_skill("medication");
  v1::CarerSkill& hoist = *carer.add_skills();
  hoist.set_skill("hoist");
  *hoist.mutable_expires_on() = DateToProto(absl::CivilDay(2026, 11, 17));
  return carer;
}

TEST(HoldsSkillTest, ASkillCountsUntilTheEndOfItsExpiryDay) {
  const v1::Carer carer = Carer();
  EXPECT_TRUE(
      HoldsSkill(carer, "hoist", absl::CivilDay(2026, 11, 17), absl::CivilDay(2026, 11, 17)));
  EXPECT_FALSE(
      HoldsSkill(carer, "hoist", absl::CivilDay(2026, 11, 18), absl::CivilDay(2026, 11, 18)));
  // A visit from the 17th into the 18th needs it on both days.
  EXPECT_FALSE(
      HoldsSkill(carer, "hoist", absl::CivilDay(2026, 11, 17), absl::CivilDay(2026, 11, 18)));
  EXPECT_TRUE(
      HoldsSkill(carer, "medication", absl::CivilDay(2099, 1, 1), absl::CivilDay(2099, 1, 1)));
  EXPECT_FALSE(
      HoldsSkill(carer, "peg-feeding", absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 1)));
}

TEST(CheckEligibilityTest, SkillDaysAreTheTenantsLocalDays) {
  // The hoist skill lapses after 17 November 2026. An evening window ending at midnight touches
  // only the 17th; one starting at 00:30 on the 18th does not get it.
  v1::Availability evenings = Empty();
  for (int day = 1; day <= 7; ++day) {
    AddBlock(evenings, static_cast<common::v1::DayOfWeek>(day), Range(20, 0, 24, 0));
    AddBlock(evenings, static_cast<common::v1::DayOfWeek>(day), Range(0, 0, 2, 0));
  }
  EligibilityQuery query{.window_start = At(2026, 11, 17, 23),
                         .window_end = At(2026, 11, 18, 0),
                         .zone = London(),
                         .skills = {"hoist"}};
  EXPECT_EQ(CheckEligibility(Carer(), &evenings, {}, query), Ineligibility::kNone);
  query.window_start = At(2026, 11, 18, 0, 30);
  query.window_end = At(2026, 11, 18, 1);
  EXPECT_EQ(CheckEligibility(Carer(), &evenings, {}, query), Ineligibility::kSkill);
  // In summer time local days are an hour ahead of UTC: 23:30 UTC on 10 June is the 11th.
  v1::Carer june = Carer();
  *june.mutable_skills(1)->mutable_expires_on() = DateToProto(absl::CivilDay(2026, 6, 10));
  query.window_start = Utc(2026, 6, 10, 22, 30);
  query.window_end = Utc(2026, 6, 10, 22, 45);
  EXPECT_EQ(CheckEligibility(june, &evenings, {}, query), Ineligibility::kNone);
  query.window_start = Utc(2026, 6, 10, 23, 30);
  query.window_end = Utc(2026, 6, 10, 23, 45);
  EXPECT_EQ(CheckEligibility(june, &evenings, {}, query), Ineligibility::kSkill);
}

TEST(CheckEligibilityTest, GivesTheFirstReasonInOrder) {
  const v1::Availability availability = SplitShifts();
  EligibilityQuery query{.window_start = At(2026, 11, 17, 8),
                         .window_end = At(2026, 11, 17, 8, 30),
                         .zone = London(),
                         .locality_id = "north",
                         .skills = {"hoist"},
                         .gender = common::v1::GENDER_FEMALE};
  v1::Carer carer = Carer();
  EXPECT_EQ(CheckEligibility(carer, &availability, {}, query), Ineligibility::kNone);
  EXPECT_EQ(CheckEligibility(carer, nullptr, {}, query), Ineligibility::kUnavailable);
  const v1::Absence absent = Absence(At(2026, 11, 17, 7), std::nullopt);
  EXPECT_EQ(CheckEligibility(carer, &availability, {absent}, query), Ineligibility::kAbsent);
  v1::Absence someone_else = absent;
  someone_else.set_carer_id("car_2");
  EXPECT_EQ(CheckEligibility(carer, &availability, {someone_else}, query), Ineligibility::kNone);

  EligibilityQuery next_day = query;
  next_day.window_start += absl::Hours(24);
  next_day.window_end += absl::Hours(24);
  EXPECT_EQ(CheckEligibility(carer, &availability, {}, next_day), Ineligibility::kSkill);

  EligibilityQuery male = query;
  male.gender = common::v1::GENDER_MALE;
  EXPECT_EQ(CheckEligibility(carer, &availability, {}, male), Ineligibility::kGender);
  EligibilityQuery south = query;
  south.locality_id = "south";
  EXPECT_EQ(CheckEligibility(carer, &availability, {}, south), Ineligibility::kOtherLocality);
  EligibilityQuery anywhere = query;
  anywhere.locality_id.clear();
  anywhere.gender = common::v1::GENDER_UNSPECIFIED;
  EXPECT_EQ(CheckEligibility(carer, &availability, {}, anywhere), Ineligibility::kNone);
  carer.set_active(false);
  EXPECT_EQ(CheckEligibility(carer, &availability, {absent}, query), Ineligibility::kInactive);
}

}  // namespace
}  // namespace homecare::roster
