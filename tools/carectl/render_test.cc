#include "tools/carectl/render.h"

#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carectl {
namespace {

namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using ::testing::HasSubstr;
using ::testing::Not;

google::protobuf::Timestamp Utc(int year, int month, int day, int hour, int minute) {
  return TimeToProto(
      absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone()));
}

Directory London() {
  rv1::Tenant tenant;
  tenant.set_time_zone("Europe/London");
  auto* north = tenant.add_localities();
  north->set_locality_id("north");
  north->set_display_name("North");
  Directory directory;
  directory.AddTenant(tenant);
  directory.carers["car_1"] = "Ann Lee";
  directory.clients["cli_1"] = "Edna Clarke";
  return directory;
}

rv1::Carer Ann() {
  rv1::Carer carer;
  carer.set_carer_id("car_1");
  carer.set_display_name("Ann Lee");
  carer.set_gender(common::v1::GENDER_FEMALE);
  carer.set_locality_id("north");
  carer.set_hourly_rate_pence(1260);
  carer.set_contracted_minutes_per_week(1800);
  carer.set_travel_mode(rv1::TRAVEL_MODE_PUBLIC_TRANSPORT);
  carer.set_active(true);
  rv1::CarerSkill& hoist = *carer.add_skills();
  hoist.set_skill("hoist");
  *hoist.mutable_expires_on() = DateToProto(absl::CivilDay(2027, 3, 31));
  return carer;
}

TEST(RenderTest, CarerDetailsInWords) {
  std::string text = RenderCarer(Ann(), London());
  EXPECT_THAT(text, HasSubstr("carer:       Ann Lee (car_1)\n"));
  EXPECT_THAT(text, HasSubstr("locality:    North (north)\n"));
  EXPECT_THAT(text, HasSubstr("pay:         £12.60 an hour\n"));
  EXPECT_THAT(text, HasSubstr("skills:      hoist (to 2027-03-31)\n"));
  EXPECT_THAT(text, HasSubstr("contracted:  30h a week\n"));
  EXPECT_THAT(text, HasSubstr("travels:     public-transport\n"));
  EXPECT_THAT(text, HasSubstr("employer:    lead provider\n"));
  EXPECT_THAT(text, Not(HasSubstr("GENDER_")));
}

TEST(RenderTest, CarerTableWithNamesAndAnEmptyListInWords) {
  Repeated<rv1::Carer> carers;
  *carers.Add() = Ann();
  std::string table = RenderCarers(carers, "", London(), "unused");
  EXPECT_THAT(table, HasSubstr("NAME     GENDER  LOCALITY  SKILLS"));
  EXPECT_THAT(table, HasSubstr("Ann Lee  female  North     hoist (to 2027-03-31)  £12.60"));
  EXPECT_THAT(table, HasSubstr("car_1\n"));
  EXPECT_THAT(RenderCarers(carers, "next", London(), ""), HasSubstr("more: --page-token next\n"));

  rv1::ListEligibleCarersRequest eligible;
  EXPECT_EQ(RenderCarers({}, "", London(), EmptyEligibleMessage(eligible)),
            "no carers are free at that time\n");
  eligible.add_required_skills("hoist");
  eligible.set_locality_id("north");
  EXPECT_EQ(EmptyEligibleMessage(eligible), "no carers with hoist in north are free at that time");
  rv1::ListCarersRequest list;
  EXPECT_EQ(EmptyCarersMessage(list), "no carers");
  list.set_skill("hoist");
  EXPECT_EQ(EmptyCarersMessage(list), "no carers with those filters");
}

TEST(RenderTest, TenantWithMoneyAndLocalities) {
  rv1::Tenant tenant;
  tenant.set_tenant_id("demo-care");
  tenant.set_display_name("Demo Homecare");
  tenant.set_time_zone("Europe/London");
  tenant.set_minimum_hourly_pay_pence(1260);
  auto* north = tenant.add_localities();
  north->set_locality_id("north");
  north->set_display_name("North");
  tenant.set_version(3);
  *tenant.mutable_update_time() = Utc(2026, 7, 1, 6, 30);
  std::string text = RenderTenant(tenant);
  EXPECT_THAT(text, HasSubstr("tenant:          Demo Homecare (demo-care)\n"));
  EXPECT_THAT(text, HasSubstr("localities:      North (north)\n"));
  EXPECT_THAT(text, HasSubstr("sub-contractors: none\n"));
  EXPECT_THAT(text, HasSubstr("minimum pay:     £12.60 an hour\n"));
  EXPECT_THAT(text, HasSubstr("version:         3, changed Wed 2026-07-01 07:30 BST\n"));
}

TEST(RenderTest, AvailabilityByDayInWeekOrder) {
  rv1::Availability availability;
  availability.set_carer_id("car_1");
  for (auto [day, start, end] : {std::tuple{common::v1::DAY_OF_WEEK_TUESDAY, 16, 20},
                                 std::tuple{common::v1::DAY_OF_WEEK_MONDAY, 7, 10},
                                 std::tuple{common::v1::DAY_OF_WEEK_TUESDAY, 7, 10}}) {
    rv1::WeeklyBlock& block = *availability.add_weekly();
    block.set_day(day);
    *block.mutable_time()->mutable_start() = TimeOfDayFromMinutes(start * 60);
    *block.mutable_time()->mutable_end() = TimeOfDayFromMinutes(end * 60);
  }
  rv1::AvailabilityException& off = *availability.add_exceptions();
  *off.mutable_date() = DateToProto(absl::CivilDay(2026, 11, 24));
  off.set_unavailable_all_day(true);
  std::string text = RenderAvailability(availability, London());
  EXPECT_THAT(text, HasSubstr("carer:      Ann Lee (car_1)\n"
                              "weekly:     Mon 07:00-10:00\n"
                              "            Tue 16:00-20:00, 07:00-10:00\n"
                              "exceptions: 2026-11-24 off all day\n"));
}

sv1::Visit Morning() {
  sv1::Visit visit;
  visit.set_visit_id("vis_1");
  visit.set_client_id("cli_1");
  // 06:00 to 07:00 UTC on 1 July 2026 is 07:00 to 08:00 in London.
  *visit.mutable_window_start() = Utc(2026, 7, 1, 6, 0);
  *visit.mutable_window_end() = Utc(2026, 7, 1, 7, 0);
  visit.set_duration_minutes(75);
  visit.set_carers_required(2);
  visit.add_carer_ids("car_1");
  visit.set_status(sv1::VISIT_STATUS_NEEDS_CARER);
  visit.set_urgent(true);
  return visit;
}

TEST(RenderTest, VisitTableInLocalTimeWithNamesAndUrgentMarked) {
  sv1::ListVisitsResponse response;
  *response.add_visits() = Morning();
  sv1::Visit& later = *response.add_visits() = Morning();
  later.set_visit_id("vis_2");
  later.set_client_id("cli_unknown");
  later.set_urgent(false);
  later.set_time_critical(true);
  later.clear_carer_ids();
  *later.mutable_planned_start() = Utc(2026, 7, 1, 6, 30);
  std::string table = RenderVisits(response, London(), "unused");
  EXPECT_THAT(table, HasSubstr("URGENT  Wed 2026-07-01 07:00  07:00-08:00  1h15m   needs-carer  "
                               "Edna Clarke  1/2 Ann Lee  vis_1\n"));
  EXPECT_THAT(table, HasSubstr("        Wed 2026-07-01 07:30  07:00-08:00  1h15m   needs-carer  "
                               "cli_unknown  0/2          vis_2  time-critical\n"));
}

TEST(RenderTest, VisitDetailsAndEmptyDays) {
  sv1::Visit visit = Morning();
  sv1::Cancellation& cancellation = *visit.mutable_cancellation();
  cancellation.set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_FAMILY);
  cancellation.set_requested_by("Sue (daughter)");
  *cancellation.mutable_request_time() = Utc(2026, 6, 28, 9, 0);
  cancellation.set_notice_minutes(3 * 24 * 60 + 60);
  std::string text = RenderVisit(visit, London());
  EXPECT_THAT(text, HasSubstr("client:    Edna Clarke (cli_1)\n"));
  EXPECT_THAT(text, HasSubstr("starts:    Wed 2026-07-01 07:00 BST (window 07:00-08:00)\n"));
  EXPECT_THAT(text, HasSubstr("carers:    1/2 Ann Lee\n"));
  EXPECT_THAT(text, HasSubstr("cancelled: cancelled-by-family; asked by Sue (daughter); Sun "
                              "2026-06-28 10:00 BST, 3 days before the start\n"));

  sv1::ListVisitsRequest request;
  *request.mutable_start_time() = Utc(2026, 7, 1, 0, 0);
  EXPECT_EQ(RenderVisits({}, London(), EmptyVisitsMessage(request, true)),
            "no visits on that day\n");
  EXPECT_EQ(EmptyVisitsMessage(request, false), "no visits in that period");
  request.set_carer_id("car_1");
  EXPECT_EQ(EmptyVisitsMessage(request, true), "no visits on that day with those filters");
}

TEST(RenderTest, ClientsPlansAndCounts) {
  sv1::Client client;
  client.set_client_id("cli_1");
  client.set_display_name("Edna Clarke");
  client.set_status(sv1::CLIENT_STATUS_ACTIVE);
  client.set_preferred_carer_gender(common::v1::GENDER_FEMALE);
  client.set_carer_gender_required(true);
  client.add_preferred_carer_ids("car_1");
  sv1::Contact& sue = *client.add_contacts();
  sue.set_name("Sue Clarke");
  sue.set_relationship("daughter");
  sue.set_is_unpaid_carer(true);
  std::string text = RenderClient(client, London());
  EXPECT_THAT(text, HasSubstr("carer gender:     female only\n"));
  EXPECT_THAT(text, HasSubstr("preferred carers: Ann Lee\n"));
  EXPECT_THAT(text, HasSubstr("contacts:         Sue Clarke, daughter, unpaid carer\n"));
  EXPECT_EQ(RenderClients({}, London(), EmptyClientsMessage({})), "no clients\n");

  sv1::CarePlan plan;
  plan.set_care_plan_id("pln_1");
  plan.set_client_id("cli_1");
  plan.set_version(2);
  plan.set_weekly_budget_minutes(600);
  sv1::VisitPattern& morning = *plan.add_patterns();
  morning.set_pattern_id("morning");
  for (int day = 1; day <= 7; ++day) morning.add_days(static_cast<common::v1::DayOfWeek>(day));
  *morning.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(450);
  *morning.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(510);
  morning.set_duration_minutes(30);
  morning.set_carers_required(2);
  std::string plan_text = RenderCarePlan(plan, London());
  EXPECT_THAT(plan_text, HasSubstr("care plan:     pln_1, version 2\n"));
  EXPECT_THAT(plan_text, HasSubstr("client:        Edna Clarke (cli_1)\n"));
  EXPECT_THAT(plan_text, HasSubstr("weekly budget: 10h\n"));
  EXPECT_THAT(plan_text, HasSubstr("visits:        morning  daily  07:30-08:30  30m  2 carers\n"));
  sv1::ListCarePlansRequest overdue;
  overdue.set_review_overdue_only(true);
  EXPECT_EQ(EmptyCarePlansMessage(overdue), "no care plans are overdue for review");

  sv1::GenerateVisitsResponse counts;
  counts.set_visits_created(14);
  EXPECT_THAT(RenderGenerated(counts), HasSubstr("visits created:                  14\n"
                                                 "already there:                   0\n"));
}

TEST(RenderTest, AbsencesOpenEndedAndEmpty) {
  rv1::ListAbsencesResponse response;
  rv1::Absence& absence = *response.add_absences();
  absence.set_absence_id("abs_1");
  absence.set_carer_id("car_1");
  absence.set_kind(rv1::ABSENCE_KIND_ANNUAL_LEAVE);
  absence.set_state(rv1::ABSENCE_STATE_ACTIVE);
  *absence.mutable_start_time() = Utc(2026, 12, 1, 7, 0);
  EXPECT_THAT(RenderAbsences(response, London(), ""),
              HasSubstr("Ann Lee  annual-leave  Tue 2026-12-01 07:00  open  active"));
  EXPECT_THAT(RenderAbsence(absence, London()), HasSubstr("to:      not known yet\n"));
  rv1::ListAbsencesRequest request;
  request.set_carer_id("car_1");
  EXPECT_EQ(EmptyAbsencesMessage(request), "that carer has no absences");
}

sv1::Visit MorningVisit() {
  sv1::Visit visit;
  visit.set_visit_id("vis_1");
  visit.set_client_id("cli_1");
  *visit.mutable_window_start() = Utc(2030, 12, 3, 7, 30);
  *visit.mutable_window_end() = Utc(2030, 12, 3, 8, 30);
  *visit.mutable_planned_start() = Utc(2030, 12, 3, 7, 30);
  visit.set_duration_minutes(30);
  visit.set_carers_required(1);
  visit.add_carer_ids("car_1");
  visit.set_status(sv1::VISIT_STATUS_SCHEDULED);
  visit.add_tasks()->set_description("Medication");
  *visit.mutable_local_date() = DateToProto(absl::CivilDay(2030, 12, 3));
  return visit;
}

TEST(RenderTest, AnAssignmentShowsTheVisitAndEachWarning) {
  sv1::AssignCarersResponse response;
  *response.mutable_visit() = MorningVisit();
  sv1::AssignmentWarning& warning = *response.add_warnings();
  warning.set_carer_id("car_1");
  warning.set_rule("NEW_TO_CLIENT");
  warning.set_description("Ann Lee has not visited Edna Clarke before");
  std::string text = RenderAssignment(response, London());
  EXPECT_THAT(text, HasSubstr("carers:  1/1 Ann Lee\n"));
  EXPECT_THAT(text,
              HasSubstr("warning: Ann Lee: NEW_TO_CLIENT: Ann Lee has not visited Edna Clarke "
                        "before\n"));
}

TEST(RenderTest, ARotaAsATableAndWithTheDoorDetails) {
  sv1::Rota rota;
  rota.set_carer_id("car_1");
  rota.set_carer_display_name("Ann Lee");
  sv1::RotaEntry& entry = *rota.add_entries();
  *entry.mutable_visit() = MorningVisit();
  entry.set_travel_minutes_before(12);
  entry.set_travel_from_home(true);
  entry.set_travel_meters_before(5800);
  entry.set_client_display_name("Edna Clarke");
  entry.set_address_line("12 Elm Road");
  entry.set_access_notes("Key safe 1234");
  sv1::RotaCarer& other = *entry.add_other_carers();
  other.set_carer_id("car_2");
  other.set_display_name("Bob Shah");
  sv1::RotaDay& day = *rota.add_days();
  *day.mutable_date() = DateToProto(absl::CivilDay(2030, 12, 3));
  day.set_visits(1);
  day.set_visit_minutes(30);
  day.set_home_travel_minutes(24);
  rota.set_visit_minutes(30);
  rota.set_home_travel_minutes(24);

  std::string table = RenderRota(rota, London(), /*table=*/true);
  EXPECT_THAT(table, HasSubstr("rota of Ann Lee (car_1)\n"));
  EXPECT_THAT(table, ::testing::ContainsRegex(
                         "Tue 2030-12-03 07:30 +30m +12m from home +Edna Clarke +12 Elm Road +Bob "
                         "Shah +vis_1"));
  EXPECT_THAT(table, HasSubstr("2030-12-03: 1 visit(s), 30m visiting, 0m travelling between "
                               "them, 24m to and from home\n"));
  std::string details = RenderRota(rota, London(), /*table=*/false);
  EXPECT_THAT(details, HasSubstr("access:  Key safe 1234\n"));
  EXPECT_THAT(details, HasSubstr("with:    Bob Shah\n"));
  EXPECT_THAT(details, HasSubstr("travel:  12m from home, about 5.8 km\n"));
  rota.clear_entries();
  EXPECT_EQ(RenderRota(rota, London(), true), "no visits for Ann Lee in that period\n");
}

TEST(RenderTest, AutoScheduleShowsProgressThenThePlan) {
  sv1::AutoScheduleUpdate update;
  update.mutable_progress()->set_phase(sv1::AUTO_SCHEDULE_PHASE_LOADING);
  EXPECT_EQ(RenderAutoScheduleUpdate(update, London()), "   0.0s  loading the day\n");
  update.mutable_progress()->set_phase(sv1::AUTO_SCHEDULE_PHASE_SOLVING);
  update.mutable_progress()->set_elapsed_seconds(0.5);
  EXPECT_EQ(RenderAutoScheduleUpdate(update, London()), "   0.5s  building the first plan\n");
  update.mutable_progress()->set_elapsed_seconds(2);
  update.mutable_progress()->set_iterations(120);
  update.mutable_progress()->set_best_objective(345.25);
  update.mutable_progress()->set_unassigned_visits(1);
  EXPECT_EQ(RenderAutoScheduleUpdate(update, London()),
            "   2.0s  120 iterations  best 345.2  1 unassigned\n");
  update.mutable_progress()->set_elapsed_seconds(10.5);
  update.mutable_progress()->set_phase(sv1::AUTO_SCHEDULE_PHASE_APPLYING);
  update.mutable_progress()->set_visits_applied(1200);
  update.mutable_progress()->set_visits_to_apply(3024);
  EXPECT_EQ(RenderAutoScheduleUpdate(update, London()),
            "  10.5s  applying the plan: 1200 of 3024 visits written\n");
  sv1::SchedulePlan& plan = *update.mutable_plan();
  sv1::PlannedAssignment& assignment = *plan.add_assignments();
  assignment.set_visit_id("vis_1");
  assignment.add_carer_ids("car_1");
  assignment.add_carer_ids("car_2");
  *assignment.mutable_planned_start() = Utc(2030, 12, 3, 7, 30);
  sv1::UnassignedVisit& unassigned = *plan.add_unassigned();
  unassigned.set_visit_id("vis_2");
  unassigned.set_reason("no qualified carer");
  plan.set_travel_minutes(42);
  EXPECT_EQ(RenderAutoScheduleUpdate(update, London()),
            "Tue 2030-12-03 07:30  Ann Lee, car_2  vis_1\n"
            "not assigned: vis_2 (no qualified carer)\n"
            "1 visit(s) assigned, 1 not; 42 min of travel, 0 min late\n");
  sv1::PlanContinuity& continuity = *plan.mutable_continuity();
  continuity.set_clients(1);
  continuity.set_distinct_carers_per_client(2);
  continuity.set_carer_visits(2);
  continuity.set_carer_visits_new_to_client(1);
  EXPECT_THAT(RenderAutoScheduleUpdate(update, London()),
              HasSubstr("continuity: 2.00 carers per client this day; of 2 carer-visits 1 by a "
                        "carer new to the client, 0 not by the call's usual carer\n"));
}

TEST(RenderTest, AVisitChangeIsOneLine) {
  sv1::VisitChange change;
  change.set_kind(sv1::VisitChange::KIND_UNASSIGNED);
  *change.mutable_change_time() = Utc(2030, 12, 2, 9, 0);
  *change.mutable_visit() = MorningVisit();
  change.mutable_visit()->clear_carer_ids();
  change.mutable_visit()->set_status(sv1::VISIT_STATUS_NEEDS_CARER);
  sv1::CarerRemoval& removal = *change.mutable_visit()->mutable_carer_removal();
  removal.set_carer_id("car_1");
  removal.set_reason(sv1::CARER_REMOVAL_REASON_CARER_ABSENT);
  removal.set_removed_by("roster-change");
  EXPECT_EQ(RenderVisitChange(change, London()),
            "Mon 2030-12-02 09:00  unassigned  Tue 2030-12-03 07:30  Edna Clarke  needs-carer  0/1"
            "  (Ann Lee: carer-absent, by roster-change)  vis_1\n");
}

}  // namespace
}  // namespace homecare::carectl
