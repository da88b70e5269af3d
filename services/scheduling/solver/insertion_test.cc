#include "services/scheduling/solver/insertion.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "services/scheduling/solver/plan.h"
#include "services/scheduling/solver/task_model.h"
#include "services/scheduling/solver/test_util.h"

namespace homecare::scheduling::solver {
namespace {

using testing::LineTravel;
using testing::MakeCarer;
using testing::MakeLink;
using testing::MakeVisit;
using testing::PlaneTravel;

// Cost of an insertion found by applying it and rescheduling everything.
double ExactDelta(const Plan& plan, const Insertion& insertion) {
  for (int i = 0; i < insertion.size; ++i) {
    if (!plan.model().eligible(insertion.task[i], insertion.route[i])) return kInfeasible;
  }
  const Task& first = plan.model().task(insertion.task[0]);
  if (insertion.size == 2 && first.distinct_from_partner &&
      insertion.route[0] == insertion.route[1]) {
    return kInfeasible;
  }
  Plan copy = plan;
  ApplyInsertion(insertion, copy);
  if (!copy.Refresh()) return kInfeasible;
  const double w = plan.model().weights().unassigned_visit;
  return (copy.cost() - w * copy.parts().unassigned_visits) -
         (plan.cost() - w * plan.parts().unassigned_visits);
}

TEST(InsertionTest, PushesSuccessorsAndTheirDoubleUpPartners) {
  Problem problem;
  problem.travel = LineTravel({0, 10, 20, 30});
  problem.carers = {MakeCarer(1), MakeCarer(1)};
  problem.visits.push_back(MakeVisit(2, 0, 25, 10, 0, 2));  // double-up at 20, due 25
  problem.visits.push_back(MakeVisit(1, 0, 100, 10));       // will go before it on carer 0
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  plan.Insert(1, 1, 0);
  ASSERT_TRUE(plan.Refresh());
  ASSERT_DOUBLE_EQ(plan.start(0), 20);
  InsertionEvaluator evaluator(model);
  Insertion insertion;
  insertion.task[0] = 2;
  insertion.route[0] = 0;
  insertion.position[0] = 0;
  // Carer 0: visit at 10, ends 20, double-up reached at 30 (5 late, for both carers).
  // Travel: 0->10->20->0 is 40 against 40 before: no change.
  EXPECT_DOUBLE_EQ(evaluator.Evaluate(plan, insertion), 0 + 2 * 5 + 5);
  EXPECT_DOUBLE_EQ(evaluator.Evaluate(plan, insertion), ExactDelta(plan, insertion));
  // A bound below the cost lets it stop early with some value not below the bound.
  EXPECT_GE(evaluator.Evaluate(plan, insertion, 3), 3);
}

TEST(InsertionTest, DistinctCarersAndEligibilityAreHard) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0b01), MakeCarer(0b11)};
  problem.visits.push_back(MakeVisit(1, 0, 100, 10, 0b10));
  problem.visits.push_back(MakeVisit(1, 0, 100, 10, 0, 2));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  InsertionEvaluator evaluator(model);
  Insertion single;
  single.task[0] = 0;
  single.route[0] = 0;
  single.position[0] = 0;
  EXPECT_EQ(evaluator.Evaluate(plan, single), kInfeasible);
  single.route[0] = 1;
  EXPECT_DOUBLE_EQ(evaluator.Evaluate(plan, single), 20);
  Insertion pair;
  pair.size = 2;
  pair.task[0] = 1;
  pair.task[1] = 2;
  pair.route[0] = pair.route[1] = 0;
  pair.position[0] = pair.position[1] = 0;
  EXPECT_EQ(evaluator.Evaluate(plan, pair), kInfeasible);
  pair.route[1] = 1;
  EXPECT_DOUBLE_EQ(evaluator.Evaluate(plan, pair), 40);
}

// Random models with double-ups, linked visits, shift ends and working limits; every insertion of
// every unplaced unit is compared with a full reschedule.
class RandomInsertionTest : public ::testing::TestWithParam<int> {};

TEST_P(RandomInsertionTest, MatchesFullReschedule) {
  std::mt19937 rng(GetParam());
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto coin = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  Problem problem;
  const int locations = 14;
  std::vector<double> xs(locations), ys(locations);
  for (int i = 0; i < locations; ++i) {
    xs[i] = uniform(0, 60);
    ys[i] = uniform(0, 60);
  }
  problem.travel = PlaneTravel(xs, ys);
  const int carers = 4;
  for (int c = 0; c < carers; ++c) {
    Carer carer = MakeCarer(coin(0.7) ? 0b11 : 0b01, 0, uniform(0, 60));
    if (coin(0.3)) carer.shift_end = uniform(300, 500);
    if (coin(0.3)) carer.max_working_minutes = uniform(150, 300);
    problem.carers.push_back(carer);
  }
  const int visits = 16;
  for (int v = 0; v < visits; ++v) {
    const double open = uniform(0, 300);
    problem.visits.push_back(MakeVisit(1 + v % (locations - 1), open, open + uniform(10, 90),
                                       uniform(5, 30), coin(0.2) ? 0b10 : 0b01, coin(0.2) ? 2 : 1));
  }
  for (int v = 0; v + 1 < visits; v += 2) {
    if (problem.visits[v].carers_required == 1 && problem.visits[v + 1].carers_required == 1 &&
        coin(0.5)) {
      const double min_gap = coin(0.3) ? 0 : uniform(0, 60);
      problem.links.push_back(MakeLink(v, v + 1, min_gap, min_gap + uniform(0, 60), coin(0.5)));
    }
  }
  // Clients (each carer a client sees costs) and hard latest starts, on every other seed.
  ObjectiveWeights weights;
  if (GetParam() % 2 == 0) {
    problem.clients.resize(3);
    for (Visit& visit : problem.visits) {
      visit.client = static_cast<int>(rng() % 4) - 1;
      if (coin(0.5)) visit.latest_start = visit.window_end + uniform(0, 30);
    }
    weights.client_carer = 7;
  }
  // A split shift (carers 0 and 1 one person, with one working limit) and a carer with a
  // slower matrix of their own, on every third seed.
  if (GetParam() % 3 == 0) {
    problem.carers[0].shift_end = 250;
    problem.carers[1].shift_start = std::max(problem.carers[1].shift_start, 260.0);
    problem.people = {{"split", uniform(100, 250)}};
    problem.carers[0].person = problem.carers[1].person = 0;
    TravelMatrix slower = problem.travel;
    for (Minutes& minutes : slower.minutes) minutes *= 1.5;
    problem.other_travel = {slower};
    problem.carers[3].travel_profile = 1;
  }
  ASSERT_TRUE(ValidateProblem(problem).ok());
  TaskModel model(problem, weights);
  Plan plan(model);
  InsertionEvaluator evaluator(model);

  // A random feasible plan holding roughly two thirds of the units.
  for (int u = 0; u < model.num_units(); ++u) {
    if (coin(0.33)) continue;
    const Unit& unit = model.unit(u);
    for (int attempt = 0; attempt < 10; ++attempt) {
      Insertion insertion;
      insertion.size = unit.size;
      for (int i = 0; i < unit.size; ++i) {
        insertion.task[i] = unit.tasks[i];
        insertion.route[i] = std::uniform_int_distribution<int>(0, carers - 1)(rng);
        insertion.position[i] = std::uniform_int_distribution<int>(
            0, static_cast<int>(plan.route(insertion.route[i]).size()))(rng);
      }
      if (ExactDelta(plan, insertion) == kInfeasible) continue;
      ApplyInsertion(insertion, plan);
      ASSERT_TRUE(plan.Refresh());
      break;
    }
  }

  int compared = 0;
  int feasible = 0;
  int ruled_out = 0;
  for (int u = 0; u < model.num_units(); ++u) {
    if (plan.unit_assigned(u)) continue;
    const Unit& unit = model.unit(u);
    Insertion insertion;
    insertion.size = unit.size;
    insertion.task[0] = unit.tasks[0];
    insertion.task[1] = unit.tasks[1];
    for (int r0 = 0; r0 < carers; ++r0) {
      for (int p0 = 0; p0 <= static_cast<int>(plan.route(r0).size()); ++p0) {
        insertion.route[0] = r0;
        insertion.position[0] = p0;
        const int r1_end = unit.size == 2 ? carers : 1;
        for (int r1 = 0; r1 < r1_end; ++r1) {
          const int p1_end = unit.size == 2 ? static_cast<int>(plan.route(r1).size()) : 0;
          for (int p1 = 0; p1 <= p1_end; ++p1) {
            insertion.route[1] = r1;
            insertion.position[1] = p1;
            const double exact = ExactDelta(plan, insertion);
            const double fast = evaluator.Evaluate(plan, insertion);
            ++compared;
            // Plan::InsertablePositions rules out only insertions that break a hard rule.
            const auto [first0, end0] = plan.InsertablePositions(unit.tasks[0], r0);
            const auto [first1, end1] =
                unit.size == 2 ? plan.InsertablePositions(unit.tasks[1], r1) : std::pair{0, 1};
            if (p0 < first0 || p0 >= end0 || p1 < first1 || p1 >= end1) {
              ++ruled_out;
              EXPECT_EQ(exact, kInfeasible)
                  << "unit " << u << " r0 " << r0 << " p0 " << p0 << " r1 " << r1 << " p1 " << p1;
            }
            if (exact == kInfeasible) {
              EXPECT_EQ(fast, kInfeasible)
                  << "unit " << u << " r0 " << r0 << " p0 " << p0 << " r1 " << r1 << " p1 " << p1;
            } else {
              ++feasible;
              EXPECT_NEAR(fast, exact, 1e-6 * (1 + std::fabs(exact)))
                  << "unit " << u << " r0 " << r0 << " p0 " << p0 << " r1 " << r1 << " p1 " << p1;
              const double bound = exact * 0.5;
              if (exact > 1e-6) {
                EXPECT_GE(evaluator.Evaluate(plan, insertion, bound), bound);
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 0);
  EXPECT_GT(feasible, 0);
  // With hard latest starts, some positions are ruled out before they are evaluated.
  if (GetParam() % 2 == 0) {
    EXPECT_GT(ruled_out, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomInsertionTest, ::testing::Range(1, 41));

}  // namespace
}  // namespace homecare::scheduling::solver
