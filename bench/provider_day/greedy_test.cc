#include "bench/provider_day/greedy.h"

#include <numeric>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/solver/solution_check.h"
#include "services/scheduling/solver/test_util.h"

namespace homecare::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Places on a line a minute apart: location i is i minutes from location 0.
solver::TravelMatrix Line(int size) {
  std::vector<double> positions(size);
  std::iota(positions.begin(), positions.end(), 0);
  return solver::testing::LineTravel(positions);
}

solver::Carer CarerAt(int home, solver::Minutes start = 0, solver::Minutes end = 600) {
  return solver::testing::MakeCarer(0, home, start, end);
}

// A visit of client 0.
solver::Visit VisitAt(int location, solver::Minutes from, solver::Minutes to,
                      solver::Minutes duration = 30) {
  solver::Visit visit = solver::testing::MakeVisit(location, from, to, duration);
  visit.client = 0;
  return visit;
}

std::vector<int> VisitsOf(const solver::Solution& solution, int route) {
  std::vector<int> visits;
  for (const solver::ScheduledVisit& s : solution.routes[route].visits) visits.push_back(s.visit);
  return visits;
}

void ExpectValid(const solver::Problem& problem, const solver::Solution& solution) {
  EXPECT_TRUE(solver::CheckSolution(problem, solver::ObjectiveWeights(), solution).ok());
}

TEST(GreedyTest, NearestTakesTheCarerWithLeastTravel) {
  solver::Problem problem;
  problem.travel = Line(30);
  problem.clients.resize(1);
  problem.carers = {CarerAt(25), CarerAt(12), CarerAt(0)};
  problem.visits = {VisitAt(10, 60, 120)};
  absl::StatusOr<solver::Solution> plan = GreedyPlan(problem, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(VisitsOf(*plan, 1), ElementsAre(0));
  EXPECT_EQ(plan->routes[1].visits[0].start, 60);
  ExpectValid(problem, *plan);
}

TEST(GreedyTest, KnownFirstPrefersAKnownCarerWithinTheExtraTravel) {
  solver::Problem problem;
  problem.travel = Line(60);
  problem.carers = {CarerAt(10), CarerAt(25), CarerAt(45)};
  problem.clients.resize(1);
  problem.clients[0].known_carers = {1, 2};
  problem.clients[0].known_carer_weights = {0.5, 1.0};
  problem.visits = {VisitAt(10, 60, 120)};

  // Carer 2 knows the client best but is 35 minutes away, 35 more than the nearest (0): too
  // far; carer 1, 15 more, is taken.
  GreedyOptions known{GreedyKind::kKnownFirst, 20};
  absl::StatusOr<solver::Solution> plan = GreedyPlan(problem, known);
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(VisitsOf(*plan, 1), ElementsAre(0));
  ExpectValid(problem, *plan);

  known.known_max_extra_travel = 40;
  plan = GreedyPlan(problem, known);
  EXPECT_THAT(VisitsOf(*plan, 2), ElementsAre(0));

  plan = GreedyPlan(problem, {GreedyKind::kNearest, 40});
  EXPECT_THAT(VisitsOf(*plan, 0), ElementsAre(0));
}

TEST(GreedyTest, VisitsGoInTimeOrderAndABusyCarerIsPassedOver) {
  solver::Problem problem;
  problem.travel = Line(30);
  problem.clients.resize(1);
  problem.carers = {CarerAt(0), CarerAt(20)};
  // Visit 1 is first in time: carer 0 takes it (0 minutes away), is busy until 90 and reaches
  // visit 0, 5 minutes away, at 95, just as its window ends.
  problem.visits = {VisitAt(5, 80, 95), VisitAt(0, 60, 70)};
  absl::StatusOr<solver::Solution> plan = GreedyPlan(problem, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(VisitsOf(*plan, 0), ElementsAre(1, 0));
  EXPECT_EQ(plan->routes[0].visits[1].start, 95);

  // A window that ends a minute sooner goes to the other carer, further away.
  problem.visits[0].window_end = 94;
  plan = GreedyPlan(problem, {});
  EXPECT_THAT(VisitsOf(*plan, 0), ElementsAre(1));
  EXPECT_THAT(VisitsOf(*plan, 1), ElementsAre(0));
  ExpectValid(problem, *plan);
}

TEST(GreedyTest, ADoubleUpTakesTwoPeopleStartingTogether) {
  solver::Problem problem;
  problem.travel = Line(40);
  problem.clients.resize(1);
  // Routes 0 and 1 are one person's split shift; route 2 is someone else further away.
  problem.people = {{"split", solver::kUnlimited}};
  problem.carers = {CarerAt(10, 0, 300), CarerAt(10, 300, 600), CarerAt(30)};
  problem.carers[0].person = problem.carers[1].person = 0;
  solver::Visit visit = VisitAt(10, 0, 100);
  visit.carers_required = 2;
  problem.visits = {visit};
  absl::StatusOr<solver::Solution> plan = GreedyPlan(problem, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(VisitsOf(*plan, 0), ElementsAre(0));
  EXPECT_THAT(VisitsOf(*plan, 1), IsEmpty());
  EXPECT_THAT(VisitsOf(*plan, 2), ElementsAre(0));
  // Both start when the later one arrives.
  EXPECT_EQ(plan->routes[0].visits[0].start, 20);
  EXPECT_EQ(plan->routes[2].visits[0].start, 20);
  ExpectValid(problem, *plan);
}

TEST(GreedyTest, HardRulesLeaveAVisitUnassigned) {
  solver::Problem problem;
  problem.travel = Line(40);
  problem.clients.resize(1);
  problem.clients[0].preferred_gender = solver::Gender::kFemale;
  problem.clients[0].gender_required = true;
  problem.carers = {CarerAt(0), CarerAt(1), CarerAt(2)};
  problem.carers[0].gender = solver::Gender::kMale;
  problem.carers[1].gender = solver::Gender::kFemale;
  problem.carers[1].never_visit_clients = {0};
  problem.carers[2].gender = solver::Gender::kFemale;
  problem.carers[2].skills = 0;
  problem.visits = {VisitAt(5, 0, 60)};
  problem.visits[0].required_skills = 1;
  absl::StatusOr<solver::Solution> plan = GreedyPlan(problem, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->unassigned.size(), 1u);
  EXPECT_EQ(plan->unassigned[0].reason, solver::UnassignedReason::kNoQualifiedCarer);

  // Qualified, but their working time over both stretches cannot hold it.
  problem.carers[2].skills = 1;
  problem.people = {{"limited", 40}};
  problem.carers[2].person = 0;
  problem.visits.push_back(VisitAt(2, 200, 260, 20));
  problem.visits.back().required_skills = 1;
  plan = GreedyPlan(problem, {});
  ASSERT_TRUE(plan.ok());
  // The first visit: 3 there, 30, 3 back (36); the second would make it 36 + 20 = 56.
  EXPECT_THAT(VisitsOf(*plan, 2), ElementsAre(0));
  ASSERT_EQ(plan->unassigned.size(), 1u);
  EXPECT_EQ(plan->unassigned[0].visit, 1);
  EXPECT_EQ(plan->unassigned[0].reason, solver::UnassignedReason::kNoFeasiblePosition);
  ExpectValid(problem, *plan);
}

TEST(GreedyTest, LinkedVisitsAreRefused) {
  solver::Problem problem;
  problem.travel = Line(2);
  problem.clients.resize(1);
  problem.carers = {CarerAt(0)};
  problem.visits = {VisitAt(1, 0, 60), VisitAt(1, 100, 160)};
  problem.links = {{0, 1, 60, 120, false}};
  EXPECT_EQ(GreedyPlan(problem, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace homecare::bench
