#include "services/scheduling/care_plan_rules.h"

#include "common/status/errors.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

v1::CarePlan ValidPlan() {
  v1::CarePlan plan;
  plan.set_client_id("cli_1");
  *plan.mutable_effective_date() = DateToProto(absl::CivilDay(2026, 12, 1));
  *plan.mutable_review_date() = DateToProto(absl::CivilDay(2027, 3, 1));
  plan.set_weekly_budget_minutes(7 * 30 + 7 * 2 * 45);
  plan.add_outcomes()->set_description("To make my own breakfast again");
  v1::VisitPattern& morning = *plan.add_patterns();
  morning.set_pattern_id("morning");
  for (int day = 1; day <= 7; ++day) morning.add_days(static_cast<common::v1::DayOfWeek>(day));
  *morning.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(7 * 60 + 30);
  *morning.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(8 * 60 + 30);
  morning.set_duration_minutes(30);
  morning.add_tasks()->set_description("Medication");
  morning.add_tasks()->set_description("Breakfast");
  v1::VisitPattern& bed = *plan.add_patterns();
  bed = morning;
  bed.set_pattern_id("bed");
  bed.set_duration_minutes(45);
  bed.set_carers_required(2);
  bed.add_required_skills("hoist");
  *bed.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(23 * 60 + 30);
  *bed.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(30);
  return NewCarePlanVersion(plan, "pln_1", 1, absl::UnixEpoch());
}

TEST(CarePlanRulesTest, ValidPlanGetsIdsAndDefaults) {
  v1::CarePlan plan = ValidPlan();
  EXPECT_TRUE(ValidateCarePlan(plan).ok()) << ValidateCarePlan(plan);
  EXPECT_EQ(plan.patterns(0).carers_required(), 1);
  EXPECT_EQ(plan.patterns(0).tasks(0).task_id(), "t1");
  EXPECT_EQ(plan.patterns(0).tasks(1).task_id(), "t2");
  EXPECT_EQ(plan.outcomes(0).outcome_id(), "o1");
  EXPECT_EQ(PlannedWeeklyMinutes(plan), 7 * 30 + 7 * 2 * 45) << "a double-up counts twice";
  EXPECT_THAT(BudgetWarnings(plan), IsEmpty());
}

TEST(CarePlanRulesTest, OverBudgetIsAWarningNotARefusal) {
  v1::CarePlan plan = ValidPlan();
  plan.set_weekly_budget_minutes(600);
  EXPECT_TRUE(ValidateCarePlan(plan).ok());
  std::vector<std::string> warnings = BudgetWarnings(plan);
  ASSERT_THAT(warnings, SizeIs(1));
  EXPECT_THAT(warnings[0], HasSubstr("OVER_BUDGET"));
  EXPECT_THAT(warnings[0], HasSubstr("840 minutes"));
}

TEST(CarePlanRulesTest, ImpossibleWindowsAndDurationsNameTheirFields) {
  v1::CarePlan plan = ValidPlan();
  v1::VisitPattern& pattern = *plan.mutable_patterns(0);
  *pattern.mutable_start_window()->mutable_end() = pattern.start_window().start();
  pattern.set_duration_minutes(0);
  plan.mutable_patterns(1)->set_duration_minutes(13 * 60);
  *plan.mutable_patterns(1)->mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(14 * 60);
  plan.mutable_patterns(1)->set_carers_required(3);
  EXPECT_THAT(
      ViolatedFields(ValidateCarePlan(plan)),
      ElementsAre("care_plan.patterns[0].start_window", "care_plan.patterns[0].duration_minutes",
                  "care_plan.patterns[1].start_window", "care_plan.patterns[1].duration_minutes",
                  "care_plan.patterns[1].carers_required"));
}

TEST(CarePlanRulesTest, EveryOtherRuleNamesItsField) {
  v1::CarePlan plan = ValidPlan();
  plan.clear_client_id();
  *plan.mutable_review_date() = DateToProto(absl::CivilDay(2026, 11, 1));
  plan.set_weekly_budget_minutes(0);
  plan.mutable_outcomes(0)->clear_description();
  plan.mutable_patterns(1)->set_pattern_id("morning");
  plan.mutable_patterns(0)->add_days(common::v1::DAY_OF_WEEK_MONDAY);
  plan.mutable_patterns(0)->mutable_tasks(1)->set_task_id("t1");
  EXPECT_THAT(
      ViolatedFields(ValidateCarePlan(plan)),
      ElementsAre("care_plan.client_id", "care_plan.review_date", "care_plan.weekly_budget_minutes",
                  "care_plan.outcomes[0].description", "care_plan.patterns[0].days[7]",
                  "care_plan.patterns[0].tasks[1].task_id", "care_plan.patterns[1].pattern_id"));
  v1::CarePlan empty;
  EXPECT_THAT(ViolatedFields(ValidateCarePlan(empty)),
              ElementsAre("care_plan.client_id", "care_plan.effective_date",
                          "care_plan.weekly_budget_minutes", "care_plan.patterns"));
}

TEST(CarePlanRulesTest, VersionsFollowEachOtherAndTheLatestOnOrBeforeADayIsInForce) {
  v1::CarePlan first = ValidPlan();
  v1::CarePlan second = first;
  second.set_version(2);
  *second.mutable_effective_date() = DateToProto(absl::CivilDay(2027, 1, 4));
  EXPECT_TRUE(CheckNextVersion(first, second).ok());
  v1::CarePlan earlier = second;
  *earlier.mutable_effective_date() = DateToProto(absl::CivilDay(2026, 11, 30));
  EXPECT_THAT(ViolatedFields(CheckNextVersion(first, earlier)),
              ElementsAre("care_plan.effective_date"));
  v1::CarePlan other_client = second;
  other_client.set_client_id("cli_2");
  EXPECT_THAT(ViolatedFields(CheckNextVersion(first, other_client)),
              ElementsAre("care_plan.client_id"));

  v1::CarePlan same_day = second;
  same_day.set_version(3);
  std::vector<v1::CarePlan> versions = {same_day, first, second};
  EXPECT_EQ(VersionInForce(versions, absl::CivilDay(2026, 11, 30)), nullptr);
  EXPECT_EQ(VersionInForce(versions, absl::CivilDay(2026, 12, 1))->version(), 1);
  EXPECT_EQ(VersionInForce(versions, absl::CivilDay(2027, 1, 3))->version(), 1);
  EXPECT_EQ(VersionInForce(versions, absl::CivilDay(2027, 1, 4))->version(), 3)
      << "on a tie the newer version wins";
}

TEST(CarePlanRulesTest, ReviewOverdueOnceTheDateHasPassed) {
  v1::CarePlan plan = ValidPlan();
  EXPECT_FALSE(ReviewOverdue(plan, absl::CivilDay(2027, 3, 1)));
  EXPECT_TRUE(ReviewOverdue(plan, absl::CivilDay(2027, 3, 2)));
  plan.clear_review_date();
  EXPECT_FALSE(ReviewOverdue(plan, absl::CivilDay(2099, 1, 1)));
}

}  // namespace
}  // namespace homecare::scheduling
