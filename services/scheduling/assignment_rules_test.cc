// The assignment rules, each alone and all at once, on the clock changes, past midnight, and
// with travel between visits.
#include "services/scheduling/assignment_rules.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status/errors.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/settings_rules.h"

namespace homecare::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = new absl::TimeZone(*LoadTimeZone("Europe/London"));
  return *zone;
}

absl::Time Local(int y, int m, int d, int hh, int mm = 0) {
  return LocalToInstant(absl::CivilSecond(y, m, d, hh, mm), London());
}

common::v1::GeoPoint Point(double latitude, double longitude) {
  common::v1::GeoPoint point;
  point.set_latitude(latitude);
  point.set_longitude(longitude);
  return point;
}

// The client's home, and places about 1 km and 20 km from it.
const common::v1::GeoPoint kHome = Point(51.5200, -0.1000);
const common::v1::GeoPoint kNear = Point(51.5290, -0.1000);
const common::v1::GeoPoint kFar = Point(51.7000, -0.1000);

// A visit of `minutes` planned at local `start`, dated the day its window starts (the same day
// unless `window_start` says otherwise).
v1::Visit VisitAt(const std::string& id, absl::Time start, int minutes,
                  const common::v1::GeoPoint& where = kHome) {
  v1::Visit visit;
  visit.set_visit_id(id);
  visit.set_client_id("cli_edna");
  *visit.mutable_window_start() = TimeToProto(start);
  *visit.mutable_window_end() = TimeToProto(start + absl::Hours(1));
  *visit.mutable_planned_start() = TimeToProto(start);
  visit.set_duration_minutes(minutes);
  visit.set_carers_required(1);
  visit.set_status(v1::VISIT_STATUS_NEEDS_CARER);
  *visit.mutable_location() = where;
  visit.set_locality_id("north");
  *visit.mutable_local_date() = DateToProto(LocalDay(start, London()));
  return visit;
}

v1::Client Edna() {
  v1::Client client;
  client.set_client_id("cli_edna");
  client.set_display_name("Edna");
  *client.mutable_location() = kHome;
  client.set_locality_id("north");
  return client;
}

common::v1::TimeOfDay Clock(int hours) { return TimeOfDayFromMinutes(hours * 60); }

// Ann: active, female, north, driving, medication in date, 8 hours a day at most, available
// every day from 07:00 to 13:00.
roster::v1::CarerDetails Ann() {
  roster::v1::CarerDetails details;
  roster::v1::Carer& carer = *details.mutable_carer();
  carer.set_carer_id("car_ann");
  carer.set_display_name("Ann");
  carer.set_active(true);
  carer.set_gender(common::v1::GENDER_FEMALE);
  carer.set_locality_id("north");
  *carer.mutable_home() = kNear;
  carer.set_travel_mode(roster::v1::TRAVEL_MODE_DRIVES);
  carer.set_max_minutes_per_day(480);
  carer.add_skills()->set_skill("medication");
  roster::v1::Availability& availability = *details.mutable_availability();
  availability.set_carer_id("car_ann");
  for (int day = 1; day <= 7; ++day) {
    roster::v1::WeeklyBlock& block = *availability.add_weekly();
    block.set_day(static_cast<common::v1::DayOfWeek>(day));
    *block.mutable_time()->mutable_start() = Clock(7);
    *block.mutable_time()->mutable_end() = Clock(13);
  }
  return details;
}

std::vector<std::string> Types(const absl::Status& status) {
  std::vector<std::string> types;
  for (const auto& violation : PreconditionViolationsOf(status)) types.push_back(violation.type());
  return types;
}

std::vector<std::string> Rules(const std::vector<v1::AssignmentWarning>& warnings) {
  std::vector<std::string> rules;
  for (const v1::AssignmentWarning& warning : warnings) rules.push_back(warning.rule());
  return rules;
}

class AssignmentRulesTest : public ::testing::Test {
 protected:
  // Assesses Ann (with `ann`'s facts and `around` her other visits) on `visit`.
  AssignmentVerdict Assess(const v1::Visit& visit, const roster::v1::CarerDetails& ann,
                           std::vector<v1::Visit> around = {}, bool visited = true,
                           bool override_preferences = false) {
    CarerToCheck carer{.carer_id = ann.carer().carer_id(),
                       .details = &ann,
                       .around = std::move(around),
                       .has_visited_client = visited};
    return AssessAssignment(
        {.visit = visit, .client = client_, .zone = London(), .now = now_, .settings = settings_},
        {carer}, override_preferences);
  }
  std::vector<std::string> Refused(const v1::Visit& visit, const roster::v1::CarerDetails& ann,
                                   std::vector<v1::Visit> around = {}) {
    return Types(Assess(visit, ann, std::move(around)).refused.ToStatus("refused"));
  }

  // Monday 2 December 2030, 09:00: the visits are the next day's.
  absl::Time now_ = Local(2030, 12, 2, 9);
  v1::Client client_ = Edna();
  v1::SchedulingSettings settings_ = EffectiveSettings({});
  v1::Visit visit_ = VisitAt("vis_tue", Local(2030, 12, 3, 8), 30);
};

TEST_F(AssignmentRulesTest, ACarerWhoFitsBreaksNoRule) {
  AssignmentVerdict verdict = Assess(visit_, Ann());
  EXPECT_TRUE(verdict.refused.empty());
  EXPECT_THAT(verdict.warnings, IsEmpty());
}

TEST_F(AssignmentRulesTest, EachHardRuleAlone) {
  roster::v1::CarerDetails inactive = Ann();
  inactive.mutable_carer()->set_active(false);
  EXPECT_THAT(Refused(visit_, inactive), ElementsAre("CARER_INACTIVE"));

  v1::Visit hoist = visit_;
  hoist.add_required_skills("hoist");
  EXPECT_THAT(Refused(hoist, Ann()), ElementsAre("SKILL_MISSING"));

  roster::v1::CarerDetails lapsed = Ann();
  *lapsed.mutable_carer()->mutable_skills(0)->mutable_expires_on() =
      DateToProto(absl::CivilDay(2030, 12, 2));
  v1::Visit medication = visit_;
  medication.add_required_skills("medication");
  EXPECT_THAT(Refused(medication, lapsed), ElementsAre("SKILL_MISSING"));
  *lapsed.mutable_carer()->mutable_skills(0)->mutable_expires_on() =
      DateToProto(absl::CivilDay(2030, 12, 3));
  EXPECT_THAT(Refused(medication, lapsed), IsEmpty()) << "a skill counts on its last day";

  v1::Visit afternoon = VisitAt("vis_pm", Local(2030, 12, 3, 12, 45), 30);
  EXPECT_THAT(Refused(afternoon, Ann()), ElementsAre("UNAVAILABLE")) << "ends after 13:00";
  roster::v1::CarerDetails never_set = Ann();
  never_set.clear_availability();
  EXPECT_THAT(Refused(visit_, never_set), ElementsAre("UNAVAILABLE"));

  roster::v1::CarerDetails absent = Ann();
  roster::v1::Absence& sick = *absent.add_absences();
  sick.set_carer_id("car_ann");
  sick.set_state(roster::v1::ABSENCE_STATE_ACTIVE);
  *sick.mutable_start_time() = TimeToProto(Local(2030, 12, 3, 8, 15));
  EXPECT_THAT(Refused(visit_, absent), ElementsAre("ABSENT"));
  sick.set_state(roster::v1::ABSENCE_STATE_CANCELLED);
  EXPECT_THAT(Refused(visit_, absent), IsEmpty());

  client_.add_excluded_carer_ids("car_ann");
  EXPECT_THAT(Refused(visit_, Ann()), ElementsAre("EXCLUDED_BY_CLIENT"));
  client_ = Edna();

  client_.set_preferred_carer_gender(common::v1::GENDER_MALE);
  client_.set_carer_gender_required(true);
  EXPECT_THAT(Refused(visit_, Ann()), ElementsAre("GENDER_REQUIRED"));
  client_ = Edna();

  EXPECT_THAT(Refused(visit_, Ann(), {VisitAt("vis_other", Local(2030, 12, 3, 8, 15), 30)}),
              ElementsAre("OVERLAPS_ANOTHER_VISIT"));

  roster::v1::CarerDetails short_days = Ann();
  short_days.mutable_carer()->set_max_minutes_per_day(45);
  EXPECT_THAT(Refused(visit_, short_days, {VisitAt("vis_other", Local(2030, 12, 3, 10), 30)}),
              ElementsAre("MAX_MINUTES_PER_DAY"))
      << "60 minutes of visits (the same place: no travel) over a 45-minute day";

  CarerToCheck unknown;
  unknown.carer_id = "car_nobody";
  AssignmentVerdict verdict = AssessAssignment(
      {.visit = visit_, .client = client_, .zone = London(), .now = now_, .settings = settings_},
      {unknown}, false);
  EXPECT_THAT(Types(verdict.refused.ToStatus("refused")), ElementsAre("CARER_NOT_FOUND"));
}

TEST_F(AssignmentRulesTest, EveryBrokenRuleIsListedOnceWithTheCarerNamed) {
  roster::v1::CarerDetails ann = Ann();
  ann.mutable_carer()->set_active(false);
  ann.clear_availability();
  roster::v1::Absence& sick = *ann.add_absences();
  sick.set_state(roster::v1::ABSENCE_STATE_ACTIVE);
  *sick.mutable_start_time() = TimeToProto(Local(2030, 12, 1, 0));
  client_.add_excluded_carer_ids("car_ann");
  client_.set_preferred_carer_gender(common::v1::GENDER_MALE);
  client_.set_carer_gender_required(true);
  v1::Visit visit = visit_;
  visit.add_required_skills("hoist");
  visit.add_required_skills("peg-feeding");
  absl::Status refused =
      Assess(visit, ann, {VisitAt("vis_other", Local(2030, 12, 3, 8), 30)}).refused.ToStatus("no");
  EXPECT_THAT(Types(refused),
              ElementsAre("CARER_INACTIVE", "SKILL_MISSING", "UNAVAILABLE", "ABSENT",
                          "EXCLUDED_BY_CLIENT", "GENDER_REQUIRED", "OVERLAPS_ANOTHER_VISIT"));
  for (const auto& violation : PreconditionViolationsOf(refused)) {
    EXPECT_EQ(violation.subject(), "carers/car_ann");
  }
  EXPECT_THAT(PreconditionViolationsOf(refused)[1].description(),
              ::testing::HasSubstr("hoist, peg-feeding"));
}

TEST_F(AssignmentRulesTest, TheVisitItselfMustBeOpenAndNotOverstaffed) {
  v1::Visit cancelled = visit_;
  cancelled.set_status(v1::VISIT_STATUS_CANCELLED);
  EXPECT_THAT(Refused(cancelled, Ann()), ElementsAre("VISIT_CANCELLED"));
  now_ = Local(2030, 12, 3, 9);  // the window's end
  EXPECT_THAT(Refused(visit_, Ann()), ElementsAre("VISIT_ENDED"));
  now_ = Local(2030, 12, 3, 8, 30);  // started, but the window is still open
  EXPECT_THAT(Refused(visit_, Ann()), IsEmpty());

  v1::Visit full = visit_;
  full.add_carer_ids("car_bob");
  EXPECT_THAT(Refused(full, Ann()), ElementsAre("TOO_MANY_CARERS"));
  full.set_carers_required(2);
  EXPECT_THAT(Refused(full, Ann()), IsEmpty()) << "the second carer of a double-up";
}

TEST_F(AssignmentRulesTest, TravelBetweenVisitsCanMakeThemOverlap) {
  // 08:35 is five minutes after the 08:00 visit ends: enough from next door, not from 20 km.
  v1::Visit next_door = VisitAt("vis_next", Local(2030, 12, 3, 8, 35), 30, kNear);
  v1::Visit far_away = VisitAt("vis_far", Local(2030, 12, 3, 8, 35), 30, kFar);
  EXPECT_THAT(Refused(visit_, Ann(), {next_door}), IsEmpty());
  EXPECT_THAT(Refused(visit_, Ann(), {far_away}), ElementsAre("OVERLAPS_ANOTHER_VISIT"));
  absl::Status refused = Assess(visit_, Ann(), {far_away}).refused.ToStatus("no");
  EXPECT_THAT(PreconditionViolationsOf(refused)[0].description(),
              ::testing::HasSubstr("min of travel between them"));
  // The same holds the other way round, and for a visit before this one.
  v1::Visit far_before = VisitAt("vis_far", Local(2030, 12, 3, 7, 20), 35, kFar);
  EXPECT_THAT(Refused(visit_, Ann(), {far_before}), ElementsAre("OVERLAPS_ANOTHER_VISIT"));
  // A cancelled visit and the visit itself are no obstacle.
  far_away.set_status(v1::VISIT_STATUS_CANCELLED);
  EXPECT_THAT(Refused(visit_, Ann(), {far_away, visit_}), IsEmpty());
  // Faster travel settings make the far visit reachable: 20 km at 150 km/h x 1 is 8 minutes;
  // at 10:00 there is an hour and a half.
  settings_.mutable_travel()->set_driving_speed_kmh(150);
  settings_.mutable_travel()->set_road_distance_factor(1);
  v1::Visit far_later = VisitAt("vis_far", Local(2030, 12, 3, 8, 40), 30, kFar);
  EXPECT_THAT(Refused(visit_, Ann(), {far_later}), IsEmpty());
}

TEST_F(AssignmentRulesTest, TheDayCountsTravelBetweenVisitsAgainstTheMaximum) {
  roster::v1::CarerDetails ann = Ann();
  // 30 + 30 minutes of visits and the drive from 20 km away and back: over 90, under 200.
  std::vector<v1::Visit> day = {VisitAt("vis_far", Local(2030, 12, 3, 10), 30, kFar)};
  ann.mutable_carer()->set_max_minutes_per_day(90);
  EXPECT_THAT(Refused(visit_, ann, day), ElementsAre("MAX_MINUTES_PER_DAY"));
  ann.mutable_carer()->set_max_minutes_per_day(200);
  EXPECT_THAT(Refused(visit_, ann, day), IsEmpty());
  // Another day's visits do not count towards this day.
  ann.mutable_carer()->set_max_minutes_per_day(45);
  EXPECT_THAT(Refused(visit_, ann, {VisitAt("vis_wed", Local(2030, 12, 4, 10), 30)}), IsEmpty());
}

TEST_F(AssignmentRulesTest, SoftRulesWarnAndRefuseOnlyWhenTheTenantSaysSo) {
  client_.set_preferred_carer_gender(common::v1::GENDER_MALE);
  client_.set_locality_id("south");
  client_.add_preferred_carer_ids("car_bob");
  AssignmentVerdict verdict = Assess(visit_, Ann(), {}, /*visited=*/false);
  EXPECT_TRUE(verdict.refused.empty());
  EXPECT_THAT(Rules(verdict.warnings), ElementsAre("PREFERRED_GENDER", "OTHER_LOCALITY",
                                                   "NOT_A_PREFERRED_CARER", "NEW_TO_CLIENT"));
  for (const v1::AssignmentWarning& warning : verdict.warnings) {
    EXPECT_EQ(warning.carer_id(), "car_ann");
  }

  settings_.set_refuse_on_preferences(true);
  EXPECT_THAT(
      Types(Assess(visit_, Ann(), {}, false).refused.ToStatus("no")),
      ElementsAre("PREFERRED_GENDER", "OTHER_LOCALITY", "NOT_A_PREFERRED_CARER", "NEW_TO_CLIENT"));
  EXPECT_TRUE(Assess(visit_, Ann(), {}, false, /*override_preferences=*/true).refused.empty());
}

TEST_F(AssignmentRulesTest, AvailabilityHoldsInLocalTimeAcrossTheClockChanges) {
  // Sunday 30 March 2031 (clocks forward) and Sunday 26 October 2031 (clocks back), 08:00 local.
  for (absl::Time start : {Local(2031, 3, 30, 8), Local(2031, 10, 26, 8)}) {
    now_ = start - absl::Hours(24);
    v1::Visit visit = VisitAt("vis_sunday", start, 60);
    EXPECT_THAT(Refused(visit, Ann()), IsEmpty()) << absl::FormatTime(start, London());
    v1::Visit late = VisitAt("vis_sunday", start + absl::Minutes(270), 60);  // 12:30 to 13:30
    EXPECT_THAT(Refused(late, Ann()), ElementsAre("UNAVAILABLE"));
  }
  // At the October change 01:30 happens twice; a block 01:00-03:00 covers both hours.
  roster::v1::CarerDetails night = Ann();
  roster::v1::WeeklyBlock& block = *night.mutable_availability()->add_weekly();
  block.set_day(common::v1::DAY_OF_WEEK_SUNDAY);
  *block.mutable_time()->mutable_start() = Clock(1);
  *block.mutable_time()->mutable_end() = Clock(3);
  now_ = Local(2031, 10, 25, 12);
  v1::Visit repeated_hour = VisitAt("vis_night", Local(2031, 10, 26, 1, 30), 90);
  EXPECT_THAT(Refused(repeated_hour, night), IsEmpty()) << "01:30 BST to 02:00 GMT";
}

TEST_F(AssignmentRulesTest, AVisitPastMidnightNeedsTheCarerOnBothDays) {
  v1::Visit late = VisitAt("vis_late", Local(2030, 12, 3, 23, 45), 30);
  // Every day 00:00-01:00 and 22:00-24:00: each evening joins the next day's first hour.
  roster::v1::CarerDetails evenings = Ann();
  evenings.mutable_availability()->clear_weekly();
  for (int day = 1; day <= 7; ++day) {
    for (auto [from, to] : {std::pair{0, 1}, std::pair{22, 24}}) {
      roster::v1::WeeklyBlock& block = *evenings.mutable_availability()->add_weekly();
      block.set_day(static_cast<common::v1::DayOfWeek>(day));
      *block.mutable_time()->mutable_start() = Clock(from);
      *block.mutable_time()->mutable_end() = Clock(to);
    }
  }
  EXPECT_THAT(Refused(late, evenings), IsEmpty());
  // Only Tuesday's evening: the visit runs into Wednesday, when she is not available.
  roster::v1::CarerDetails tuesday_only = evenings;
  tuesday_only.mutable_availability()->clear_weekly();
  roster::v1::WeeklyBlock& block = *tuesday_only.mutable_availability()->add_weekly();
  block.set_day(common::v1::DAY_OF_WEEK_TUESDAY);
  *block.mutable_time()->mutable_start() = Clock(22);
  *block.mutable_time()->mutable_end() = Clock(24);
  EXPECT_THAT(Refused(late, tuesday_only), ElementsAre("UNAVAILABLE"));
  block.mutable_time()->mutable_end()->set_hours(7);  // a night block, 22:00-07:00
  EXPECT_THAT(Refused(late, tuesday_only), IsEmpty());
  // A skill whose last day is Tuesday does not cover the minutes on Wednesday.
  v1::Visit medication = late;
  medication.add_required_skills("medication");
  *tuesday_only.mutable_carer()->mutable_skills(0)->mutable_expires_on() =
      DateToProto(absl::CivilDay(2030, 12, 3));
  EXPECT_THAT(Refused(medication, tuesday_only), ElementsAre("SKILL_MISSING"));
  // The carer's 23:00 visit on Tuesday overlaps it though it is dated the day before.
  EXPECT_THAT(Refused(late, evenings, {VisitAt("vis_eleven", Local(2030, 12, 3, 23, 0), 50)}),
              ElementsAre("OVERLAPS_ANOTHER_VISIT"));
}

TEST(RosterRemovalReasonTest, NamesWhatTheRosterNoLongerAllows) {
  const v1::Visit visit = VisitAt("vis_tue", Local(2030, 12, 3, 8), 30);
  roster::v1::CarerDetails ann = Ann();
  EXPECT_EQ(RosterRemovalReason(visit, &ann, London()), std::nullopt);
  EXPECT_EQ(RosterRemovalReason(visit, nullptr, London()), v1::CARER_REMOVAL_REASON_CARER_INACTIVE);
  roster::v1::CarerDetails absent = ann;
  roster::v1::Absence& sick = *absent.add_absences();
  sick.set_state(roster::v1::ABSENCE_STATE_ACTIVE);
  *sick.mutable_start_time() = TimeToProto(Local(2030, 12, 2, 10));
  EXPECT_EQ(RosterRemovalReason(visit, &absent, London()), v1::CARER_REMOVAL_REASON_CARER_ABSENT);
  v1::Visit medication = visit;
  medication.add_required_skills("medication");
  roster::v1::CarerDetails no_skill = ann;
  no_skill.mutable_carer()->clear_skills();
  EXPECT_EQ(RosterRemovalReason(medication, &no_skill, London()),
            v1::CARER_REMOVAL_REASON_SKILL_LAPSED);
  roster::v1::CarerDetails unavailable = ann;
  unavailable.mutable_availability()->clear_weekly();
  EXPECT_EQ(RosterRemovalReason(visit, &unavailable, London()),
            v1::CARER_REMOVAL_REASON_CARER_UNAVAILABLE);
  roster::v1::CarerDetails inactive = absent;
  inactive.mutable_carer()->set_active(false);
  EXPECT_EQ(RosterRemovalReason(visit, &inactive, London()),
            v1::CARER_REMOVAL_REASON_CARER_INACTIVE);
}

TEST(PlanCarerDayTest, TravelFromHomeBetweenVisitsAndBack) {
  const roster::v1::CarerDetails ann = Ann();  // lives about 1 km from the client
  const v1::SchedulingSettings settings = EffectiveSettings({});
  const v1::Visit late = VisitAt("vis_b", Local(2030, 12, 3, 11), 45, kFar);
  const v1::Visit early = VisitAt("vis_a", Local(2030, 12, 3, 8), 30, kHome);
  CarerDay day = PlanCarerDay({&late, &early}, ann.carer(), settings);
  ASSERT_EQ(day.legs.size(), 2u);
  EXPECT_EQ(day.legs[0].visit, &early);
  EXPECT_TRUE(day.legs[0].from_home);
  EXPECT_FALSE(day.legs[1].from_home);
  EXPECT_EQ(day.visit_minutes, 75);
  // 20.0 km x 1.3 at 30 km/h between them: 53 minutes; from home 1 km away to the first (3)
  // and from the second 19 km back home (50).
  EXPECT_EQ(day.legs[1].travel_minutes_before, 53);
  EXPECT_EQ(day.travel_minutes, 53);
  EXPECT_EQ(day.legs[0].travel_minutes_before, 3);
  EXPECT_EQ(day.home_travel_minutes, 3 + 50);
  EXPECT_EQ(day.working_minutes(), 75 + 53) << "home travel is not between visits";
  EXPECT_THAT(PlanCarerDay({}, ann.carer(), settings).legs, IsEmpty());
}

}  // namespace
}  // namespace homecare::scheduling
