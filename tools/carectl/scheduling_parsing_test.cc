#include "tools/carectl/scheduling_parsing.h"

#include "common/testing/status_matchers.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carectl {
namespace {

namespace sv1 = scheduling::v1;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SchedulingParsingTest, EnumsByLowerCaseNamesWithDashes) {
  EXPECT_EQ(*ParseClientStatus("Suspended"), sv1::CLIENT_STATUS_SUSPENDED);
  EXPECT_EQ(*ParseSuspensionReason("respite"), sv1::SUSPENSION_REASON_RESPITE);
  EXPECT_EQ(*ParseVisitStatus("needs-carer"), sv1::VISIT_STATUS_NEEDS_CARER);
  EXPECT_EQ(*ParseCancellationReason("cancelled-by-family"),
            sv1::CANCELLATION_REASON_CANCELLED_BY_FAMILY);
  EXPECT_THAT(ParseVisitStatus("needs_carer").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("visit status \"needs_carer\" is not valid; expected cancelled, "
                                 "needs-carer, scheduled")));
  // GenerateVisits' own reason is not the coordinator's to give.
  EXPECT_FALSE(ParseCancellationReason("care-plan-changed").ok());
  EXPECT_EQ(VisitStatusName(sv1::VISIT_STATUS_NEEDS_CARER), "needs-carer");
  EXPECT_EQ(VisitStatusName(sv1::VISIT_STATUS_UNSPECIFIED), "unspecified");
}

TEST(SchedulingParsingTest, DurationsInWholeMinutes) {
  EXPECT_EQ(*ParseDurationMinutes("length", "30m"), 30);
  EXPECT_EQ(*ParseDurationMinutes("length", "1h15m"), 75);
  EXPECT_EQ(*ParseDurationMinutes("length", "2h"), 120);
  EXPECT_THAT(ParseDurationMinutes("duration", "45").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duration \"45\"")));
  EXPECT_FALSE(ParseDurationMinutes("length", "0m").ok());
  EXPECT_FALSE(ParseDurationMinutes("length", "-30m").ok());
  EXPECT_FALSE(ParseDurationMinutes("length", "90s").ok());
  EXPECT_FALSE(ParseDurationMinutes("length", "25h").ok());
  EXPECT_FALSE(ParseDurationMinutes("length", "inf").ok());
  EXPECT_EQ(*ParseCarersRequired("2"), 2);
  EXPECT_THAT(ParseCarersRequired("3").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("carers \"3\"")));
}

TEST(SchedulingParsingTest, Contacts) {
  std::vector<sv1::Contact> contacts =
      *ParseContacts("Ann Lee|daughter|07700 900123|unpaid; Dr Shah | GP | 020 7946 0000");
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0].name(), "Ann Lee");
  EXPECT_EQ(contacts[0].phone(), "07700 900123");
  EXPECT_TRUE(contacts[0].is_unpaid_carer());
  EXPECT_EQ(contacts[1].relationship(), "GP");
  EXPECT_FALSE(contacts[1].is_unpaid_carer());
  EXPECT_THAT(ParseContacts("Ann Lee|daughter").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contact \"Ann Lee|daughter\" is not valid")));
  EXPECT_FALSE(ParseContacts("Ann|daughter|0770|paid").ok());
  EXPECT_FALSE(ParseContacts("|daughter|0770").ok());
  EXPECT_TRUE(ParseContacts("")->empty());
}

TEST(SchedulingParsingTest, OutcomesAndTasksGetIdsByPosition) {
  std::vector<sv1::Outcome> outcomes = ParseOutcomes("Make my own breakfast; Walk to the shop");
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[1].outcome_id(), "o2");
  EXPECT_EQ(outcomes[1].description(), "Walk to the shop");

  std::vector<sv1::Task> tasks = *ParseTasks("Breakfast|meds:Medication round|Wash");
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[0].task_id(), "t1");
  EXPECT_EQ(tasks[0].description(), "Breakfast");
  EXPECT_EQ(tasks[1].task_id(), "meds");
  EXPECT_EQ(tasks[1].description(), "Medication round");
  EXPECT_EQ(tasks[2].task_id(), "t3");
  // Text before a ':' with blanks is no id.
  EXPECT_EQ(ParseTasks("Check fridge: milk")->front().description(), "Check fridge: milk");
  EXPECT_THAT(ParseTasks("t2:Lunch|Tea").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("task id \"t2\"")));
  EXPECT_FALSE(ParseTasks("meds:").ok());
}

TEST(SchedulingParsingTest, DaysWithShorthands) {
  EXPECT_THAT(*ParseDays("weekdays"),
              ElementsAre(common::v1::DAY_OF_WEEK_MONDAY, common::v1::DAY_OF_WEEK_TUESDAY,
                          common::v1::DAY_OF_WEEK_WEDNESDAY, common::v1::DAY_OF_WEEK_THURSDAY,
                          common::v1::DAY_OF_WEEK_FRIDAY));
  EXPECT_EQ(ParseDays("daily")->size(), 7u);
  // Week order, each day once.
  EXPECT_THAT(*ParseDays("weekends,wed,sun"),
              ElementsAre(common::v1::DAY_OF_WEEK_WEDNESDAY, common::v1::DAY_OF_WEEK_SATURDAY,
                          common::v1::DAY_OF_WEEK_SUNDAY));
  EXPECT_THAT(ParseDays("mon,tues").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("day \"tues\"")));
  EXPECT_FALSE(ParseDays("").ok());
}

TEST(SchedulingParsingTest, PatternWithEveryOption) {
  sv1::VisitPattern pattern = *ParsePattern(
      "morning mon,tue,wed,thu,fri,sat,sun 07:30-08:30 30m carers=2 skills=hoist,medication "
      "tasks=\"Breakfast|meds:Medication round\" critical");
  EXPECT_EQ(pattern.pattern_id(), "morning");
  EXPECT_EQ(pattern.days_size(), 7);
  EXPECT_EQ(pattern.start_window().start().hours(), 7);
  EXPECT_EQ(pattern.start_window().start().minutes(), 30);
  EXPECT_EQ(pattern.start_window().end().hours(), 8);
  EXPECT_EQ(pattern.duration_minutes(), 30);
  EXPECT_EQ(pattern.carers_required(), 2);
  EXPECT_THAT(pattern.required_skills(), ElementsAre("hoist", "medication"));
  ASSERT_EQ(pattern.tasks_size(), 2);
  EXPECT_EQ(pattern.tasks(0).task_id(), "t1");
  EXPECT_EQ(pattern.tasks(1).task_id(), "meds");
  EXPECT_EQ(pattern.tasks(1).description(), "Medication round");
  EXPECT_TRUE(pattern.time_critical());
}

TEST(SchedulingParsingTest, PatternDefaultsAndAWindowPastMidnight) {
  sv1::VisitPattern pattern = *ParsePattern("  night weekends 23:30-00:30 1h15m ");
  EXPECT_EQ(pattern.days_size(), 2);
  EXPECT_EQ(pattern.start_window().start().hours(), 23);
  EXPECT_EQ(pattern.start_window().end().hours(), 0);
  EXPECT_EQ(pattern.start_window().end().minutes(), 30);
  EXPECT_EQ(pattern.duration_minutes(), 75);
  EXPECT_EQ(pattern.carers_required(), 1);
  EXPECT_EQ(pattern.required_skills_size(), 0);
  EXPECT_EQ(pattern.tasks_size(), 0);
  EXPECT_FALSE(pattern.time_critical());
}

TEST(SchedulingParsingTest, PatternErrorsQuoteThePatternAndSayWhatWasWrong) {
  auto error_of = [](absl::string_view text) {
    return std::string(ParsePattern(text).status().message());
  };
  EXPECT_THAT(error_of("mon 07:30-08:30 30m"), HasSubstr("put the pattern's id"));
  EXPECT_THAT(error_of("morning mon 07:30-08:30"),
              HasSubstr("pattern \"morning mon 07:30-08:30\": expected <id> <days>"));
  EXPECT_THAT(error_of("morning mon,tues 07:30-08:30 30m"), HasSubstr("day \"tues\""));
  EXPECT_THAT(error_of("morning mon 7.30-8.30 30m"), HasSubstr("time \"7.30\" is not valid"));
  EXPECT_THAT(error_of("morning mon 07:30-08:30 30"), HasSubstr("length \"30\""));
  EXPECT_THAT(error_of("morning mon 07:30-08:30 30m carers=3"), HasSubstr("carers \"3\""));
  EXPECT_THAT(error_of("morning mon 07:30-08:30 30m urgent"),
              HasSubstr("option \"urgent\" is not valid; expected carers=1|2"));
  EXPECT_THAT(error_of("morning mon 07:30-08:30 30m carers=1 carers=2"),
              HasSubstr("carers is given twice"));
  EXPECT_THAT(error_of("morning mon 07:30-08:30 30m tasks=\"Breakfast"),
              HasSubstr("'\"' is not closed"));
  EXPECT_THAT(error_of("morning! mon 07:30-08:30 30m"), HasSubstr("id \"morning!\""));
}

TEST(SchedulingParsingTest, PatternsSeparatedBySemicolons) {
  std::vector<sv1::VisitPattern> patterns = *ParsePatterns(
      "morning daily 07:30-08:30 30m tasks=\"Breakfast; tea|Meds\"; tea weekdays 16:00-17:00 "
      "45m;");
  ASSERT_EQ(patterns.size(), 2u);
  // A ';' inside quotes belongs to the task.
  EXPECT_EQ(patterns[0].tasks(0).description(), "Breakfast; tea");
  EXPECT_EQ(patterns[1].pattern_id(), "tea");
  EXPECT_THAT(ParsePatterns("a daily 07:00-08:00 30m; a daily 09:00-10:00 30m").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pattern id \"a\"")));
  EXPECT_TRUE(ParsePatterns("")->empty());
}

TEST(SchedulingParsingTest, LocalDaysAcrossTheClockChange) {
  absl::TimeZone london = *LoadTimeZone("Europe/London");
  auto [start, end] = LocalDayBounds(absl::CivilDay(2026, 3, 29), london);
  EXPECT_EQ(start, absl::FromCivil(absl::CivilSecond(2026, 3, 29, 0, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(end - start, absl::Hours(23));
  auto [july_start, july_end] = LocalDayBounds(absl::CivilDay(2026, 7, 1), london);
  // Midnight in London in July is 23:00 UTC the day before.
  EXPECT_EQ(july_start,
            absl::FromCivil(absl::CivilSecond(2026, 6, 30, 23, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(july_end - july_start, absl::Hours(24));
}

}  // namespace
}  // namespace homecare::carectl
