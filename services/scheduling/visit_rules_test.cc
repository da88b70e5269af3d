#include "services/scheduling/visit_rules.h"

#include "common/status/errors.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/care_plan_rules.h"
#include "services/scheduling/client_rules.h"

namespace homecare::scheduling {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = new absl::TimeZone(*LoadTimeZone("Europe/London"));
  return *zone;
}

absl::Time Utc(int y, int m, int d, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), absl::UTCTimeZone());
}

absl::Time Local(int y, int m, int d, int hh, int mm = 0) {
  return LocalToInstant(absl::CivilSecond(y, m, d, hh, mm), London());
}

absl::Time At(const google::protobuf::Timestamp& t) { return absl::FromUnixSeconds(t.seconds()); }

v1::VisitPattern Pattern(const std::string& id, std::vector<common::v1::DayOfWeek> days,
                         int start_minutes, int end_minutes, int duration = 30) {
  v1::VisitPattern pattern;
  pattern.set_pattern_id(id);
  for (common::v1::DayOfWeek day : days) pattern.add_days(day);
  *pattern.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(start_minutes);
  *pattern.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(end_minutes);
  pattern.set_duration_minutes(duration);
  pattern.set_carers_required(1);
  pattern.add_tasks()->set_description("Breakfast");
  GiveTaskIds(*pattern.mutable_tasks());
  return pattern;
}

const std::vector<common::v1::DayOfWeek> kEveryDay = {
    common::v1::DAY_OF_WEEK_MONDAY,    common::v1::DAY_OF_WEEK_TUESDAY,
    common::v1::DAY_OF_WEEK_WEDNESDAY, common::v1::DAY_OF_WEEK_THURSDAY,
    common::v1::DAY_OF_WEEK_FRIDAY,    common::v1::DAY_OF_WEEK_SATURDAY,
    common::v1::DAY_OF_WEEK_SUNDAY};

v1::CarePlan Plan(int version, absl::CivilDay effective, std::vector<v1::VisitPattern> patterns) {
  v1::CarePlan plan;
  plan.set_care_plan_id("pln_1");
  plan.set_client_id("cli_1");
  plan.set_version(version);
  *plan.mutable_effective_date() = DateToProto(effective);
  plan.set_weekly_budget_minutes(600);
  for (v1::VisitPattern& pattern : patterns) *plan.add_patterns() = std::move(pattern);
  return plan;
}

v1::Client Client() {
  v1::Client client;
  client.set_client_id("cli_1");
  client.set_locality_id("north");
  client.mutable_location()->set_latitude(51.5);
  client.set_status(v1::CLIENT_STATUS_ACTIVE);
  return client;
}

const absl::Time kNow = Utc(2026, 1, 1, 0);

// A start window in the hour the clocks skip keeps its length (common/time LocalRange): the
// 01:30-02:30 window of 29 March 2026 is 02:30-03:30 BST, never an empty window; in the hour
// that repeats, 25 October, it spans both 01:30s to 02:30 GMT.
TEST(VisitsDueTest, AWindowInTheSkippedOrRepeatedHourIsNeverEmpty) {
  v1::CarePlan plan =
      Plan(1, absl::CivilDay(2026, 1, 1), {Pattern("night", kEveryDay, 90, 150, 20)});
  DueVisits spring = VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 3, 29),
                               absl::CivilDay(2026, 3, 29), London(), kNow);
  ASSERT_THAT(spring.visits, SizeIs(1));
  EXPECT_EQ(At(spring.visits[0].window_start()), Utc(2026, 3, 29, 1, 30));
  EXPECT_EQ(At(spring.visits[0].window_end()), Utc(2026, 3, 29, 2, 30));
  EXPECT_EQ(At(spring.visits[0].planned_start()), Utc(2026, 3, 29, 1, 30));
  DueVisits autumn = VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 10, 25),
                               absl::CivilDay(2026, 10, 25), London(), kNow);
  ASSERT_THAT(autumn.visits, SizeIs(1));
  EXPECT_EQ(At(autumn.visits[0].window_start()), Utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(At(autumn.visits[0].window_end()), Utc(2026, 10, 25, 2, 30));
}

TEST(VisitsDueTest, EightOClockStaysEightLocalAcrossBothClockChanges) {
  v1::CarePlan plan =
      Plan(1, absl::CivilDay(2026, 1, 1), {Pattern("am", kEveryDay, 8 * 60, 9 * 60)});
  // Saturday 28 March to Monday 30 March 2026 (BST from Sunday 01:00 UTC).
  DueVisits spring = VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 3, 28),
                               absl::CivilDay(2026, 3, 30), London(), kNow);
  ASSERT_THAT(spring.visits, SizeIs(3));
  EXPECT_EQ(At(spring.visits[0].planned_start()), Utc(2026, 3, 28, 8));
  EXPECT_EQ(At(spring.visits[1].planned_start()), Utc(2026, 3, 29, 7));
  EXPECT_EQ(At(spring.visits[2].planned_start()), Utc(2026, 3, 30, 7));
  EXPECT_EQ(At(spring.visits[1].window_end()), Utc(2026, 3, 29, 8));
  // Saturday 24 to Monday 26 October 2026 (GMT from Sunday 01:00 UTC).
  DueVisits autumn = VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 10, 24),
                               absl::CivilDay(2026, 10, 26), London(), kNow);
  ASSERT_THAT(autumn.visits, SizeIs(3));
  EXPECT_EQ(At(autumn.visits[0].planned_start()), Utc(2026, 10, 24, 7));
  EXPECT_EQ(At(autumn.visits[1].planned_start()), Utc(2026, 10, 25, 8));
  EXPECT_EQ(At(autumn.visits[2].planned_start()), Utc(2026, 10, 26, 8));
  for (const v1::Visit& visit : autumn.visits) {
    EXPECT_EQ(LocalDay(At(visit.planned_start()), London()),
              absl::CivilDay(visit.local_date().year(), visit.local_date().month(),
                             visit.local_date().day()));
    EXPECT_EQ(visit.status(), v1::VISIT_STATUS_NEEDS_CARER);
    EXPECT_EQ(visit.locality_id(), "north");
    EXPECT_EQ(visit.planned_start().seconds(), visit.window_start().seconds());
    EXPECT_THAT(visit.tasks(), SizeIs(1));
  }
}

TEST(VisitsDueTest, WindowPastMidnightEndsTheNextDayAndKeepsItsStartDate) {
  v1::CarePlan plan =
      Plan(1, absl::CivilDay(2026, 1, 1), {Pattern("night", kEveryDay, 23 * 60 + 30, 30)});
  DueVisits due = VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 11, 23),
                            absl::CivilDay(2026, 11, 23), London(), kNow);
  ASSERT_THAT(due.visits, SizeIs(1));
  EXPECT_EQ(At(due.visits[0].window_start()), Utc(2026, 11, 23, 23, 30));
  EXPECT_EQ(At(due.visits[0].window_end()), Utc(2026, 11, 24, 0, 30));
  EXPECT_EQ(due.visits[0].local_date().day(), 23);
}

TEST(VisitsDueTest, OnlyTheDaysOfThePattern) {
  v1::CarePlan plan = Plan(1, absl::CivilDay(2026, 1, 1),
                           {Pattern("shop", {common::v1::DAY_OF_WEEK_WEDNESDAY}, 600, 660, 60)});
  // Monday 23 to Sunday 29 November 2026: one Wednesday.
  DueVisits due = VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 11, 23),
                            absl::CivilDay(2026, 11, 29), London(), kNow);
  ASSERT_THAT(due.visits, SizeIs(1));
  EXPECT_EQ(due.visits[0].local_date().day(), 25);
}

TEST(VisitsDueTest, EachDateFollowsTheVersionInForce) {
  v1::CarePlan v1_plan =
      Plan(1, absl::CivilDay(2026, 11, 1), {Pattern("am", kEveryDay, 8 * 60, 9 * 60)});
  v1::CarePlan v2_plan = Plan(
      2, absl::CivilDay(2026, 11, 25),
      {Pattern("am", kEveryDay, 9 * 60, 10 * 60, 45), Pattern("pm", kEveryDay, 17 * 60, 18 * 60)});
  DueVisits due = VisitsDue("t", Client(), {{v2_plan, v1_plan}}, absl::CivilDay(2026, 10, 30),
                            absl::CivilDay(2026, 11, 26), London(), kNow);
  // Nothing before the first version; v1 from 1 to 24 November; v2 from the 25th.
  ASSERT_THAT(due.visits, SizeIs(24 + 2 * 2));
  EXPECT_EQ(due.visits[0].local_date().day(), 1);
  EXPECT_EQ(due.visits[23].care_plan_version(), 1);
  EXPECT_EQ(due.visits[23].duration_minutes(), 30);
  EXPECT_EQ(due.visits[24].care_plan_version(), 2);
  EXPECT_EQ(due.visits[24].duration_minutes(), 45);
  EXPECT_EQ(At(due.visits[24].planned_start()), Utc(2026, 11, 25, 9));
  EXPECT_EQ(due.visits[25].pattern_id(), "pm");
  // The same plan, pattern and date always name the same visit; a new version keeps the id.
  EXPECT_EQ(due.visits[24].visit_id(),
            GeneratedVisitId("t", "pln_1", "am", absl::CivilDay(2026, 11, 25)));
  EXPECT_NE(due.visits[24].visit_id(),
            GeneratedVisitId("other-tenant", "pln_1", "am", absl::CivilDay(2026, 11, 25)));
}

TEST(VisitsDueTest, NoVisitsWhileSuspendedOrAfterCareEnded) {
  v1::CarePlan plan = Plan(1, absl::CivilDay(2026, 1, 1), {Pattern("am", kEveryDay, 480, 540)});
  v1::Client client = Client();
  v1::Suspension& hospital = *client.add_suspensions();
  hospital.set_reason(v1::SUSPENSION_REASON_HOSPITAL);
  *hospital.mutable_start_date() = DateToProto(absl::CivilDay(2026, 11, 24));
  *hospital.mutable_end_date() = DateToProto(absl::CivilDay(2026, 11, 25));
  DueVisits due = VisitsDue("t", client, {{plan}}, absl::CivilDay(2026, 11, 23),
                            absl::CivilDay(2026, 11, 27), London(), kNow);
  EXPECT_THAT(due.visits, SizeIs(3));
  EXPECT_EQ(due.days_suspended, 2);
  ASSERT_TRUE(NoVisitsDueOn(client, absl::CivilDay(2026, 11, 24)).has_value());
  EXPECT_EQ(NoVisitsDueOn(client, absl::CivilDay(2026, 11, 24))->reason,
            v1::CANCELLATION_REASON_CLIENT_IN_HOSPITAL);

  v1::Suspension& open = *client.add_suspensions();
  open.set_reason(v1::SUSPENSION_REASON_RESPITE);
  *open.mutable_start_date() = DateToProto(absl::CivilDay(2026, 11, 27));
  due = VisitsDue("t", client, {{plan}}, absl::CivilDay(2026, 11, 23), absl::CivilDay(2026, 12, 31),
                  London(), kNow);
  EXPECT_THAT(due.visits, SizeIs(2)) << "an open-ended suspension lasts until it is ended";

  client.clear_suspensions();
  client.set_status(v1::CLIENT_STATUS_ENDED);
  due = VisitsDue("t", client, {{plan}}, absl::CivilDay(2026, 11, 23), absl::CivilDay(2026, 11, 29),
                  London(), kNow);
  EXPECT_THAT(due.visits, IsEmpty());
  EXPECT_EQ(due.days_suspended, 7);
}

TEST(ReconcileVisitsTest, CreatesMissingReplansFutureOldVersionsAndWithdrawsWhatIsNoLongerDue) {
  v1::CarePlan v1_plan =
      Plan(1, absl::CivilDay(2026, 11, 1),
           {Pattern("am", kEveryDay, 480, 540), Pattern("pm", kEveryDay, 1020, 1080)});
  v1::CarePlan v2_plan =
      Plan(2, absl::CivilDay(2026, 11, 25), {Pattern("am", kEveryDay, 600, 660)});
  const absl::CivilDay first(2026, 11, 24), last(2026, 11, 26);
  const absl::Time now = Local(2026, 11, 24, 12);
  // Made from v1 alone before v2 existed: 24, 25, 26 with am and pm.
  std::vector<v1::Visit> made =
      VisitsDue("t", Client(), {{v1_plan}}, first, last, London(), now - absl::Hours(48)).visits;
  ASSERT_THAT(made, SizeIs(6));
  made.pop_back();  // the 26th's pm was never made (a partial run)
  DueVisits due = VisitsDue("t", Client(), {{v1_plan, v2_plan}}, first, last, London(), now);
  VisitReconciliation changes = ReconcileVisits(due, made, Client(), now);
  // 24th: am started (past), pm due and present. 25th, 26th: am re-planned from v2 (10:00);
  // 25th pm withdrawn (v2 has no pm); the 26th's pm was never made and is not due.
  EXPECT_EQ(changes.already_present, 2);
  EXPECT_THAT(changes.to_create, IsEmpty());
  ASSERT_THAT(changes.to_replan, SizeIs(2));
  EXPECT_EQ(At(changes.to_replan[0].planned_start()), Local(2026, 11, 25, 10));
  EXPECT_EQ(changes.to_replan[0].care_plan_version(), 2);
  EXPECT_EQ(changes.to_replan[0].version(), 2);
  ASSERT_THAT(changes.to_withdraw, SizeIs(1));
  const v1::Visit& withdrawn = changes.to_withdraw[0];
  EXPECT_EQ(withdrawn.pattern_id(), "pm");
  EXPECT_EQ(withdrawn.status(), v1::VISIT_STATUS_CANCELLED);
  EXPECT_EQ(withdrawn.cancellation().reason(), v1::CANCELLATION_REASON_CARE_PLAN_CHANGED);
  EXPECT_GT(withdrawn.cancellation().notice_minutes(), 24 * 60);

  // Run again once those writes landed: nothing more to do.
  std::vector<v1::Visit> after = {made[0], made[1]};
  after.insert(after.end(), changes.to_replan.begin(), changes.to_replan.end());
  after.push_back(withdrawn);
  VisitReconciliation again = ReconcileVisits(due, after, Client(), now);
  EXPECT_THAT(again.to_create, IsEmpty());
  EXPECT_THAT(again.to_replan, IsEmpty());
  EXPECT_THAT(again.to_withdraw, IsEmpty());
}

TEST(ReconcileVisitsTest, ARePlannedVisitKeepsItsCarersOnlyWhenTheirChecksStillHold) {
  v1::CarePlan v1_plan =
      Plan(1, absl::CivilDay(2026, 11, 1),
           {Pattern("am", kEveryDay, 480, 540), Pattern("pm", kEveryDay, 1020, 1080)});
  // v2 moves the morning visit to 10:00 and adds a task to the afternoon one.
  v1::CarePlan v2_plan =
      Plan(2, absl::CivilDay(2026, 11, 25),
           {Pattern("am", kEveryDay, 600, 660), Pattern("pm", kEveryDay, 1020, 1080)});
  v2_plan.mutable_patterns(1)->add_tasks()->set_description("Check the heating");
  const absl::CivilDay day(2026, 11, 25);
  const absl::Time now = Local(2026, 11, 24, 12);
  std::vector<v1::Visit> made =
      VisitsDue("t", Client(), {{v1_plan}}, day, day, London(), now - absl::Hours(1)).visits;
  ASSERT_THAT(made, SizeIs(2));
  for (v1::Visit& visit : made) {
    visit.add_carer_ids("car_ann");
    visit.add_auto_scheduled_carer_ids("car_ann");  // the scheduler's choice, and it stays so
    visit.set_status(v1::VISIT_STATUS_SCHEDULED);
  }
  VisitReconciliation changes = ReconcileVisits(
      VisitsDue("t", Client(), {{v1_plan, v2_plan}}, day, day, London(), now), made, Client(), now);
  ASSERT_THAT(changes.to_replan, SizeIs(2));
  const v1::Visit& moved = changes.to_replan[0];
  EXPECT_EQ(moved.pattern_id(), "am");
  EXPECT_THAT(moved.carer_ids(), IsEmpty()) << "Ann was checked for 08:00, not 10:00";
  EXPECT_THAT(moved.auto_scheduled_carer_ids(), IsEmpty());
  EXPECT_EQ(moved.status(), v1::VISIT_STATUS_NEEDS_CARER);
  EXPECT_EQ(moved.carer_removal().carer_id(), "car_ann");
  EXPECT_EQ(moved.carer_removal().reason(), v1::CARER_REMOVAL_REASON_VISIT_REPLANNED);
  EXPECT_EQ(moved.carer_removal().removed_by(), kReconciliationActor);
  const v1::Visit& same_time = changes.to_replan[1];
  EXPECT_THAT(same_time.carer_ids(), ElementsAre("car_ann"));
  EXPECT_THAT(same_time.auto_scheduled_carer_ids(), ElementsAre("car_ann"));
  EXPECT_EQ(same_time.status(), v1::VISIT_STATUS_SCHEDULED);
  EXPECT_EQ(same_time.tasks_size(), 2);
}

TEST(ReconcileVisitsTest, SuspensionAddedLaterWithdrawsFutureVisitsForItsReason) {
  v1::CarePlan plan = Plan(1, absl::CivilDay(2026, 11, 1), {Pattern("am", kEveryDay, 480, 540)});
  const absl::CivilDay first(2026, 11, 24), last(2026, 11, 26);
  std::vector<v1::Visit> made =
      VisitsDue("t", Client(), {{plan}}, first, last, London(), kNow).visits;
  v1::Visit one_off = made[0];
  one_off.set_visit_id("vis_oneoff");
  one_off.clear_pattern_id();
  made.push_back(one_off);
  v1::Client client = Client();
  v1::Suspension& hospital = *client.add_suspensions();
  hospital.set_reason(v1::SUSPENSION_REASON_HOSPITAL);
  *hospital.mutable_start_date() = DateToProto(first);
  DueVisits due = VisitsDue("t", client, {{plan}}, first, last, London(), kNow);
  EXPECT_EQ(due.days_suspended, 3);
  VisitReconciliation changes = ReconcileVisits(due, made, client, kNow);
  ASSERT_THAT(changes.to_withdraw, SizeIs(3)) << "the one-off visit is the coordinator's to cancel";
  EXPECT_EQ(changes.to_withdraw[0].cancellation().reason(),
            v1::CANCELLATION_REASON_CLIENT_IN_HOSPITAL);
}

TEST(ReconcileVisitsTest, WithdrawnVisitsComeBackWhenDueAgainButCancelledOnesStayCancelled) {
  v1::CarePlan plan = Plan(1, absl::CivilDay(2026, 11, 1), {Pattern("am", kEveryDay, 480, 540)});
  const absl::CivilDay first(2026, 11, 24), last(2026, 11, 25);
  v1::Client suspended = Client();
  v1::Suspension& hospital = *suspended.add_suspensions();
  hospital.set_reason(v1::SUSPENSION_REASON_HOSPITAL);
  *hospital.mutable_start_date() = DateToProto(first);
  std::vector<v1::Visit> made =
      VisitsDue("t", Client(), {{plan}}, first, last, London(), kNow).visits;
  VisitReconciliation withdrawn = ReconcileVisits(
      VisitsDue("t", suspended, {{plan}}, first, last, London(), kNow), made, suspended, kNow);
  ASSERT_THAT(withdrawn.to_withdraw, SizeIs(2));
  EXPECT_EQ(withdrawn.to_withdraw[0].cancellation().cancelled_by(), kReconciliationActor);
  // The client is home early: the suspension is removed. The withdrawn visit comes back; the
  // one the family cancelled meanwhile does not.
  std::vector<v1::Visit> now_stored = withdrawn.to_withdraw;
  now_stored[1].mutable_cancellation()->set_cancelled_by("coordinator");
  VisitReconciliation back = ReconcileVisits(
      VisitsDue("t", Client(), {{plan}}, first, last, London(), kNow), now_stored, Client(), kNow);
  ASSERT_THAT(back.to_replan, SizeIs(1));
  EXPECT_EQ(back.to_replan[0].visit_id(), made[0].visit_id());
  EXPECT_EQ(back.to_replan[0].status(), v1::VISIT_STATUS_NEEDS_CARER);
  EXPECT_FALSE(back.to_replan[0].has_cancellation());
  EXPECT_EQ(back.to_replan[0].version(), now_stored[0].version() + 1);
  EXPECT_EQ(back.already_present, 1);
}

v1::Visit OneOff(absl::Time start, absl::Time end, int duration = 45) {
  v1::Visit visit;
  visit.set_client_id("cli_1");
  *visit.mutable_window_start() = TimeToProto(start);
  *visit.mutable_window_end() = TimeToProto(end);
  visit.set_duration_minutes(duration);
  visit.add_tasks()->set_description("Settle in after discharge");
  visit.set_urgent(true);
  return visit;
}

TEST(OneOffVisitTest, UrgentDischargeVisit) {
  const absl::Time now = Local(2026, 11, 23, 14);
  absl::StatusOr<v1::Visit> visit = NewOneOffVisit(
      OneOff(now + absl::Hours(2), now + absl::Hours(4)), Client(), "vis_x", London(), now);
  ASSERT_TRUE(visit.ok()) << visit.status();
  EXPECT_TRUE(visit->urgent());
  EXPECT_EQ(visit->carers_required(), 1);
  EXPECT_EQ(visit->tasks(0).task_id(), "t1");
  EXPECT_EQ(At(visit->planned_start()), now + absl::Hours(2));
  EXPECT_EQ(visit->locality_id(), "north");
  EXPECT_EQ(visit->local_date().day(), 23);
  EXPECT_EQ(visit->status(), v1::VISIT_STATUS_NEEDS_CARER);
}

TEST(OneOffVisitTest, AMissingWindowIsNamedAsMissing) {
  const absl::Time now = Local(2026, 11, 23, 14);
  v1::Visit no_start = OneOff(now + absl::Hours(2), now + absl::Hours(4));
  no_start.clear_window_start();
  absl::Status status = NewOneOffVisit(no_start, Client(), "v", London(), now).status();
  EXPECT_THAT(ViolatedFields(status), ElementsAre("visit.window_start"));
  EXPECT_THAT(FieldViolationsOf(status)[0].description(), ::testing::HasSubstr("must be set"));
  v1::Visit no_end = OneOff(now + absl::Hours(2), now + absl::Hours(4));
  no_end.clear_window_end();
  EXPECT_THAT(ViolatedFields(NewOneOffVisit(no_end, Client(), "v", London(), now).status()),
              ElementsAre("visit.window_end"));
  v1::Visit neither = OneOff(now, now);
  neither.clear_window_start();
  neither.clear_window_end();
  EXPECT_THAT(ViolatedFields(NewOneOffVisit(neither, Client(), "v", London(), now).status()),
              ElementsAre("visit.window_start", "visit.window_end"));
}

TEST(OneOffVisitTest, InvalidWindowsAndContentNameTheirFields) {
  const absl::Time now = Local(2026, 11, 23, 14);
  EXPECT_THAT(ViolatedFields(NewOneOffVisit(OneOff(now + absl::Hours(4), now + absl::Hours(2)),
                                            Client(), "v", London(), now)
                                 .status()),
              ElementsAre("visit.window_end"));
  EXPECT_THAT(ViolatedFields(NewOneOffVisit(OneOff(now + absl::Hours(1), now + absl::Hours(30)),
                                            Client(), "v", London(), now)
                                 .status()),
              ElementsAre("visit.window_end"));
  EXPECT_THAT(ViolatedFields(NewOneOffVisit(OneOff(now - absl::Hours(4), now - absl::Hours(2)),
                                            Client(), "v", London(), now)
                                 .status()),
              ElementsAre("visit.window_end"));
  v1::Visit bad = OneOff(now + absl::Hours(1), now + absl::Hours(2), 0);
  *bad.mutable_planned_start() = TimeToProto(now + absl::Hours(3));
  bad.set_carers_required(3);
  bad.add_required_skills("hoist");
  bad.add_required_skills("hoist");
  EXPECT_THAT(ViolatedFields(NewOneOffVisit(bad, Client(), "v", London(), now).status()),
              ElementsAre("visit.planned_start", "visit.duration_minutes", "visit.carers_required",
                          "visit.required_skills[1]"));
  v1::Client ended = Client();
  ended.set_status(v1::CLIENT_STATUS_ENDED);
  EXPECT_EQ(
      NewOneOffVisit(OneOff(now + absl::Hours(1), now + absl::Hours(2)), ended, "v", London(), now)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

v1::Visit Generated(absl::Time now) {
  v1::CarePlan plan = Plan(1, absl::CivilDay(2026, 1, 1), {Pattern("am", kEveryDay, 480, 540)});
  return VisitsDue("t", Client(), {{plan}}, absl::CivilDay(2026, 11, 24),
                   absl::CivilDay(2026, 11, 24), London(), now)
      .visits[0];
}

TEST(UpdateVisitTest, PlannedStartStaysInTheWindow) {
  const absl::Time now = Local(2026, 11, 23, 12);
  v1::Visit stored = Generated(now);
  v1::Visit changes;
  *changes.mutable_planned_start() = TimeToProto(Local(2026, 11, 24, 8, 30));
  absl::StatusOr<v1::Visit> moved =
      ApplyVisitUpdate(stored, changes, {"planned_start"}, London(), now);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(At(moved->planned_start()), Local(2026, 11, 24, 8, 30));
  EXPECT_EQ(moved->version(), 2);
  *changes.mutable_planned_start() = TimeToProto(Local(2026, 11, 24, 9, 30));
  EXPECT_THAT(
      ViolatedFields(ApplyVisitUpdate(stored, changes, {"planned_start"}, London(), now).status()),
      ElementsAre("visit.planned_start"));
  // Moving the window to the afternoon takes the planned start with it when it is not named.
  *changes.mutable_window_start() = TimeToProto(Local(2026, 11, 24, 14));
  *changes.mutable_window_end() = TimeToProto(Local(2026, 11, 24, 15));
  absl::StatusOr<v1::Visit> afternoon =
      ApplyVisitUpdate(stored, changes, {"window_start", "window_end"}, London(), now);
  ASSERT_TRUE(afternoon.ok()) << afternoon.status();
  EXPECT_EQ(At(afternoon->planned_start()), Local(2026, 11, 24, 14));
  // Once the visit's planned end has passed it is the check-in service's record.
  EXPECT_EQ(
      ApplyVisitUpdate(stored, changes, {"duration_minutes"}, London(), Local(2026, 11, 24, 9))
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST(CancelVisitTest, ReasonWhoAndNotice) {
  const absl::Time now = Local(2026, 11, 23, 12);
  v1::Visit stored = Generated(now);
  v1::Cancellation cancellation;
  EXPECT_THAT(ViolatedFields(CancelledVisit(stored, cancellation, "coordinator", now).status()),
              ElementsAre("cancellation.reason", "cancellation.requested_by"));
  cancellation.set_reason(v1::CANCELLATION_REASON_CANCELLED_BY_FAMILY);
  cancellation.set_requested_by("daughter, by phone");
  absl::StatusOr<v1::Visit> cancelled = CancelledVisit(stored, cancellation, "alice", now);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status(), v1::VISIT_STATUS_CANCELLED);
  EXPECT_EQ(cancelled->cancellation().notice_minutes(), 20 * 60);
  EXPECT_EQ(cancelled->cancellation().cancelled_by(), "alice");
  // A retry is answered with the visit as it is; another reason is refused.
  EXPECT_TRUE(AlreadyCancelledSo(*cancelled, cancellation));
  absl::StatusOr<v1::Visit> again = CancelledVisit(*cancelled, cancellation, "alice", now);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version(), cancelled->version());
  v1::Cancellation other = cancellation;
  other.set_reason(v1::CANCELLATION_REASON_CANCELLED_BY_PROVIDER);
  EXPECT_EQ(CancelledVisit(*cancelled, other, "alice", now).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Asked after the planned start: no notice; after the planned end: too late.
  absl::StatusOr<v1::Visit> late =
      CancelledVisit(stored, cancellation, "alice", Local(2026, 11, 24, 8, 10));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->cancellation().notice_minutes(), 0);
  EXPECT_EQ(
      CancelledVisit(stored, cancellation, "alice", Local(2026, 11, 24, 8, 31)).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST(VisitFilterTest, FiltersAndQueryKeys) {
  v1::Visit visit = Generated(kNow);
  EXPECT_TRUE(VisitFilter{}.Matches(visit));
  EXPECT_FALSE(VisitFilter{.urgent_only = true}.Matches(visit));
  EXPECT_FALSE(VisitFilter{.locality_id = "south"}.Matches(visit));
  EXPECT_TRUE(VisitFilter{.status = v1::VISIT_STATUS_NEEDS_CARER}.Matches(visit));
  EXPECT_NE(VisitFilter{}.QueryKey(), VisitFilter{.urgent_only = true}.QueryKey());
}

TEST(VisitChangeOfTest, CarriesTheKindTheVisitAndTheCarersBefore) {
  v1::Visit before;
  before.set_visit_id("vis_1");
  before.set_status(v1::VISIT_STATUS_NEEDS_CARER);
  before.mutable_create_time()->set_seconds(100);
  v1::VisitChange created =
      VisitChangeOf("sunrise-care", nullptr, before, v1::VisitChange::KIND_GENERATED);
  EXPECT_EQ(created.kind(), v1::VisitChange::KIND_GENERATED);
  EXPECT_EQ(created.tenant_id(), "sunrise-care");
  EXPECT_EQ(created.visit().visit_id(), "vis_1");
  EXPECT_EQ(created.change_time().seconds(), 100);  // no update time yet: the creation's
  EXPECT_TRUE(created.previous_carer_ids().empty());

  before.add_carer_ids("car_1");
  v1::Visit after = before;
  after.mutable_update_time()->set_seconds(200);
  after.clear_carer_ids();
  v1::VisitChange unassigned =
      VisitChangeOf("sunrise-care", &before, after, v1::VisitChange::KIND_UNASSIGNED);
  EXPECT_EQ(unassigned.kind(), v1::VisitChange::KIND_UNASSIGNED);
  EXPECT_EQ(unassigned.change_time().seconds(), 200);
  EXPECT_THAT(unassigned.previous_carer_ids(), ::testing::ElementsAre("car_1"));
  EXPECT_TRUE(unassigned.visit().carer_ids().empty());
}

}  // namespace
}  // namespace homecare::scheduling
