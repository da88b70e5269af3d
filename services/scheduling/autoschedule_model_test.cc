// The engine's model of a provider day: split shifts, visits kept as they are, continuity
// history, exclusions and genders, travel by mode, and the days the clocks change.
#include "services/scheduling/autoschedule_model.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/settings_rules.h"
#include "services/scheduling/solver/solution_check.h"
#include "services/scheduling/travel.h"

namespace homecare::scheduling {
namespace {

namespace rv1 = roster::v1;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::Pointwise;
using ::testing::UnorderedElementsAre;

const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = new absl::TimeZone(*LoadTimeZone("Europe/London"));
  return *zone;
}

common::v1::GeoPoint Place(double north_km) {
  common::v1::GeoPoint point;
  point.set_latitude(51.5 + north_km / 111.2);
  point.set_longitude(-0.1);
  return point;
}

// A carer at home `home_km` north, available every day in the local `blocks` (hours).
rv1::CarerDetails Carer(const std::string& id, double home_km,
                        std::vector<std::pair<int, int>> blocks) {
  rv1::CarerDetails details;
  rv1::Carer& carer = *details.mutable_carer();
  carer.set_carer_id(id);
  carer.set_active(true);
  carer.set_gender(common::v1::GENDER_FEMALE);
  *carer.mutable_home() = Place(home_km);
  carer.set_travel_mode(rv1::TRAVEL_MODE_DRIVES);
  carer.set_max_minutes_per_day(480);
  carer.add_skills()->set_skill("personal-care");
  details.mutable_availability()->set_carer_id(id);
  for (int day = 1; day <= 7; ++day) {
    for (auto [from, to] : blocks) {
      rv1::WeeklyBlock& block = *details.mutable_availability()->add_weekly();
      block.set_day(static_cast<common::v1::DayOfWeek>(day));
      *block.mutable_time()->mutable_start() = TimeOfDayFromMinutes(from * 60);
      *block.mutable_time()->mutable_end() = TimeOfDayFromMinutes(to * 60);
    }
  }
  return details;
}

class AutoScheduleModelTest : public ::testing::Test {
 protected:
  absl::Time At(int hour, int minute = 0, int days = 0) const {
    return LocalToInstant(absl::CivilSecond(date_ + days) + hour * 3600 + minute * 60, London());
  }
  // A visit of Edna's (2 km north) at local `hour`:`minute` on the day, its window an hour.
  v1::Visit Visit(const std::string& id, int hour, int minute = 0, int days = 0) const {
    v1::Visit visit;
    visit.set_visit_id(id);
    visit.set_client_id("cli_edna");
    *visit.mutable_window_start() = TimeToProto(At(hour, minute, days));
    *visit.mutable_window_end() = TimeToProto(At(hour + 1, minute, days));
    *visit.mutable_planned_start() = TimeToProto(At(hour, minute, days));
    visit.set_duration_minutes(30);
    visit.set_carers_required(1);
    visit.add_required_skills("personal-care");
    visit.set_status(v1::VISIT_STATUS_NEEDS_CARER);
    *visit.mutable_location() = Place(2);
    *visit.mutable_local_date() = DateToProto(date_ + days);
    visit.set_version(3);
    return visit;
  }
  // A visit of Edna's at 09:00 `days_ago` days before the day, made by `carer`.
  v1::Visit Visited(const std::string& carer, int days_ago) const {
    v1::Visit visit = Visit("vis_then", 9, 0, -days_ago);
    visit.add_carer_ids(carer);
    return visit;
  }
  AutoScheduleInput Input() const {
    AutoScheduleInput input;
    input.date = date_;
    input.zone = London();
    input.now = At(6);
    input.settings = &settings_;
    v1::Client edna;
    edna.set_client_id("cli_edna");
    input.clients.push_back(edna);
    return input;
  }
  SolverModel Build(const AutoScheduleInput& input) const {
    absl::StatusOr<SolverModel> model = BuildSolverModel(input);
    EXPECT_TRUE(model.ok()) << model.status();
    EXPECT_TRUE(solver::ValidateProblem(model->problem).ok())
        << solver::ValidateProblem(model->problem);
    return *std::move(model);
  }
  AutoSchedulePlan Solve(const SolverModel& model) const {
    solver::SolveOptions options;
    options.weights = model.weights;
    options.max_iterations = 200;
    absl::StatusOr<solver::Solution> solution = solver::Solve(model.problem, options);
    EXPECT_TRUE(solution.ok()) << solution.status();
    EXPECT_TRUE(solver::CheckSolution(model.problem, model.weights, *solution).ok());
    return PlanFromSolution(model, *solution);
  }

  absl::CivilDay date_ = absl::CivilDay(2030, 12, 3);  // a Tuesday
  v1::SchedulingSettings settings_ = EffectiveSettings({});
};

TEST_F(AutoScheduleModelTest, ASplitShiftIsTwoStretchesOfOnePersonWithOneDailyLimit) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 10}, {17, 21}});
  input.visits = {Visit("vis_am", 8), Visit("vis_pm", 18)};
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.carers.size(), 2u);
  ASSERT_EQ(model.problem.people.size(), 1u);
  EXPECT_EQ(model.problem.people[0].max_working_minutes, 480);
  EXPECT_THAT(model.route_carer_ids, ElementsAre("car_ann", "car_ann"));
  EXPECT_EQ(model.problem.carers[0].person, 0);
  EXPECT_EQ(model.problem.carers[1].person, 0);
  EXPECT_DOUBLE_EQ(model.problem.carers[0].shift_start, 7 * 60);
  EXPECT_DOUBLE_EQ(model.problem.carers[0].shift_end, 10 * 60);
  EXPECT_DOUBLE_EQ(model.problem.carers[1].shift_start, 17 * 60);
  EXPECT_DOUBLE_EQ(model.problem.carers[1].shift_end, 21 * 60);

  const AutoSchedulePlan plan = Solve(model);
  ASSERT_EQ(plan.assignments.size(), 2u);
  EXPECT_EQ(plan.assignments[0].visit_id, "vis_am");
  EXPECT_THAT(plan.assignments[0].carer_ids, ElementsAre("car_ann"));
  EXPECT_EQ(plan.assignments[0].planned_start, At(8));
  EXPECT_EQ(plan.assignments[0].version, 3);
  EXPECT_EQ(plan.assignments[1].visit_id, "vis_pm");
  EXPECT_EQ(plan.assignments[1].planned_start, At(18));
  EXPECT_THAT(plan.unassigned, IsEmpty());
  // Two km each way from home, twice, by car.
  const int leg =
      EstimateTravel(Place(0), Place(2), rv1::TRAVEL_MODE_DRIVES, settings_.travel()).minutes;
  EXPECT_EQ(plan.travel_minutes, 4 * leg);
}

TEST_F(AutoScheduleModelTest, StartedAndStaffedVisitsAreKeptAndTakeTheirTimeOutOfTheDay) {
  AutoScheduleInput input = Input();
  input.now = At(8, 30);
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 13}});
  v1::Visit started = Visit("vis_started", 8);  // nobody on it, but it is past its start
  v1::Visit staffed = Visit("vis_staffed", 10);
  staffed.add_carer_ids("car_ann");
  staffed.set_status(v1::VISIT_STATUS_SCHEDULED);
  v1::Visit cancelled = Visit("vis_cancelled", 11);
  cancelled.set_status(v1::VISIT_STATUS_CANCELLED);
  // Her visit in another locality the same day, which she keeps.
  v1::Visit elsewhere = Visit("vis_elsewhere", 12);
  elsewhere.add_carer_ids("car_ann");
  input.visits = {started, staffed, cancelled, Visit("vis_open", 9)};
  input.commitments = {elsewhere};
  const SolverModel model = Build(input);
  EXPECT_THAT(model.kept_visit_ids, ElementsAre("vis_staffed"));
  EXPECT_THAT(model.left_out, ElementsAre(Field(&LeftOut::visit_id, "vis_started")));
  EXPECT_THAT(model.visit_ids, ElementsAre("vis_open"));
  // 07:00-13:00 less 10:00-10:30 and 12:00-12:30: three stretches, ending and starting at Edna's.
  ASSERT_EQ(model.problem.carers.size(), 3u);
  const solver::Carer& first = model.problem.carers[0];
  const solver::Carer& second = model.problem.carers[1];
  EXPECT_DOUBLE_EQ(first.shift_end, 10 * 60);
  EXPECT_DOUBLE_EQ(second.shift_start, 10 * 60 + 30);
  EXPECT_DOUBLE_EQ(second.shift_end, 12 * 60);
  EXPECT_NE(first.start_location, first.end_location);  // home, then Edna's door
  EXPECT_EQ(first.end_location, second.start_location);
  EXPECT_EQ(model.problem.people[0].max_working_minutes, 480 - 60);
}

TEST_F(AutoScheduleModelTest, ADoubleUpWithOneCarerChosenKeepsHerAndItsTime) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 13}});
  input.carers["car_bob"] = Carer("car_bob", 1, {{7, 13}});
  v1::Visit double_up = Visit("vis_double", 9, 15);
  double_up.set_carers_required(2);
  double_up.add_carer_ids("car_bob");
  input.visits = {double_up};
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.visits.size(), 1u);
  const solver::Visit& visit = model.problem.visits[0];
  ASSERT_EQ(visit.pinned_carers.size(), 1u);
  EXPECT_EQ(model.route_carer_ids[visit.pinned_carers[0]], "car_bob");
  EXPECT_DOUBLE_EQ(visit.window_start, 9 * 60 + 15);
  EXPECT_DOUBLE_EQ(visit.window_end, 9 * 60 + 15);
  const AutoSchedulePlan plan = Solve(model);
  ASSERT_EQ(plan.assignments.size(), 1u);
  EXPECT_THAT(plan.assignments[0].carer_ids, UnorderedElementsAre("car_ann", "car_bob"));
  EXPECT_EQ(plan.assignments[0].planned_start, At(9, 15));

  // Bob off all morning: the visit cannot be placed around him, and says why.
  rv1::Absence& absence = *input.carers["car_bob"].add_absences();
  absence.set_state(rv1::ABSENCE_STATE_ACTIVE);
  *absence.mutable_start_time() = TimeToProto(At(0));
  *absence.mutable_end_time() = TimeToProto(At(14));
  const SolverModel without_bob = Build(input);
  EXPECT_THAT(without_bob.visit_ids, IsEmpty());
  EXPECT_THAT(without_bob.left_out,
              ElementsAre(Field(&LeftOut::reason, "its carer car_bob has no free stretch for it")));
  EXPECT_THAT(without_bob.route_carer_ids, ElementsAre("car_ann"));
}

TEST_F(AutoScheduleModelTest, TheSchedulersOwnCarersMayMoveACoordinatorsStay) {
  AutoScheduleInput input = Input();
  input.now = At(8, 30);
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 13}});
  input.carers["car_bob"] = Carer("car_bob", 1, {{7, 13}});
  auto staffed = [](v1::Visit visit, std::vector<std::string> coordinators,
                    std::vector<std::string> schedulers) {
    for (const std::string& carer : coordinators) visit.add_carer_ids(carer);
    for (const std::string& carer : schedulers) {
      visit.add_carer_ids(carer);
      visit.add_auto_scheduled_carer_ids(carer);
    }
    visit.set_status(v1::VISIT_STATUS_SCHEDULED);
    return visit;
  };
  v1::Visit double_up = Visit("vis_mixed", 11);
  double_up.set_carers_required(2);
  input.visits = {staffed(Visit("vis_began", 8), {}, {"car_ann"}),   // the scheduler's, but begun
                  staffed(Visit("vis_chosen", 9), {"car_bob"}, {}),  // a coordinator's choice
                  staffed(Visit("vis_auto", 10, 15), {}, {"car_ann"}),  // the scheduler's: may move
                  staffed(double_up, {"car_ann"}, {"car_bob"})};        // one of each
  const SolverModel model = Build(input);
  EXPECT_THAT(model.kept_visit_ids, ElementsAre("vis_began", "vis_chosen"));
  ASSERT_THAT(model.visit_ids, ElementsAre("vis_auto", "vis_mixed"));
  auto carers = [&](const std::vector<int>& routes) {
    std::vector<std::string> ids;
    for (int route : routes) ids.push_back(model.route_carer_ids[route]);
    return ids;
  };
  const solver::Visit& moving = model.problem.visits[0];
  EXPECT_THAT(moving.pinned_carers, IsEmpty());
  EXPECT_THAT(carers(moving.usual_carers), ElementsAre("car_ann"));  // kept unless it pays
  EXPECT_DOUBLE_EQ(moving.window_start, 10 * 60 + 15);
  EXPECT_DOUBLE_EQ(moving.window_end, 11 * 60 + 15);  // its whole window, not its time
  const solver::Visit& mixed = model.problem.visits[1];
  EXPECT_THAT(carers(mixed.pinned_carers), ElementsAre("car_ann"));
  EXPECT_THAT(carers(mixed.usual_carers), ElementsAre("car_bob"));
  EXPECT_THAT(model.scheduled_carers, ElementsAre(ElementsAre("car_ann"), ElementsAre("car_bob")));
  EXPECT_THAT(model.planned_starts, ElementsAre(At(10, 15), At(11)));

  const AutoSchedulePlan plan = Solve(model);
  ASSERT_EQ(plan.assignments.size(), 2u);
  EXPECT_EQ(plan.assignments[0].visit_id, "vis_auto");
  EXPECT_THAT(plan.assignments[0].carer_ids, ElementsAre("car_ann"));
  EXPECT_THAT(plan.assignments[0].scheduled_carer_ids, ElementsAre("car_ann"));
  EXPECT_EQ(plan.assignments[0].scheduled_start, At(10, 15));
  EXPECT_THAT(plan.assignments[1].carer_ids, UnorderedElementsAre("car_ann", "car_bob"));

  // One the engine can no longer place (a skill Ann lost, say, before the roster's change was
  // followed) stays as it is rather than being emptied.
  input.visits[2].add_required_skills("hoist");
  const AutoSchedulePlan kept = Solve(Build(input));
  EXPECT_THAT(kept.unassigned, IsEmpty());
  ASSERT_EQ(kept.assignments.size(), 2u);
  EXPECT_EQ(kept.assignments[0].visit_id, "vis_auto");
  EXPECT_THAT(kept.assignments[0].carer_ids, ElementsAre("car_ann"));
  EXPECT_EQ(kept.assignments[0].planned_start, At(10, 15));
  EXPECT_EQ(kept.assignments[0].scheduled_start, At(10, 15));
  // Its carer still visits the client: the plan's continuity figures count them.
  EXPECT_FALSE(plan.assignments[0].client_id.empty());
  EXPECT_EQ(kept.assignments[0].client_id, plan.assignments[0].client_id);
  input.visits[2].clear_required_skills();

  // A repair keeps every carer where they are.
  input.move_scheduled_carers = false;
  const SolverModel repair = Build(input);
  EXPECT_THAT(repair.kept_visit_ids,
              ElementsAre("vis_began", "vis_chosen", "vis_auto", "vis_mixed"));
  EXPECT_THAT(repair.visit_ids, IsEmpty());
}

TEST_F(AutoScheduleModelTest, ContinuityCountsRecentVisitsMostAndNothingOlderThanFourWeeks) {
  AutoScheduleInput input = Input();
  for (const char* id : {"car_ann", "car_bob", "car_cat", "car_dee"}) {
    input.carers[id] = Carer(id, 0, {{7, 13}});
  }
  input.visits = {Visit("vis_today", 9)};
  v1::Visit cancelled = Visited("car_dee", 1);
  cancelled.set_status(v1::VISIT_STATUS_CANCELLED);
  input.history = {Visited("car_ann", 1), Visited("car_ann", 2), Visited("car_bob", 21),
                   Visited("car_cat", 29), cancelled};
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.clients.size(), 1u);
  const solver::Client& edna = model.problem.clients[0];
  std::vector<std::string> known;
  for (int route : edna.known_carers) known.push_back(model.route_carer_ids[route]);
  EXPECT_THAT(known, ElementsAre("car_ann", "car_bob"));
  // Ann twice this week: fully; Bob once, three weeks ago at 09:00: about an eighth.
  const double bob = std::pow(0.5, (21 - 9.0 / 24) / kContinuityHalfLifeDays);
  EXPECT_THAT(edna.known_carer_weights, Pointwise(DoubleNear(1e-9), {1.0, bob}));
  // Weighed as the tenant says.
  EXPECT_EQ(model.weights.unknown_carer, kDefaultContinuityMinutes);
  EXPECT_EQ(model.weights.client_carer, kDefaultCarerInDayMinutes);
  settings_.mutable_auto_schedule()->set_continuity_minutes(240);
  settings_.mutable_auto_schedule()->set_carer_in_day_minutes(90);
  EXPECT_EQ(Build(input).weights.unknown_carer, 240);
  EXPECT_EQ(Build(input).weights.client_carer, 90);
}

TEST_F(AutoScheduleModelTest, NewFacesCostMoreForAClientWhoHasMetManyCarersThisFortnight) {
  AutoScheduleInput input = Input();
  for (const char* id : {"car_ann", "car_bob", "car_cat", "car_dee", "car_eve"}) {
    input.carers[id] = Carer(id, 0, {{7, 13}});
  }
  input.visits = {Visit("vis_today", 9)};
  // Four carers in the fortnight (the day and the 13 before it); Eve came 14 days ago, before it.
  input.history = {Visited("car_ann", 1),  Visited("car_bob", 3),  Visited("car_cat", 8),
                   Visited("car_dee", 13), Visited("car_eve", 14), Visited("car_ann", 2)};
  EXPECT_EQ(Build(input).problem.clients[0].unknown_carer_factor, 1);
  // Eve again two days ago: five, the default threshold.
  input.history.push_back(Visited("car_eve", 2));
  ASSERT_EQ(settings_.auto_schedule().fortnight_carers_threshold(),
            kDefaultFortnightCarersThreshold);
  EXPECT_EQ(Build(input).problem.clients[0].unknown_carer_factor, kManyCarersContinuityFactor);
  // The tenant's threshold.
  settings_.mutable_auto_schedule()->set_fortnight_carers_threshold(6);
  EXPECT_EQ(Build(input).problem.clients[0].unknown_carer_factor, 1);
}

// `details` not working on `weekdays` (1 Monday to 7 Sunday).
rv1::CarerDetails Off(rv1::CarerDetails details, std::vector<int> weekdays) {
  auto& weekly = *details.mutable_availability()->mutable_weekly();
  for (int i = weekly.size() - 1; i >= 0; --i) {
    if (absl::c_linear_search(weekdays, static_cast<int>(weekly[i].day()))) {
      weekly.DeleteSubrange(i, 1);
    }
  }
  return details;
}

TEST_F(AutoScheduleModelTest, ANewFaceWhoCanComeBackOnTheRegularsOtherDaysOffCostsLess) {
  AutoScheduleInput input = Input();
  // Edna's 09:00 call was Reg's yesterday. Reg is off today (a Tuesday), Thursday and Saturday.
  input.carers["car_reg"] = Off(Carer("car_reg", 2, {{7, 13}}), {2, 4, 6});
  input.history = {Visited("car_reg", 1)};
  input.visits = {Visit("vis_today", 9)};
  // Edna lives 2 km north. New to her, by distance from her: Ann and Fay at her door, but Ann
  // is off on Thursdays and Saturdays, and Fay on Saturdays and away this Thursday; Cat, Bob
  // and Eve are free both days; Dee and Gus on Thursday only.
  input.carers["car_ann"] = Off(Carer("car_ann", 2, {{7, 13}}), {4, 6});
  input.carers["car_fay"] = Off(Carer("car_fay", 2, {{7, 13}}), {6});
  rv1::Absence& away = *input.carers["car_fay"].add_absences();
  away.set_state(rv1::ABSENCE_STATE_ACTIVE);
  *away.mutable_start_time() = TimeToProto(At(0, 0, 2));
  *away.mutable_end_time() = TimeToProto(At(0, 0, 3));
  input.carers["car_cat"] = Carer("car_cat", 3, {{7, 13}});
  input.carers["car_bob"] = Carer("car_bob", -0.5, {{7, 13}});
  input.carers["car_eve"] = Carer("car_eve", 8, {{7, 13}});
  input.carers["car_dee"] = Off(Carer("car_dee", 6, {{7, 13}}), {6});
  input.carers["car_gus"] = Off(Carer("car_gus", 10, {{7, 13}}), {6});
  const SolverModel model = Build(input);
  const solver::Client& edna = model.problem.clients[0];
  std::map<std::string, double> known;
  for (size_t i = 0; i < edna.known_carers.size(); ++i) {
    known[model.route_carer_ids[edna.known_carers[i]]] = edna.known_carer_weights[i];
  }
  // Three for the one carer missing: most days first, then the nearest.
  EXPECT_THAT(known, UnorderedElementsAre(Pair("car_cat", kCoverFamiliarity),
                                          Pair("car_bob", kCoverFamiliarity),
                                          Pair("car_eve", kCoverFamiliarity)));
  EXPECT_THAT(model.known_carers_met, ElementsAre(0));  // Reg has no stretch today
  // Cat costs the least of the new faces, and counts as one.
  const AutoSchedulePlan plan = Solve(model);
  ASSERT_EQ(plan.assignments.size(), 1u);
  EXPECT_THAT(plan.assignments[0].carer_ids, ElementsAre("car_cat"));
  EXPECT_EQ(plan.assignments[0].carers_new_to_client, 1);

  // With Cat and Bob gone, the third is one free on Thursday only: half the days.
  input.carers.erase("car_cat");
  input.carers.erase("car_bob");
  const SolverModel fewer = Build(input);
  known.clear();
  for (size_t i = 0; i < fewer.problem.clients[0].known_carers.size(); ++i) {
    known[fewer.route_carer_ids[fewer.problem.clients[0].known_carers[i]]] =
        fewer.problem.clients[0].known_carer_weights[i];
  }
  EXPECT_THAT(known, UnorderedElementsAre(Pair("car_eve", kCoverFamiliarity),
                                          Pair("car_dee", kCoverFamiliarity / 2),
                                          Pair("car_gus", kCoverFamiliarity / 2)));

  // When Reg works today, no one is missing: no covers.
  input.carers["car_reg"] = Off(Carer("car_reg", 2, {{7, 13}}), {4, 6});
  const SolverModel staffed = Build(input);
  ASSERT_EQ(staffed.problem.clients[0].known_carers.size(), 1u);
  EXPECT_EQ(staffed.route_carer_ids[staffed.problem.clients[0].known_carers[0]], "car_reg");
  EXPECT_THAT(staffed.known_carers_met, ElementsAre(1));
}

TEST_F(AutoScheduleModelTest, TheRotaRollsOverFromTheSameCallAWeekAndADayBefore) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 10}, {17, 21}});
  for (const char* id : {"car_bob", "car_cat", "car_dee", "car_eve"}) {
    input.carers[id] = Carer(id, 0, {{7, 21}});
  }
  input.carers["car_fay"] = Carer("car_fay", 0, {{7, 13}});  // mornings only now
  auto call = [&](const std::string& id, const std::string& pattern, int hour, int minute,
                  int days) {
    v1::Visit visit = Visit(id, hour, minute, days);
    visit.set_care_plan_id("cpl_edna");
    visit.set_pattern_id(pattern);
    return visit;
  };
  auto made = [&](v1::Visit visit, const std::string& carer) {
    visit.add_carer_ids(carer);
    visit.set_status(v1::VISIT_STATUS_SCHEDULED);
    return visit;
  };
  // Today: morning, tea and evening calls of Edna's care plan, and a one-off at noon.
  input.visits = {call("vis_am", "pat_am", 8, 0, 0), call("vis_tea", "pat_tea", 16, 0, 0),
                  call("vis_pm", "pat_pm", 18, 0, 0), Visit("vis_noon", 12)};
  v1::Visit cancelled = made(call("vis_c", "pat_am", 8, 0, -1), "car_eve");
  cancelled.set_status(v1::VISIT_STATUS_CANCELLED);
  v1::Visit other_plan = made(call("vis_o", "pat_am", 8, 0, -1), "car_eve");
  other_plan.set_care_plan_id("cpl_other");
  input.history = {
      made(call("vis_1", "pat_am", 8, 0, -7), "car_bob"),     // the same call a week ago
      made(call("vis_2", "pat_am", 8, 30, -1), "car_cat"),    // yesterday: not needed
      made(call("vis_3", "pat_am", 8, 0, -2), "car_dee"),     // two days ago: known, not usual
      made(call("vis_4", "pat_pm", 18, 0, -7), "car_fay"),    // a week ago, but not free now
      made(call("vis_5", "pat_pm", 18, 0, -1), "car_ann"),    // so yesterday's
      made(call("vis_t1", "pat_tea", 16, 0, -3), "car_cat"),  // twice this week
      made(call("vis_t2", "pat_tea", 16, 0, -2), "car_cat"),
      made(call("vis_t3", "pat_tea", 16, 0, -1), "car_eve"),  // covering once
      made(Visit("vis_6", 12, 50, -1), "car_dee"),  // a one-off 50 minutes later: the same
      made(Visit("vis_7", 10, 30, -7), "car_eve"),  // a one-off 90 minutes earlier: not
      cancelled,
      other_plan};
  const SolverModel model = Build(input);
  auto usual = [&](const std::string& visit_id) {
    std::vector<std::string> carers;
    for (size_t v = 0; v < model.visit_ids.size(); ++v) {
      if (model.visit_ids[v] != visit_id) continue;
      for (int route : model.problem.visits[v].usual_carers) {
        carers.push_back(model.route_carer_ids[route]);
      }
    }
    return carers;
  };
  EXPECT_THAT(usual("vis_am"), ElementsAre("car_bob"));
  EXPECT_THAT(usual("vis_pm"), ElementsAre("car_ann"));  // her evening stretch
  EXPECT_THAT(usual("vis_tea"), ElementsAre("car_cat"));
  EXPECT_THAT(usual("vis_noon"), ElementsAre("car_dee"));
  EXPECT_EQ(model.weights.unusual_carer, kDefaultUsualCarerMinutes);
  // Weighed above a carer fewer in the day, the rota is followed. (Edna has met six carers in
  // the fortnight, so new faces would cost her more: not weighed here.)
  settings_.mutable_auto_schedule()->set_usual_carer_minutes(200);
  settings_.mutable_auto_schedule()->set_fortnight_carers_threshold(kMaxFortnightCarersThreshold);
  const SolverModel weighed = Build(input);
  EXPECT_EQ(weighed.weights.unusual_carer, 200);
  const AutoSchedulePlan plan = Solve(weighed);
  for (const PlannedVisit& planned : plan.assignments) {
    ASSERT_EQ(planned.carer_ids.size(), 1u);
    EXPECT_THAT(usual(planned.visit_id), testing::Contains(planned.carer_ids[0]))
        << planned.visit_id;
  }
  EXPECT_EQ(plan.assignments.size(), 4u);
}

TEST_F(AutoScheduleModelTest, ThePlanCountsCarersNewToTheClientAndOffTheRota) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 21}});
  input.carers["car_bob"] = Carer("car_bob", 0, {{7, 10}, {17, 21}});  // one call at 8 or 9
  for (const char* client : {"cli_fred", "cli_gwen"}) {
    v1::Client record;
    record.set_client_id(client);
    input.clients.push_back(record);
  }
  auto call = [&](const std::string& id, const std::string& client, int hour, int days) {
    v1::Visit visit = Visit(id, hour, 0, days);
    visit.set_client_id(client);
    visit.set_care_plan_id(absl::StrCat("cpl_", client));
    visit.set_pattern_id(absl::StrCat("pat_", hour));
    visit.set_duration_minutes(60);
    return visit;
  };
  auto made = [&](v1::Visit visit, std::vector<std::string> carers) {
    for (const std::string& carer : carers) visit.add_carer_ids(carer);
    visit.set_status(v1::VISIT_STATUS_SCHEDULED);
    return visit;
  };
  v1::Visit gwen = call("vis_gwen", "cli_gwen", 18, 0);
  gwen.set_carers_required(2);
  input.visits = {call("vis_edna", "cli_edna", 8, 0), call("vis_fred", "cli_fred", 8, 0), gwen};
  input.history = {
      made(call("vis_1", "cli_edna", 8, -7), {"car_bob"}),
      made(call("vis_2", "cli_fred", 8, -1), {"car_bob"}),   // Bob's too, so one goes to Ann
      made(call("vis_3", "cli_fred", 16, -1), {"car_ann"}),  // whom Fred knows well
      made(call("vis_4", "cli_fred", 16, -2), {"car_ann"}),
      // Gwen's call was Cat's and Dee's, who are not working today: no one is off her rota.
      made(call("vis_5", "cli_gwen", 18, -1), {"car_cat", "car_dee"})};
  const AutoSchedulePlan plan = Solve(Build(input));
  ASSERT_EQ(plan.assignments.size(), 3u);
  auto planned = [&](const std::string& visit_id) -> const PlannedVisit& {
    for (const PlannedVisit& visit : plan.assignments) {
      if (visit.visit_id == visit_id) return visit;
    }
    ADD_FAILURE() << visit_id << " not planned";
    return plan.assignments[0];
  };
  EXPECT_THAT(planned("vis_edna").carer_ids, ElementsAre("car_bob"));
  EXPECT_EQ(planned("vis_edna").client_id, "cli_edna");
  EXPECT_EQ(planned("vis_edna").carers_new_to_client, 0);
  EXPECT_EQ(planned("vis_edna").carers_off_rota, 0);
  EXPECT_THAT(planned("vis_fred").carer_ids, ElementsAre("car_ann"));
  EXPECT_EQ(planned("vis_fred").carers_new_to_client, 0);
  EXPECT_EQ(planned("vis_fred").carers_off_rota, 1);
  EXPECT_EQ(planned("vis_gwen").carers_new_to_client, 2);
  EXPECT_EQ(planned("vis_gwen").carers_off_rota, 0);
  const v1::SchedulePlan proto = PlanToProto(plan);
  const v1::PlanContinuity& continuity = proto.continuity();
  EXPECT_EQ(continuity.carer_visits(), 4);
  EXPECT_EQ(continuity.carer_visits_new_to_client(), 2);
  EXPECT_EQ(continuity.carer_visits_off_rota(), 1);
  EXPECT_EQ(continuity.clients(), 3);
  EXPECT_DOUBLE_EQ(continuity.distinct_carers_per_client(), 4.0 / 3);
}

TEST_F(AutoScheduleModelTest, TheSameCallIsTheSameLocalTimeAcrossAClockChange) {
  date_ = absl::CivilDay(2030, 4, 1);  // the Monday after the clocks went forward
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 21}});
  input.carers["car_bob"] = Carer("car_bob", 0, {{7, 21}});
  input.visits = {Visit("vis_noon", 12)};
  // 12:30 local yesterday (GMT) is 90 minutes later in the day than 12:00 today (BST) in UTC.
  v1::Visit yesterday = Visit("vis_then", 12, 30, -1);
  yesterday.add_carer_ids("car_bob");
  input.history = {yesterday};
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.visits.size(), 1u);
  ASSERT_EQ(model.problem.visits[0].usual_carers.size(), 1u);
  EXPECT_EQ(model.route_carer_ids[model.problem.visits[0].usual_carers[0]], "car_bob");
}

TEST_F(AutoScheduleModelTest, TheSameCallMayBeOnTheOtherSideOfMidnight) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{0, 3}});
  input.carers["car_bob"] = Carer("car_bob", 0, {{0, 3}});
  input.now = At(0);
  input.visits = {Visit("vis_night", 0, 20)};
  // Yesterday's night call opened at 23:40: forty minutes from 00:20 round the clock.
  v1::Visit yesterday = Visit("vis_then", 23, 40, -1);
  yesterday.add_carer_ids("car_bob");
  v1::Visit before = Visit("vis_before", 22, 10, -1);  // 130 minutes earlier: another call
  before.add_carer_ids("car_ann");
  input.history = {yesterday, before};
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.visits.size(), 1u);
  ASSERT_EQ(model.problem.visits[0].usual_carers.size(), 1u);
  EXPECT_EQ(model.route_carer_ids[model.problem.visits[0].usual_carers[0]], "car_bob");
}

TEST_F(AutoScheduleModelTest, ExclusionsPreferencesAndGendersGoToTheRightStretches) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 10}, {17, 21}});
  input.carers["car_bob"] = Carer("car_bob", 0, {{7, 13}});
  input.carers["car_bob"].mutable_carer()->set_gender(common::v1::GENDER_MALE);
  input.carers["car_bob"].mutable_carer()->set_travel_mode(rv1::TRAVEL_MODE_WALKS);
  v1::Client& edna = input.clients[0];
  edna.add_excluded_carer_ids("car_ann");
  edna.add_preferred_carer_ids("car_bob");
  edna.set_preferred_carer_gender(common::v1::GENDER_MALE);
  edna.set_carer_gender_required(true);
  input.visits = {Visit("vis_am", 8)};
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.carers.size(), 3u);  // Ann's two stretches, Bob's one
  EXPECT_THAT(model.problem.carers[0].never_visit_clients, ElementsAre(0));
  EXPECT_THAT(model.problem.carers[1].never_visit_clients, ElementsAre(0));
  EXPECT_THAT(model.problem.carers[2].never_visit_clients, IsEmpty());
  EXPECT_THAT(model.problem.clients[0].preferred_carers, ElementsAre(2));
  EXPECT_EQ(model.problem.clients[0].preferred_gender, solver::Gender::kMale);
  EXPECT_TRUE(model.problem.clients[0].gender_required);
  EXPECT_EQ(model.problem.carers[2].gender, solver::Gender::kMale);
  // Bob walks: his own matrix, by EstimateTravel on foot.
  EXPECT_EQ(model.problem.carers[0].travel_profile, 0);
  EXPECT_EQ(model.problem.carers[2].travel_profile, 1);
  ASSERT_EQ(model.problem.other_travel.size(), 1u);
  const solver::Carer& bob = model.problem.carers[2];
  const int edna_place = model.problem.visits[0].location;
  EXPECT_EQ(model.problem.other_travel[0](bob.start_location, edna_place),
            EstimateTravel(Place(0), Place(2), rv1::TRAVEL_MODE_WALKS, settings_.travel()).minutes);
  const AutoSchedulePlan plan = Solve(model);
  ASSERT_EQ(plan.assignments.size(), 1u);
  EXPECT_THAT(plan.assignments[0].carer_ids, ElementsAre("car_bob"));
}

TEST_F(AutoScheduleModelTest, WhenOneMustBeLeftItIsNotTheTimeCriticalOne) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 21}});
  // Two visits at 08:00 for 90 minutes' work each, one carer: the wash is left, whichever
  // comes first in the data.
  for (bool meds_first : {true, false}) {
    input.visits = {Visit("vis_meds", 8), Visit("vis_wash", 8)};
    input.visits[0].set_time_critical(true);
    for (v1::Visit& visit : input.visits) visit.set_duration_minutes(90);
    if (!meds_first) std::swap(input.visits[0], input.visits[1]);
    const SolverModel model = Build(input);
    for (int v = 0; v < 2; ++v) {
      EXPECT_EQ(model.problem.visits[v].unassigned_factor,
                model.visit_ids[v] == "vis_meds" ? kTimeCriticalUnassignedFactor : 1);
    }
    const AutoSchedulePlan plan = Solve(model);
    ASSERT_EQ(plan.assignments.size(), 1u);
    EXPECT_EQ(plan.assignments[0].visit_id, "vis_meds");
    ASSERT_EQ(plan.unassigned.size(), 1u);
    EXPECT_EQ(plan.unassigned[0].visit_id, "vis_wash");
  }
}

TEST_F(AutoScheduleModelTest, NoVisitMayStartAfterItsWindow) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 21}});
  // Two visits at 08:00 for 90 minutes' work each, one carer: one is left, rather than planned
  // late, since AssignCarers would refuse a planned start outside the window.
  input.visits = {Visit("vis_meds", 8), Visit("vis_wash", 8)};
  input.visits[1].set_duration_minutes(90);
  input.visits[0].set_duration_minutes(90);
  const SolverModel model = Build(input);
  ASSERT_EQ(model.problem.visits.size(), 2u);
  for (const solver::Visit& visit : model.problem.visits) {
    EXPECT_EQ(visit.latest_start, visit.window_end);
  }
  const AutoSchedulePlan plan = Solve(model);
  EXPECT_EQ(plan.assignments.size(), 1u);
  ASSERT_EQ(plan.unassigned.size(), 1u);
  for (const PlannedVisit& planned : plan.assignments) {
    EXPECT_LE(planned.planned_start, At(9));
  }
}

TEST_F(AutoScheduleModelTest, MinutesCountRealTimeOnTheDaysTheClocksChange) {
  for (auto [date, eight_am] : {std::pair{absl::CivilDay(2030, 3, 31), 7 * 60},
                                std::pair{absl::CivilDay(2030, 10, 27), 9 * 60}}) {
    date_ = date;
    AutoScheduleInput input = Input();
    input.now = At(0);
    input.carers["car_ann"] = Carer("car_ann", 0, {{8, 12}});
    input.visits = {Visit("vis_am", 9)};
    const SolverModel model = Build(input);
    EXPECT_EQ(model.origin, LocalToInstant(absl::CivilSecond(date), London()));
    ASSERT_EQ(model.problem.carers.size(), 1u);
    EXPECT_DOUBLE_EQ(model.problem.carers[0].shift_start, eight_am) << date;
    EXPECT_DOUBLE_EQ(model.problem.visits[0].window_start, eight_am + 60) << date;
    const AutoSchedulePlan plan = Solve(model);
    ASSERT_EQ(plan.assignments.size(), 1u);
    EXPECT_EQ(plan.assignments[0].planned_start, At(9)) << date;
  }
}

TEST_F(AutoScheduleModelTest, InactiveCarersAndUnknownSettingsAreRefusedOrLeftOut) {
  AutoScheduleInput input = Input();
  input.carers["car_ann"] = Carer("car_ann", 0, {{7, 13}});
  input.carers["car_ann"].mutable_carer()->set_active(false);
  input.visits = {Visit("vis_am", 8)};
  const SolverModel model = Build(input);
  EXPECT_THAT(model.problem.carers, IsEmpty());
  const AutoSchedulePlan plan = Solve(model);
  EXPECT_THAT(plan.unassigned, ElementsAre(Field(&LeftOut::visit_id, "vis_am")));
  input.settings = nullptr;
  EXPECT_EQ(BuildSolverModel(input).status().code(), absl::StatusCode::kInvalidArgument);
  input.settings = &settings_;
  for (int i = 0; i < 65; ++i) {
    input.visits.push_back(Visit(absl::StrCat("vis_", i), 9));
    input.visits.back().add_required_skills(absl::StrCat("skill-", i));
  }
  EXPECT_EQ(BuildSolverModel(input).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace homecare::scheduling
