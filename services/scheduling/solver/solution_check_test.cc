#include "services/scheduling/solver/solution_check.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/solver/test_util.h"

namespace homecare::scheduling::solver {
namespace {

using ::testing::HasSubstr;
using testing::LineTravel;
using testing::MakeCarer;
using testing::MakeLink;
using testing::MakeVisit;

// Two carers at 0; a double-up at 10 (visit 0), and two linked visits at 20 (visits 1 and 2,
// the second 30 to 60 minutes after the first, by different carers).
Problem TwoCarers() {
  Problem problem;
  problem.travel = LineTravel({0, 10, 20});
  problem.carers = {MakeCarer(0b1), MakeCarer(0b1)};
  problem.visits.push_back(MakeVisit(1, 0, 100, 10, 0b1, 2));
  problem.visits.push_back(MakeVisit(2, 0, 100, 10));
  problem.visits.push_back(MakeVisit(2, 0, 100, 10));
  problem.links.push_back(MakeLink(1, 2, 30, 60));
  return problem;
}

// Carer 0: double-up at 10, first linked visit at 30; carer 1: double-up at 10, second at 60.
Solution Valid() {
  Solution solution;
  solution.routes.resize(2);
  solution.routes[0].carer = 0;
  solution.routes[0].visits = {{0, 10, 0}, {1, 30, 0}};
  solution.routes[1].carer = 1;
  solution.routes[1].visits = {{0, 10, 0}, {2, 60, 0}};
  return solution;
}

std::string Broken(const Problem& problem, const Solution& solution) {
  absl::StatusOr<ObjectiveBreakdown> result = CheckSolution(problem, ObjectiveWeights(), solution);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  return std::string(result.status().message());
}

TEST(SolutionCheckTest, AcceptsAValidSolutionAndRecomputesTheObjective) {
  absl::StatusOr<ObjectiveBreakdown> result =
      CheckSolution(TwoCarers(), ObjectiveWeights(), Valid());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_DOUBLE_EQ(result->travel, 80);
  EXPECT_DOUBLE_EQ(result->total_lateness, 0);
  EXPECT_DOUBLE_EQ(result->weighted, 80);
}

TEST(SolutionCheckTest, CountsLatenessAndUnassignedVisits) {
  Problem problem = TwoCarers();
  problem.visits[2].window_end = 50;
  Solution solution = Valid();
  absl::StatusOr<ObjectiveBreakdown> result = CheckSolution(problem, ObjectiveWeights(), solution);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_DOUBLE_EQ(result->max_lateness, 10);
  solution.routes[0].visits.pop_back();
  solution.routes[1].visits.pop_back();
  solution.unassigned = {{1, UnassignedReason::kNoFeasiblePosition},
                         {2, UnassignedReason::kLinkedVisitNotPlaced}};
  result = CheckSolution(problem, ObjectiveWeights(), solution);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->unassigned_visits, 2);
  EXPECT_DOUBLE_EQ(result->weighted, 2 * ObjectiveWeights().unassigned_visit + 40);
  // A visit that counts as three when left.
  problem.visits[1].unassigned_factor = 3;
  result = CheckSolution(problem, ObjectiveWeights(), solution);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->unassigned_visits, 2);
  EXPECT_DOUBLE_EQ(result->weighted, 4 * ObjectiveWeights().unassigned_visit + 40);
}

TEST(SolutionCheckTest, RejectsADoubleUpStartingApart) {
  Solution solution = Valid();
  solution.routes[1].visits[0].start = 12;
  EXPECT_THAT(Broken(TwoCarers(), solution), HasSubstr("double-up carers start at 10 and 12"));
}

TEST(SolutionCheckTest, RejectsAGapOutsideItsRange) {
  Solution solution = Valid();
  solution.routes[1].visits[1].start = 95;
  EXPECT_THAT(Broken(TwoCarers(), solution), HasSubstr("start 65 apart"));
}

TEST(SolutionCheckTest, RejectsStartsBeforeArrivalOrWindow) {
  Solution solution = Valid();
  solution.routes[0].visits[0].start = 5;
  solution.routes[1].visits[0].start = 5;
  EXPECT_THAT(Broken(TwoCarers(), solution), HasSubstr("before the carer can arrive"));
  Problem problem = TwoCarers();
  problem.visits[1].window_start = 40;
  EXPECT_THAT(Broken(problem, Valid()), HasSubstr("before its window opens"));
}

TEST(SolutionCheckTest, RejectsMissingSkillsBarsAndPins) {
  Problem problem = TwoCarers();
  problem.visits[1].required_skills = 0b10;
  EXPECT_THAT(Broken(problem, Valid()), HasSubstr("missing skill"));
  problem = TwoCarers();
  Client client;
  problem.clients = {client};
  problem.visits[1].client = 0;
  problem.carers[0].never_visit_clients = {0};
  EXPECT_THAT(Broken(problem, Valid()), HasSubstr("never visit"));
  problem = TwoCarers();
  problem.visits[1].pinned_carers = {1};
  EXPECT_THAT(Broken(problem, Valid()), HasSubstr("pinned carer 1 not on it"));
}

TEST(SolutionCheckTest, RejectsShiftEndAndWorkingLimit) {
  Problem problem = TwoCarers();
  problem.carers[1].shift_end = 80;  // back at 60 + 10 + 20 = 90
  EXPECT_THAT(Broken(problem, Valid()), HasSubstr("after the shift ends"));
  problem = TwoCarers();
  problem.carers[0].max_working_minutes = 50;  // 40 travel + 20 visiting
  EXPECT_THAT(Broken(problem, Valid()), HasSubstr("works 60 minutes"));
}

TEST(SolutionCheckTest, CountsAPersonsStretchesAsOneCarer) {
  Problem problem = TwoCarers();
  problem.people = {{"ann", 100}};
  problem.carers[0].person = problem.carers[1].person = 0;
  const std::string broken = Broken(problem, Valid());
  // Both halves of the double-up by one person, and 60 + 60 minutes over her two stretches.
  EXPECT_THAT(broken, HasSubstr("done twice"));
  EXPECT_THAT(broken, HasSubstr("person ann: works 120 minutes over their stretches"));
}

TEST(SolutionCheckTest, RejectsWrongCarerCountsAndHalfPlacedLinks) {
  Solution solution = Valid();
  solution.routes[1].visits.erase(solution.routes[1].visits.begin());
  EXPECT_THAT(Broken(TwoCarers(), solution), HasSubstr("has 1 carers, needs 2"));
  solution = Valid();
  solution.routes[1].visits.pop_back();
  solution.unassigned = {{2, UnassignedReason::kNoFeasiblePosition}};
  EXPECT_THAT(Broken(TwoCarers(), solution), HasSubstr("only one is placed"));
  solution = Valid();
  solution.routes[0].visits.push_back({2, 60, 0});
  solution.routes[1].visits.pop_back();
  EXPECT_THAT(Broken(TwoCarers(), solution), HasSubstr("same carer"));
}

}  // namespace
}  // namespace homecare::scheduling::solver
