#include "services/scheduling/solver/plan.h"

#include "gtest/gtest.h"
#include "services/scheduling/solver/task_model.h"
#include "services/scheduling/solver/test_util.h"

namespace homecare::scheduling::solver {
namespace {

using testing::LineTravel;
using testing::MakeCarer;
using testing::MakeLink;
using testing::MakeVisit;

// Depot at 0, clients at 10, 30 and 60 on a line.
Problem LineProblem(int carers) {
  Problem problem;
  problem.travel = LineTravel({0, 10, 30, 60});
  for (int c = 0; c < carers; ++c) problem.carers.push_back(MakeCarer(0b1));
  return problem;
}

TEST(PlanTest, WaitsForWindowAndCountsTravelBothWays) {
  Problem problem = LineProblem(1);
  problem.visits.push_back(MakeVisit(1, 0, 100, 5));
  problem.visits.push_back(MakeVisit(2, 50, 60, 5));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  plan.Insert(1, 0, 1);
  ASSERT_TRUE(plan.Refresh());
  EXPECT_DOUBLE_EQ(plan.start(0), 10);
  EXPECT_DOUBLE_EQ(plan.start(1), 50);  // arrives at 35, waits for the window
  EXPECT_DOUBLE_EQ(plan.parts().travel, 60);
  EXPECT_DOUBLE_EQ(plan.route_work(0), 70);
  EXPECT_DOUBLE_EQ(plan.route_end(0), 85);
  EXPECT_DOUBLE_EQ(plan.parts().total_lateness, 0);
  EXPECT_EQ(plan.parts().unassigned_visits, 0);
}

TEST(PlanTest, InsertablePositionsLieBetweenWhatMustComeBeforeAndAfter) {
  Problem problem = LineProblem(1);
  for (const auto& [location, open] : {std::pair{1, 0}, {2, 100}, {3, 200}}) {
    problem.visits.push_back(MakeVisit(location, open, open + 10, 10));
    problem.visits.back().latest_start = open + 10;
  }
  problem.visits.push_back(MakeVisit(2, 120, 130, 10));  // fits only between 100 and 200
  problem.visits.back().latest_start = 130;
  problem.visits.push_back(MakeVisit(1, 0, 500, 10));  // anywhere
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  for (int v = 0; v < 3; ++v) plan.Insert(v, 0, v);
  ASSERT_TRUE(plan.Refresh());
  EXPECT_EQ(plan.InsertablePositions(3, 0), std::pair(2, 3));
  EXPECT_EQ(plan.InsertablePositions(4, 0), std::pair(0, 4));
  // Before the first visit could start: nowhere.
  problem.carers[0].shift_start = 140;
  problem.visits.resize(4);
  for (Visit& visit : problem.visits) visit.latest_start = kUnlimited;
  problem.visits[3].latest_start = 130;
  TaskModel late_model(problem, ObjectiveWeights());
  EXPECT_EQ(Plan(late_model).InsertablePositions(3, 0), std::pair(0, 0));
}

TEST(PlanTest, LatenessIsTotalledAndMaximised) {
  Problem problem = LineProblem(1);
  problem.visits.push_back(MakeVisit(3, 0, 40, 10));  // reached at 60: 20 late
  problem.visits.push_back(MakeVisit(2, 0, 50, 10));  // 60+10+30 = 100: 50 late
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  plan.Insert(1, 0, 1);
  ASSERT_TRUE(plan.Refresh());
  EXPECT_DOUBLE_EQ(plan.parts().total_lateness, 70);
  EXPECT_DOUBLE_EQ(plan.parts().max_lateness, 50);
  EXPECT_DOUBLE_EQ(plan.cost(), 120 + 70 + 50);
}

TEST(PlanTest, DoubleUpStartsWhenTheLaterCarerArrives) {
  Problem problem = LineProblem(2);
  problem.visits.push_back(MakeVisit(1, 0, 100, 5));         // carer 0 goes here first
  problem.visits.push_back(MakeVisit(2, 0, 100, 10, 0, 2));  // double-up at 30
  TaskModel model(problem, ObjectiveWeights());
  ASSERT_EQ(model.num_tasks(), 3);
  Plan plan(model);
  plan.Insert(0, 0, 0);
  plan.Insert(1, 0, 1);  // carer 0: 10 + 5 + 20 = arrives 35
  plan.Insert(2, 1, 0);  // carer 1: arrives 30
  ASSERT_TRUE(plan.Refresh());
  EXPECT_DOUBLE_EQ(plan.start(1), 35);
  EXPECT_DOUBLE_EQ(plan.start(2), 35);
}

TEST(PlanTest, MinimumGapDelaysTheSecondVisit) {
  Problem problem = LineProblem(2);
  problem.visits.push_back(MakeVisit(1, 0, 100, 5));
  problem.visits.push_back(MakeVisit(1, 0, 100, 5));
  problem.links.push_back(MakeLink(0, 1, 20, 30));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  plan.Insert(1, 1, 0);
  ASSERT_TRUE(plan.Refresh());
  EXPECT_DOUBLE_EQ(plan.start(0), 10);
  EXPECT_DOUBLE_EQ(plan.start(1), 30);
}

TEST(PlanTest, MaximumGapPullsTheFirstVisitLater) {
  Problem problem = LineProblem(2);
  problem.visits.push_back(MakeVisit(1, 0, 100, 5));
  problem.visits.push_back(MakeVisit(1, 50, 100, 5));
  problem.links.push_back(MakeLink(0, 1, 0, 30));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  plan.Insert(1, 1, 0);
  ASSERT_TRUE(plan.Refresh());
  EXPECT_DOUBLE_EQ(plan.start(1), 50);
  EXPECT_DOUBLE_EQ(plan.start(0), 20);
}

TEST(PlanTest, OppositeOrdersOfTwoDoubleUpsHaveNoSchedule) {
  Problem problem = LineProblem(2);
  problem.visits.push_back(MakeVisit(1, 0, 100, 5, 0, 2));
  problem.visits.push_back(MakeVisit(2, 0, 100, 5, 0, 2));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  // Carer 0 does visit 0 then visit 1; carer 1 does visit 1 then visit 0.
  plan.Insert(0, 0, 0);
  plan.Insert(2, 0, 1);
  plan.Insert(3, 1, 0);
  plan.Insert(1, 1, 1);
  EXPECT_FALSE(plan.Refresh());
  plan.Remove(3);
  plan.Remove(1);
  plan.Insert(1, 1, 0);
  plan.Insert(3, 1, 1);
  EXPECT_TRUE(plan.Refresh());
}

TEST(PlanTest, MaximumGapThatCannotBeMetHasNoSchedule) {
  for (const Minutes max_gap : {10.0, 200.0}) {
    Problem problem = LineProblem(2);
    problem.visits.push_back(MakeVisit(1, 0, 100, 5));
    problem.visits.push_back(MakeVisit(1, 0, 100, 5));
    problem.visits.push_back(MakeVisit(3, 0, 100, 5, 0, 2));
    problem.links.push_back(MakeLink(0, 1, 0, max_gap));
    TaskModel model(problem, ObjectiveWeights());
    Plan plan(model);
    // Carer 0: first visit, then the double-up; carer 1: the double-up, then the second visit,
    // which therefore starts at least 5 + 50 + 5 + 50 = 110 after the first.
    plan.Insert(0, 0, 0);
    plan.Insert(2, 0, 1);
    plan.Insert(3, 1, 0);
    plan.Insert(1, 1, 1);
    EXPECT_EQ(plan.Refresh(), max_gap > 110) << max_gap;
  }
}

TEST(PlanTest, ShiftEndAndWorkingMinutesAreHard) {
  Problem problem = LineProblem(1);
  problem.carers[0].shift_end = 100;
  problem.visits.push_back(MakeVisit(3, 0, 200, 30));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  EXPECT_FALSE(plan.Refresh());  // back at 60 + 30 + 60 = 150

  Problem second = LineProblem(1);
  second.carers[0].max_working_minutes = 100;
  second.visits.push_back(MakeVisit(2, 0, 200, 30));
  TaskModel second_model(second, ObjectiveWeights());
  Plan second_plan(second_model);
  second_plan.Insert(0, 0, 0);
  EXPECT_TRUE(second_plan.Refresh());  // 60 travel + 30 visit = 90
  second.carers[0].max_working_minutes = 89;
  TaskModel tight_model(second, ObjectiveWeights());
  Plan tight(tight_model);
  tight.Insert(0, 0, 0);
  EXPECT_FALSE(tight.Refresh());
}

TEST(PlanTest, ShiftStartDelaysTheFirstVisit) {
  Problem problem = LineProblem(1);
  problem.carers[0].shift_start = 100;
  problem.visits.push_back(MakeVisit(1, 0, 50, 5));
  TaskModel model(problem, ObjectiveWeights());
  Plan plan(model);
  plan.Insert(0, 0, 0);
  ASSERT_TRUE(plan.Refresh());
  EXPECT_DOUBLE_EQ(plan.start(0), 110);
  EXPECT_DOUBLE_EQ(plan.parts().max_lateness, 60);
}

TEST(PlanTest, UnassignedVisitsAreCountedPerVisit) {
  Problem problem = LineProblem(2);
  problem.visits.push_back(MakeVisit(1, 0, 100, 5, 0, 2));  // one double-up: one visit
  problem.visits.push_back(MakeVisit(1, 0, 100, 5));
  problem.visits.push_back(MakeVisit(2, 0, 100, 5));
  problem.links.push_back(MakeLink(1, 2, 0, 100));  // two linked visits
  ObjectiveWeights weights;
  weights.unassigned_visit = 1000;
  TaskModel model(problem, weights);
  Plan plan(model);
  EXPECT_EQ(plan.parts().unassigned_visits, 3);
  EXPECT_DOUBLE_EQ(plan.cost(), 3000);
}

}  // namespace
}  // namespace homecare::scheduling::solver
