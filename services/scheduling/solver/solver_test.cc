#include "services/scheduling/solver/solver.h"

#include <atomic>
#include <cmath>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/solver/plan.h"
#include "services/scheduling/solver/solution_check.h"
#include "services/scheduling/solver/task_model.h"
#include "services/scheduling/solver/test_util.h"

namespace homecare::scheduling::solver {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::LineTravel;
using testing::MakeCarer;
using testing::MakeLink;
using testing::MakeVisit;
using ::testing::Not;
using testing::PlaneTravel;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

SolveOptions Budget(int iterations = 200, int threads = 1) {
  SolveOptions options;
  options.max_iterations = iterations;
  options.threads = threads;
  options.seed = 7;
  return options;
}

// Solves and checks every hard rule and the reported objective with the independent check.
Solution SolveAndCheck(const Problem& problem, const SolveOptions& options) {
  absl::StatusOr<Solution> solution = Solve(problem, options);
  EXPECT_TRUE(solution.ok()) << solution.status();
  if (!solution.ok()) return Solution();
  absl::StatusOr<ObjectiveBreakdown> checked = CheckSolution(problem, options.weights, *solution);
  EXPECT_TRUE(checked.ok()) << checked.status();
  if (checked.ok()) {
    EXPECT_NEAR(checked->weighted, solution->objective.weighted, 1e-6);
    EXPECT_NEAR(checked->travel, solution->objective.travel, 1e-6);
    EXPECT_NEAR(checked->total_lateness, solution->objective.total_lateness, 1e-6);
    EXPECT_EQ(checked->unassigned_visits, solution->objective.unassigned_visits);
    EXPECT_NEAR(checked->unfamiliarity, solution->objective.unfamiliarity, 1e-6);
  }
  return *solution;
}

std::vector<int> VisitsOf(const Route& route) {
  std::vector<int> visits;
  for (const ScheduledVisit& v : route.visits) visits.push_back(v.visit);
  return visits;
}

TEST(SolverTest, EachCarerTakesTheVisitsNearHome) {
  Problem problem;
  problem.travel = LineTravel({0, 100, 5, 10, 95, 90});
  problem.carers = {MakeCarer(1, 0), MakeCarer(1, 1)};
  for (int location : {4, 2, 5, 3}) problem.visits.push_back(MakeVisit(location, 0, 500, 10));
  const Solution solution = SolveAndCheck(problem, Budget());
  EXPECT_DOUBLE_EQ(solution.objective.travel, 40);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 40);
  // Either order of a carer's two visits covers the same distance.
  EXPECT_THAT(VisitsOf(solution.routes[0]), UnorderedElementsAre(1, 3));
  EXPECT_THAT(VisitsOf(solution.routes[1]), UnorderedElementsAre(0, 2));
  EXPECT_TRUE(solution.unassigned.empty());
}

TEST(SolverTest, DoubleUpCarersStartTogether) {
  Problem problem;
  problem.travel = LineTravel({0, 50, 20});
  problem.carers = {MakeCarer(1, 0), MakeCarer(1, 1)};
  problem.visits.push_back(MakeVisit(2, 0, 500, 30, 1, 2));
  const Solution solution = SolveAndCheck(problem, Budget());
  ASSERT_EQ(solution.routes[0].visits.size(), 1u);
  ASSERT_EQ(solution.routes[1].visits.size(), 1u);
  // Carer 0 could start at 20; carer 1 arrives at 30.
  EXPECT_DOUBLE_EQ(solution.routes[0].visits[0].start, 30);
  EXPECT_DOUBLE_EQ(solution.routes[1].visits[0].start, 30);
}

TEST(SolverTest, LinkedVisitsOfDifferentClientsKeepTheirGap) {
  Problem problem;
  problem.travel = LineTravel({0, 10, 30});
  problem.carers = {MakeCarer(1), MakeCarer(1)};
  Client x, y;
  problem.clients = {x, y};
  problem.visits.push_back(MakeVisit(1, 0, 500, 20));
  problem.visits.push_back(MakeVisit(2, 0, 500, 20));
  problem.visits[0].client = 0;
  problem.visits[1].client = 1;
  problem.links.push_back(MakeLink(0, 1, 60, 90, /*distinct=*/false));
  const Solution solution = SolveAndCheck(problem, Budget());
  Minutes start[2] = {-1, -1};
  for (const Route& route : solution.routes) {
    for (const ScheduledVisit& v : route.visits) start[v.visit] = v.start;
  }
  EXPECT_DOUBLE_EQ(start[0], 10);
  EXPECT_DOUBLE_EQ(start[1], 70);
  // One carer can do both: 10 out, 20 more to the second client, 30 back.
  EXPECT_DOUBLE_EQ(solution.objective.travel, 60);
}

TEST(SolverTest, SkillsBarsPinsAndRequiredGenderAreHard) {
  Problem problem;
  problem.travel = LineTravel({0, 100, 1});
  problem.carers = {MakeCarer(0b01, 0), MakeCarer(0b11, 1)};
  problem.carers[0].gender = Gender::kMale;
  problem.carers[1].gender = Gender::kFemale;
  Client barred, female_only;
  female_only.preferred_gender = Gender::kFemale;
  female_only.gender_required = true;
  problem.clients = {barred, female_only};
  problem.carers[0].never_visit_clients = {0};
  // All four visits are next to carer 0, who may do none of them.
  problem.visits.push_back(MakeVisit(2, 0, 1000, 10, 0b10));  // skill only carer 1 has
  problem.visits.push_back(MakeVisit(2, 0, 1000, 10));        // barred client
  problem.visits[1].client = 0;
  problem.visits.push_back(MakeVisit(2, 0, 1000, 10));  // female carer required
  problem.visits[2].client = 1;
  problem.visits.push_back(MakeVisit(2, 0, 1000, 10));  // pinned
  problem.visits[3].pinned_carers = {1};
  const Solution solution = SolveAndCheck(problem, Budget());
  EXPECT_TRUE(solution.routes[0].visits.empty());
  EXPECT_EQ(solution.routes[1].visits.size(), 4u);
}

TEST(SolverTest, ShiftEndAndWorkingMinutesSpreadTheVisits) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(1, 0, 0, 100), MakeCarer(1, 0, 0, 1000)};
  problem.carers[1].max_working_minutes = 60;
  // Four 40-minute visits at 10: carer 0 fits two (10+40+40+10 = 100), carer 1 one (60 minutes).
  for (int i = 0; i < 4; ++i) problem.visits.push_back(MakeVisit(1, 0, 1000, 40));
  const Solution solution = SolveAndCheck(problem, Budget());
  EXPECT_EQ(solution.routes[0].visits.size(), 2u);
  EXPECT_EQ(solution.routes[1].visits.size(), 1u);
  ASSERT_EQ(solution.unassigned.size(), 1u);
  EXPECT_EQ(solution.unassigned[0].reason, UnassignedReason::kNoFeasiblePosition);
  EXPECT_EQ(solution.objective.unassigned_visits, 1);
  EXPECT_LE(solution.routes[0].end, 100);
  EXPECT_LE(solution.routes[1].working_minutes, 60);
}

TEST(SolverTest, UnplaceableVisitsComeBackWithTheirReason) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0b01, 0, 0, 200), MakeCarer(0b01, 0, 0, 200)};
  problem.visits.push_back(MakeVisit(1, 0, 100, 10, 0b100));  // 0: nobody has skill 2
  problem.visits.push_back(MakeVisit(1, 0, 100, 10));         // 1: pinned to nobody qualified
  problem.visits[1].required_skills = 0b01;
  problem.carers.push_back(MakeCarer(0b10, 0, 0, 200));
  problem.visits[1].pinned_carers = {2};
  problem.visits.push_back(MakeVisit(1, 300, 400, 10));  // 2: after every shift
  problem.visits.push_back(MakeVisit(1, 0, 100, 10));    // 3: linked to visit 2
  problem.links.push_back(MakeLink(3, 2, 0, 500));
  problem.visits.push_back(MakeVisit(1, 0, 100, 10, 0b01, 2));  // 4: a double-up that fits
  const Solution solution = SolveAndCheck(problem, Budget());
  EXPECT_THAT(
      solution.unassigned,
      ElementsAre(Field(&UnassignedVisit::reason, UnassignedReason::kNoQualifiedCarer),
                  Field(&UnassignedVisit::reason, UnassignedReason::kPinnedCarerNotQualified),
                  Field(&UnassignedVisit::reason, UnassignedReason::kOutsideEveryShift),
                  Field(&UnassignedVisit::reason, UnassignedReason::kLinkedVisitNotPlaced)));
  EXPECT_EQ(solution.unassigned[3].visit, 3);
  EXPECT_EQ(solution.objective.unassigned_visits, 4);
  EXPECT_EQ(UnassignedReasonName(UnassignedReason::kOutsideEveryShift), "outside every shift");
  EXPECT_EQ(UnassignedReasonName(UnassignedReason::kStoppedBeforeTried),
            "stopped before it was tried");
}

TEST(SolverTest, LatenessIsSoftAndWeighted) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(1)};
  problem.visits.push_back(MakeVisit(1, 0, 10, 30));
  problem.visits.push_back(MakeVisit(1, 0, 10, 30));
  SolveOptions options = Budget();
  options.weights = BenchmarkWeights();
  const Solution solution = SolveAndCheck(problem, options);
  // Starts at 10 and 40: 30 minutes late in total and at most.
  EXPECT_DOUBLE_EQ(solution.objective.total_lateness, 30);
  EXPECT_DOUBLE_EQ(solution.objective.max_lateness, 30);
  EXPECT_NEAR(solution.objective.weighted, (20 + 30 + 30) / 3.0, 1e-9);
}

TEST(SolverTest, ALatestStartIsHard) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(1)};
  // Two visits due by 10 that cannot both be on time: the one with a latest start (time-critical
  // medication) goes first; the other is late.
  problem.visits.push_back(MakeVisit(1, 0, 10, 30));
  problem.visits.push_back(MakeVisit(1, 0, 10, 30));
  problem.visits[1].latest_start = 10;
  SolveOptions options = Budget();
  options.weights = BenchmarkWeights();
  Solution solution = SolveAndCheck(problem, options);
  ASSERT_THAT(solution.routes[0].visits, SizeIs(2));
  EXPECT_EQ(solution.routes[0].visits[0].visit, 1);
  EXPECT_DOUBLE_EQ(solution.routes[0].visits[0].start, 10);
  EXPECT_DOUBLE_EQ(solution.objective.total_lateness, 30);

  // Both time-critical: one cannot be placed at all rather than be late.
  problem.visits[0].latest_start = 10;
  solution = SolveAndCheck(problem, options);
  ASSERT_THAT(solution.unassigned, SizeIs(1));
  EXPECT_EQ(solution.unassigned[0].reason, UnassignedReason::kNoFeasiblePosition);
  EXPECT_DOUBLE_EQ(solution.objective.total_lateness, 0);

  // Out of reach of every shift even alone.
  problem.visits[0].latest_start = problem.visits[0].window_start = 5;
  problem.visits[1].latest_start = problem.visits[1].window_start = 5;
  solution = SolveAndCheck(problem, options);
  EXPECT_THAT(solution.unassigned,
              Contains(Field(&UnassignedVisit::reason, UnassignedReason::kOutsideEveryShift)));

  // The independent check refuses a start past it; the model a latest start before the window.
  solution.routes[0].visits = {{0, 12, 7}};
  solution.unassigned = {{1, UnassignedReason::kNoFeasiblePosition}};
  EXPECT_THAT(CheckSolution(problem, options.weights, solution).status().message(),
              HasSubstr("after its latest start"));
  problem.visits[0].latest_start = 4;
  EXPECT_THAT(ValidateProblem(problem).message(), HasSubstr("visits[0].latest_start"));
}

TEST(SolverTest, EachCarerAClientSeesInTheDayCosts) {
  Problem problem;
  // Each carer lives by one of the client's two calls, ten minutes apart.
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(1, 0), MakeCarer(1, 1)};
  problem.clients.resize(1);
  problem.visits = {MakeVisit(0, 60, 70, 30), MakeVisit(1, 300, 310, 30)};
  problem.visits[0].client = problem.visits[1].client = 0;
  SolveOptions options = Budget();
  // Apart: no travel, two carers. Together: 20 minutes' travel, one carer.
  Solution solution = SolveAndCheck(problem, options);
  EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(0));
  EXPECT_THAT(VisitsOf(solution.routes[1]), ElementsAre(1));
  EXPECT_EQ(solution.objective.client_carers, 2);

  options.weights.client_carer = 30;  // 20 + 30 < 2 x 30
  solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.objective.client_carers, 1);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 20 + 30);

  options.weights.client_carer = 5;  // 20 + 5 > 2 x 5
  solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.objective.client_carers, 2);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 10);

  // Two stretches of one person are one carer to the client.
  options.weights.client_carer = 30;
  problem.carers = {MakeCarer(1, 0, 0, 200), MakeCarer(1, 1, 250, 600)};
  problem.people = {{"split", kUnlimited}};
  problem.carers[0].person = problem.carers[1].person = 0;
  solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.objective.client_carers, 1);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 30);
}

TEST(SolverTest, PreferencesContinuityAndGenderSteerTheChoice) {
  Problem problem;
  problem.travel = LineTravel({0, 10, 12});
  problem.carers = {MakeCarer(1, 0), MakeCarer(1, 0), MakeCarer(1, 0)};
  problem.carers[0].gender = Gender::kMale;
  problem.carers[1].gender = Gender::kFemale;
  problem.carers[2].gender = Gender::kFemale;
  Client client;
  client.preferred_carers = {1, 2};
  client.known_carers = {2};
  client.preferred_gender = Gender::kFemale;
  problem.clients = {client};
  // Two visits far apart in time: one carer could do both for less travel than two.
  problem.visits.push_back(MakeVisit(1, 0, 10, 10));
  problem.visits.push_back(MakeVisit(2, 300, 310, 10));
  for (Visit& visit : problem.visits) visit.client = 0;
  SolveOptions options = Budget();
  options.weights.non_preferred_carer = 100;
  options.weights.unknown_carer = 50;
  options.weights.gender_mismatch = 100;
  const Solution solution = SolveAndCheck(problem, options);
  EXPECT_THAT(VisitsOf(solution.routes[2]), ElementsAre(0, 1));
  EXPECT_EQ(solution.objective.non_preferred_carer, 0);
  EXPECT_EQ(solution.objective.unknown_carer, 0);
  EXPECT_EQ(solution.objective.gender_mismatch, 0);
}

// A random day with every kind of rule, tight enough that not everything fits.
Problem RandomProblem(int seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto coin = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  Problem problem;
  const int locations = 25;
  std::vector<double> xs(locations), ys(locations);
  for (int i = 0; i < locations; ++i) {
    xs[i] = uniform(0, 40);
    ys[i] = uniform(0, 40);
  }
  problem.travel = PlaneTravel(xs, ys);
  const int clients = 12;
  for (int c = 0; c < clients; ++c) {
    Client client;
    client.id = "client" + std::to_string(c);
    if (coin(0.3)) client.preferred_carers = {c % 5};
    if (coin(0.3)) client.known_carers = {(c + 1) % 5};
    if (coin(0.3)) client.preferred_gender = coin(0.5) ? Gender::kFemale : Gender::kMale;
    client.gender_required = client.preferred_gender != Gender::kUnspecified && coin(0.3);
    problem.clients.push_back(client);
  }
  for (int c = 0; c < 5; ++c) {
    Carer carer = MakeCarer(coin(0.6) ? 0b11 : 0b01, 0, uniform(0, 120), uniform(400, 600));
    carer.gender = coin(0.5) ? Gender::kFemale : Gender::kMale;
    carer.end_location = c % 2;
    if (coin(0.4)) carer.max_working_minutes = uniform(150, 300);
    if (coin(0.3)) carer.never_visit_clients = {c, (c + 3) % clients};
    problem.carers.push_back(carer);
  }
  for (int v = 0; v < 30; ++v) {
    const double open = uniform(0, 480);
    Visit visit = MakeVisit(2 + v % (locations - 2), open, open + uniform(15, 90), uniform(10, 45),
                            coin(0.2) ? 0b10 : 0b01, coin(0.15) ? 2 : 1);
    visit.client = v % clients;
    if (coin(0.1)) visit.pinned_carers = {v % 5};
    if (coin(0.3)) visit.usual_carers = {(v + 2) % 5};
    problem.visits.push_back(visit);
  }
  for (int v = 0; v + 1 < 30; v += 3) {
    if (problem.visits[v].carers_required == 1 && problem.visits[v + 1].carers_required == 1 &&
        coin(0.6)) {
      const double min_gap = coin(0.3) ? 0 : uniform(0, 60);
      problem.links.push_back(MakeLink(v, v + 1, min_gap, min_gap + uniform(0, 60), coin(0.5)));
    }
  }
  return problem;
}

class RandomSolveTest : public ::testing::TestWithParam<int> {};

TEST_P(RandomSolveTest, NeverBreaksAHardRule) {
  const Problem problem = RandomProblem(GetParam());
  ASSERT_TRUE(ValidateProblem(problem).ok()) << ValidateProblem(problem);
  SolveOptions options = Budget(150, GetParam() % 2 + 1);
  options.weights.non_preferred_carer = 3;
  options.weights.unknown_carer = 2;
  options.weights.gender_mismatch = 4;
  options.weights.unusual_carer = 3;
  // Every third seed as a large day: polished near each move, repaired near each unit.
  if (GetParam() % 3 == 0) {
    options.search.whole_polish_max_units = 0;
    options.search.polish_neighbours = 3;
  }
  const Solution solution = SolveAndCheck(problem, options);
  EXPECT_GT(solution.stats.iterations, 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomSolveTest, ::testing::Range(1, 21));

// Re-timing only the edited routes (and those tied to them) gives the plan that re-timing the
// whole of it gives, through random insertions and removals of every kind of task.
TEST_P(RandomSolveTest, AnIncrementalRefreshMatchesAWholeOne) {
  const Problem problem = RandomProblem(GetParam());
  ObjectiveWeights weights;
  weights.unknown_carer = 2;
  weights.unusual_carer = 3;
  weights.client_carer = 5;
  const TaskModel model(problem, weights);
  Plan edited(model, /*incremental=*/true);
  Plan whole(model, /*incremental=*/false);
  std::mt19937 rng(GetParam());
  auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  int refreshes = 0;
  int failures = 0;
  for (int step = 0; step < 400; ++step) {
    const int t = below(model.num_tasks());
    std::vector<std::pair<int, int>> undo;  // (task, route) inserted, or (task, -1) removed
    if (edited.assigned(t)) {
      const Unit& unit = model.unit(model.task(t).unit);
      const bool whole_unit = below(2) == 0;
      for (int i = 0; i < unit.size; ++i) {
        const int x = unit.tasks[i];
        if ((whole_unit || x == t) && edited.assigned(x)) {
          undo.push_back({x, -1 - edited.route_of(x) * 1000 - edited.position_of(x)});
        }
      }
      for (const auto& [x, where] : undo) {
        edited.Remove(x);
        whole.Remove(x);
      }
    } else {
      const std::vector<int>& carers = model.eligible_carers(t);
      if (carers.empty()) continue;
      const int route = carers[below(static_cast<int>(carers.size()))];
      const int position = below(static_cast<int>(edited.route(route).size()) + 1);
      edited.Insert(t, route, position);
      whole.Insert(t, route, position);
      undo.push_back({t, route});
    }
    const bool ok = edited.Refresh();
    ASSERT_EQ(ok, whole.Refresh()) << "step " << step;
    ++refreshes;
    if (!ok) {
      ++failures;
      // Edited back, as the search does.
      for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
        const auto& [x, where] = *it;
        if (where >= 0) {
          edited.Remove(x);
          whole.Remove(x);
        } else {
          const int code = -1 - where;
          edited.Insert(x, code / 1000, code % 1000);
          whole.Insert(x, code / 1000, code % 1000);
        }
      }
      ASSERT_EQ(edited.Refresh(), whole.Refresh());
    }
    for (int x = 0; x < model.num_tasks(); ++x) {
      ASSERT_EQ(edited.assigned(x), whole.assigned(x));
      if (edited.assigned(x)) {
        ASSERT_NEAR(edited.start(x), whole.start(x), 1e-9) << step;
      }
    }
    ASSERT_NEAR(edited.parts().travel, whole.parts().travel, 1e-6) << step;
    ASSERT_NEAR(edited.parts().total_lateness, whole.parts().total_lateness, 1e-6) << step;
    ASSERT_NEAR(edited.parts().max_lateness, whole.parts().max_lateness, 1e-9) << step;
    ASSERT_NEAR(edited.parts().assignment, whole.parts().assignment, 1e-6) << step;
    ASSERT_EQ(edited.parts().client_carers, whole.parts().client_carers) << step;
    ASSERT_EQ(edited.parts().unassigned_visits, whole.parts().unassigned_visits) << step;
    ASSERT_NEAR(edited.parts().unassigned_factors, whole.parts().unassigned_factors, 1e-9) << step;
    ASSERT_NEAR(edited.cost(), whole.cost(), 1e-6) << step;
    for (int route = 0; route < edited.num_routes(); ++route) {
      ASSERT_NEAR(edited.route_work(route), whole.route_work(route), 1e-9) << step;
      if (std::isinf(whole.route_max_work(route))) {
        ASSERT_EQ(edited.route_max_work(route), whole.route_max_work(route)) << step;
      } else {
        ASSERT_NEAR(edited.route_max_work(route), whole.route_max_work(route), 1e-9) << step;
      }
      ASSERT_NEAR(edited.route_end(route), whole.route_end(route), 1e-9) << step;
    }
  }
  EXPECT_GT(refreshes, 200);
  EXPECT_GT(failures, 0) << "some edits break a rule and are undone";
}

bool SameRoutes(const Solution& a, const Solution& b) {
  if (a.routes.size() != b.routes.size()) return false;
  for (size_t r = 0; r < a.routes.size(); ++r) {
    if (a.routes[r].visits.size() != b.routes[r].visits.size()) return false;
    for (size_t i = 0; i < a.routes[r].visits.size(); ++i) {
      if (a.routes[r].visits[i].visit != b.routes[r].visits[i].visit ||
          a.routes[r].visits[i].start != b.routes[r].visits[i].start) {
        return false;
      }
    }
  }
  return true;
}

TEST(SolverTest, SameSeedBudgetAndThreadsGiveTheSameResult) {
  const Problem problem = RandomProblem(99);
  for (int threads : {1, 2}) {
    const SolveOptions options = Budget(600, threads);
    const Solution first = SolveAndCheck(problem, options);
    const Solution second = SolveAndCheck(problem, options);
    EXPECT_EQ(first.objective.weighted, second.objective.weighted) << threads;
    EXPECT_TRUE(SameRoutes(first, second)) << threads;
    EXPECT_EQ(first.stats.iterations, 600 * threads);
  }
}

TEST(SolverTest, EveryRuinAndRecreateOperatorAloneKeepsTheRules) {
  const Problem problem = RandomProblem(7);
  for (int destroy = 0; destroy < kNumDestroyOperators; ++destroy) {
    for (int repair = 0; repair < kNumRepairOperators; ++repair) {
      SolveOptions options = Budget(120, 1);
      options.search.destroy_operators = 1u << destroy;
      options.search.repair_operators = 1u << repair;
      options.search.repair_by_work = (destroy + repair) % 2 == 0;
      options.search.segment = 20;
      const Solution solution = SolveAndCheck(problem, options);
      EXPECT_EQ(solution.stats.iterations, 120) << destroy << " " << repair;
    }
  }
}

// A provider's day in small: carers living in four neighbourhoods, calls at the four peaks that
// may not start after their windows, one in ten a double-up. An insertion there changes one or
// two routes of many.
Problem PeaksDay(int seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  const int locations = 80;
  std::vector<double> xs(locations), ys(locations);
  for (int i = 0; i < locations; ++i) {
    xs[i] = (i % 4) * 12 + uniform(0, 5);
    ys[i] = (i % 4 / 2) * 12 + uniform(0, 5);
  }
  Problem problem;
  problem.travel = PlaneTravel(xs, ys);
  for (int c = 0; c < 24; ++c) problem.carers.push_back(MakeCarer(0b1, c, 0, 900));
  for (int v = 0; v < 140; ++v) {
    const double open = 60 * std::uniform_int_distribution<int>(0, 3)(rng) * 4 + uniform(0, 60);
    Visit visit = MakeVisit(24 + v % (locations - 24), open, open + 60, uniform(15, 45), 0b1,
                            v % 10 == 0 ? 2 : 1);
    visit.latest_start = visit.window_end;
    problem.visits.push_back(visit);
  }
  return problem;
}

TEST(SolverTest, RegretRepairKeepingOptionsBetweenRoundsChoosesAsReadingEveryRoute) {
  // Regret repair alone, every day "large", no positions skipped at random: reading only the
  // changed routes each round must choose what reading them all does.
  for (int seed : {3, 7, 11}) {
    const Problem problem = PeaksDay(seed);
    SolveOptions options = Budget(150, 1);
    options.search.repair_operators = (1u << static_cast<int>(RepairOperator::kRegret2)) |
                                      (1u << static_cast<int>(RepairOperator::kRegret3));
    options.search.whole_polish_max_units = 0;
    options.search.blink = 0;
    const Solution kept = SolveAndCheck(problem, options);
    options.search.keep_regret_options = false;
    const Solution read = SolveAndCheck(problem, options);
    EXPECT_EQ(kept.objective.weighted, read.objective.weighted) << seed;
    EXPECT_TRUE(SameRoutes(kept, read)) << seed;
  }
}

TEST(SolverTest, OnALargeDayTheFinalPlanIsPolishedWhole) {
  // A large day polishes a new best only on the routes the move changed; the final plan is then
  // polished whole, which can only lower the cost of the same search's plan.
  bool lower = false;
  for (int seed : {3, 7, 11}) {
    const Problem problem = PeaksDay(seed);
    SolveOptions options = Budget(60, 1);
    options.search.whole_polish_max_units = 0;
    const Solution polished = SolveAndCheck(problem, options);
    options.search.final_polish_share = 0;
    const Solution unpolished = SolveAndCheck(problem, options);
    EXPECT_LE(polished.objective.weighted, unpolished.objective.weighted) << seed;
    lower |= polished.objective.weighted < unpolished.objective.weighted - 1e-9;
  }
  EXPECT_TRUE(lower);
}

TEST(SolverTest, MaskBitsPastTheLastOperatorEnableNothing) {
  const Problem problem = RandomProblem(7);
  SolveOptions options = Budget(120, 1);
  options.search.destroy_operators = 1u << kNumDestroyOperators;
  options.search.repair_operators = 1u << kNumRepairOperators;
  const Solution fallback = SolveAndCheck(problem, options);
  EXPECT_EQ(fallback.stats.iterations, 120);
  // With nothing enabled the search falls back to random ruin and greedy recreate.
  options.search.destroy_operators = 1u << static_cast<int>(DestroyOperator::kRandom);
  options.search.repair_operators = 1u << static_cast<int>(RepairOperator::kGreedy);
  const Solution chosen = SolveAndCheck(problem, options);
  EXPECT_EQ(fallback.objective.weighted, chosen.objective.weighted);
  EXPECT_TRUE(SameRoutes(fallback, chosen));
}

TEST(SolverTest, StopFlagEndsTheSearchWithAValidPlan) {
  const Problem problem = RandomProblem(5);
  std::atomic<bool> stop{true};
  SolveOptions options;
  options.stop = &stop;
  const Solution solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.stats.iterations, 0);
  EXPECT_FALSE(solution.routes.empty());
  // Stopped before it began, the first plan holds the few units placed before the flag was first
  // looked at; the rest are said never to have been tried, not to fit nowhere.
  EXPECT_THAT(solution.unassigned,
              Contains(Field(&UnassignedVisit::reason, UnassignedReason::kStoppedBeforeTried)));
  EXPECT_THAT(
      solution.unassigned,
      Not(Contains(Field(&UnassignedVisit::reason, UnassignedReason::kNoFeasiblePosition))));
}

// Solves with no limit but a stop flag, set by the `count`th progress report; `reports` gets
// them all. on_progress is called from one thread at a time, so the list needs no lock.
Solution SolveUntilReports(const Problem& problem, SolveOptions options, size_t count,
                           std::vector<Progress>& reports) {
  std::atomic<bool> stop{false};
  options.stop = &stop;
  options.on_progress = [&](const Progress& progress) {
    reports.push_back(progress);
    if (reports.size() == count) stop = true;
  };
  return SolveAndCheck(problem, options);
}

TEST(SolverTest, WithAnIntervalReportsFromItsOwnThreadFromTheStartToTheFinalPlan) {
  SolveOptions options;
  options.threads = 2;
  options.progress_interval_seconds = 0.001;
  std::vector<Progress> reports;
  const Solution solution = SolveUntilReports(RandomProblem(7), options, 5, reports);
  ASSERT_GE(reports.size(), 6u);  // five ticks at least, then the final plan
  for (size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GE(reports[i].iterations, reports[i - 1].iterations);
    EXPECT_GE(reports[i].seconds, reports[i - 1].seconds);
    if (!reports[i - 1].has_plan) continue;
    EXPECT_TRUE(reports[i].has_plan);
    EXPECT_LE(reports[i].best_objective, reports[i - 1].best_objective + 1e-9);
  }
  EXPECT_TRUE(reports.back().has_plan);
  EXPECT_DOUBLE_EQ(reports.back().best_objective, solution.objective.weighted);
  EXPECT_EQ(reports.back().unassigned_visits, solution.objective.unassigned_visits);
  EXPECT_EQ(reports.back().iterations, solution.stats.iterations);
  EXPECT_GT(solution.stats.first_plan_seconds, 0);
  EXPECT_LE(solution.stats.first_plan_seconds, solution.stats.seconds);
}

TEST(SolverTest, WithoutAnIterationBudgetThreadsTradeTheBestAsTheirOwnEpochsEnd) {
  // No budget: the two threads do not wait for each other. With no interval, each report is
  // one thread's trade with the exchange, which keeps the best of all.
  SolveOptions options;
  options.threads = 2;
  std::vector<Progress> reports;
  const Solution solution = SolveUntilReports(RandomProblem(8), options, 8, reports);
  ASSERT_GE(reports.size(), 8u);
  for (size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GE(reports[i].iterations, reports[i - 1].iterations);
    EXPECT_LE(reports[i].best_objective, reports[i - 1].best_objective + 1e-9);
  }
  EXPECT_DOUBLE_EQ(reports.back().best_objective, solution.objective.weighted);
  EXPECT_EQ(solution.stats.threads, 2);
}

TEST(SolverTest, ReportsProgressWithAFallingBest) {
  const Problem problem = RandomProblem(6);
  SolveOptions options = Budget(1000);
  std::vector<Progress> reports;
  options.on_progress = [&](const Progress& progress) { reports.push_back(progress); };
  const Solution solution = SolveAndCheck(problem, options);
  ASSERT_GE(reports.size(), 2u);
  for (size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GE(reports[i].iterations, reports[i - 1].iterations);
    EXPECT_LE(reports[i].best_objective, reports[i - 1].best_objective + 1e-9);
  }
  EXPECT_DOUBLE_EQ(reports.back().best_objective, solution.objective.weighted);
}

TEST(SolverTest, EachCarerTravelsByTheirOwnMatrix) {
  Problem problem;
  problem.travel = LineTravel({0, 10});          // driving
  problem.other_travel = {LineTravel({0, 30})};  // walking
  problem.carers = {MakeCarer(0), MakeCarer(0)};
  problem.carers[1].travel_profile = 1;
  problem.visits = {MakeVisit(1, 0, 100, 30)};
  const Solution driven = SolveAndCheck(problem, Budget());
  ASSERT_EQ(driven.routes[0].visits.size(), 1u);
  EXPECT_DOUBLE_EQ(driven.objective.travel, 20);
  // The walker alone: the visit can start at 30, and 60 minutes are walked.
  problem.carers[0].skills = 0;
  problem.visits[0].required_skills = 1;
  problem.carers[1].skills = 1;
  const Solution walked = SolveAndCheck(problem, Budget());
  ASSERT_EQ(walked.routes[1].visits.size(), 1u);
  EXPECT_DOUBLE_EQ(walked.routes[1].visits[0].start, 30);
  EXPECT_DOUBLE_EQ(walked.objective.travel, 60);
}

TEST(SolverTest, ContinuityPrefersTheCarerTheClientKnowsBest) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0), MakeCarer(0)};
  Client client;
  client.id = "edna";
  client.known_carers = {0, 1};
  client.known_carer_weights = {0.2, 0.9};
  problem.clients = {client};
  problem.visits = {MakeVisit(1, 0, 100, 30)};
  problem.visits[0].client = 0;
  SolveOptions options = Budget();
  options.weights.unknown_carer = 100;
  const Solution solution = SolveAndCheck(problem, options);
  ASSERT_EQ(solution.routes[1].visits.size(), 1u);
  EXPECT_EQ(solution.objective.unknown_carer, 0);
  EXPECT_NEAR(solution.objective.unfamiliarity, 0.1, 1e-9);
  EXPECT_NEAR(solution.objective.weighted, 20 + 100 * 0.1, 1e-9);
}

TEST(SolverTest, TheNewFaceGoesToTheClientWhoseUnknownCarersCostLess) {
  // Two clients at one place, one visit each at the same time: the carer both know takes one,
  // the stranger the other. Whichever client's strangers cost more gets the known carer.
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0), MakeCarer(0)};
  Client client;
  client.known_carers = {0};
  problem.clients = {client, client};
  problem.visits = {MakeVisit(1, 0, 10, 30), MakeVisit(1, 0, 10, 30)};
  problem.visits[0].client = 0;
  problem.visits[1].client = 1;
  SolveOptions options = Budget();
  options.weights.unknown_carer = 50;
  options.weights.total_lateness = 100;  // one carer making both, the second 30 minutes late
  options.search.max_removed_share = 1;  // the two swap carers only when both are taken out
  for (int many : {0, 1}) {
    problem.clients[many].unknown_carer_factor = 4;
    problem.clients[1 - many].unknown_carer_factor = 1;
    const Solution solution = SolveAndCheck(problem, options);
    EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(many)) << many;
    EXPECT_EQ(solution.objective.unknown_carer, 1);
    EXPECT_NEAR(solution.objective.unfamiliarity, 1, 1e-9);
    EXPECT_NEAR(solution.objective.weighted, 40 + 50, 1e-9);
  }
}

TEST(SolverTest, AVisitGoesToItsUsualCarerWhenTheCostSaysSo) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0), MakeCarer(0), MakeCarer(0)};
  problem.visits = {MakeVisit(1, 0, 100, 30), MakeVisit(1, 200, 300, 30)};
  problem.visits[0].usual_carers = {1};
  problem.visits[1].usual_carers = {2, 0};
  SolveOptions options = Budget();
  // Without a weight the list means nothing: one carer makes both calls.
  Solution solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.objective.unusual_carer, 1);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 20);
  // Worth more than a second trip: each call to its usual carer.
  options.weights.unusual_carer = 25;
  solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.objective.unusual_carer, 0);
  EXPECT_THAT(VisitsOf(solution.routes[1]), ElementsAre(0));
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 40);
  // Worth less: the single trip again, paying for one unusual carer.
  options.weights.unusual_carer = 5;
  solution = SolveAndCheck(problem, options);
  EXPECT_EQ(solution.objective.unusual_carer, 1);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 25);
}

TEST(SolverTest, WhenNotAllFitTheVisitThatCountsMoreIsPlaced) {
  // One carer, two visits at the same time: the one next door is left unless the far one
  // counts for more.
  Problem problem;
  problem.travel = LineTravel({0, 10, 60});
  problem.carers = {MakeCarer(0)};
  problem.visits = {MakeVisit(1, 60, 70, 30), MakeVisit(2, 60, 70, 30)};
  for (Visit& visit : problem.visits) visit.latest_start = visit.window_end;
  SolveOptions options = Budget();
  Solution solution = SolveAndCheck(problem, options);
  EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(0));
  EXPECT_DOUBLE_EQ(solution.objective.weighted, options.weights.unassigned_visit + 20);
  problem.visits[1].unassigned_factor = 3;
  solution = SolveAndCheck(problem, options);
  EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(1));
  EXPECT_EQ(solution.objective.unassigned_visits, 1);
  EXPECT_DOUBLE_EQ(solution.objective.weighted, options.weights.unassigned_visit + 120);
}

TEST(SolverTest, TheFirstPlanGivesEachCallItsUsualCarerBeforeFillingTheGaps) {
  // Ann lives by both calls, Bob far off; each can make one of them. In window order the
  // earlier call would take Ann, and Bob would make Ann's usual call: 50 more than the rota.
  // Cat's call comes first of all, so every later call must still be seeded.
  Problem problem;
  problem.travel = LineTravel({0, 30, 5, 10, 100});
  problem.carers = {MakeCarer(0, 0, 0, 200), MakeCarer(0, 1, 0, 200), MakeCarer(0, 4, 0, 200)};
  problem.visits = {MakeVisit(2, 0, 60, 60), MakeVisit(3, 5, 65, 60), MakeVisit(4, 0, 0, 10)};
  for (Visit& visit : problem.visits) visit.latest_start = visit.window_end;
  problem.visits[1].usual_carers = {0};
  problem.visits[2].usual_carers = {2};
  problem.visits[2].window_start = -1;  // first in window order
  SolveOptions options = Budget(1);
  options.weights.unusual_carer = 100;
  const Solution solution = SolveAndCheck(problem, options);
  EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(1));
  EXPECT_THAT(VisitsOf(solution.routes[1]), ElementsAre(0));
  EXPECT_THAT(VisitsOf(solution.routes[2]), ElementsAre(2));
  EXPECT_DOUBLE_EQ(solution.objective.weighted, 20 + 50);
}

TEST(SolverTest, OnALargeDayTheFirstPlanStaffsTheDoubleUpsFirst) {
  // Two carers, an hour's single call at 0 and a double-up at 5, neither movable: in window
  // order the single takes a carer and the pair finds only one. A large day staffs the pair
  // first (here "large" starts at one unit).
  Problem problem;
  problem.travel = LineTravel({0, 0, 0});
  problem.carers = {MakeCarer(1, 0, 0, 200), MakeCarer(1, 0, 0, 200)};
  problem.visits = {MakeVisit(1, 0, 10, 60), MakeVisit(2, 5, 15, 60, 1, 2)};
  for (Visit& visit : problem.visits) visit.latest_start = visit.window_end;
  SolveOptions options = Budget(1);
  Solution solution = SolveAndCheck(problem, options);
  EXPECT_THAT(solution.unassigned, ElementsAre(Field(&UnassignedVisit::visit, 1)));
  options.search.whole_polish_max_units = 0;
  solution = SolveAndCheck(problem, options);
  EXPECT_THAT(solution.unassigned, ElementsAre(Field(&UnassignedVisit::visit, 0)));
  EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(1));
  EXPECT_THAT(VisitsOf(solution.routes[1]), ElementsAre(1));
}

TEST(SolverTest, APairShortOfItsUsualCarerWaitsForTheSingleCallsUsualCarers) {
  // Ann is the pair's usual carer (its other one is off), Bob the single call's; Cat lives far
  // off. Staffed first, the pair would take Bob as its nearest second carer and send the single
  // call to Cat, off its rota.
  Problem problem;
  problem.travel = LineTravel({0, 30, 0});
  problem.carers = {MakeCarer(1, 0, 0, 200), MakeCarer(1, 0, 0, 200), MakeCarer(1, 1, 0, 200)};
  problem.visits = {MakeVisit(2, 40, 50, 60), MakeVisit(2, 40, 50, 60, 1, 2)};
  for (Visit& visit : problem.visits) visit.latest_start = visit.window_end;
  problem.visits[0].usual_carers = {1};
  problem.visits[1].usual_carers = {0};
  SolveOptions options = Budget(1);
  options.search.whole_polish_max_units = 0;
  options.weights.unusual_carer = 100;
  const Solution solution = SolveAndCheck(problem, options);
  EXPECT_THAT(solution.unassigned, IsEmpty());
  EXPECT_THAT(VisitsOf(solution.routes[0]), ElementsAre(1));
  EXPECT_THAT(VisitsOf(solution.routes[1]), ElementsAre(0));
  EXPECT_THAT(VisitsOf(solution.routes[2]), ElementsAre(1));
}

// Ann works a split shift: a morning stretch and an evening one, 60 minutes in all.
Problem SplitShift() {
  Problem problem;
  problem.travel = LineTravel({0, 0});
  problem.people = {{"ann", 60}};
  problem.carers = {MakeCarer(0, 0, 0, 100), MakeCarer(0, 0, 200, 300)};
  problem.carers[0].person = problem.carers[1].person = 0;
  problem.visits = {MakeVisit(1, 0, 80, 20), MakeVisit(1, 0, 80, 20), MakeVisit(1, 200, 280, 20),
                    MakeVisit(1, 200, 280, 20)};
  return problem;
}

TEST(SolverTest, APersonsStretchesShareTheirWorkingTimeLimit) {
  Problem problem = SplitShift();
  const Solution split = SolveAndCheck(problem, Budget());
  // 80 minutes of visits and 60 to work: three visits over the two stretches, one left.
  EXPECT_EQ(split.routes[0].visits.size() + split.routes[1].visits.size(), 3u);
  EXPECT_FALSE(split.routes[0].visits.empty());
  EXPECT_FALSE(split.routes[1].visits.empty());
  ASSERT_EQ(split.unassigned.size(), 1u);
  EXPECT_EQ(split.unassigned[0].reason, UnassignedReason::kNoFeasiblePosition);
  // The same shifts as two carers of their own do all four.
  problem.people.clear();
  problem.carers[0].person = problem.carers[1].person = -1;
  EXPECT_TRUE(SolveAndCheck(problem, Budget()).unassigned.empty());
}

TEST(SolverTest, ADoubleUpThatOnlyOnePersonCouldTakeHasNoQualifiedCarer) {
  Problem problem = SplitShift();
  problem.visits = {MakeVisit(1, 0, 80, 20, 0, /*carers_required=*/2)};
  Solution solution = SolveAndCheck(problem, Budget());
  ASSERT_THAT(solution.unassigned, SizeIs(1));
  EXPECT_EQ(solution.unassigned[0].reason, UnassignedReason::kNoQualifiedCarer);
  problem.carers.push_back(MakeCarer(0, 0, 0, 300));
  EXPECT_THAT(SolveAndCheck(problem, Budget()).unassigned, IsEmpty());
}

TEST(SolverTest, AVisitLongerThanThePersonsDayIsOutsideEveryShift) {
  Problem problem = SplitShift();
  problem.people[0].max_working_minutes = 15;  // each stretch alone has no limit
  problem.visits.resize(1);
  Solution solution = SolveAndCheck(problem, Budget());
  ASSERT_THAT(solution.unassigned, SizeIs(1));
  EXPECT_EQ(solution.unassigned[0].reason, UnassignedReason::kOutsideEveryShift);
  problem.people[0].max_working_minutes = 20;
  EXPECT_THAT(SolveAndCheck(problem, Budget()).unassigned, IsEmpty());
}

TEST(SolverTest, LinkedVisitsForDistinctCarersAreNotBothAPersons) {
  Problem problem = SplitShift();
  problem.people[0].max_working_minutes = kUnlimited;
  problem.visits.resize(1);
  problem.visits.push_back(MakeVisit(1, 200, 280, 20));
  problem.links.push_back(MakeLink(0, 1, 0, 300, /*distinct=*/true));
  const Solution alone = SolveAndCheck(problem, Budget());
  // Only one person could take either: nobody is qualified for the pair.
  EXPECT_THAT(alone.unassigned,
              ElementsAre(Field(&UnassignedVisit::reason, UnassignedReason::kNoQualifiedCarer),
                          Field(&UnassignedVisit::reason, UnassignedReason::kNoQualifiedCarer)));
  problem.carers.push_back(MakeCarer(0, 0, 0, 300));
  const Solution with_bob = SolveAndCheck(problem, Budget());
  EXPECT_TRUE(with_bob.unassigned.empty());
  EXPECT_EQ(with_bob.routes[2].visits.size(), 1u);
}

TEST(SolverTest, ARepairCanStopOnceEveryVisitIsPlaced) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0), MakeCarer(0)};
  problem.visits = {MakeVisit(1, 0, 500, 30), MakeVisit(1, 0, 500, 30), MakeVisit(1, 0, 500, 30)};
  problem.visits.push_back(MakeVisit(1, 0, 500, 30, /*skills=*/1));  // nobody can take it
  SolveOptions options;
  options.time_limit_seconds = 60;  // never reached: the first complete plan ends it
  options.stop_once_all_placed = true;
  const Solution solution = SolveAndCheck(problem, options);
  ASSERT_THAT(solution.unassigned, SizeIs(1));
  EXPECT_EQ(solution.unassigned[0].reason, UnassignedReason::kNoQualifiedCarer);
  EXPECT_EQ(solution.stats.iterations, 0);
  EXPECT_LT(solution.stats.seconds, 60);
}

TEST(SolverTest, RejectsBadOptionsAndModels) {
  Problem problem;
  problem.travel = LineTravel({0});
  SolveOptions options;  // no limit at all
  EXPECT_THAT(std::string(Solve(problem, options).status().message()), HasSubstr("time limit"));
  options = Budget();
  options.threads = 0;
  EXPECT_THAT(std::string(Solve(problem, options).status().message()),
              HasSubstr("options.threads"));
  options = Budget();
  options.progress_interval_seconds = -1;
  EXPECT_THAT(std::string(Solve(problem, options).status().message()),
              HasSubstr("options.progress_interval_seconds"));
  options = Budget();
  problem.visits.push_back(MakeVisit(3, 0, 10, 5));
  EXPECT_EQ(Solve(problem, options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SolverTest, EmptyProblemsSolve) {
  Problem problem;
  problem.travel = LineTravel({0});
  const Solution no_carers = SolveAndCheck(problem, Budget());
  EXPECT_TRUE(no_carers.routes.empty());
  problem.visits.push_back(MakeVisit(0, 0, 10, 5));
  const Solution unstaffed = SolveAndCheck(problem, Budget());
  ASSERT_EQ(unstaffed.unassigned.size(), 1u);
  EXPECT_EQ(unstaffed.unassigned[0].reason, UnassignedReason::kNoQualifiedCarer);
}

}  // namespace
}  // namespace homecare::scheduling::solver
